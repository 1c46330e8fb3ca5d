package pbjson

import (
	"strings"
	"sync"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// msgPlan is what the codec precomputes about one message descriptor, so the
// hot paths do no descriptor lookups beyond protoreflect's own Get (Marshal)
// and enum names (Unmarshal).
type msgPlan struct {
	fields []fieldPlan
	// byName maps every JSON and proto name to its field index, resolved
	// the way protojson resolves them (JSON name first).
	byName map[string]int
	// special: the message itself needs protojson (well-known type,
	// extension ranges, required fields, too many fields or oneofs for the
	// decoder's bitsets, a name that needs escaping).
	special bool
	// treeSpecial: special, or some message reachable from it is.
	treeSpecial bool
}

type fieldPlan struct {
	fd   protoreflect.FieldDescriptor
	kind protoreflect.Kind
	// name is the quoted JSON name followed by ':'.
	name []byte
	list bool
	// inOneof: written only when set (real or synthetic oneof).
	inOneof bool
	// oneof is the containing oneof's index, or -1.
	oneof int
	// null: has presence outside a oneof, so unset is written as null.
	null bool
	msg  *msgPlan  // message or group kind
	enum *enumPlan // enum kind
	// Maps: key kind and the value's plan.
	isMap   bool
	mapKey  protoreflect.Kind
	mapItem *fieldPlan
	// tag is the wire tag (number and wire type) the decoder writes before
	// each value: of the element for lists, of the entry for maps, of
	// StartGroup for groups, which end with endTag. keyTag is a map
	// entry's key tag (field 1); mapItem.tag is its value tag (field 2).
	tag, endTag, keyTag uint64
	group               bool
}

type enumPlan struct {
	desc protoreflect.EnumDescriptor
	// quoted holds `"NAME"` for the numbers 0..len-1 that have a name, as
	// ByNumber resolves them (first declared wins for aliases).
	quoted [][]byte
	// sparse holds the same for numbers outside that range.
	sparse map[protoreflect.EnumNumber][]byte
}

// maxFields bounds the decoder's per-object bitsets of seen fields and
// oneofs; messages beyond it are left to protojson.
const maxFields = 256

var plans sync.Map // protoreflect.MessageDescriptor -> *msgPlan
var buildMu sync.Mutex

// planFor returns the plan of md, building it and everything reachable from
// it on first use.
func planFor(md protoreflect.MessageDescriptor) *msgPlan {
	if p, ok := plans.Load(md); ok {
		return p.(*msgPlan)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := plans.Load(md); ok {
		return p.(*msgPlan)
	}
	b := builder{built: map[protoreflect.MessageDescriptor]*msgPlan{}}
	root := b.message(md)
	// Publish only complete plans: treeSpecial needs the whole graph.
	for _, p := range b.built {
		p.treeSpecial = reachesSpecial(p, map[*msgPlan]bool{})
	}
	for d, p := range b.built {
		plans.Store(d, p)
	}
	return root
}

func reachesSpecial(p *msgPlan, seen map[*msgPlan]bool) bool {
	if seen[p] {
		return false
	}
	seen[p] = true
	if p.special {
		return true
	}
	for i := range p.fields {
		f := &p.fields[i]
		if f.mapItem != nil {
			f = f.mapItem
		}
		if f.msg != nil && reachesSpecial(f.msg, seen) {
			return true
		}
	}
	return false
}

type builder struct {
	built map[protoreflect.MessageDescriptor]*msgPlan
}

func (b *builder) message(md protoreflect.MessageDescriptor) *msgPlan {
	if p, ok := b.built[md]; ok {
		return p
	}
	if p, ok := plans.Load(md); ok {
		return p.(*msgPlan)
	}
	p := &msgPlan{}
	b.built[md] = p // before the fields: recursive types point back here
	fds := md.Fields()
	p.special = strings.HasPrefix(string(md.FullName()), "google.protobuf.") ||
		md.ExtensionRanges().Len() > 0 ||
		md.RequiredNumbers().Len() > 0 ||
		fds.Len() > maxFields || md.Oneofs().Len() > maxFields
	p.fields = make([]fieldPlan, fds.Len())
	p.byName = make(map[string]int, 2*fds.Len())
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		f := &p.fields[i]
		b.field(f, fd)
		var ok bool
		if f.name, ok = appendString(nil, fd.JSONName()); !ok {
			p.special = true
		}
		f.name = append(f.name, ':')
		if fd.Enum() != nil && fd.Enum().FullName() == "google.protobuf.NullValue" {
			p.special = true // written as null, read from null
		}
		if fd.IsMap() && fd.MapValue().Enum() != nil && fd.MapValue().Enum().FullName() == "google.protobuf.NullValue" {
			p.special = true
		}
	}
	// Register each name under the field protojson's own lookup finds, so
	// the decoder can never disagree with it; other spellings (for example
	// the lower-cased names of group-like fields) fall back.
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		for _, name := range [2]string{fd.JSONName(), fd.TextName()} {
			got := fds.ByJSONName(name)
			if got == nil {
				got = fds.ByTextName(name)
			}
			if got == nil || !plainName(name) {
				continue
			}
			p.byName[name] = got.Index()
		}
	}
	return p
}

