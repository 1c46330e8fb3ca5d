// Package protorand fills protobuf messages with random values at the
// edges of their kinds (NaN, -0, the largest integers, control characters,
// invalid UTF-8 when asked), for differential tests of codecs against the
// protobuf reference implementations.
package protorand

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/csplan/csplan/gen/csplan/v1" // registers csplan.v1
)

// Types lists every message type of package csplan.v1, sorted by name
// so seeded runs are reproducible.
func Types(t testing.TB) []protoreflect.MessageType {
	var types []protoreflect.MessageType
	protoregistry.GlobalTypes.RangeMessages(func(mt protoreflect.MessageType) bool {
		if mt.Descriptor().ParentFile().Package() == "csplan.v1" {
			types = append(types, mt)
		}
		return true
	})
	sort.Slice(types, func(i, j int) bool {
		return types[i].Descriptor().FullName() < types[j].Descriptor().FullName()
	})
	if len(types) < 50 {
		t.Fatalf("found only %d csplan.v1 message types", len(types))
	}
	return types
}

var edgeFloats = []float64{
	0, math.Copysign(0, -1), 1e-7, -1e-7, 1e-6, 9.99e-7, 1e21, -1e21, 1e20, 9.999e20,
	123.456, -123.456, 0.1, 1, -1, 40, 5400000, 1.5e300, 1e-300,
	math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.MaxFloat64,
	math.SmallestNonzeroFloat64, math.MaxFloat32, math.SmallestNonzeroFloat32,
	1.0 / 3, 2.5e-8, 12345678901234567890, 1e100,
}

var edgeStrings = []string{
	"", "a", "Enterprise", "Mid-Market", `quote " inside`, `back\slash`, "tab\there",
	"nl\nx", "cr\rx", "\b\f", "\x00\x01\x1f\x7f", "</script>&amp;", "é漢字🙂",
	"\u2028\u2029", "\ufffd", "slash/", "2027-01", "CADENCE_WEEKLY",
}

// Invalid UTF-8, used rarely so most messages still marshal.
var badStrings = []string{"\xff", "a\xc3", "\xed\xa0\x80", "ok\x80ok"}

// Gen makes random values; its zero value is not usable: set R.
type Gen struct {
	R *rand.Rand
	// Bad is the probability of an invalid UTF-8 string.
	Bad float64
	// Plain: no NaN, infinities or unnamed enum numbers, which JSON writes
	// as strings or numbers that a strict reader may leave to protojson.
	Plain bool
}

func (g *Gen) float() float64 {
	f := g.anyFloat()
	for g.Plain && (math.IsNaN(f) || math.IsInf(f, 0)) {
		f = g.anyFloat()
	}
	return f
}

func (g *Gen) anyFloat() float64 {
	if g.R.Intn(3) == 0 {
		return edgeFloats[g.R.Intn(len(edgeFloats))]
	}
	switch g.R.Intn(4) {
	case 0:
		return float64(g.R.Intn(2000) - 1000)
	case 1:
		return g.R.NormFloat64() * math.Pow(10, float64(g.R.Intn(40)-20))
	case 2:
		return math.Float64frombits(g.R.Uint64())
	}
	return g.R.Float64()
}

func (g *Gen) str() string {
	if g.R.Float64() < g.Bad {
		return badStrings[g.R.Intn(len(badStrings))]
	}
	if g.R.Intn(2) == 0 {
		return edgeStrings[g.R.Intn(len(edgeStrings))]
	}
	n := g.R.Intn(12)
	b := make([]rune, n)
	for i := range b {
		switch g.R.Intn(6) {
		case 0:
			b[i] = rune(g.R.Intn(0x20))
		case 1:
			b[i] = rune(0x80 + g.R.Intn(0x800))
		case 2:
			b[i] = rune(0x10000 + g.R.Intn(0x1000))
		default:
			b[i] = rune(0x20 + g.R.Intn(0x5f))
		}
	}
	return string(b)
}

func (g *Gen) int64() int64 {
	switch g.R.Intn(4) {
	case 0:
		return 0
	case 1:
		return int64(g.R.Intn(200) - 100)
	case 2:
		return []int64{math.MaxInt64, math.MinInt64, math.MaxInt32, math.MinInt32, math.MaxUint32}[g.R.Intn(5)]
	}
	return int64(g.R.Uint64())
}

// Scalar returns a random value of fd's (non-message) kind.
func (g *Gen) Scalar(fd protoreflect.FieldDescriptor) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(g.R.Intn(2) == 0)
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(g.str())
	case protoreflect.BytesKind:
		b := make([]byte, g.R.Intn(8))
		g.R.Read(b)
		return protoreflect.ValueOfBytes(b)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(g.int64()))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(g.int64()))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(g.int64())
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(g.int64()))
	case protoreflect.FloatKind:
		f := float32(g.float())
		if g.Plain && math.IsInf(float64(f), 0) {
			f = math.MaxFloat32
		}
		return protoreflect.ValueOfFloat32(f)
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(g.float())
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		if !g.Plain && g.R.Intn(8) == 0 {
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber(g.R.Intn(100) - 20)) // maybe unnamed
		}
		return protoreflect.ValueOfEnum(vals.Get(g.R.Intn(vals.Len())).Number())
	}
	panic("unexpected kind " + fd.Kind().String())
}

// Fill populates m at random: presence, oneof choice, list lengths 0..3,
// maps of 0..4 entries, nested messages down to depth.
func (g *Gen) Fill(m protoreflect.Message, depth int) {
	fds := m.Descriptor().Fields()
	oneofDone := map[int]bool{}
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if oneofDone[od.Index()] {
				continue
			}
			oneofDone[od.Index()] = true
			if g.R.Intn(od.Fields().Len()+1) == 0 {
				continue
			}
			fd = od.Fields().Get(g.R.Intn(od.Fields().Len()))
		}
		switch {
		case fd.IsList():
			l := m.Mutable(fd).List()
			for n := g.R.Intn(4); n > 0; n-- {
				if fd.Message() != nil {
					if depth <= 0 {
						break
					}
					v := l.NewElement()
					g.Fill(v.Message(), depth-1)
					l.Append(v)
				} else {
					l.Append(g.Scalar(fd))
				}
			}
		case fd.IsMap():
			mm := m.Mutable(fd).Map()
			for n := g.R.Intn(5); n > 0; n-- {
				k := g.Scalar(fd.MapKey()).MapKey()
				if fd.MapValue().Message() != nil {
					if depth <= 0 {
						break
					}
					v := mm.NewValue()
					g.Fill(v.Message(), depth-1)
					mm.Set(k, v)
				} else {
					mm.Set(k, g.Scalar(fd.MapValue()))
				}
			}
		case fd.Message() != nil:
			if depth > 0 && g.R.Intn(3) != 0 {
				g.Fill(m.Mutable(fd).Message(), depth-1)
			}
		default:
			if fd.HasPresence() && g.R.Intn(2) == 0 {
				continue
			}
			m.Set(fd, g.Scalar(fd))
		}
	}
}
