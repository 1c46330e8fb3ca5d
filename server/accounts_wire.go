package server

import (
	"errors"
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/runtime/protoiface"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// accountFrame is one StreamSegmentAccountsRequest as the segmentation
// stream reads it: the rules, or a batch of accounts decoded into storage
// the frame reuses from one message to the next. proto.Unmarshal costs
// some 19 allocations per account (the message, its strings, its health
// score, its attribute map); the frame costs none per account in steady
// state and one per batch message (see below).
//
// Like suggestFrame it is a proto.Message whose Unmarshal is its own, so
// gRPC's codec decodes into it through proto.Unmarshal. Every encoding
// proto.Marshal produces decodes as proto.Unmarshal would decode it, and
// bytes proto.Unmarshal refuses (invalid UTF-8 among them) are refused
// (see FuzzAccountFrame). The rules, one message per stream, are decoded
// by proto.Unmarshal itself.
//
// Strings: stages and attribute keys and values repeat across a book, so
// they are interned in a table that is bounded (internMaxStrings,
// internMaxBytes) and kept for the stream. Every other string (ids, names,
// and repeated strings once the table is full) is copied into one byte
// buffer per message, converted to a single string once the message is
// decoded, and handed out as substrings of it: one allocation per batch
// rather than one per string, and no unsafe aliasing of bytes that gRPC
// recycles once Unmarshal returns.
type accountFrame struct {
	payload framePayload
	rules   *csplanv1.SegmentRules
	// planHead makes field 1 a Plan, as in StreamRunPlanRequest, whose
	// batches are field 2 as here.
	planHead bool
	plan     *csplanv1.Plan

	accounts []wireAccount
	attrs    []wireAttr // the attribute entries of all accounts, in wire order
	arena    []byte     // the bytes of the strings not interned
	arenaStr string     // arena as a string, once the message is decoded
	intern   internTable

	// The attribute list or map and health score account hands out,
	// reused from one account to the next; mapKeys are the keys the map
	// holds.
	attrList []capacity.Attribute
	// entries caches whole attribute entries as they come on the wire:
	// a book repeats a few ({"region": "EMEA"}), and one comparison of
	// the entry's bytes replaces parsing it and looking up both strings.
	entries [entryCacheSize]cachedEntry
	attrMap map[string]string
	mapKeys []string
	health  float64

	refl accountFrameReflect
}

// payloadRules is the rules member of StreamSegmentAccountsRequest's
// oneof, field 1 as suggestFrame's settings.
const payloadRules = payloadSettings

// wireAccount is a decoded Account whose strings are references.
type wireAccount struct {
	id, name, stage        strRef
	arr, health, expansion float64
	complexity             int32
	hasHealth              bool
	attrLo, attrHi         int32 // its entries in accountFrame.attrs
}

type wireAttr struct{ key, value strRef }

// strRef names a decoded string: entry lo of the intern table when hi is
// negative, else arenaStr[lo:hi]. The zero strRef is "".
type strRef struct{ lo, hi int32 }

// Field numbers the frame reads besides those of tiers_wire.go.
const (
	fieldRules             = 1 // StreamSegmentAccountsRequest.rules
	fieldAccountID         = 1
	fieldAccountName       = 2
	fieldAccountStage      = 4
	fieldAccountHealth     = 5
	fieldAccountComplexity = 6
	fieldAccountExpansion  = 7
	fieldAccountAttributes = 8
	fieldMapKey            = 1
	fieldMapValue          = 2
)

// Past these sizes a message's buffers are dropped rather than kept for
// the next one, so that one huge batch does not pin its memory for the
// rest of the stream.
const (
	frameRetainAccounts = 1 << 16
	frameRetainAttrs    = 1 << 17
	frameRetainArena    = 4 << 20
	// mapRetainKeys bounds the attribute map reused between accounts; a
	// bigger account gets a map of its own (it fails validation anyway).
	mapRetainKeys = capacity.MaxAccountAttributes
)

func newAccountFrame() *accountFrame {
	f := &accountFrame{intern: newInternTable()}
	f.refl = accountFrameReflect{Message: (&csplanv1.StreamSegmentAccountsRequest{}).ProtoReflect(), frame: f}
	return f
}

// newPlanFrame is StreamRunPlan's frame: the plan, then the batches.
func newPlanFrame() *accountFrame {
	f := newAccountFrame()
	f.planHead = true
	f.refl.Message = (&csplanv1.StreamRunPlanRequest{}).ProtoReflect()
	return f
}

// ProtoReflect makes the frame a proto.Message.
func (f *accountFrame) ProtoReflect() protoreflect.Message { return &f.refl }

// accountFrameReflect routes proto.Unmarshal to the frame's decoder; the
// reflection of an empty request answers the rest.
type accountFrameReflect struct {
	protoreflect.Message
	frame *accountFrame
}

func (r *accountFrameReflect) ProtoMethods() *protoiface.Methods { return &accountFrameMethods }

var accountFrameMethods = protoiface.Methods{Unmarshal: unmarshalAccountFrame}

func unmarshalAccountFrame(in protoiface.UnmarshalInput) (protoiface.UnmarshalOutput, error) {
	r, ok := in.Message.(*accountFrameReflect)
	if !ok {
		return protoiface.UnmarshalOutput{}, errors.New("account frame: unexpected message type")
	}
	return protoiface.UnmarshalOutput{Flags: protoiface.UnmarshalInitialized}, r.frame.unmarshal(in.Buf)
}

var errAccountFrame = errors.New("invalid StreamSegmentAccountsRequest encoding")

// errAccountFrameUTF8 matches proto.Unmarshal, which refuses proto3
// strings that are not UTF-8.
var errAccountFrameUTF8 = errors.New("invalid StreamSegmentAccountsRequest encoding: string field contains invalid UTF-8")

// Len returns the number of accounts of the batch decoded last.
func (f *accountFrame) Len() int { return len(f.accounts) }

// reset empties the frame for the next message, keeping its buffers
// unless they grew past the retained sizes.
func (f *accountFrame) reset() {
	f.payload, f.rules, f.plan = payloadNone, nil, nil
	f.resetBatch()
}

func (f *accountFrame) resetBatch() {
	if cap(f.accounts) > frameRetainAccounts {
		f.accounts = nil
	}
	if cap(f.attrs) > frameRetainAttrs {
		f.attrs = nil
	}
	if cap(f.arena) > frameRetainArena {
		f.arena = nil
	}
	f.accounts, f.attrs, f.arena, f.arenaStr = f.accounts[:0], f.attrs[:0], f.arena[:0], ""
}

// unmarshal decodes b, replacing what the frame held. As in
// proto.Unmarshal, fields it does not know or whose wire type is not
// theirs are skipped, a member of the oneof replaces the other, and a
// member given twice merges: the rules through proto's own merge, the
// batches by appending accounts.
func (f *accountFrame) unmarshal(b []byte) error {
	f.reset()
	if len(b) > math.MaxInt32 {
		return errAccountFrame
	}
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errAccountFrame
		}
		b = b[n:]
		if typ == protowire.BytesType && (num == fieldRules || num == fieldBatch) {
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errAccountFrame
			}
			b = b[n:]
			if num == fieldRules {
				if f.payload != payloadRules {
					f.resetBatch()
					f.payload, f.rules, f.plan = payloadRules, new(csplanv1.SegmentRules), new(csplanv1.Plan)
				}
				var head proto.Message = f.rules
				if f.planHead {
					head = f.plan
				}
				if err := (proto.UnmarshalOptions{Merge: true}).Unmarshal(v, head); err != nil {
					return err
				}
				continue
			}
			if f.payload != payloadBatch {
				f.payload, f.rules, f.plan = payloadBatch, nil, nil
			}
			if err := f.unmarshalBatch(v); err != nil {
				return err
			}
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errAccountFrame
		}
		b = b[n:]
	}
	if f.payload == payloadBatch && len(f.arena) > 0 {
		// The one allocation of a batch: every string not interned.
		f.arenaStr = string(f.arena)
	}
	return nil
}

