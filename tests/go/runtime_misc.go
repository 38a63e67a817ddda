// The runtime's less common paths: a CPU profile (per-thread CPU-time timers sending
// SIGPROF to their own thread), an execution trace, the RLIMIT_NOFILE soft limit Go
// raises at start-up, uname, the pure-Go resolver's /etc/hosts, madvise of anonymous
// memory, a thousand goroutines with growing stacks, and at the end the runtime's
// deadlock detector ("all goroutines are asleep"), exit status 2 with a traceback.
package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"syscall"
	"time"
)

//go:noinline
func burn(n int) float64 {
	x := 0.0
	for i := 0; i < n; i++ {
		x += float64(i%13) * 0.5
	}
	return x
}

//go:noinline
func grow(depth int) int {
	var pad [256]byte
	pad[depth%256] = 1
	if depth == 0 {
		return 0
	}
	return grow(depth-1) + int(pad[depth%256])
}

func main() {
	var prof bytes.Buffer
	if err := pprof.StartCPUProfile(&prof); err != nil {
		panic(err)
	}
	start := time.Now()
	var cpu syscall.Rusage
	for {
		burn(200000)
		syscall.Getrusage(syscall.RUSAGE_SELF, &cpu)
		if time.Duration(cpu.Utime.Nano()) > 300*time.Millisecond || time.Since(start) > 20*time.Second {
			break
		}
	}
	pprof.StopCPUProfile()
	fmt.Println("cpu profile written:", prof.Len() > 0)

	var tr bytes.Buffer
	if err := trace.Start(&tr); err != nil {
		panic(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); burn(10000); time.Sleep(time.Millisecond) }()
	}
	wg.Wait()
	trace.Stop()
	fmt.Println("execution trace written:", bytes.HasPrefix(tr.Bytes(), []byte("go 1.")))

	var lim syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	fmt.Println("nofile soft limit raised to the hard limit:", lim.Cur == lim.Max)

	var uts syscall.Utsname
	syscall.Uname(&uts)
	machine := ""
	for _, c := range uts.Machine {
		if c == 0 {
			break
		}
		machine += string(rune(c))
	}
	fmt.Println("machine", machine)

	addrs, err := net.LookupHost("localhost")
	has := false
	for _, a := range addrs {
		has = has || a == "127.0.0.1" || a == "::1"
	}
	fmt.Println("localhost resolves to loopback:", has, err)

	page := os.Getpagesize()
	mem, _ := syscall.Mmap(-1, 0, 16*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	for i := range mem {
		mem[i] = 0xaa
	}
	fmt.Println("madvise DONTNEED:", syscall.Madvise(mem[4*page:8*page], syscall.MADV_DONTNEED))
	fmt.Println("zero after DONTNEED, kept elsewhere:", mem[4*page] == 0, mem[8*page-1] == 0, mem[3*page] == 0xaa, mem[8*page] == 0xaa)
	syscall.Munmap(mem)

	results := make(chan int, 1000)
	for i := 0; i < 1000; i++ {
		go func(i int) { results <- grow(100 + i%400) }(i)
	}
	sum := 0
	for i := 0; i < 1000; i++ {
		sum += <-results
	}
	fmt.Println("goroutine stacks grew:", sum)
	// A goroutine that has sent its result may not have exited yet: wait for the count
	// to settle (how long it takes depends on the scheduler, not on what is printed).
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > 1 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	fmt.Println("page size", page, "NumGoroutine", runtime.NumGoroutine())

	fmt.Println("now every goroutine blocks")
	<-make(chan int)
}
