package server

import (
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"

	"github.com/csplan/csplan/internal/vtcodec"
)

// serverCodec is vtcodec's codec with one change: a request of csplan's
// own services that fails to decode is handed to the door that reads it
// (holdDecodeFailure) instead of failing here, where gRPC would answer it
// as INTERNAL, the server's fault.
type serverCodec struct{ vtcodec.Codec }

var _ encoding.CodecV2 = serverCodec{}

func (c serverCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if err := c.Codec.Unmarshal(data, v); err != nil {
		return holdDecodeFailure(v, err)
	}
	return nil
}
