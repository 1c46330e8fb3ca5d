package pbjson

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// maxDepth bounds nesting on the fast path; deeper input goes to protojson,
// which enforces its own recursion limit.
const maxDepth = 100

// Unmarshal decodes data into m. It returns exactly
// protojson.UnmarshalOptions{}.Unmarshal's result: input in the fast subset
// is decoded here, anything else (and any doubt) is decoded by protojson, so
// every error is protojson's. data is not retained.
func Unmarshal(data []byte, m proto.Message) error {
	if decodeFast(data, m) {
		return nil
	}
	return protojson.UnmarshalOptions{}.Unmarshal(data, m)
}

// decoders holds decoder state (wire buffer, escape scratch, map key stack)
// between calls. A released decoder keeps no reference to its input.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// maxPooled is the largest buffer a decoder keeps for the next call.
const maxPooled = 64 << 10

// decodeFast decodes data into m if data is in the fast subset: it
// transcodes the JSON to protobuf wire format, then lets proto.Unmarshal
// (which resets m) build the message from those bytes. m is untouched until
// the whole input has been read. When it reports false, m is in an
// unspecified state.
func decodeFast(data []byte, m proto.Message) bool {
	if m == nil {
		return false
	}
	mr := m.ProtoReflect()
	if !mr.IsValid() {
		return false
	}
	d := decoders.Get().(*decoder)
	ok := d.transcode(data, mr.Descriptor())
	if ok {
		// Cannot fail for what the decoder writes; if it did, protojson
		// would decide.
		ok = proto.UnmarshalOptions{}.Unmarshal(d.out, m) == nil
	}
	d.release()
	return ok
}

// Transcode appends to dst the protobuf wire encoding of data, the JSON of
// a message of type md, if data is in the fast subset (see the package
// comment), and reports whether it was: proto.Unmarshal reads the encoding
// as the message protojson.UnmarshalOptions{} decodes from data. Outside
// the subset it reports false, and Unmarshal gives the reference result or
// error. Nothing of data is retained.
func Transcode(dst, data []byte, md protoreflect.MessageDescriptor) ([]byte, bool) {
	d := decoders.Get().(*decoder)
	ok := d.transcode(data, md)
	if ok {
		dst = append(dst, d.out...)
	}
	d.release()
	return dst, ok
}

// transcode writes data's encoding to d.out, reporting whether data is in
// the fast subset.
func (d *decoder) transcode(data []byte, md protoreflect.MessageDescriptor) bool {
	if len(data) == 0 {
		return false
	}
	p := planFor(md)
	if p.treeSpecial {
		return false
	}
	// One copy of the input backs the scanner's strings; every value is
	// copied again into the wire buffer, and whoever reads that copies it
	// out of there, so neither data nor the copy is retained.
	d.s = string(data)
	ok := d.message(p)
	if ok {
		d.ws()
		ok = d.pos == len(d.s)
	}
	return ok
}

type decoder struct {
	scanner
	depth int
	// out is the wire encoding being built.
	out []byte
	// keys is a stack of the keys seen in the maps being read, for
	// duplicate detection; each map owns the top of it.
	keys []mapKeyVal
}

// release resets d, drops every reference to the input and returns d to
// the pool.
func (d *decoder) release() {
	clear(d.keys)
	*d = decoder{
		scanner: scanner{buf: d.buf[:0]},
		out:     d.out[:0],
		keys:    d.keys[:0],
	}
	if cap(d.out) > maxPooled || cap(d.buf) > maxPooled || cap(d.keys) > maxPooled/32 {
		return
	}
	decoders.Put(d)
}

// bitset records seen fields or oneofs of one object.
type bitset [maxFields / 64]uint64

// testAndSet reports whether i was already set, then sets it.
func (s *bitset) testAndSet(i int) bool {
	w, bit := i/64, uint64(1)<<(i%64)
	seen := s[w]&bit != 0
	s[w] |= bit
	return seen
}

// openLen appends tag and a one-byte length placeholder, returning where
// the length-delimited content starts.
func (d *decoder) openLen(tag uint64) int {
	d.out = protowire.AppendVarint(d.out, tag)
	d.out = append(d.out, 0)
	return len(d.out)
}

// zeros widens a length prefix that needs more than its one reserved byte.
var zeros [10]byte

// closeLen writes the length of the content from start, moving the content
// when the length needs more than the reserved byte.
func (d *decoder) closeLen(start int) {
	n := len(d.out) - start
	if n < 0x80 {
		d.out[start-1] = byte(n)
		return
	}
	w := protowire.SizeVarint(uint64(n))
	d.out = append(d.out, zeros[:w-1]...)
	copy(d.out[start-1+w:], d.out[start:start+n])
	protowire.AppendVarint(d.out[:start-1], uint64(n))
}

