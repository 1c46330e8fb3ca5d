package pbjson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var marshalOptions = protojson.MarshalOptions{EmitUnpopulated: true}

// Marshal appends m's JSON to dst: canonical JSON, byte for byte what
// protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(m) gives once
// compacted. (protojson puts a space after a comma or not depending on a
// hash of the executable, on purpose, so that nobody relies on its
// spacing; csplan's JSON has none.) On error it returns protojson's error.
func Marshal(dst []byte, m proto.Message) ([]byte, error) {
	if m == nil {
		return append(dst, '{', '}'), nil
	}
	mr := m.ProtoReflect()
	if mr.IsValid() {
		if p := planFor(mr.Descriptor()); !p.treeSpecial {
			if out, ok := appendMessage(dst, mr, p); ok {
				return out, nil
			}
		}
	}
	return protojsonCompact(dst, m)
}

// protojsonCompact appends protojson's JSON of m, compacted.
func protojsonCompact(dst []byte, m proto.Message) ([]byte, error) {
	out, err := marshalOptions.Marshal(m)
	if err != nil {
		return dst, err
	}
	buf := bytes.NewBuffer(dst)
	if err := json.Compact(buf, out); err != nil {
		return dst, err
	}
	return buf.Bytes(), nil
}

// appendMessage writes every field in declaration order, as protojson does
// with EmitUnpopulated: oneof members (including proto3 optional fields,
// which sit in synthetic oneofs) only when set, other fields with presence
// as null when unset, everything else with its value or zero value.
func appendMessage(b []byte, m protoreflect.Message, p *msgPlan) ([]byte, bool) {
	b = append(b, '{')
	ok := true
	first := true
	for i := range p.fields {
		f := &p.fields[i]
		var v protoreflect.Value
		switch {
		case f.inOneof:
			if !m.Has(f.fd) {
				continue
			}
		case f.null:
			if !m.Has(f.fd) {
				b = appendName(b, f, first)
				first = false
				b = append(b, "null"...)
				continue
			}
		}
		v = m.Get(f.fd)
		b = appendName(b, f, first)
		first = false
		switch {
		case f.list:
			b, ok = appendList(b, v.List(), f)
		case f.isMap:
			b, ok = appendMap(b, v.Map(), f)
		default:
			b, ok = appendSingular(b, v, f)
		}
		if !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

// appendName writes the separator (unless first) and the key.
func appendName(b []byte, f *fieldPlan, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	return append(b, f.name...)
}

func appendList(b []byte, l protoreflect.List, f *fieldPlan) ([]byte, bool) {
	b = append(b, '[')
	ok := true
	for i, n := 0, l.Len(); i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if b, ok = appendSingular(b, l.Get(i), f); !ok {
			return b, false
		}
	}
	return append(b, ']'), true
}

type mapEntry struct {
	k protoreflect.MapKey
	v protoreflect.Value
}

// appendMap writes entries sorted as protojson sorts them
// (order.GenericKeyOrder): false before true, integers numerically, strings
// by bytes. Keys are always quoted.
func appendMap(b []byte, mm protoreflect.Map, f *fieldPlan) ([]byte, bool) {
	n := mm.Len()
	if n == 0 {
		return append(b, '{', '}'), true
	}
	entries := make([]mapEntry, 0, n)
	mm.Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
		entries = append(entries, mapEntry{k, v})
		return true
	})
	switch f.mapKey {
	case protoreflect.StringKind:
		slices.SortFunc(entries, func(x, y mapEntry) int { return strings.Compare(x.k.String(), y.k.String()) })
	case protoreflect.BoolKind:
		slices.SortFunc(entries, func(x, y mapEntry) int { return boolCompare(x.k.Bool(), y.k.Bool()) })
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		slices.SortFunc(entries, func(x, y mapEntry) int { return cmpOrdered(x.k.Uint(), y.k.Uint()) })
	default:
		slices.SortFunc(entries, func(x, y mapEntry) int { return cmpOrdered(x.k.Int(), y.k.Int()) })
	}
	b = append(b, '{')
	ok := true
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		if b, ok = appendMapKey(b, e.k, f.mapKey); !ok {
			return b, false
		}
		b = append(b, ':')
		if b, ok = appendSingular(b, e.v, f.mapItem); !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

func appendMapKey(b []byte, k protoreflect.MapKey, kind protoreflect.Kind) ([]byte, bool) {
	switch kind {
	case protoreflect.StringKind:
		return appendString(b, k.String())
	case protoreflect.BoolKind:
		if k.Bool() {
			return append(b, `"true"`...), true
		}
		return append(b, `"false"`...), true
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		b = append(b, '"')
		b = strconv.AppendUint(b, k.Uint(), 10)
		return append(b, '"'), true
	default:
		b = append(b, '"')
		b = strconv.AppendInt(b, k.Int(), 10)
		return append(b, '"'), true
	}
}

func boolCompare(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

func cmpOrdered[T int64 | uint64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// appendSingular writes one non-repeated value of f's kind.
func appendSingular(b []byte, v protoreflect.Value, f *fieldPlan) ([]byte, bool) {
	switch f.kind {
	case protoreflect.BoolKind:
		if v.Bool() {
			return append(b, "true"...), true
		}
		return append(b, "false"...), true
	case protoreflect.StringKind:
		return appendString(b, v.String())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return strconv.AppendInt(b, v.Int(), 10), true
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return strconv.AppendUint(b, v.Uint(), 10), true
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		// 64-bit integers are JSON strings.
		b = append(b, '"')
		b = strconv.AppendInt(b, v.Int(), 10)
		return append(b, '"'), true
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		b = append(b, '"')
		b = strconv.AppendUint(b, v.Uint(), 10)
		return append(b, '"'), true
	case protoreflect.FloatKind:
		return appendFloat(b, v.Float(), 32), true
	case protoreflect.DoubleKind:
		return appendFloat(b, v.Float(), 64), true
	case protoreflect.BytesKind:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v.Bytes())
		return append(b, '"'), true
	case protoreflect.EnumKind:
		n := v.Enum()
		if q := f.enum.name(n); q != nil {
			return append(b, q...), true
		}
		return strconv.AppendInt(b, int64(n), 10), true
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return appendMessage(b, v.Message(), f.msg)
	}
	return b, false
}
