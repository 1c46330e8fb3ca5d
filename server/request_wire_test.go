package server

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// crRealistic is the request a what-if page sends, in wire format.
func crRealistic(tb testing.TB) []byte {
	tb.Helper()
	m := &csplanv1.ComputeCapacityRequest{}
	if err := protojson.Unmarshal([]byte(benchComputeJSON), m); err != nil {
		tb.Fatal(err)
	}
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// crSame reports how got differs from want: proto.Equal, cmp and the
// deterministic encodings, which alone tell -0 from 0 and NaN payloads
// apart.
func crSame(want, got proto.Message) string {
	if !proto.Equal(want, got) {
		return fmt.Sprintf("proto.Equal is false:\nwant %v\ngot  %v", want, got)
	}
	if diff := cmp.Diff(want, got, protocmp.Transform(), cmpopts.EquateNaNs()); diff != "" {
		return "cmp (-want +got):\n" + diff
	}
	det := proto.MarshalOptions{Deterministic: true}
	wb, werr := det.Marshal(want)
	gb, gerr := det.Marshal(got)
	if werr != nil || gerr != nil || !bytes.Equal(wb, gb) {
		return fmt.Sprintf("encodings differ:\nwant %x (%v)\ngot  %x (%v)", wb, werr, gb, gerr)
	}
	return ""
}

// crCheck decodes b both ways. When the fast path decodes, proto.Unmarshal
// must succeed with an equal message; mustDecode says that the fast path
// may not give up on b.
func crCheck(t testing.TB, b []byte, mustDecode bool) {
	t.Helper()
	var got csplanv1.ComputeCapacityRequest
	ok := decodeComputeRequest(b, &got)
	var want csplanv1.ComputeCapacityRequest
	err := proto.Unmarshal(b, &want)
	if !ok {
		if mustDecode {
			t.Fatalf("fast path refuses %x (proto.Unmarshal: %v)", b, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("fast path decodes %x, which proto.Unmarshal rejects: %v", b, err)
	}
	if diff := crSame(&want, &got); diff != "" {
		t.Fatalf("fast path decodes %x differently: %s", b, diff)
	}
}

var crStrings = []string{"", "Enterprise", "Évaluation trimestrielle", "日本語のレビュー", "🚀 launch", "a\x00b", "ß", strings.Repeat("x", 200)}

func crString(r *rand.Rand) string {
	if r.IntN(3) > 0 {
		return crStrings[r.IntN(len(crStrings))]
	}
	var sb strings.Builder
	for n := r.IntN(8); n > 0; n-- {
		c := rune(r.IntN(utf8.MaxRune + 1))
		if !utf8.ValidRune(c) {
			c = utf8.RuneError
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

var crFloats = []float64{0, math.Copysign(0, -1), math.NaN(), math.Float64frombits(0x7ff8_0000_dead_beef), math.Inf(1), math.Inf(-1),
	1, 0.5, 36, 1e300, 5e-324, -3.25, math.MaxFloat64}

func crFloat(r *rand.Rand) float64 {
	if r.IntN(4) == 0 {
		return r.NormFloat64() * 1e6
	}
	return crFloats[r.IntN(len(crFloats))]
}

func crOptional(r *rand.Rand) *float64 {
	if r.IntN(3) == 0 {
		return nil
	}
	v := crFloat(r)
	return &v
}

var crInt32s = []int32{0, 1, 7, 8, 45, 99, -1, -7, math.MinInt32, math.MaxInt32}

func crInt32(r *rand.Rand) int32 {
	if r.IntN(4) == 0 {
		return int32(r.Uint32())
	}
	return crInt32s[r.IntN(len(crInt32s))]
}

// crRequest is a random request: every field present or not, lists of 0
// to 4, enums known, unknown and negative.
func crRequest(r *rand.Rand) *csplanv1.ComputeCapacityRequest {
	m := &csplanv1.ComputeCapacityRequest{}
	if r.IntN(4) > 0 {
		c := &csplanv1.CsmTime{WeeklyHours: crOptional(r), TimeOffDaysPerYear: crOptional(r),
			CustomerFacingShare: crOptional(r), TargetUtilization: crOptional(r)}
		for n := r.IntN(5); n > 0; n-- {
			c.InternalActivities = append(c.InternalActivities, &csplanv1.InternalActivity{Name: crString(r), HoursPerMonth: crFloat(r)})
		}
		m.CsmTime = c
	}
	for n := r.IntN(5); n > 0; n-- {
		s := &csplanv1.CapacitySegment{Name: crString(r), Accounts: crInt32(r), Arr: crFloat(r),
			NewAccountsPerMonth: crOptional(r), CustomerLifetimeMonths: crOptional(r)}
		if r.IntN(4) > 0 {
			p := &csplanv1.Playbook{}
			for k := r.IntN(5); k > 0; k-- {
				p.Touchpoints = append(p.Touchpoints, &csplanv1.Touchpoint{Name: crString(r), Hours: crFloat(r),
					Cadence: csplanv1.Cadence(crInt32(r)), PerYear: crOptional(r)})
			}
			for k := r.IntN(5); k > 0; k-- {
				p.Inbound = append(p.Inbound, &csplanv1.InboundActivity{Name: crString(r), PerAccountPerMonth: crFloat(r), Hours: crFloat(r)})
			}
			s.Playbook = p
		}
		m.Segments = append(m.Segments, s)
	}
	return m
}

// crWire says how crEncode departs from proto.Marshal's encoding.
type crWire struct {
	shuffle bool // interleave the fields, keeping each list's order
	dups    bool // precede scalars with values that the last one replaces
	zeros   bool // write zero values proto.Marshal omits
	pad     bool // non-minimal varints, which proto accepts
	wide    bool // int32 and enum varints with high bits proto truncates
	odd     bool // unknown fields, wrong wire types, repeated singular messages, bad UTF-8, groups
}

// crVarint appends v, padded with redundant continuation bytes when pad.
func crVarint(r *rand.Rand, b []byte, v uint64, pad bool) []byte {
	if !pad || protowire.SizeVarint(v) == 10 || r.IntN(3) > 0 {
		return protowire.AppendVarint(b, v)
	}
	extra := 1 + r.IntN(10-protowire.SizeVarint(v))
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	b = append(b, byte(v)|0x80)
	for ; extra > 1; extra-- {
		b = append(b, 0x80)
	}
	return append(b, 0)
}

func crTag(r *rand.Rand, b []byte, num protowire.Number, typ protowire.Type, w crWire) []byte {
	return crVarint(r, b, protowire.EncodeTag(num, typ), w.pad)
}

// crScalar encodes one value of a scalar field.
func crScalar(r *rand.Rand, fd protoreflect.FieldDescriptor, v protoreflect.Value, w crWire) []byte {
	num := fd.Number()
	switch fd.Kind() {
	case protoreflect.DoubleKind:
		return protowire.AppendFixed64(crTag(r, nil, num, protowire.Fixed64Type, w), math.Float64bits(v.Float()))
	case protoreflect.Int32Kind, protoreflect.EnumKind:
		var x int64
		if fd.Kind() == protoreflect.EnumKind {
			x = int64(v.Enum())
		} else {
			x = v.Int()
		}
		u := uint64(x)
		if w.wide && r.IntN(2) == 0 {
			u = uint64(uint32(x)) | r.Uint64()<<32
		}
		return crVarint(r, crTag(r, nil, num, protowire.VarintType, w), u, w.pad)
	case protoreflect.StringKind:
		b := crTag(r, nil, num, protowire.BytesType, w)
		b = crVarint(r, b, uint64(len(v.String())), w.pad)
		return append(b, v.String()...)
	}
	panic(fmt.Sprintf("crScalar: %v", fd.Kind()))
}

func crMessage(r *rand.Rand, num protowire.Number, m protoreflect.Message, w crWire) []byte {
	body := crEncode(r, m, w)
	b := crTag(r, nil, num, protowire.BytesType, w)
	b = crVarint(r, b, uint64(len(body)), w.pad)
	return append(b, body...)
}

// crRandomValue is a value of fd's kind, for decoys.
func crRandomValue(r *rand.Rand, fd protoreflect.FieldDescriptor) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(crFloat(r))
	case protoreflect.Int32Kind:
		return protoreflect.ValueOfInt32(crInt32(r))
	case protoreflect.EnumKind:
		return protoreflect.ValueOfEnum(protoreflect.EnumNumber(crInt32(r)))
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(crString(r))
	}
	panic(fmt.Sprintf("crRandomValue: %v", fd.Kind()))
}

// crOdd is a field that the fast path must not decode on its own.
func crOdd(r *rand.Rand, m protoreflect.Message, w crWire) []byte {
	fields := m.Descriptor().Fields()
	fd := fields.Get(r.IntN(fields.Len()))
	switch r.IntN(7) {
	case 0: // an unknown field
		num := protowire.Number(fields.Len() + 1 + r.IntN(100))
		return protowire.AppendVarint(crTag(r, nil, num, protowire.VarintType, w), r.Uint64()>>r.IntN(64))
	case 1: // a known field with another wire type
		typ := []protowire.Type{protowire.VarintType, protowire.Fixed32Type, protowire.Fixed64Type, protowire.BytesType}[r.IntN(4)]
		b := crTag(r, nil, fd.Number(), typ, w)
		switch typ {
		case protowire.VarintType:
			return protowire.AppendVarint(b, r.Uint64()>>r.IntN(64))
		case protowire.Fixed32Type:
			return protowire.AppendFixed32(b, r.Uint32())
		case protowire.Fixed64Type:
			return protowire.AppendFixed64(b, r.Uint64())
		}
		// Packed doubles, or an empty message.
		return protowire.AppendBytes(b, protowire.AppendFixed64(nil, r.Uint64())[:8*r.IntN(2)])
	case 2: // a group
		b := crTag(r, nil, fd.Number(), protowire.StartGroupType, w)
		return crTag(r, b, fd.Number(), protowire.EndGroupType, w)
	case 3: // invalid UTF-8 where a string might be
		return protowire.AppendBytes(crTag(r, nil, fd.Number(), protowire.BytesType, w), []byte("a\xffb"))
	case 4: // field number 0
		return protowire.AppendVarint(protowire.AppendVarint(nil, 0), 1)
	default: // a singular message again, which proto merges
		for i := range fields.Len() {
			if f := fields.Get(i); f.Kind() == protoreflect.MessageKind && !f.IsList() {
				sub := m.NewField(f).Message()
				return crMessage(r, f.Number(), sub, w)
			}
		}
		return protowire.AppendVarint(crTag(r, nil, 1000, protowire.VarintType, w), 1)
	}
}

// crEncode encodes m as w says: every field present in m and its values,
// as chunks that are merged in field order or interleaved at random.
func crEncode(r *rand.Rand, m protoreflect.Message, w crWire) []byte {
	var queues [][][]byte
	fields := m.Descriptor().Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		var q [][]byte
		switch {
		case fd.IsList():
			list := m.Get(fd).List()
			for j := range list.Len() {
				q = append(q, crMessage(r, fd.Number(), list.Get(j).Message(), w))
			}
		case fd.Kind() == protoreflect.MessageKind:
			if m.Has(fd) {
				q = append(q, crMessage(r, fd.Number(), m.Get(fd).Message(), w))
			}
		default:
			if w.dups && r.IntN(3) == 0 {
				q = append(q, crScalar(r, fd, crRandomValue(r, fd), w))
			}
			if m.Has(fd) || (w.zeros && !fd.HasPresence() && r.IntN(2) == 0) {
				q = append(q, crScalar(r, fd, m.Get(fd), w))
			} else if len(q) > 0 && fd.HasPresence() {
				// The decoy would stand: drop it.
				q = nil
			} else if len(q) > 0 {
				// Zero the field again after the decoy.
				q = append(q, crScalar(r, fd, fd.Default(), w))
			}
		}
		if len(q) > 0 {
			queues = append(queues, q)
		}
	}
	if w.odd && r.IntN(2) == 0 {
		queues = append(queues, [][]byte{crOdd(r, m, w)})
	}
	var b []byte
	for len(queues) > 0 {
		i := 0
		if w.shuffle {
			i = r.IntN(len(queues))
		}
		b = append(b, queues[i][0]...)
		if queues[i] = queues[i][1:]; len(queues[i]) == 0 {
			queues = append(queues[:i], queues[i+1:]...)
		}
	}
	return b
}

func TestComputeRequestWireRealistic(t *testing.T) {
	b := crRealistic(t)
	crCheck(t, b, true)
	var m csplanv1.ComputeCapacityRequest
	if !decodeComputeRequest(b, &m) {
		t.Fatal("refused")
	}
	// The strings are copies: the caller may reuse its buffer.
	name := m.Segments[0].Name
	for i := range b {
		b[i] = 0
	}
	if m.Segments[0].Name != name || name != "Enterprise" {
		t.Fatalf("segment name %q aliases the input", m.Segments[0].Name)
	}
	// Lists share slabs but not capacity: appending to one leaves the
	// next alone.
	for _, s := range m.Segments {
		if p := s.Playbook; p != nil && (cap(p.Touchpoints) != len(p.Touchpoints) || cap(p.Inbound) != len(p.Inbound)) {
			t.Fatalf("playbook lists have spare capacity")
		}
	}
	if cap(m.Segments) != len(m.Segments) || cap(m.CsmTime.InternalActivities) != len(m.CsmTime.InternalActivities) {
		t.Fatalf("lists have spare capacity")
	}
}

func TestComputeRequestWireAllocations(t *testing.T) {
	b := crRealistic(t)
	var m csplanv1.ComputeCapacityRequest
	allocs := testing.AllocsPerRun(100, func() {
		m.Reset()
		if !decodeComputeRequest(b, &m) {
			t.Fatal("refused")
		}
	})
	// One string copy, the optional doubles, the CsmTime, the playbooks
	// and a slab and a pointer list for each of the four lists.
	if allocs > 12 {
		t.Fatalf("%v allocations, want at most 12", allocs)
	}
}

func TestComputeRequestWireRandomMessages(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	det := proto.MarshalOptions{Deterministic: true}
	variants := []crWire{
		{},
		{shuffle: true},
		{dups: true, zeros: true},
		{pad: true, wide: true},
		{shuffle: true, dups: true, zeros: true, pad: true, wide: true},
	}
	refused := 0
	for range 1000 {
		m := crRequest(r)
		b, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		crCheck(t, b, true)
		b, err = det.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		crCheck(t, b, true)
		for _, w := range variants {
			crCheck(t, crEncode(r, m.ProtoReflect(), w), true)
		}
		odd := crEncode(r, m.ProtoReflect(), crWire{shuffle: true, dups: true, pad: true, odd: true})
		crCheck(t, odd, false)
		var got csplanv1.ComputeCapacityRequest
		if !decodeComputeRequest(odd, &got) {
			refused++
		}
		// Truncations and flipped bytes.
		if len(b) > 0 {
			crCheck(t, b[:r.IntN(len(b))], false)
			c := bytes.Clone(b)
			c[r.IntN(len(c))] ^= byte(1 + r.IntN(255))
			crCheck(t, c, false)
		}
	}
	if refused == 0 {
		t.Fatal("the odd encodings never reached the fallback")
	}
}

// TestComputeRequestWireCases pins the rules one encoding at a time.
func TestComputeRequestWireCases(t *testing.T) {
	tag := func(num protowire.Number, typ protowire.Type) []byte { return protowire.AppendTag(nil, num, typ) }
	msg := func(num protowire.Number, parts ...[]byte) []byte {
		return protowire.AppendBytes(tag(num, protowire.BytesType), concat(parts...))
	}
	dbl := func(num protowire.Number, v float64) []byte {
		return protowire.AppendFixed64(tag(num, protowire.Fixed64Type), math.Float64bits(v))
	}
	varint := func(num protowire.Number, v uint64) []byte {
		return protowire.AppendVarint(tag(num, protowire.VarintType), v)
	}
	str := func(num protowire.Number, s string) []byte {
		return protowire.AppendString(tag(num, protowire.BytesType), s)
	}
	seg := func(parts ...[]byte) []byte { return msg(crSegments, parts...) }
	book := func(parts ...[]byte) []byte { return seg(msg(csPlaybook, parts...)) }

	decoded := map[string][]byte{
		"empty":                   nil,
		"empty messages":          concat(msg(crCsmTime), seg(), book(), book(msg(pbTouchpoints), msg(pbInbound))),
		"scalar twice":            seg(varint(csAccounts, 3), str(csName, "a"), dbl(csArr, 1), varint(csAccounts, 4), str(csName, "b"), dbl(csArr, 2)),
		"optional twice":          concat(msg(crCsmTime, dbl(ctWeeklyHours, 40), dbl(ctWeeklyHours, math.Copysign(0, -1)))),
		"explicit zeros":          seg(str(csName, ""), varint(csAccounts, 0), dbl(csArr, 0)),
		"negative enum":           book(msg(pbTouchpoints, varint(tpCadence, uint64(math.MaxUint64-4)))),
		"wide int32":              seg(varint(csAccounts, 1<<40|45)),
		"wide enum":               book(msg(pbTouchpoints, varint(tpCadence, 1<<33|3))),
		"lists interleaved":       concat(seg(str(csName, "a")), msg(crCsmTime, msg(ctInternalActivities, str(iaName, "x"))), seg(str(csName, "b"))),
		"playbook lists mixed":    book(msg(pbInbound, str(ibName, "i1")), msg(pbTouchpoints, str(tpName, "t1")), msg(pbInbound, str(ibName, "i2"))),
		"padded tag":              seg([]byte{0x8a, 0x80, 0x00}, protowire.AppendVarint(nil, 2), []byte("é")),
		"segment after segments":  concat(book(msg(pbTouchpoints)), seg(), book(msg(pbTouchpoints), msg(pbTouchpoints))),
		"NaN payload in optional": seg(dbl(csNewAccountsPerMonth, math.Float64frombits(0x7ff0_0000_0000_0001))),
	}
	for name, b := range decoded {
		t.Run(name, func(t *testing.T) { crCheck(t, b, true) })
	}

	refused := map[string][]byte{
		"unknown top field":     varint(3, 1),
		"unknown nested field":  book(msg(pbTouchpoints, varint(9, 1))),
		"csm_time twice":        concat(msg(crCsmTime, dbl(ctWeeklyHours, 1)), msg(crCsmTime, dbl(ctTargetUtilization, 1))),
		"playbook twice":        seg(msg(csPlaybook), msg(csPlaybook)),
		"invalid UTF-8":         seg(str(csName, "a\xffb")),
		"invalid UTF-8 nested":  book(msg(pbInbound, str(ibName, "\xc0"))),
		"double as varint":      seg(varint(csArr, 1)),
		"packed doubles":        seg(protowire.AppendBytes(tag(csArr, protowire.BytesType), protowire.AppendFixed64(nil, 1))),
		"int32 as fixed64":      seg(dbl(csAccounts, 1)),
		"message as varint":     varint(crCsmTime, 1),
		"group":                 concat(tag(crSegments, protowire.StartGroupType), tag(crSegments, protowire.EndGroupType)),
		"end group":             tag(crSegments, protowire.EndGroupType),
		"fixed32":               protowire.AppendFixed32(tag(crSegments, protowire.Fixed32Type), 1),
		"wire type 7":           []byte{0x0f},
		"field 0":               []byte{0x00, 0x00},
		"truncated length":      []byte{0x12, 0x05, 0x0a},
		"huge length":           append([]byte{0x12}, protowire.AppendVarint(nil, math.MaxUint64)...),
		"truncated fixed64":     []byte{0x12, 0x05, 0x19, 0, 0, 0, 0},
		"truncated varint":      []byte{0x12, 0x02, 0x10, 0x80},
		"overlong varint":       append([]byte{0x10}, bytes.Repeat([]byte{0xff}, 10)...),
		"huge field number":     protowire.AppendVarint(protowire.AppendVarint(nil, 1<<35|uint64(crSegments)<<3|2), 0),
		"huge field number tag": protowire.AppendVarint(nil, uint64(1)<<61|uint64(crSegments)<<3|2),
	}
	for name, b := range refused {
		t.Run(name, func(t *testing.T) {
			var m csplanv1.ComputeCapacityRequest
			if decodeComputeRequest(b, &m) {
				t.Fatalf("decodes %x", b)
			}
		})
	}
}

func FuzzComputeRequestWire(f *testing.F) {
	f.Add(crRealistic(f))
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		m := crRequest(r)
		f.Add(mustMarshal(m))
		f.Add(crEncode(r, m.ProtoReflect(), crWire{shuffle: true, dups: true, zeros: true, pad: true, wide: true, odd: r.IntN(2) == 0}))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		crCheck(t, b, false)
		// Whatever proto decodes without unknown fields, the fast path
		// must decode from proto.Marshal's encoding of it.
		var want csplanv1.ComputeCapacityRequest
		if proto.Unmarshal(b, &want) != nil || crHasUnknown(want.ProtoReflect()) {
			return
		}
		enc, err := proto.Marshal(&want)
		if err != nil {
			t.Fatal(err)
		}
		crCheck(t, enc, true)
	})
}

// crHasUnknown reports whether m or a message in it keeps unknown fields.
func crHasUnknown(m protoreflect.Message) bool {
	if len(m.GetUnknown()) > 0 {
		return true
	}
	found := false
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
			for i := range v.List().Len() {
				found = found || crHasUnknown(v.List().Get(i).Message())
			}
		case fd.Kind() == protoreflect.MessageKind:
			found = crHasUnknown(v.Message())
		}
		return !found
	})
	return found
}

func BenchmarkDecodeComputeRequest(b *testing.B) {
	data := crRealistic(b)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := new(csplanv1.ComputeCapacityRequest)
			if !decodeComputeRequest(data, m) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("proto.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := new(csplanv1.ComputeCapacityRequest)
			if err := proto.Unmarshal(data, m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
