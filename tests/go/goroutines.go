// Goroutines on several OS threads: channels, sync.WaitGroup, sync.Mutex, sync.Cond,
// atomics, select, and runtime.LockOSThread with a thread id of its own.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
)

func worker(id int, jobs <-chan int, results chan<- [2]int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		s := 0
		for i := 0; i <= j*1000; i++ {
			s += i % 7
		}
		results <- [2]int{j, s}
	}
}

func main() {
	runtime.GOMAXPROCS(4)
	fmt.Println("GOMAXPROCS", runtime.GOMAXPROCS(0))

	jobs := make(chan int, 100)
	results := make(chan [2]int, 100)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go worker(w, jobs, results, &wg)
	}
	for j := 0; j < 64; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(results)
	var all [][2]int
	for r := range results {
		all = append(all, r)
	}
	sort.Slice(all, func(a, b int) bool { return all[a][0] < all[b][0] })
	total := 0
	for _, r := range all {
		total += r[1]
	}
	fmt.Println("results", len(all), "total", total)

	// A mutex and an atomic counter hammered by many goroutines.
	var mu sync.Mutex
	var counter int
	var acount int64
	var wg2 sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for i := 0; i < 2000; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
				atomic.AddInt64(&acount, 2)
				if i%100 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	wg2.Wait()
	fmt.Println("mutex counter", counter, "atomic counter", acount)

	// sync.Cond: a producer wakes consumers one by one.
	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	queue := []int{}
	done := make(chan int)
	for c := 0; c < 4; c++ {
		go func() {
			got := 0
			for {
				cmu.Lock()
				for len(queue) == 0 {
					cond.Wait()
				}
				v := queue[0]
				queue = queue[1:]
				cmu.Unlock()
				if v < 0 {
					done <- got
					return
				}
				got += v
			}
		}()
	}
	for i := 1; i <= 100; i++ {
		cmu.Lock()
		queue = append(queue, i)
		cmu.Unlock()
		cond.Signal()
	}
	cmu.Lock()
	for c := 0; c < 4; c++ {
		queue = append(queue, -1)
	}
	cmu.Unlock()
	cond.Broadcast()
	sum := 0
	for c := 0; c < 4; c++ {
		sum += <-done
	}
	fmt.Println("cond sum", sum)

	// select over several channels, with a default arm.
	a, b := make(chan int), make(chan int)
	go func() {
		for i := 0; i < 50; i++ {
			a <- i
		}
		close(a)
	}()
	go func() {
		for i := 0; i < 50; i++ {
			b <- i * 2
		}
		close(b)
	}()
	na, nb, sa, sb := 0, 0, 0, 0
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			na++
			sa += v
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			nb++
			sb += v
		}
	}
	fmt.Println("select", na, sa, nb, sb)

	// Goroutines locked to OS threads see distinct thread ids, none of them the main one.
	tids := make(chan int, 4)
	for i := 0; i < 4; i++ {
		go func() {
			runtime.LockOSThread()
			tids <- syscall.Gettid()
			// Stay locked until every goroutine has reported, so the ids are distinct.
			tids <- 0
		}()
	}
	seen := map[int]bool{}
	zeros := 0
	for i := 0; i < 8; i++ {
		t := <-tids
		if t == 0 {
			zeros++
		} else {
			seen[t] = true
		}
	}
	fmt.Println("locked threads reported", len(seen) > 0, "zeros", zeros, "pid is not a locked tid", !seen[syscall.Getpid()] || len(seen) > 1)
	fmt.Println("NumCPU positive", runtime.NumCPU() > 0)
}