// message reads one object of plan p, appending its fields to out
// (without tag or length; callers frame it). Unknown or repeated keys, a
// second member of a oneof and null values fall back: protojson rejects the
// first three and gives null its own meaning.
func (d *decoder) message(p *msgPlan) bool {
	d.ws()
	if !d.skip('{') {
		return false
	}
	if d.depth++; d.depth > maxDepth {
		return false
	}
	d.ws()
	if d.skip('}') {
		d.depth--
		return true
	}
	var fields, oneofs bitset
	for {
		k, ok := d.rawString()
		if !ok {
			return false
		}
		i, ok := p.byName[k]
		if !ok || fields.testAndSet(i) {
			return false
		}
		f := &p.fields[i]
		if f.oneof >= 0 && oneofs.testAndSet(f.oneof) {
			return false
		}
		d.ws()
		if !d.skip(':') {
			return false
		}
		d.ws()
		switch {
		case f.list:
			ok = d.list(f)
		case f.isMap:
			ok = d.mapEntries(f)
		default:
			ok = d.value(f)
		}
		if !ok {
			return false
		}
		d.ws()
		switch {
		case d.skip(','):
			d.ws()
		case d.skip('}'):
			d.depth--
			return true
		default:
			return false
		}
	}
}

// value reads one value of f (a scalar or a message, the whole field or
// one list element) and appends it with f's tag. Every value is written,
// zero or not: for fields with presence that is what makes them present,
// as protojson makes them, and for the others proto.Unmarshal stores the
// zero, which is their unset state. An empty object gives a present, empty
// message.
func (d *decoder) value(f *fieldPlan) bool {
	switch {
	case f.group:
		d.out = protowire.AppendVarint(d.out, f.tag)
		if !d.message(f.msg) {
			return false
		}
		d.out = protowire.AppendVarint(d.out, f.endTag)
		return true
	case f.msg != nil:
		start := d.openLen(f.tag)
		if !d.message(f.msg) {
			return false
		}
		d.closeLen(start)
		return true
	}
	d.out = protowire.AppendVarint(d.out, f.tag)
	return d.scalar(f)
}

// list reads an array, one tagged value per element (unpacked). An empty
// array writes nothing, which is the empty list.
func (d *decoder) list(f *fieldPlan) bool {
	if !d.skip('[') {
		return false
	}
	d.ws()
	if d.skip(']') {
		return true
	}
	for {
		if !d.value(f) {
			return false
		}
		d.ws()
		switch {
		case d.skip(','):
			d.ws()
		case d.skip(']'):
			return true
		default:
			return false
		}
	}
}

// mapKeyVal is a map key as compared for duplicates: s for string keys, the
// value's bits (see mapKeyBits) for the others.
type mapKeyVal struct {
	s string
	n uint64
}

// maxLinearKeys is how many keys a map's duplicate check scans before it
// switches to a hash set.
const maxLinearKeys = 16

// mapEntries reads a map, one entry message (key field 1, value field 2)
// per member. A key seen twice falls back (protojson reports it); keys are
// compared by value, as protojson compares them.
func (d *decoder) mapEntries(f *fieldPlan) bool {
	if !d.skip('{') {
		return false
	}
	d.ws()
	if d.skip('}') {
		return true
	}
	base := len(d.keys)
	var set map[mapKeyVal]struct{}
	for {
		s, ok := d.str()
		if !ok {
			return false
		}
		var k mapKeyVal
		if f.mapKey == protoreflect.StringKind {
			k.s = s
		} else if k.n, ok = mapKeyBits(s, f.mapKey); !ok {
			return false
		}
		if set != nil {
			if _, dup := set[k]; dup {
				return false
			}
			set[k] = struct{}{}
		} else {
			for _, seen := range d.keys[base:] {
				if seen == k {
					return false
				}
			}
			d.keys = append(d.keys, k)
			if len(d.keys)-base > maxLinearKeys {
				set = make(map[mapKeyVal]struct{}, 2*maxLinearKeys)
				for _, seen := range d.keys[base:] {
					set[seen] = struct{}{}
				}
			}
		}
		d.ws()
		if !d.skip(':') {
			return false
		}
		d.ws()
		start := d.openLen(f.tag)
		d.out = protowire.AppendVarint(d.out, f.keyTag)
		if f.mapKey == protoreflect.StringKind {
			d.out = protowire.AppendString(d.out, k.s)
		} else {
			d.out = appendInt(d.out, f.mapKey, k.n)
		}
		if !d.value(f.mapItem) {
			return false
		}
		d.closeLen(start)
		d.ws()
		switch {
		case d.skip(','):
			d.ws()
		case d.skip('}'):
			clear(d.keys[base:])
			d.keys = d.keys[:base]
			return true
		default:
			return false
		}
	}
}

