// args: crash

// Faults the Go runtime turns into panics: nil dereference (SIGSEGV, whose si_addr,
// si_code and signal-frame pc the runtime reads), faults on mappings without the
// needed permission and past the end of a mapped file (SIGBUS) with
// debug.SetPanicOnFault, integer division by zero (checked in software on riscv64),
// index out of range, deep recursion growing the goroutine stack, runtime.Stack and
// runtime.Callers. With an argument, it ends in an unrecovered nil dereference, whose
// report carries the fault address and pc and whose exit status is 2.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"unsafe"
)

type T struct {
	a, b int
}

var nilT *T

// deref takes no argument: the traceback prints the argument registers' spill slots,
// which may hold a stale heap address, and where the heap is depends on whether the
// runtime's arena hint (0xc000000000) fits the address space (vm's is Sv39's).
//
//go:noinline
func deref() int { return nilT.b }

//go:noinline
func div(a, b int) int { return a / b }

//go:noinline
func index(s []int, i int) int { return s[i] }

func try(name string, f func()) {
	defer func() {
		r := recover()
		err, isRuntime := r.(runtime.Error)
		msg := fmt.Sprint(r)
		if a, ok := r.(interface{ Addr() uintptr }); ok && faultBase != 0 {
			msg += fmt.Sprintf(" (fault at base+%#x)", a.Addr()-faultBase)
		}
		fmt.Printf("%s: recovered runtime.Error=%v: %s\n", name, isRuntime && err != nil, msg)
	}()
	f()
}

var faultBase uintptr

//go:noinline
func recurse(n int) int {
	var pad [64]byte
	pad[n%64] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return recurse(n-1) + int(pad[n%64]&1)
}

func main() {
	try("nil deref", func() { fmt.Println(deref()) })
	try("nil map write", func() {
		var m map[string]int
		m["x"] = 1
	})
	try("divide by zero", func() { fmt.Println(div(1, 0)) })
	fmt.Println("min int / -1 =", div(-1<<63, -1))
	try("index out of range", func() { fmt.Println(index([]int{1, 2, 3}, 5)) })
	try("type assertion", func() {
		var x interface{} = "s"
		fmt.Println(x.(int))
	})
	try("custom error", func() { panic(errors.New("boom")) })
	try("closed channel", func() {
		c := make(chan int)
		close(c)
		close(c)
	})

	debug.SetPanicOnFault(true)
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		panic(err)
	}
	faultBase = uintptr(unsafe.Pointer(&mem[0]))
	try("write to read-only page", func() { mem[page+8] = 1 })
	syscall.Mprotect(mem[page:], syscall.PROT_NONE)
	try("read of PROT_NONE page", func() { fmt.Println(mem[page+16]) })

	f, _ := os.CreateTemp(".", "mapped")
	f.Write(make([]byte, 2*page))
	fm, err := syscall.Mmap(int(f.Fd()), 0, 2*page, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		panic(err)
	}
	f.Truncate(int64(page))
	faultBase = uintptr(unsafe.Pointer(&fm[0]))
	try("read past the end of a mapped file", func() { fmt.Println(fm[page+24]) })
	f.Close()
	os.Remove(f.Name())
	faultBase = 0
	debug.SetPanicOnFault(false)

	fmt.Println("deep recursion", recurse(200000))

	buf := make([]byte, 4096)
	n := runtime.Stack(buf, false)
	tr := string(buf[:n])
	fmt.Println("stack starts with goroutine 1:", strings.HasPrefix(tr, "goroutine 1 [running]:"),
		"names main.main:", strings.Contains(tr, "main.main()"))
	pcs := make([]uintptr, 10)
	k := runtime.Callers(1, pcs)
	frames := runtime.CallersFrames(pcs[:k])
	fr, _ := frames.Next()
	fmt.Println("caller", fr.Function)

	if len(os.Args) > 1 {
		fmt.Println("now an unrecovered nil dereference")
		os.Stdout.Sync()
		fmt.Println(deref())
	}
}