func (f *accountFrame) unmarshalBatch(b []byte) error {
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errAccountFrame
		}
		b = b[n:]
		if num == fieldAccounts && typ == protowire.BytesType {
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errAccountFrame
			}
			if err := f.unmarshalAccount(v); err != nil {
				return err
			}
			b = b[n:]
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errAccountFrame
		}
		b = b[n:]
	}
	return nil
}

// unmarshalAccount appends the Account encoded in b. A field given twice
// keeps its last value, and each attribute entry is kept in wire order so
// that the last of a repeated key wins when the map is built, as in
// proto.Unmarshal.
func (f *accountFrame) unmarshalAccount(b []byte) error {
	a := wireAccount{attrLo: int32(len(f.attrs))}
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errAccountFrame
		}
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			if num != fieldAccountID && num != fieldAccountName && num != fieldAccountStage && num != fieldAccountAttributes {
				break
			}
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errAccountFrame
			}
			b = b[n:]
			var ok bool
			switch num {
			case fieldAccountID:
				a.id, ok = f.arenaString(v)
			case fieldAccountName:
				a.name, ok = f.arenaString(v)
			case fieldAccountStage:
				a.stage, ok = f.internString(v)
			default:
				if err := f.unmarshalAttribute(v); err != nil {
					return err
				}
				ok = true
			}
			if !ok {
				return errAccountFrameUTF8
			}
			continue
		case protowire.Fixed64Type:
			if num != fieldAccountARR && num != fieldAccountHealth && num != fieldAccountExpansion {
				break
			}
			v, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				return errAccountFrame
			}
			b = b[n:]
			switch x := math.Float64frombits(v); num {
			case fieldAccountARR:
				a.arr = x
			case fieldAccountHealth:
				a.health, a.hasHealth = x, true
			default:
				a.expansion = x
			}
			continue
		case protowire.VarintType:
			if num != fieldAccountComplexity {
				break
			}
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return errAccountFrame
			}
			b = b[n:]
			a.complexity = int32(v) // an open enum keeps any number, truncated as proto does
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errAccountFrame
		}
		b = b[n:]
	}
	a.attrHi = int32(len(f.attrs))
	f.accounts = append(f.accounts, a)
	return nil
}

