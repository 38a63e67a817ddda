// Files and directories through the os package: create, write, read back, seek,
// truncate, rename, links, permissions, os.ReadDir, filepath.WalkDir, and errors.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"
)

func check(err error) {
	if err != nil {
		panic(err)
	}
}

func main() {
	dir, err := os.MkdirTemp(".", "gofiles")
	check(err)
	defer os.RemoveAll(dir)

	for i, name := range []string{"b.txt", "a.txt", "c.bin"} {
		check(os.WriteFile(filepath.Join(dir, name), []byte(fmt.Sprintf("file %d %s\n", i, name)), 0o644))
	}
	check(os.MkdirAll(filepath.Join(dir, "sub", "deeper"), 0o755))
	check(os.WriteFile(filepath.Join(dir, "sub", "deeper", "x"), make([]byte, 5000), 0o600))
	check(os.Symlink("a.txt", filepath.Join(dir, "link")))

	entries, err := os.ReadDir(dir)
	check(err)
	for _, e := range entries {
		info, err := e.Info()
		check(err)
		fmt.Printf("%-6s dir=%v mode=%v size=%d\n", e.Name(), e.IsDir(), info.Mode().Type(), sizeOf(info))
	}

	target, err := os.Readlink(filepath.Join(dir, "link"))
	fmt.Println("readlink", target, err)
	b, err := os.ReadFile(filepath.Join(dir, "link"))
	fmt.Printf("through link %q %v\n", b, err)

	f, err := os.OpenFile(filepath.Join(dir, "a.txt"), os.O_RDWR, 0)
	check(err)
	_, err = f.Seek(5, io.SeekStart)
	check(err)
	f.Write([]byte("ZZ"))
	check(f.Truncate(9))
	f.Seek(0, io.SeekStart)
	b, _ = io.ReadAll(f)
	fmt.Printf("after seek/write/truncate %q\n", b)
	n, err := f.ReadAt(make([]byte, 4), 7)
	fmt.Println("readat past end", n, err)
	st, _ := f.Stat()
	fmt.Println("stat size", st.Size(), "mode", st.Mode())
	f.Close()

	check(os.Chmod(filepath.Join(dir, "c.bin"), 0o600))
	st, _ = os.Stat(filepath.Join(dir, "c.bin"))
	fmt.Println("chmod", st.Mode())
	check(os.Rename(filepath.Join(dir, "c.bin"), filepath.Join(dir, "sub", "moved.bin")))
	check(os.Link(filepath.Join(dir, "b.txt"), filepath.Join(dir, "hard")))
	st, _ = os.Stat(filepath.Join(dir, "hard"))
	fmt.Println("hard links", st.Sys().(*syscall.Stat_t).Nlink)

	var walked []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		walked = append(walked, rel)
		return err
	})
	sort.Strings(walked)
	fmt.Println("walk", walked)

	_, err = os.Stat(filepath.Join(dir, "missing"))
	fmt.Println("missing is ErrNotExist:", errors.Is(err, fs.ErrNotExist))
	err = os.Remove(filepath.Join(dir, "sub"))
	fmt.Println("remove non-empty dir:", errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST))
	_, err = os.OpenFile(filepath.Join(dir, "a.txt"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	fmt.Println("O_EXCL on existing:", errors.Is(err, fs.ErrExist))

	wd, _ := os.Getwd()
	check(os.Chdir(dir))
	wd2, _ := os.Getwd()
	fmt.Println("chdir changed getwd:", wd2 == filepath.Join(wd, filepath.Base(dir)))
	check(os.Chdir(wd))

	// A large file through many small writes, then io.Copy into another.
	big, _ := os.Create(filepath.Join(dir, "big"))
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(big, "line %05d\n", i)
	}
	big.Close()
	src, _ := os.Open(filepath.Join(dir, "big"))
	dst, _ := os.Create(filepath.Join(dir, "copy"))
	copied, err := io.Copy(dst, src)
	src.Close()
	dst.Close()
	fmt.Println("copied", copied, err)
	fmt.Println("hostname ok:", hostOK())
}

func sizeOf(info fs.FileInfo) int64 {
	if info.IsDir() {
		return -1
	}
	return info.Size()
}

func hostOK() bool {
	h, err := os.Hostname()
	return err == nil && h != ""
}