// mapKeyBits converts a decoded non-string key with the very strconv calls
// protojson uses, so it accepts exactly what protojson accepts (leading
// '+', zeros...). It returns the value as appendInt takes it: signed kinds
// sign-extended to 64 bits, bool as 0 or 1.
func mapKeyBits(s string, kind protoreflect.Kind) (uint64, bool) {
	switch kind {
	case protoreflect.BoolKind:
		switch s {
		case "true":
			return 1, true
		case "false":
			return 0, true
		}
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		n, err := strconv.ParseInt(s, 10, 32)
		return uint64(n), err == nil
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		n, err := strconv.ParseInt(s, 10, 64)
		return uint64(n), err == nil
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		n, err := strconv.ParseUint(s, 10, 32)
		return n, err == nil
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		n, err := strconv.ParseUint(s, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// appendInt appends the wire form of an integer or bool of kind k whose
// value v is sign-extended to 64 bits for signed kinds: a varint of v (so a
// negative int32 takes ten bytes, as proto writes it), a zigzag varint for
// sint32/sint64, or the low 32 or all 64 bits for the fixed kinds.
func appendInt(b []byte, k protoreflect.Kind, v uint64) []byte {
	switch k {
	case protoreflect.Sint32Kind, protoreflect.Sint64Kind:
		return protowire.AppendVarint(b, protowire.EncodeZigZag(int64(v)))
	case protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind:
		return protowire.AppendFixed32(b, uint32(v))
	case protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind:
		return protowire.AppendFixed64(b, v)
	}
	return protowire.AppendVarint(b, v)
}

// scalar reads one value of a scalar or enum kind and appends its wire form
// (the caller has written the tag). It accepts only the plainest spelling
// of each: numbers for 32-bit integers (no fraction or exponent) and
// floating point (no quoted forms), true/false, strings, enum names, 64-bit
// integers as plain or quoted integer literals, bytes as padded standard
// base64.
func (d *decoder) scalar(f *fieldPlan) bool {
	switch f.kind {
	case protoreflect.BoolKind:
		switch {
		case d.literal("true"):
			d.out = append(d.out, 1)
			return true
		case d.literal("false"):
			d.out = append(d.out, 0)
			return true
		}
	case protoreflect.StringKind:
		// strView guarantees valid UTF-8, which proto.Unmarshal requires
		// of proto3 strings.
		s, esc, ok := d.strView()
		switch {
		case !ok:
		case esc:
			d.out = protowire.AppendBytes(d.out, d.buf)
			return true
		default:
			d.out = protowire.AppendString(d.out, s)
			return true
		}
	case protoreflect.EnumKind:
		if s, ok := d.str(); ok {
			if ev := f.enum.desc.Values().ByName(protoreflect.Name(s)); ev != nil {
				d.out = protowire.AppendVarint(d.out, uint64(int64(ev.Number())))
				return true
			}
		}
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		if s, ok := d.integer(); ok {
			if n, ok := parseInt32(s); ok {
				d.out = appendInt(d.out, f.kind, uint64(int64(n)))
				return true
			}
		}
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		if s, ok := d.integer(); ok {
			if n, ok := parseUint32(s); ok {
				d.out = appendInt(d.out, f.kind, uint64(n))
				return true
			}
		}
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		if s, ok := d.int64Literal(); ok {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				d.out = appendInt(d.out, f.kind, uint64(n))
				return true
			}
		}
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		if s, ok := d.int64Literal(); ok {
			if n, err := strconv.ParseUint(s, 10, 64); err == nil {
				d.out = appendInt(d.out, f.kind, n)
				return true
			}
		}
	case protoreflect.BytesKind:
		// Only padded standard base64; protojson also takes the URL
		// alphabet and unpadded input, which fall back.
		if s, ok := d.rawString(); ok && len(s)%4 == 0 && !strings.ContainsAny(s, "-_") {
			if b, err := base64.StdEncoding.DecodeString(s); err == nil {
				d.out = protowire.AppendBytes(d.out, b)
				return true
			}
		}
	case protoreflect.DoubleKind:
		if s, ok := d.number(); ok {
			if x, err := strconv.ParseFloat(s, 64); err == nil {
				// The bits keep the sign of -0.
				d.out = protowire.AppendFixed64(d.out, math.Float64bits(x))
				return true
			}
		}
	case protoreflect.FloatKind:
		if s, ok := d.number(); ok {
			if x, err := strconv.ParseFloat(s, 32); err == nil {
				d.out = protowire.AppendFixed32(d.out, math.Float32bits(float32(x)))
				return true
			}
		}
	}
	return false
}
