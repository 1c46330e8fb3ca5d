package server

import (
	"google.golang.org/grpc/encoding"
	// Registers grpc's proto codec, which serverCodec delegates to.
	_ "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// protoCodec is grpc's own proto codec, captured before anything could
// register serverCodec under the same name and make it call itself.
var protoCodec = func() encoding.CodecV2 {
	c := encoding.GetCodecV2("proto")
	if c == nil {
		panic("server: grpc's proto codec is not registered")
	}
	return c
}()

// serverCodec is the protobuf codec with fast paths for requests that
// arrive on every keystroke of a what-if page.
type serverCodec struct{}

var _ encoding.CodecV2 = serverCodec{}

// Marshal writes a forecast's answer with forecastWire and everything
// else, including the answers it declines, as grpc would.
func (serverCodec) Marshal(v any) (mem.BufferSlice, error) {
	if m, ok := v.(*csplanv1.ForecastCapacityResponse); ok && m != nil {
		w := forecastWire{m}
		if size, ok := w.size(); ok {
			// As grpc does: small messages in a buffer of their own,
			// larger ones in a pooled buffer that grpc frees once sent.
			if mem.IsBelowBufferPoolingThreshold(size) {
				return mem.BufferSlice{mem.SliceBuffer(w.appendTo(make([]byte, 0, size)))}, nil
			}
			pool := mem.DefaultBufferPool()
			buf := pool.Get(size)
			*buf = w.appendTo((*buf)[:0])
			return mem.BufferSlice{mem.NewBuffer(buf, pool)}, nil
		}
	}
	return protoCodec.Marshal(v)
}

// Unmarshal decodes a ComputeCapacityRequest with decodeComputeRequest and
// everything else, including the requests it refuses, as grpc would.
// A request of csplan's own services that fails to decode is handed to
// the door that reads it (holdDecodeFailure) instead of failing here:
// gRPC would answer it as INTERNAL, the server's fault.
func (c serverCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if err := c.unmarshal(data, v); err != nil {
		return holdDecodeFailure(v, err)
	}
	return nil
}

func (serverCodec) unmarshal(data mem.BufferSlice, v any) error {
	if m, ok := v.(*csplanv1.ComputeCapacityRequest); ok && m != nil {
		// As grpc does: a single buffer is used in place, several are
		// joined in a pooled one. Nothing decoded aliases it, since the
		// strings are carved from a copy.
		buf := data.MaterializeToBuffer(mem.DefaultBufferPool())
		// proto.Unmarshal replaces the message's content: so does this.
		m.Reset()
		done := decodeComputeRequest(buf.ReadOnlyData(), m)
		buf.Free()
		if done {
			return nil
		}
		m.Reset()
	}
	return protoCodec.Unmarshal(data, v)
}

// Name is "proto", so that clients see the content type they sent.
func (serverCodec) Name() string { return "proto" }
