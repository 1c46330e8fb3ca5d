// Package bookwire decodes the stream requests that carry a book of
// accounts (StreamSegmentAccountsRequest, StreamSuggestSegmentsRequest,
// StreamRunPlanRequest) from protobuf wire bytes straight into storage that
// is reused from one message to the next. proto.Unmarshal, generated code
// included, costs some 19 allocations per account (the message, its
// strings, its health score, its attribute map); a Frame costs none per
// account once warm and one per batch message, which is what lets one
// server core read millions of accounts a second.
//
// A Frame is a proto.Message whose decoding is its own, so it plugs into a
// gRPC stream's RecvMsg through the codec's proto.Unmarshal. Every encoding
// proto.Marshal produces decodes as proto.Unmarshal decodes it, and bytes
// proto.Unmarshal refuses (invalid UTF-8 among them) are refused (see
// FuzzFrame). Unlike proto.Unmarshal, a field the frame does not read is
// refused rather than kept as unknown bytes: nothing would read them. The
// head message (rules, settings or plan), one per stream, is decoded by
// proto.Unmarshal itself, unknown fields and all.
package bookwire

import (
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/runtime/protoiface"
)

// Payload says which member of the payload oneof a message carried.
type Payload int

const (
	None  Payload = iota // neither
	Head                 // the rules, settings or plan
	Batch                // a batch of accounts
)

// Frame is one stream request as a stream reads it: the head, or a batch
// of accounts.
type Frame struct {
	payload Payload
	shape   requestShape
	head    proto.Message

	accounts []wireAccount
	attrs    []wireAttr // the attribute entries of all accounts, in wire order
	strings  stringStore

	// What Account hands out, reused from one account to the next.
	view accountView

	refl frameReflect
}

// Past these sizes a message's buffers are dropped rather than kept for
// the next one, so that one huge batch does not pin its memory for the
// rest of the stream.
const (
	retainAccounts = 1 << 16
	retainAttrs    = 1 << 17
)

// New returns a frame for messages of request's type, which must be one of
// the book stream requests (a head message and an AccountBatch in one
// oneof).
func New(request proto.Message) *Frame {
	m := request.ProtoReflect().Type().New()
	f := &Frame{shape: shapeOf(m.Descriptor()), strings: newStringStore()}
	f.refl = frameReflect{Message: m, frame: f}
	return f
}

// Payload says what the message decoded last carried.
func (f *Frame) Payload() Payload { return f.payload }

// Head returns the head the message decoded last carried (a
// *csplanv1.SegmentRules, *csplanv1.SuggestSettings or *csplanv1.Plan), or
// nil when it carried a batch.
func (f *Frame) Head() proto.Message { return f.head }

// Len returns the number of accounts of the batch decoded last.
func (f *Frame) Len() int { return len(f.accounts) }

// ARR returns account i's ARR.
func (f *Frame) ARR(i int) float64 { return f.accounts[i].arr }

// ProtoReflect makes the frame a proto.Message.
func (f *Frame) ProtoReflect() protoreflect.Message { return &f.refl }

// frameReflect routes proto.Unmarshal to the frame's decoder; the
// reflection of an empty request answers the rest (descriptors, resets).
type frameReflect struct {
	protoreflect.Message
	frame *Frame
}

func (r *frameReflect) ProtoMethods() *protoiface.Methods { return &frameMethods }

var frameMethods = protoiface.Methods{Unmarshal: unmarshalFrame}

func unmarshalFrame(in protoiface.UnmarshalInput) (protoiface.UnmarshalOutput, error) {
	r, ok := in.Message.(*frameReflect)
	if !ok {
		return protoiface.UnmarshalOutput{}, errors.New("bookwire: unexpected message type")
	}
	// proto3 messages have no required fields: nothing left to check.
	return protoiface.UnmarshalOutput{Flags: protoiface.UnmarshalInitialized}, r.frame.unmarshal(in.Buf)
}

// errEncoding and errUTF8 match what proto.Unmarshal refuses.
var (
	errEncoding = errors.New("invalid wire-format data")
	errUTF8     = errors.New("invalid wire-format data: string field contains invalid UTF-8")
)

// reset empties the frame for the next message, keeping its buffers unless
// they grew past the retained sizes.
func (f *Frame) reset() {
	f.payload, f.head = None, nil
	f.resetBatch()
}

func (f *Frame) resetBatch() {
	if cap(f.accounts) > retainAccounts {
		f.accounts = nil
	}
	if cap(f.attrs) > retainAttrs {
		f.attrs = nil
	}
	f.accounts, f.attrs = f.accounts[:0], f.attrs[:0]
	f.strings.resetMessage()
}

// unmarshal decodes b, replacing what the frame held. As in
// proto.Unmarshal, a member of the oneof replaces the other, and a member
// given twice merges: the head through proto's own merge, the batches by
// appending accounts.
func (f *Frame) unmarshal(b []byte) error {
	f.reset()
	if len(b) > math.MaxInt32 {
		return errEncoding
	}
	head, batch := f.shape.head.Number(), f.shape.batch.Number()
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errEncoding
		}
		b = b[n:]
		if typ != protowire.BytesType || (num != head && num != batch) {
			return unknownField(f.refl.Descriptor(), num, typ)
		}
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return errEncoding
		}
		b = b[n:]
		if num == head {
			if f.payload != Head {
				f.resetBatch()
				f.payload, f.head = Head, f.refl.Get(f.shape.head).Message().New().Interface()
			}
			if err := (proto.UnmarshalOptions{Merge: true}).Unmarshal(v, f.head); err != nil {
				return err
			}
			continue
		}
		f.payload, f.head = Batch, nil
		if err := f.unmarshalBatch(v); err != nil {
			return err
		}
	}
	if f.payload == Batch {
		// The one allocation of a batch: every string not interned.
		f.strings.endMessage()
	}
	return nil
}

func (f *Frame) unmarshalBatch(b []byte) error {
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errEncoding
		}
		b = b[n:]
		if num != fieldAccounts || typ != protowire.BytesType {
			return unknownField(batchDesc, num, typ)
		}
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return errEncoding
		}
		if err := f.unmarshalAccount(v); err != nil {
			return fmt.Errorf("account %d of the batch: %w", len(f.accounts), err)
		}
		b = b[n:]
	}
	return nil
}

// consumeTag is protowire.ConsumeTag that also refuses field numbers past
// the valid range, as proto.Unmarshal does.
func consumeTag(b []byte) (protowire.Number, protowire.Type, int) {
	num, typ, n := protowire.ConsumeTag(b)
	if n >= 0 && (num > protowire.MaxValidNumber || num < protowire.MinValidNumber) {
		return 0, 0, -1
	}
	return num, typ, n
}
