// Package connguard bounds what a client can hold with connections alone:
// how many a listener keeps open at once, and how long a connection may
// stay before it carries a request worth keeping it for. The server marks a
// connection once it has served an authenticated call (or any call, when
// authentication is off); a connection never marked is closed at the
// deadline, whatever it is doing: idle, trickling a handshake, or sending
// wrong tokens.
package connguard

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/netutil"
)

// Options configures a Listener. Zero values disable a bound.
type Options struct {
	// MaxConns is the most connections open at once; Accept waits for a
	// free one past it, leaving newcomers in the kernel's backlog.
	MaxConns int
	// FirstRequest is how long a connection may stay open unmarked.
	FirstRequest time.Duration
}

// Listener wraps a net.Listener with the bounds of Options.
type Listener struct {
	net.Listener
	opts    Options
	open    atomic.Int64
	expired atomic.Int64
}

// Listen wraps l.
func Listen(l net.Listener, opts Options) *Listener {
	g := &Listener{opts: opts}
	if opts.MaxConns > 0 {
		l = netutil.LimitListener(l, opts.MaxConns)
	}
	g.Listener = l
	return g
}

// Accept returns the next connection, once fewer than MaxConns are open.
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.open.Add(1)
	gc := &Conn{Conn: c, l: l}
	if l.opts.FirstRequest > 0 {
		gc.timer = time.AfterFunc(l.opts.FirstRequest, gc.expire)
	}
	return gc, nil
}

// Open returns the connections open now.
func (l *Listener) Open() int64 { return l.open.Load() }

// Limit returns MaxConns (0: unbounded).
func (l *Listener) Limit() int { return l.opts.MaxConns }

// Expired returns how many connections were closed for carrying no marked
// request within FirstRequest.
func (l *Listener) Expired() int64 { return l.expired.Load() }

// Conn is a connection accepted by a Listener.
type Conn struct {
	net.Conn
	l      *Listener
	timer  *time.Timer
	marked atomic.Bool
	closed sync.Once
	// closeErr is what closing the connection returned.
	closeErr error
}

// RemoteAddr returns the peer's address, wrapped so that code which sees
// only the address (gRPC's peer, through TLS too) can find the connection
// with Of.
func (c *Conn) RemoteAddr() net.Addr { return Addr{Addr: c.Conn.RemoteAddr(), conn: c} }

// Mark keeps the connection past the first-request deadline.
func (c *Conn) Mark() {
	if c.marked.CompareAndSwap(false, true) && c.timer != nil {
		c.timer.Stop()
	}
}

// Extend gives an unmarked connection the first-request deadline again
// from now, for a request that may go without authentication (a health
// check, a scrape): the request has the whole deadline to finish, and a
// connection that carries only such requests lives as long as they keep
// coming. This gives a client nothing it would not get by reconnecting.
func (c *Conn) Extend() {
	if !c.marked.Load() && c.timer != nil {
		c.timer.Reset(c.l.opts.FirstRequest)
	}
}

func (c *Conn) expire() {
	// The timer's own goroutine: it must not touch c.timer, which Accept
	// may still be setting.
	if !c.marked.Load() && c.close(false) {
		c.l.expired.Add(1)
	}
}

// Close closes the connection once, however many times it is called.
func (c *Conn) Close() error {
	if !c.close(true) {
		return net.ErrClosed
	}
	return c.closeErr
}

// close closes the connection if it is still open, and reports whether it
// did.
func (c *Conn) close(stopTimer bool) bool {
	did := false
	c.closed.Do(func() {
		did = true
		if stopTimer && c.timer != nil {
			c.timer.Stop()
		}
		c.l.open.Add(-1)
		c.closeErr = c.Conn.Close()
	})
	return did
}

// Addr is the remote address of a Conn.
type Addr struct {
	net.Addr
	conn *Conn
}

// Of returns the Conn whose RemoteAddr is addr, or nil when addr did not
// come from a Listener.
func Of(addr net.Addr) *Conn {
	if a, ok := addr.(Addr); ok {
		return a.conn
	}
	return nil
}

// Unwrap returns the address a Listener's Addr wraps, or addr itself.
func Unwrap(addr net.Addr) net.Addr {
	if a, ok := addr.(Addr); ok {
		return a.Addr
	}
	return addr
}
