// Timers: time.Sleep, time.After, tickers, time.AfterFunc, Timer.Stop/Reset,
// context deadlines, and the monotonic clock.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

func main() {
	start := time.Now()
	time.Sleep(30 * time.Millisecond)
	fmt.Println("slept at least 30ms:", time.Since(start) >= 30*time.Millisecond)

	// Many sleepers at once, waking in order of their durations.
	var mu sync.Mutex
	order := []int{}
	var wg sync.WaitGroup
	for _, d := range []int{50, 10, 40, 20, 30} {
		wg.Add(1)
		go func(d int) {
			defer wg.Done()
			time.Sleep(time.Duration(d) * 10 * time.Millisecond)
			mu.Lock()
			order = append(order, d)
			mu.Unlock()
		}(d)
	}
	wg.Wait()
	fmt.Println("wake order", order)

	t := time.NewTicker(10 * time.Millisecond)
	ticks := 0
	for range t.C {
		ticks++
		if ticks == 5 {
			break
		}
	}
	t.Stop()
	fmt.Println("ticks", ticks)

	fired := make(chan string, 2)
	time.AfterFunc(15*time.Millisecond, func() { fired <- "afterfunc" })
	stopped := time.AfterFunc(time.Hour, func() { fired <- "never" })
	fmt.Println("stop pending timer:", stopped.Stop())
	fmt.Println(<-fired)

	tm := time.NewTimer(time.Hour)
	tm.Reset(5 * time.Millisecond)
	<-tm.C
	fmt.Println("reset timer fired")

	select {
	case <-time.After(10 * time.Millisecond):
		fmt.Println("time.After fired")
	case <-make(chan int):
	}

	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Millisecond)
	defer cancel()
	<-ctx.Done()
	fmt.Println("context:", ctx.Err())

	// Monotonic time never goes backwards.
	prev := time.Now()
	back := 0
	for i := 0; i < 10000; i++ {
		now := time.Now()
		if now.Before(prev) {
			back++
		}
		prev = now
	}
	fmt.Println("monotonic went backwards", back, "times")
	fmt.Println("unix time plausible:", time.Now().Year() >= 2023)
	fmt.Println("total at least 600ms:", time.Since(start) >= 600*time.Millisecond)
}
