// Loopback networking through the runtime's epoll netpoller: a TCP echo server with
// concurrent clients, deadlines, UDP, a Unix socket, and net/http over loopback.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

func echo(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			io.Copy(c, c)
		}()
	}
}

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go echo(l)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var replies []string
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", l.Addr().String())
			if err != nil {
				panic(err)
			}
			defer c.Close()
			msg := fmt.Sprintf("client %d %s\n", i, strings.Repeat("x", i*1000))
			go c.Write([]byte(msg))
			line, err := bufio.NewReaderSize(c, 1<<16).ReadString('\n')
			mu.Lock()
			replies = append(replies, fmt.Sprintf("%d:%d:%v", i, len(line), line == msg))
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Strings(replies)
	fmt.Println("tcp echo", replies)

	// A large transfer in both directions at once.
	c, _ := net.Dial("tcp", l.Addr().String())
	payload := make([]byte, 4<<20)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	go func() { c.Write(payload); c.(*net.TCPConn).CloseWrite() }()
	got, err := io.ReadAll(c)
	same := len(got) == len(payload)
	for i := 0; same && i < len(got); i++ {
		same = got[i] == payload[i]
	}
	fmt.Println("tcp bulk", len(got), same, err)
	c.Close()

	// A read deadline on a silent connection.
	c, _ = net.Dial("tcp", l.Addr().String())
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err = c.Read(make([]byte, 1))
	var ne net.Error
	fmt.Println("deadline timeout:", errors.As(err, &ne) && ne.Timeout())
	c.Close()
	l.Close()

	// Connection refused on a closed port.
	_, err = net.Dial("tcp", l.Addr().String())
	fmt.Println("dial closed port fails:", err != nil)

	// UDP round trip.
	u, _ := net.ListenPacket("udp", "127.0.0.1:0")
	go func() {
		buf := make([]byte, 100)
		n, addr, _ := u.ReadFrom(buf)
		u.WriteTo([]byte(strings.ToUpper(string(buf[:n]))), addr)
	}()
	uc, _ := net.Dial("udp", u.LocalAddr().String())
	uc.Write([]byte("datagram"))
	buf := make([]byte, 100)
	n, err := uc.Read(buf)
	fmt.Println("udp", string(buf[:n]), err)
	uc.Close()
	u.Close()

	// A Unix stream socket.
	dir, _ := os.MkdirTemp(".", "sock")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "s")
	ul, err := net.Listen("unix", path)
	if err != nil {
		panic(err)
	}
	go echo(ul)
	cc, _ := net.Dial("unix", path)
	cc.Write([]byte("unix hello\n"))
	line, _ := bufio.NewReader(cc).ReadString('\n')
	fmt.Printf("unix %q\n", line)
	cc.Close()
	ul.Close()

	// net/http on loopback.
	hl, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Test", "yes")
		fmt.Fprintf(w, "path=%s method=%s", r.URL.Path, r.Method)
	})}
	go srv.Serve(hl)
	for _, p := range []string{"/a", "/b/c"} {
		resp, err := http.Get("http://" + hl.Addr().String() + p)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println("http", resp.StatusCode, resp.Header.Get("X-Test"), string(body))
	}
	srv.Close()
}
