// oracle: native

// os/exec: the program runs itself as a child (no shell), with pipes for stdin,
// stdout and stderr, an environment, exit statuses, a child killed by a signal,
// a context that kills a sleeping child, and errors for missing programs.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

func child(args []string) {
	switch args[0] {
	case "upper":
		b, _ := io.ReadAll(os.Stdin)
		fmt.Print(strings.ToUpper(string(b)))
		fmt.Fprintln(os.Stderr, "to stderr")
		os.Exit(0)
	case "env":
		fmt.Println(os.Getenv("GO_CHILD_VAR"), len(os.Args))
	case "exit":
		os.Exit(7)
	case "kill":
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(10 * time.Second)
	case "sleep":
		time.Sleep(time.Minute)
	case "reexec":
		// execve from a process with several threads busy: the other threads go.
		for i := 0; i < 3; i++ {
			go func() {
				for {
					burn()
				}
			}()
		}
		time.Sleep(20 * time.Millisecond)
		self, _ := os.Executable()
		err := syscall.Exec(self, []string{self, "env", "after", "exec"}, []string{"GO_CHILD_VAR=execd"})
		fmt.Println("exec failed:", err)
	case "ids":
		pgid, _ := syscall.Getpgid(0)
		sid, _, _ := syscall.RawSyscall(syscall.SYS_GETSID, 0, 0, 0)
		fmt.Println("pid==pgid", pgid == os.Getpid(), "pid==sid", int(sid) == os.Getpid())
	case "uts":
		err := syscall.Sethostname([]byte("go-inner"))
		h, _ := os.Hostname()
		fmt.Println("sethostname", err, "hostname", h, "uid", os.Getuid())
	case "lines":
		for i := 0; i < 1000; i++ {
			fmt.Println("line", i)
		}
	}
	os.Exit(0)
}

//go:noinline
func burn() int {
	s := 0
	for i := 0; i < 1000; i++ {
		s += i
	}
	return s
}

func main() {
	if len(os.Args) > 1 {
		child(os.Args[1:])
	}
	self, err := os.Executable()
	if err != nil {
		panic(err)
	}

	cmd := exec.Command(self, "upper")
	cmd.Stdin = strings.NewReader("hello from the parent\n")
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	fmt.Printf("upper: %q %q %v\n", out, errb.String(), err)

	cmd = exec.Command(self, "env", "a", "b")
	cmd.Env = append(os.Environ(), "GO_CHILD_VAR=value42")
	out, err = cmd.CombinedOutput()
	fmt.Printf("env: %q %v\n", out, err)

	// SysProcAttr: a new session, a new process group, and new namespaces by clone
	// flags (the child's own user and UTS namespaces) and by unshare.
	hostBefore, _ := os.Hostname()
	for _, c := range []struct {
		name, mode string
		attr       *syscall.SysProcAttr
	}{
		{"plain", "ids", nil},
		{"setsid", "ids", &syscall.SysProcAttr{Setsid: true}},
		{"setpgid", "ids", &syscall.SysProcAttr{Setpgid: true}},
		{"cloneflags", "uts", &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUSER | syscall.CLONE_NEWUTS}},
		{"unshareflags", "uts", &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWUTS}},
	} {
		cmd := exec.Command(self, c.mode)
		cmd.SysProcAttr = c.attr
		out, err := cmd.CombinedOutput()
		fmt.Printf("sysprocattr %s: %q %v\n", c.name, out, err)
	}
	hostAfter, _ := os.Hostname()
	fmt.Println("parent's hostname unchanged:", hostBefore == hostAfter)

	out, err = exec.Command(self, "reexec").Output()
	fmt.Printf("execve with threads running: %q %v\n", out, err)

	err = exec.Command(self, "exit").Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		fmt.Println("exit code", ee.ExitCode())
	}

	err = exec.Command(self, "kill").Run()
	fmt.Println("killed child:", err)

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	err = exec.CommandContext(ctx, self, "sleep").Run()
	cancel()
	fmt.Println("context kill:", err)

	// Streaming through a pipe with StdoutPipe.
	cmd = exec.Command(self, "lines")
	pipe, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	sc := bufio.NewScanner(pipe)
	n, last := 0, ""
	for sc.Scan() {
		n++
		last = sc.Text()
	}
	fmt.Println("streamed", n, last, cmd.Wait())

	_, err = exec.LookPath("no-such-program-anywhere")
	fmt.Println("lookpath:", err != nil)
	err = exec.Command("/no/such/program").Run()
	fmt.Println("missing program:", err)
	err = exec.Command("/").Run()
	fmt.Println("directory:", err)

	// os.StartProcess with an explicit file table and Wait's rusage-backed state.
	r, w, _ := os.Pipe()
	p, err := os.StartProcess(self, []string{self, "env"}, &os.ProcAttr{
		Files: []*os.File{nil, w, os.Stderr},
		Env:   []string{"GO_CHILD_VAR=startprocess"},
	})
	if err != nil {
		panic(err)
	}
	w.Close()
	b, _ := io.ReadAll(r)
	st, _ := p.Wait()
	fmt.Printf("startprocess: %q success=%v\n", b, st.Success())
}
