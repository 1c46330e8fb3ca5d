package brake

import (
	"net"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func tcp(ip string) net.Addr             { return &net.TCPAddr{IP: net.ParseIP(ip), Port: 40000} }
func newTestBrake(c *clock, r float64, burst int) *Brake {
	b := New(r, burst)
	b.now = c.now
	return b
}

func TestBurstThenRefusedWithRetryAfter(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	b := newTestBrake(c, 10, 100)
	a := tcp("192.0.2.7")
	for i := range 100 {
		if v := b.Fail(a); !v.Allowed {
			t.Fatalf("failure %d refused within the burst of 100", i+1)
		}
	}
	v := b.Fail(a)
	if v.Allowed || !v.FirstRefusal || v.RetryAfter != time.Second {
		t.Fatalf("failure 101 = %+v, want refused, first, retry after 1s", v)
	}
	if v := b.Fail(a); v.Allowed || v.FirstRefusal {
		t.Fatalf("failure 102 = %+v, want refused and not first", v)
	}
	// Another peer is not braked by this one.
	if v := b.Fail(tcp("192.0.2.8")); !v.Allowed {
		t.Fatalf("another peer braked: %+v", v)
	}
	// At 10 a second, a tenth of a second buys one failure.
	c.advance(100 * time.Millisecond)
	if v := b.Fail(a); !v.Allowed {
		t.Fatalf("after 100ms: %+v, want one failure allowed", v)
	}
	if v := b.Fail(a); v.Allowed || !v.FirstRefusal {
		t.Fatalf("refusal after an allowed failure = %+v, want first again", v)
	}
}

func TestRetryAfterAtSlowRates(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	b := newTestBrake(c, 0.25, 1) // one failure every 4 s
	a := tcp("198.51.100.1")
	b.Fail(a)
	if v := b.Fail(a); v.RetryAfter != 4*time.Second {
		t.Fatalf("retry after = %v, want 4s", v.RetryAfter)
	}
	c.advance(2500 * time.Millisecond)
	if v := b.Fail(a); v.RetryAfter != 2*time.Second {
		t.Fatalf("retry after = %v, want 2s (1.5s rounded up)", v.RetryAfter)
	}
}

func TestIPv6SharesA64(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	b := newTestBrake(c, 1, 2)
	b.Fail(tcp("2001:db8:1:2::1"))
	b.Fail(tcp("2001:db8:1:2:ffff::9"))
	if v := b.Fail(tcp("2001:db8:1:2::42")); v.Allowed {
		t.Fatal("a third address of the same /64 was not braked")
	}
	if v := b.Fail(tcp("2001:db8:1:3::1")); !v.Allowed {
		t.Fatal("another /64 was braked")
	}
	if Key(tcp("::ffff:192.0.2.1")) != Key(tcp("192.0.2.1")) {
		t.Fatal("an IPv4-mapped address is not the same peer as its IPv4 form")
	}
}

func TestTableIsBounded(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	b := newTestBrake(c, 1, 1)
	b.maxPeers = 4
	for i := range 10 {
		b.Fail(tcp(net.IPv4(10, 0, 0, byte(i)).String()))
	}
	if n := b.Peers(); n != 4 {
		t.Fatalf("peers = %d, want the bound 4", n)
	}
	// Peers past the bound share one bucket: the sixth new one is braked.
	if v := b.Fail(tcp("10.0.1.1")); v.Allowed {
		t.Fatal("new peers past the bound are not braked together")
	}
	// Once buckets refill, a sweep forgets their peers and makes room.
	c.advance(2 * time.Second)
	if v := b.Fail(tcp("10.0.2.1")); !v.Allowed {
		t.Fatal("a new peer after the sweep was braked")
	}
	if n := b.Peers(); n != 1 {
		t.Fatalf("peers after the sweep = %d, want 1", n)
	}
}
