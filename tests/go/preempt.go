// Asynchronous preemption: goroutines spin in loops without function calls (so without
// cooperative preemption points) while others must run, and the GC must stop the world.
// Only the runtime's SIGURG sent with tgkill to the spinning thread, whose handler
// rewrites the signal context to inject a call, gets them off the CPU.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

var stop int32

//go:noinline
func spin(n *int64) {
	for atomic.LoadInt32(&stop) == 0 {
		*n++
	}
}

func main() {
	runtime.GOMAXPROCS(1)
	var n int64
	started := make(chan bool)
	go func() {
		started <- true
		spin(&n)
		started <- true
	}()
	<-started
	// With one P, the main goroutine runs again only if the spinner is preempted.
	time.Sleep(20 * time.Millisecond)
	fmt.Println("main ran while a goroutine spun")
	runtime.GC() // stop-the-world with a spinning goroutine
	fmt.Println("GC completed while a goroutine spun")
	atomic.StoreInt32(&stop, 1)
	<-started
	fmt.Println("spinner stopped, made progress:", n > 0)

	// Several spinners on several Ps, and a stack dump of all goroutines (which stops
	// the world too).
	runtime.GOMAXPROCS(3)
	atomic.StoreInt32(&stop, 0)
	counts := make([]int64, 3)
	fin := make(chan bool)
	for i := range counts {
		go func(i int) { spin(&counts[i]); fin <- true }(i)
	}
	time.Sleep(20 * time.Millisecond)
	buf := make([]byte, 1<<20)
	k := runtime.Stack(buf, true)
	fmt.Println("all-goroutine stack dump has spinners:", countSpin(string(buf[:k])) >= 3)
	runtime.GC()
	atomic.StoreInt32(&stop, 1)
	for range counts {
		<-fin
	}
	fmt.Println("all spinners stopped")

	// A floating-point spinner: the injected call must preserve FP registers.
	atomic.StoreInt32(&stop, 0)
	runtime.GOMAXPROCS(1)
	res := make(chan float64)
	go func() {
		x, y := 1.0, 0.5
		var i int64
		for atomic.LoadInt32(&stop) == 0 || i < 1000000 {
			x = x*0.999999 + y
			y = y*1.000001 - 0.0000001
			i++
			if i == 1000000 {
				res <- x + y
			}
		}
	}()
	r := <-res
	time.Sleep(5 * time.Millisecond)
	runtime.GC()
	atomic.StoreInt32(&stop, 1)
	fmt.Printf("fp spinner result %.9g\n", r)
	os.Exit(0)
}

func countSpin(s string) int {
	c := 0
	for i := 0; i+len("main.spin(") <= len(s); i++ {
		if s[i:i+len("main.spin(")] == "main.spin(" {
			c++
		}
	}
	return c
}
