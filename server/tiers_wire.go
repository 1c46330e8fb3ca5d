package server

import (
	"errors"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/runtime/protoiface"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// suggestFrame is one StreamSuggestSegmentsRequest as the tier stream
// reads it: the settings, or only the ARR of each account of a batch. A
// book of 10^7 accounts would otherwise cost 10^7 Account messages (and
// their strings and attribute maps) that are thrown away at once; decoded
// here, a batch costs no allocation once arr has grown to the batch size.
//
// It is a proto.Message whose Unmarshal is its own: gRPC's codec hands it
// the message bytes through proto.Unmarshal, so it plugs into RecvMsg
// without a codec of its own. Every encoding proto.Marshal produces decodes
// as proto.Unmarshal would decode it (see FuzzSuggestFrame).
type suggestFrame struct {
	payload framePayload
	tiers   int32     // settings.tiers
	arr     []float64 // batch.accounts[i].arr
	refl    frameReflect
}

// framePayload says which member of the payload oneof a frame carries.
type framePayload int

const (
	payloadNone framePayload = iota
	payloadSettings
	payloadBatch
)

// Field numbers of the messages the frame reads.
const (
	fieldSettings   = 1 // StreamSuggestSegmentsRequest.settings
	fieldBatch      = 2 // StreamSuggestSegmentsRequest.batch
	fieldTiers      = 1 // SuggestSettings.tiers
	fieldAccounts   = 1 // AccountBatch.accounts
	fieldAccountARR = 3 // Account.arr
)

func newSuggestFrame() *suggestFrame {
	f := &suggestFrame{}
	// The reflection of an empty request answers everything but decoding
	// (descriptors, resets), which the frame does itself.
	f.refl = frameReflect{Message: (&csplanv1.StreamSuggestSegmentsRequest{}).ProtoReflect(), frame: f}
	return f
}

// ProtoReflect makes the frame a proto.Message.
func (f *suggestFrame) ProtoReflect() protoreflect.Message { return &f.refl }

// frameReflect routes proto.Unmarshal to the frame's decoder.
type frameReflect struct {
	protoreflect.Message
	frame *suggestFrame
}

func (r *frameReflect) ProtoMethods() *protoiface.Methods { return &frameMethods }

var frameMethods = protoiface.Methods{Unmarshal: unmarshalFrame}

func unmarshalFrame(in protoiface.UnmarshalInput) (protoiface.UnmarshalOutput, error) {
	r, ok := in.Message.(*frameReflect)
	if !ok {
		return protoiface.UnmarshalOutput{}, errors.New("suggest frame: unexpected message type")
	}
	// proto3 messages have no required fields: nothing left to check.
	return protoiface.UnmarshalOutput{Flags: protoiface.UnmarshalInitialized}, r.frame.unmarshal(in.Buf)
}

var errFrame = errors.New("invalid StreamSuggestSegmentsRequest encoding")

// unmarshal decodes b, replacing what the frame held. Fields it does not
// read are skipped as proto.Unmarshal skips unknown ones; a member of the
// oneof replaces the other, and a repeated one merges into itself, as in
// proto.Unmarshal.
func (f *suggestFrame) unmarshal(b []byte) error {
	f.payload, f.tiers, f.arr = payloadNone, 0, f.arr[:0]
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errFrame
		}
		b = b[n:]
		if typ == protowire.BytesType && (num == fieldSettings || num == fieldBatch) {
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errFrame
			}
			b = b[n:]
			var err error
			if num == fieldSettings {
				if f.payload != payloadSettings {
					f.payload, f.tiers, f.arr = payloadSettings, 0, f.arr[:0]
				}
				err = f.unmarshalSettings(v)
			} else {
				if f.payload != payloadBatch {
					f.payload, f.tiers, f.arr = payloadBatch, 0, f.arr[:0]
				}
				err = f.unmarshalBatch(v)
			}
			if err != nil {
				return err
			}
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errFrame
		}
		b = b[n:]
	}
	return nil
}

func (f *suggestFrame) unmarshalSettings(b []byte) error {
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errFrame
		}
		b = b[n:]
		if num == fieldTiers && typ == protowire.VarintType {
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return errFrame
			}
			f.tiers = int32(v)
			b = b[n:]
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errFrame
		}
		b = b[n:]
	}
	return nil
}

func (f *suggestFrame) unmarshalBatch(b []byte) error {
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errFrame
		}
		b = b[n:]
		if num == fieldAccounts && typ == protowire.BytesType {
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errFrame
			}
			arr, err := accountARR(v)
			if err != nil {
				return err
			}
			f.arr = append(f.arr, arr)
			b = b[n:]
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errFrame
		}
		b = b[n:]
	}
	return nil
}

// accountARR reads an Account's arr (the last one given, 0 when none),
// skipping every other field.
func accountARR(b []byte) (float64, error) {
	var arr float64
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return 0, errFrame
		}
		b = b[n:]
		if num == fieldAccountARR && typ == protowire.Fixed64Type {
			v, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				return 0, errFrame
			}
			arr = math.Float64frombits(v)
			b = b[n:]
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return 0, errFrame
		}
		b = b[n:]
	}
	return arr, nil
}

// consumeTag is protowire.ConsumeTag that also refuses field numbers past
// the valid range, as proto.Unmarshal does.
func consumeTag(b []byte) (protowire.Number, protowire.Type, int) {
	num, typ, n := protowire.ConsumeTag(b)
	if n >= 0 && num > protowire.MaxValidNumber {
		return 0, 0, -1
	}
	return num, typ, n
}