func (b *builder) field(f *fieldPlan, fd protoreflect.FieldDescriptor) {
	f.fd = fd
	f.kind = fd.Kind()
	f.list = fd.IsList()
	f.isMap = fd.IsMap()
	f.oneof = -1
	if od := fd.ContainingOneof(); od != nil {
		f.inOneof = true
		f.oneof = od.Index()
	}
	f.null = fd.HasPresence() && !f.inOneof && !f.list && !f.isMap
	f.group = f.kind == protoreflect.GroupKind
	f.tag = uint64(protowire.EncodeTag(fd.Number(), wireType(f.kind)))
	f.endTag = uint64(protowire.EncodeTag(fd.Number(), protowire.EndGroupType))
	if f.isMap {
		f.mapKey = fd.MapKey().Kind()
		f.keyTag = uint64(protowire.EncodeTag(fd.MapKey().Number(), wireType(f.mapKey)))
		f.mapItem = &fieldPlan{oneof: -1}
		b.field(f.mapItem, fd.MapValue())
		return
	}
	switch f.kind {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		f.msg = b.message(fd.Message())
	case protoreflect.EnumKind:
		f.enum = newEnumPlan(fd.Enum())
	}
}

// wireType is the wire type proto uses for one value of kind k (repeated
// scalars are written unpacked, which proto.Unmarshal accepts for packed
// fields too).
func wireType(k protoreflect.Kind) protowire.Type {
	switch k {
	case protoreflect.DoubleKind, protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind:
		return protowire.Fixed64Type
	case protoreflect.FloatKind, protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind:
		return protowire.Fixed32Type
	case protoreflect.StringKind, protoreflect.BytesKind, protoreflect.MessageKind:
		return protowire.BytesType
	case protoreflect.GroupKind:
		return protowire.StartGroupType
	}
	return protowire.VarintType
}

// plainName reports whether a key can be matched byte for byte against the
// raw input, i.e. its JSON form needs no escaping.
func plainName(s string) bool {
	q, ok := appendString(nil, s)
	return ok && len(q) == len(s)+2
}

func newEnumPlan(ed protoreflect.EnumDescriptor) *enumPlan {
	e := &enumPlan{desc: ed}
	vals := ed.Values()
	for i := 0; i < vals.Len(); i++ {
		n := vals.Get(i).Number()
		first := vals.ByNumber(n)
		q, _ := appendString(nil, string(first.Name()))
		if n >= 0 && n < 1024 {
			for int(n) >= len(e.quoted) {
				e.quoted = append(e.quoted, nil)
			}
			e.quoted[n] = q
			continue
		}
		if e.sparse == nil {
			e.sparse = map[protoreflect.EnumNumber][]byte{}
		}
		e.sparse[n] = q
	}
	return e
}

// name returns the quoted name of n, or nil when n has none.
func (e *enumPlan) name(n protoreflect.EnumNumber) []byte {
	if n >= 0 && int(n) < len(e.quoted) {
		return e.quoted[n]
	}
	return e.sparse[n]
}
