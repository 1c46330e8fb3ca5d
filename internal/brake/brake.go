// Package brake limits failed authentications per peer. Each peer has a
// token bucket of failures; a failure past it is answered as a request to
// wait (with the time to wait) instead of as a failure, and is not logged
// again. Successful calls never touch it: a valid token from a braked peer
// still goes through. That is also its limit: a client that keeps guessing
// past the brake still learns which guess is right, so the defence against
// guessing is the tokens' length; the brake bounds what failures cost the
// server and tells a misconfigured client to stop.
package brake

import (
	"math"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of New's zero arguments.
const (
	// DefaultBurst is the failures a peer may make at once.
	DefaultBurst = 100
	// DefaultRate is the failures a second a peer may make past its burst.
	DefaultRate = 10
	// DefaultMaxPeers bounds the peers remembered at once: an attacker
	// with many addresses cannot grow the table without bound.
	DefaultMaxPeers = 65_536
)

// Brake is safe for concurrent use.
type Brake struct {
	limit    rate.Limit
	burst    int
	maxPeers int
	now      func() time.Time

	mu        sync.Mutex
	peers     map[netip.Prefix]*peer
	overflow  *peer // shared by new peers while the table is full
	lastSweep time.Time
}

type peer struct {
	lim *rate.Limiter
	// braked is set while the peer is being refused, so that only the
	// first refusal of a run is reported as new.
	braked bool
}

// New returns a brake allowing burst failures at once and perSecond
// afterwards per peer; zero or negative values take the defaults.
func New(perSecond float64, burst int) *Brake {
	if perSecond <= 0 {
		perSecond = DefaultRate
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	b := &Brake{
		limit:    rate.Limit(perSecond),
		burst:    burst,
		maxPeers: DefaultMaxPeers,
		now:      time.Now,
		peers:    make(map[netip.Prefix]*peer),
	}
	b.overflow = b.newPeer()
	return b
}

func (b *Brake) newPeer() *peer { return &peer{lim: rate.NewLimiter(b.limit, b.burst)} }

// Verdict is what Fail decided about one failure.
type Verdict struct {
	// Allowed is true while the peer is within its allowance: answer the
	// failure as such (401). When false, answer 429 and ask the caller to
	// wait RetryAfter.
	Allowed    bool
	RetryAfter time.Duration
	// FirstRefusal is true for the first refused failure since the peer was
	// last allowed one: the moment worth a log line.
	FirstRefusal bool
}

// Fail records a failed authentication from addr.
func (b *Brake) Fail(addr net.Addr) Verdict {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.lookup(Key(addr), now)
	if p.lim.AllowN(now, 1) {
		p.braked = false
		return Verdict{Allowed: true}
	}
	first := !p.braked
	p.braked = true
	return Verdict{RetryAfter: b.wait(p, now), FirstRefusal: first}
}

// wait is how long until the peer has one failure to spend again, rounded
// up to whole seconds as Retry-After carries it.
func (b *Brake) wait(p *peer, now time.Time) time.Duration {
	missing := 1 - p.lim.TokensAt(now)
	secs := math.Ceil(missing / float64(b.limit))
	return time.Duration(max(secs, 1)) * time.Second
}

// lookup finds or makes the peer's bucket. When the table is full it first
// forgets peers whose buckets have refilled (at most once a second, so a
// flood of new addresses cannot make every call sweep), and past that
// lets new peers share one bucket: they are braked together.
func (b *Brake) lookup(key netip.Prefix, now time.Time) *peer {
	if p, ok := b.peers[key]; ok {
		return p
	}
	if len(b.peers) >= b.maxPeers && now.Sub(b.lastSweep) >= time.Second {
		b.lastSweep = now
		for k, p := range b.peers {
			if p.lim.TokensAt(now) >= float64(b.burst) {
				delete(b.peers, k)
			}
		}
	}
	if len(b.peers) >= b.maxPeers {
		return b.overflow
	}
	p := b.newPeer()
	b.peers[key] = p
	return p
}

// Peers returns how many peers the brake remembers.
func (b *Brake) Peers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.peers)
}

// Key is the part of addr that identifies a peer: the whole IPv4 address,
// or the /64 of an IPv6 one (a single host commonly holds a whole /64, so
// per-address buckets would be no brake at all). Addresses that are not IP
// share one key.
func Key(addr net.Addr) netip.Prefix {
	var ip netip.Addr
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(a.IP)
	case nil:
	default:
		if ap, err := netip.ParseAddrPort(a.String()); err == nil {
			ip = ap.Addr()
		}
	}
	ip = ip.Unmap()
	switch {
	case ip.Is4():
		return netip.PrefixFrom(ip, 32)
	case ip.Is6():
		p, _ := ip.Prefix(64)
		return p
	}
	return netip.Prefix{}
}