// cachedEntry is an attribute entry's wire bytes and what they decode to;
// only entries whose strings are both in the intern table are cached, as
// they stay valid for the whole stream. raw keeps its buffer from one
// entry to the next, so that two entries taking turns in a slot cost no
// allocation.
type cachedEntry struct {
	raw  []byte
	attr wireAttr
}

const entryCacheSize = 64

func entrySlot(b []byte) int {
	n := len(b)
	return int((uint32(n)*0x9E3779B1 + uint32(b[n>>1])*0xC2B2AE35 + uint32(b[n-1])*0x27D4EB2F) >> (32 - 6))
}

// unmarshalAttribute appends one entry of the attributes map: a missing
// key or value is "", and the last of each given twice counts.
func (f *accountFrame) unmarshalAttribute(b []byte) error {
	if len(b) == 0 {
		f.attrs = append(f.attrs, wireAttr{})
		return nil
	}
	slot := &f.entries[entrySlot(b)]
	if string(slot.raw) == string(b) {
		f.attrs = append(f.attrs, slot.attr)
		return nil
	}
	raw := b
	var e wireAttr
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errAccountFrame
		}
		b = b[n:]
		if typ == protowire.BytesType && (num == fieldMapKey || num == fieldMapValue) {
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errAccountFrame
			}
			b = b[n:]
			s, ok := f.internString(v)
			if !ok {
				return errAccountFrameUTF8
			}
			if num == fieldMapKey {
				e.key = s
			} else {
				e.value = s
			}
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errAccountFrame
		}
		b = b[n:]
	}
	if e.key.hi <= 0 && e.value.hi <= 0 && len(raw) <= internMaxLen {
		slot.raw, slot.attr = append(slot.raw[:0], raw...), e
	}
	f.attrs = append(f.attrs, e)
	return nil
}

// arenaString copies b, which must be UTF-8, into the message's string
// buffer.
func (f *accountFrame) arenaString(b []byte) (strRef, bool) {
	if len(b) == 0 {
		return strRef{}, true
	}
	if !utf8.Valid(b) {
		return strRef{}, false
	}
	lo := len(f.arena)
	f.arena = append(f.arena, b...)
	return strRef{lo: int32(lo), hi: int32(len(f.arena))}, true
}

// internString finds b (not empty) in the intern table, adding it while the table has
// room, or else copies it into the message's string buffer. A string found
// in the table was checked for UTF-8 when it was added.
func (f *accountFrame) internString(b []byte) (strRef, bool) {
	if len(b) == 0 {
		return strRef{}, true
	}
	if i, ok := f.intern.lookup(b); ok {
		return strRef{lo: i, hi: -1}, true
	}
	if !utf8.Valid(b) {
		return strRef{}, false
	}
	if i, ok := f.intern.add(b); ok {
		return strRef{lo: i, hi: -1}, true
	}
	return f.arenaString(b)
}

func (f *accountFrame) str(r strRef) string {
	if r.hi < 0 {
		return f.intern.strs[r.lo]
	}
	return f.arenaStr[r.lo:r.hi]
}

