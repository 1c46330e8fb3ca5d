package bufpool

import (
	"testing"

	"google.golang.org/grpc/mem"
)

func TestGetGivesTheLengthAsked(t *testing.T) {
	p := new(Pool)
	for _, size := range []int{0, 1, 255, 256, 257, 4096, 16 << 10, 280_000, 1 << 20, 4 << 20, 4<<20 + 1} {
		b := p.Get(size)
		if len(*b) != size || cap(*b) < size {
			t.Fatalf("Get(%d): len %d cap %d", size, len(*b), cap(*b))
		}
		// Write every byte, as grpc does, then hand it back.
		for i := range *b {
			(*b)[i] = 0xAB
		}
		p.Put(b)
		again := p.Get(size)
		if len(*again) != size || cap(*again) < size {
			t.Fatalf("Get(%d) after Put: len %d cap %d", size, len(*again), cap(*again))
		}
	}
}

// TestPutKeepsOnlyWhatAClassCanServe hands back buffers of odd capacities
// (grpc may keep a prefix of a buffer): every later Get still gets at
// least the length it asks for.
func TestPutKeepsOnlyWhatAClassCanServe(t *testing.T) {
	p := new(Pool)
	for _, c := range []int{1, 200, 300, 511, 512, 1000, 70_000, 5 << 20} {
		b := make([]byte, 0, c)
		p.Put(&b)
	}
	for size := 1; size <= 1<<21; size = size*3 + 1 {
		for range 4 {
			b := p.Get(size)
			if len(*b) != size || cap(*b) < size {
				t.Fatalf("Get(%d): len %d cap %d", size, len(*b), cap(*b))
			}
			p.Put(b)
		}
	}
}

// TestMaterializeCopiesEveryByte gathers a message from dirty buffers as
// grpc's codec does: what comes out is exactly what went in.
func TestMaterializeCopiesEveryByte(t *testing.T) {
	p := new(Pool)
	for round := range 3 {
		var data mem.BufferSlice
		var want []byte
		for i := range 40 {
			chunk := make([]byte, 16<<10)
			for j := range chunk {
				chunk[j] = byte(i + j + round)
			}
			want = append(want, chunk...)
			data = append(data, mem.Copy(chunk, p))
		}
		got := data.MaterializeToBuffer(p)
		if string(got.ReadOnlyData()) != string(want) {
			t.Fatalf("round %d: the gathered message differs from its frames", round)
		}
		got.Free()
		data.Free()
	}
}
