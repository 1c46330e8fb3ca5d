// Package bufpool is a grpc buffer pool (mem.BufferPool) that hands out
// reused buffers as they were left. grpc's default pool clears every
// buffer it reuses, to its whole capacity: for a streamed book, a megabyte
// for each batch message gathered from its frames and 16 KiB for each
// frame, some 5% of the server's CPU. Every use grpc and csplan make of a
// pooled buffer (a frame read from the connection, a message gathered
// from frames, a message marshalled) writes each byte before it reads it,
// so the clearing buys nothing. Nothing else may use the pool.
package bufpool

import (
	"math/bits"
	"sync"

	"google.golang.org/grpc/mem"
)

// Buffers of 2^minShift to 2^maxShift bytes are pooled, each size class in
// a sync.Pool of its own; larger ones are allocated and left to the
// garbage collector, as grpc's pool does past its largest class.
const (
	minShift = 8
	maxShift = 22
)

// Pool is a mem.BufferPool; its zero value is ready.
type Pool struct {
	classes [maxShift - minShift + 1]sync.Pool
}

var _ mem.BufferPool = (*Pool)(nil)

// Shared is the pool of csplan's server and clients.
var Shared = new(Pool)

// Get returns a buffer of length size, its bytes as a previous user left
// them.
func (p *Pool) Get(size int) *[]byte {
	shift := minShift
	if size > 1<<minShift {
		shift = bits.Len(uint(size - 1))
	}
	if shift > maxShift {
		b := make([]byte, size)
		return &b
	}
	if b, ok := p.classes[shift-minShift].Get().(*[]byte); ok {
		*b = (*b)[:size]
		return b
	}
	b := make([]byte, size, 1<<shift)
	return &b
}

// Put keeps buf for a later Get of at most its capacity.
func (p *Pool) Put(buf *[]byte) {
	c := cap(*buf)
	if c < 1<<minShift {
		return
	}
	shift := bits.Len(uint(c)) - 1 // the largest class buf can serve
	if shift > maxShift {
		return
	}
	p.classes[shift-minShift].Put(buf)
}