// account fills dst with account i of the batch. dst shares the frame's
// strings, health score and attribute list or map: they stay valid until
// the next account call (the attributes and health score) or forever (the
// strings), so
// dst may be passed to Segmenter.Add, which keeps none of them.
func (f *accountFrame) account(i int, dst *capacity.Account) {
	a := &f.accounts[i]
	*dst = capacity.Account{
		ID:                 f.str(a.id),
		Name:               f.str(a.name),
		ARR:                a.arr,
		Stage:              f.str(a.stage),
		Complexity:         capacity.Complexity(a.complexity),
		ExpansionPotential: a.expansion,
	}
	if entries := f.attrs[a.attrLo:a.attrHi]; len(entries) <= attrListMax {
		dst.AttributeList = f.attributeList(entries)
	} else {
		dst.Attributes = f.attributes(entries)
	}
	if a.hasHealth {
		f.health = a.health
		dst.HealthScore = &f.health
	}
}

// attrListMax is the most attribute entries an account may carry for them
// to go to the domain as a list: deduplicating the list is quadratic, and
// past this a map is cheaper.
const attrListMax = 16

// attributeList gives the attributes of one account as a list in a reused
// slice, without building a map: a key given twice keeps its last value,
// as proto.Unmarshal does.
func (f *accountFrame) attributeList(entries []wireAttr) []capacity.Attribute {
	if len(entries) == 0 {
		return nil
	}
	f.attrList = f.attrList[:0]
next:
	for i, e := range entries {
		for _, later := range entries[i+1:] {
			if later.key == e.key || f.str(later.key) == f.str(e.key) {
				continue next
			}
		}
		f.attrList = append(f.attrList, capacity.Attribute{Key: f.str(e.key), Value: f.str(e.value)})
	}
	return f.attrList
}

// attributes builds the attribute map of one account in the reused map.
// Accounts of a book mostly carry the same keys in the same order: then
// only the values are replaced.
func (f *accountFrame) attributes(entries []wireAttr) map[string]string {
	if len(entries) == 0 {
		return nil
	}
	if f.attrMap == nil || len(f.mapKeys) > mapRetainKeys {
		f.attrMap, f.mapKeys = make(map[string]string, 8), f.mapKeys[:0]
	}
	same := len(entries) == len(f.mapKeys)
	for i := 0; same && i < len(entries); i++ {
		same = f.str(entries[i].key) == f.mapKeys[i]
	}
	if !same {
		for _, k := range f.mapKeys {
			delete(f.attrMap, k)
		}
		f.mapKeys = f.mapKeys[:0]
		for _, e := range entries {
			f.mapKeys = append(f.mapKeys, f.str(e.key))
		}
	}
	for i, e := range entries {
		f.attrMap[f.mapKeys[i]] = f.str(e.value)
	}
	return f.attrMap
}

// internTable holds the distinct short strings met in a stream, up to a
// bound: past it, strings are no longer added and go to each message's
// string buffer instead, so that a free-text column costs memory per
// message, never per stream.
type internTable struct {
	index map[string]int32
	strs  []string
	bytes int
	// recent caches index by a cheap hash of the bytes (entry + 1, 0 when
	// empty): a book's few stages and attributes are then found with one
	// comparison instead of a map lookup.
	recent [internRecent]int32
}

const (
	internMaxStrings = 4096
	internMaxBytes   = 256 << 10
	// internMaxLen keeps long free text, unlikely to repeat, out of the
	// table.
	internMaxLen = 128
)

const (
	internRecentBits = 8
	internRecent     = 1 << internRecentBits
)

// lookup finds b, which is not empty, in the table.
func (t *internTable) lookup(b []byte) (int32, bool) {
	n := len(b)
	h := uint32(n)*0x9E3779B1 + uint32(b[0])*0x85EBCA6B + uint32(b[n>>1])*0xC2B2AE35 + uint32(b[n-1])*0x27D4EB2F
	slot := h >> (32 - internRecentBits)
	if i := t.recent[slot] - 1; i >= 0 && t.strs[i] == string(b) {
		return i, true
	}
	i, ok := t.index[string(b)]
	if ok {
		t.recent[slot] = i + 1
	}
	return i, ok
}

func newInternTable() internTable { return internTable{index: make(map[string]int32)} }

func (t *internTable) add(b []byte) (int32, bool) {
	if len(b) > internMaxLen || len(t.strs) >= internMaxStrings || t.bytes+len(b) > internMaxBytes {
		return 0, false
	}
	s, i := string(b), int32(len(t.strs))
	t.index[s], t.strs, t.bytes = i, append(t.strs, s), t.bytes+len(s)
	return i, true
}
