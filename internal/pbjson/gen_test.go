package pbjson

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/csplan/csplan/gen/csplan/v1" // registers csplan.v1
)

// csplanTypes lists every message type of package csplan.v1, sorted by name
// so seeded runs are reproducible.
func csplanTypes(t testing.TB) []protoreflect.MessageType {
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

type gen struct {
	r *rand.Rand
	// bad is the probability of an invalid UTF-8 string.
	bad float64
	// plain: no NaN, infinities or unnamed enum numbers, which protojson
	// writes in forms the fast decoder leaves to protojson.
	plain bool
}

func (g *gen) float() float64 {
	f := g.anyFloat()
	for g.plain && (math.IsNaN(f) || math.IsInf(f, 0)) {
		f = g.anyFloat()
	}
	return f
}

func (g *gen) anyFloat() float64 {
	if g.r.Intn(3) == 0 {
		return edgeFloats[g.r.Intn(len(edgeFloats))]
	}
	switch g.r.Intn(4) {
	case 0:
		return float64(g.r.Intn(2000) - 1000)
	case 1:
		return g.r.NormFloat64() * math.Pow(10, float64(g.r.Intn(40)-20))
	case 2:
		return math.Float64frombits(g.r.Uint64())
	}
	return g.r.Float64()
}

func (g *gen) str() string {
	if g.r.Float64() < g.bad {
		return badStrings[g.r.Intn(len(badStrings))]
	}
	if g.r.Intn(2) == 0 {
		return edgeStrings[g.r.Intn(len(edgeStrings))]
	}
	n := g.r.Intn(12)
	b := make([]rune, n)
	for i := range b {
		switch g.r.Intn(6) {
		case 0:
			b[i] = rune(g.r.Intn(0x20))
		case 1:
			b[i] = rune(0x80 + g.r.Intn(0x800))
		case 2:
			b[i] = rune(0x10000 + g.r.Intn(0x1000))
		default:
			b[i] = rune(0x20 + g.r.Intn(0x5f))
		}
	}
	return string(b)
}

func (g *gen) int64() int64 {
	switch g.r.Intn(4) {
	case 0:
		return 0
	case 1:
		return int64(g.r.Intn(200) - 100)
	case 2:
		return []int64{math.MaxInt64, math.MinInt64, math.MaxInt32, math.MinInt32, math.MaxUint32}[g.r.Intn(5)]
	}
	return int64(g.r.Uint64())
}

// scalar returns a random value of fd's (non-message) kind.
func (g *gen) scalar(fd protoreflect.FieldDescriptor) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(g.r.Intn(2) == 0)
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(g.str())
	case protoreflect.BytesKind:
		b := make([]byte, g.r.Intn(8))
		g.r.Read(b)
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
		if g.plain && math.IsInf(float64(f), 0) {
			f = math.MaxFloat32
		}
		return protoreflect.ValueOfFloat32(f)
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(g.float())
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		if !g.plain && g.r.Intn(8) == 0 {
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber(g.r.Intn(100) - 20)) // maybe unnamed
		}
		return protoreflect.ValueOfEnum(vals.Get(g.r.Intn(vals.Len())).Number())
	}
	panic("unexpected kind " + fd.Kind().String())
}

// fill populates m at random: presence, oneof choice, list lengths 0..3,
// maps of 0..4 entries, nested messages down to depth.
func (g *gen) fill(m protoreflect.Message, depth int) {
	fds := m.Descriptor().Fields()
	oneofDone := map[int]bool{}
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if oneofDone[od.Index()] {
				continue
			}
			oneofDone[od.Index()] = true
			if g.r.Intn(od.Fields().Len()+1) == 0 {
				continue
			}
			fd = od.Fields().Get(g.r.Intn(od.Fields().Len()))
		}
		switch {
		case fd.IsList():
			l := m.Mutable(fd).List()
			for n := g.r.Intn(4); n > 0; n-- {
				if fd.Message() != nil {
					if depth <= 0 {
						break
					}
					v := l.NewElement()
					g.fill(v.Message(), depth-1)
					l.Append(v)
				} else {
					l.Append(g.scalar(fd))
				}
			}
		case fd.IsMap():
			mm := m.Mutable(fd).Map()
			for n := g.r.Intn(5); n > 0; n-- {
				k := g.scalar(fd.MapKey()).MapKey()
				if fd.MapValue().Message() != nil {
					if depth <= 0 {
						break
					}
					v := mm.NewValue()
					g.fill(v.Message(), depth-1)
					mm.Set(k, v)
				} else {
					mm.Set(k, g.scalar(fd.MapValue()))
				}
			}
		case fd.Message() != nil:
			if depth > 0 && g.r.Intn(3) != 0 {
				g.fill(m.Mutable(fd).Message(), depth-1)
			}
		default:
			if fd.HasPresence() && g.r.Intn(2) == 0 {
				continue
			}
			m.Set(fd, g.scalar(fd))
		}
	}
}
