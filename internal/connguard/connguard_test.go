package connguard

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func listen(t *testing.T, opts Options) *Listener {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := Listen(raw, opts)
	t.Cleanup(func() { l.Close() })
	return l
}

// TestUnmarkedConnectionsAreClosed dials connections that never send a
// byte: each is closed by the server at the deadline, and one the server
// marks stays open.
func TestUnmarkedConnectionsAreClosed(t *testing.T) {
	l := listen(t, Options{FirstRequest: 200 * time.Millisecond})
	accepted := make(chan *Conn, 8)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c.(*Conn)
		}
	}()
	var clients []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
	}
	kept := <-accepted
	kept.Mark()
	<-accepted
	<-accepted
	if got := Of(kept.RemoteAddr()); got != kept {
		t.Fatal("Of does not find the connection behind its address")
	}
	if Unwrap(kept.RemoteAddr()).String() != kept.Conn.RemoteAddr().String() {
		t.Fatal("Unwrap does not give the plain address")
	}
	closedByServer := 0
	for _, c := range clients {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, err := c.Read(make([]byte, 1))
		if errors.Is(err, io.EOF) {
			closedByServer++
		}
	}
	// The marked connection times out on the client's read deadline instead.
	if closedByServer != 2 || l.Expired() != 2 || l.Open() != 1 {
		t.Fatalf("closed by server %d, expired %d, open %d; want 2, 2, 1", closedByServer, l.Expired(), l.Open())
	}
}

// TestMaxConnsWaits checks the listener holds a connection past the bound
// in the backlog until one closes.
func TestMaxConnsWaits(t *testing.T) {
	l := listen(t, Options{MaxConns: 2})
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first := <-accepted
	<-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted past MaxConns 2")
	case <-time.After(100 * time.Millisecond):
	}
	if l.Open() != 2 || l.Limit() != 2 {
		t.Fatalf("open %d limit %d, want 2 and 2", l.Open(), l.Limit())
	}
	first.Close()
	first.Close() // a second close must not free a second slot
	select {
	case <-accepted:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting connection was not accepted after one closed")
	}
	if l.Open() != 2 {
		t.Fatalf("open = %d after close and accept, want 2", l.Open())
	}
}

// TestExtendKeepsAnUnmarkedConnectionWhileUsed: requests that extend the
// deadline keep a connection open past it; once they stop, it expires.
func TestExtendKeepsAnUnmarkedConnectionWhileUsed(t *testing.T) {
	l := listen(t, Options{FirstRequest: 300 * time.Millisecond})
	accepted := make(chan *Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			accepted <- c.(*Conn)
		}
	}()
	client, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	c := <-accepted
	for range 5 {
		time.Sleep(150 * time.Millisecond)
		c.Extend()
	}
	if l.Expired() != 0 || l.Open() != 1 {
		t.Fatalf("after 750 ms of extensions: expired %d, open %d; want 0 and 1", l.Expired(), l.Open())
	}
	client.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := client.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("read after the extensions stopped = %v, want the server's close", err)
	}
	c.Extend() // after the close: no second expiry
	time.Sleep(400 * time.Millisecond)
	if l.Expired() != 1 || l.Open() != 0 {
		t.Fatalf("expired %d, open %d; want 1 and 0", l.Expired(), l.Open())
	}
}
