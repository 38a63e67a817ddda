// os/signal: Notify for signals sent to the process itself, Ignore and Reset,
// SIGPIPE on a closed pipe (EPIPE for a descriptor other than 1 and 2), and
// syscall.Setgid, which the runtime runs on every thread by signalling each one.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGHUP, syscall.SIGWINCH)
	pid := syscall.Getpid()
	for _, s := range []syscall.Signal{syscall.SIGUSR1, syscall.SIGHUP, syscall.SIGWINCH} {
		if err := syscall.Kill(pid, s); err != nil {
			fmt.Println("kill:", err)
		}
		select {
		case got := <-c:
			fmt.Println("received", got)
		case <-time.After(10 * time.Second):
			fmt.Println("no signal for", s)
		}
	}
	// A signal sent to one thread with tgkill still reaches the Notify channel.
	syscall.Tgkill(pid, syscall.Gettid(), syscall.SIGUSR1)
	fmt.Println("received after tgkill", <-c)

	signal.Stop(c)
	signal.Ignore(syscall.SIGUSR2)
	syscall.Kill(pid, syscall.SIGUSR2)
	time.Sleep(10 * time.Millisecond)
	fmt.Println("survived an ignored SIGUSR2; ignored:", signal.Ignored(syscall.SIGUSR2))

	// Writing to a pipe without a reader: EPIPE, and the runtime swallows the SIGPIPE
	// for descriptors other than stdout and stderr.
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	r.Close()
	_, err = w.Write([]byte("x"))
	fmt.Println("write to closed pipe is EPIPE:", errors.Is(err, syscall.EPIPE))
	w.Close()

	// syscall.Setgid to the current gid runs setgid on every thread.
	gid := syscall.Getgid()
	fmt.Println("setgid on all threads:", syscall.Setgid(gid), syscall.Getgid() == gid)

	// Notify for SIGINT, then Reset: the next SIGINT has its default action.
	signal.Notify(c, syscall.SIGINT)
	syscall.Kill(pid, syscall.SIGINT)
	fmt.Println("received", <-c)
	signal.Reset(syscall.SIGINT)
	fmt.Println("sending SIGINT with the default action")
	syscall.Kill(pid, syscall.SIGINT)
	time.Sleep(5 * time.Second)
	fmt.Println("not reached")
}
