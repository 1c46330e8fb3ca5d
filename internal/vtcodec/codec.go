// Package vtcodec is the protobuf codec of csplan's gRPC connections:
// messages are written by the methods vtprotobuf generates for them
// (MarshalVT and SizeVT, no reflection), and read by proto.Unmarshal.
// Its buffers come from bufpool, which does not clear them.
//
// Reading stays with proto.Unmarshal on purpose. UnmarshalVT does not check
// that proto3 strings are valid UTF-8, which the protobuf specification
// requires and proto.Unmarshal enforces: a request's names end up in
// answers, logs and reports, so a string that is not text must be refused
// where it arrives. Measured on a ComputeCapacityRequest, UnmarshalVT would
// save about 0.6 us of the 100 us of server CPU a call costs.
package vtcodec

import (
	"google.golang.org/grpc/encoding"
	// Registers grpc's proto codec, which Codec falls back to.
	_ "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/internal/bufpool"
)

// Name is the codec's name: "proto", so that peers see the content type
// they expect.
const Name = "proto"

// reference is grpc's own proto codec, captured at start so that nothing
// registered later under the same name can make Codec call itself.
var reference = func() encoding.CodecV2 {
	c := encoding.GetCodecV2(Name)
	if c == nil {
		panic("vtcodec: grpc's proto codec is not registered")
	}
	return c
}()

// sizedMarshaler is what vtprotobuf generates with its marshal and size
// features: MarshalToSizedBufferVT fills a buffer of exactly SizeVT bytes
// from its end.
type sizedMarshaler interface {
	SizeVT() int
	MarshalToSizedBufferVT([]byte) (int, error)
}

// Codec is a grpc encoding.CodecV2. Use it with grpc.ForceServerCodecV2 on
// a server and grpc.ForceCodecV2 on a client connection.
type Codec struct{}

var _ encoding.CodecV2 = Codec{}

// Marshal writes v with its generated methods when it has them and as grpc
// would otherwise (health and reflection messages, hand-decoded frames).
// Like grpc, it gives small messages a buffer of their own and larger ones
// a pooled buffer that grpc frees once they are sent.
func (Codec) Marshal(v any) (mem.BufferSlice, error) {
	m, ok := v.(sizedMarshaler)
	if !ok {
		return reference.Marshal(v)
	}
	size := m.SizeVT()
	if mem.IsBelowBufferPoolingThreshold(size) {
		buf := make([]byte, size)
		if _, err := m.MarshalToSizedBufferVT(buf); err != nil {
			return nil, err
		}
		return mem.BufferSlice{mem.SliceBuffer(buf)}, nil
	}
	pool := bufpool.Shared
	buf := pool.Get(size)
	if _, err := m.MarshalToSizedBufferVT(*buf); err != nil {
		pool.Put(buf)
		return nil, err
	}
	return mem.BufferSlice{mem.NewBuffer(buf, pool)}, nil
}

// Unmarshal reads data into v with proto.Unmarshal (see the package
// comment for why not UnmarshalVT), as grpc's codec does but for the pool
// that gathers a message of several frames into one buffer.
func (Codec) Unmarshal(data mem.BufferSlice, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return reference.Unmarshal(data, v)
	}
	buf := data.MaterializeToBuffer(bufpool.Shared)
	defer buf.Free()
	return proto.Unmarshal(buf.ReadOnlyData(), m)
}

// Name is "proto".
func (Codec) Name() string { return Name }
