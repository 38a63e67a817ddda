// A GC-heavy program: large maps and slices, explicit runtime.GC, finalizers, memory
// statistics, and a big allocation that the runtime maps outside its first arena.
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

type node struct {
	next *node
	val  [8]int
}

func build(n int) *node {
	var head *node
	for i := 0; i < n; i++ {
		head = &node{next: head, val: [8]int{i}}
	}
	return head
}

func main() {
	runtime.GOMAXPROCS(4)
	debug.SetGCPercent(20)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	m := map[string]int{}
	for i := 0; i < 100000; i++ {
		m["key"+strconv.Itoa(i)] = i
	}
	s := 0
	for i := 0; i < 100000; i += 997 {
		s += m["key"+strconv.Itoa(i)]
	}
	fmt.Println("map", len(m), s)
	for i := 0; i < 100000; i += 2 {
		delete(m, "key"+strconv.Itoa(i))
	}
	fmt.Println("map after delete", len(m))

	// Lots of garbage from several goroutines at once.
	done := make(chan int)
	for g := 0; g < 4; g++ {
		go func(g int) {
			total := 0
			for round := 0; round < 30; round++ {
				l := build(2000)
				for p := l; p != nil; p = p.next {
					total += p.val[0] & 1
				}
				b := make([]byte, 64<<10)
				b[len(b)-1] = byte(round)
				total += int(b[len(b)-1])
			}
			done <- total
		}(g)
	}
	sum := 0
	for g := 0; g < 4; g++ {
		sum += <-done
	}
	fmt.Println("garbage", sum)

	// A large slice: 64 MiB in one allocation.
	big := make([]int64, 8<<20)
	for i := range big {
		big[i] = int64(i)
	}
	var bs int64
	for i := 0; i < len(big); i += 4096 {
		bs += big[i]
	}
	fmt.Println("big slice", len(big), bs)
	big = nil

	// Finalizers run on the finalizer goroutine after a collection.
	fin := make(chan int, 10)
	for i := 0; i < 10; i++ {
		p := new([64]byte)
		p[0] = byte(i)
		runtime.SetFinalizer(p, func(p *[64]byte) { fin <- int(p[0]) })
	}
	got := 0
	deadline := time.Now().Add(20 * time.Second)
	for got < 10 && time.Now().Before(deadline) {
		runtime.GC()
		select {
		case <-fin:
			got++
		case <-time.After(10 * time.Millisecond):
		}
	}
	fmt.Println("finalizers ran", got)

	runtime.GC()
	debug.FreeOSMemory() // madvise of the freed spans
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	fmt.Println("collections happened", after.NumGC > before.NumGC+3)
	fmt.Println("heap shrank back", after.HeapAlloc < 32<<20)
	fmt.Println("map still intact", m["key1"], m["key99999"], len(m))
}
