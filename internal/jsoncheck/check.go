// Package jsoncheck names every problem of a JSON request at once, in the
// request's own JSON names, so that a form can put each error on its input:
// protojson stops at the first problem and speaks of proto names. It also
// turns the proto-name field paths the services report
// ("segments[0].accounts_per_csm") into JSON names
// ("segments[0].accountsPerCsm").
package jsoncheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Violation is one problem, at a JSON path.
type Violation struct {
	Field  string // "segments[0].accountsPerCsm", "" for the whole body
	Reason string
}

// maxViolations bounds what one body can make the server list.
const maxViolations = 50

// Check reads data as JSON of a message of type md the way protojson reads
// it, and lists every unknown field (with the name probably meant), value
// of the wrong type, enum name that is not one of the type's, and member of
// a oneof given beside another. Well-known types are not looked into. A
// body that is not JSON gives one violation with its line and column.
func Check(data []byte, md protoreflect.MessageDescriptor) []Violation {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []Violation{{Reason: syntaxReason(data, err)}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return []Violation{{Reason: "the body holds more than one JSON value"}}
	}
	c := &checker{}
	c.message("", v, md)
	return c.out
}

type checker struct{ out []Violation }

func (c *checker) add(field, format string, args ...any) {
	if len(c.out) < maxViolations {
		c.out = append(c.out, Violation{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func (c *checker) message(path string, v any, md protoreflect.MessageDescriptor) {
	if wellKnown(md) {
		return
	}
	obj, ok := v.(map[string]any)
	if !ok {
		if v != nil {
			c.add(path, "is %s, where an object is expected", kindOf(v))
		}
		return
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	oneofs := map[protoreflect.FullName]string{}
	for _, k := range keys {
		fd := fieldByName(md, k)
		if fd == nil {
			c.add(join(path, k), "is not a field of %s%s", md.Name(), suggest(md, k))
			continue
		}
		p := join(path, fd.JSONName())
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() && obj[k] != nil {
			if other, dup := oneofs[od.FullName()]; dup {
				c.add(p, "is given beside %s: only one of them may be set", join(path, other))
			}
			oneofs[od.FullName()] = fd.JSONName()
		}
		c.field(p, obj[k], fd)
	}
}

func (c *checker) field(path string, v any, fd protoreflect.FieldDescriptor) {
	if v == nil {
		return // null is the field's default, as protojson reads it
	}
	switch {
	case fd.IsMap():
		obj, ok := v.(map[string]any)
		if !ok {
			c.add(path, "is %s, where an object of %s values is expected", kindOf(v), fd.MapValue().Kind())
			return
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			c.single(fmt.Sprintf("%s[%s]", path, strconv.Quote(k)), obj[k], fd.MapValue())
		}
	case fd.IsList():
		list, ok := v.([]any)
		if !ok {
			c.add(path, "is %s, where a list is expected", kindOf(v))
			return
		}
		for i, e := range list {
			c.single(fmt.Sprintf("%s[%d]", path, i), e, fd)
		}
	default:
		c.single(path, v, fd)
	}
}

// single checks one value of fd's kind.
func (c *checker) single(path string, v any, fd protoreflect.FieldDescriptor) {
	if v == nil {
		return
	}
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		c.message(path, v, fd.Message())
	case protoreflect.EnumKind:
		c.enum(path, v, fd.Enum())
	case protoreflect.StringKind:
		if _, ok := v.(string); !ok {
			c.add(path, "is %s, where a string is expected", kindOf(v))
		}
	case protoreflect.BytesKind:
		if _, ok := v.(string); !ok {
			c.add(path, "is %s, where base64 text is expected", kindOf(v))
		}
	case protoreflect.BoolKind:
		if _, ok := v.(bool); !ok {
			c.add(path, "is %s, where true or false is expected", kindOf(v))
		}
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		c.float(path, v)
	default:
		c.integer(path, v, fd.Kind())
	}
}

func (c *checker) enum(path string, v any, ed protoreflect.EnumDescriptor) {
	switch x := v.(type) {
	case string:
		if ed.Values().ByName(protoreflect.Name(x)) == nil {
			c.add(path, "%q is not a %s: use one of %s", x, ed.Name(), strings.Join(enumNames(ed), ", "))
		}
	case json.Number:
		if _, err := strconv.ParseInt(x.String(), 10, 32); err != nil {
			c.add(path, "%s is not a %s: use one of %s", x, ed.Name(), strings.Join(enumNames(ed), ", "))
		}
	default:
		c.add(path, "is %s, where a %s name is expected (%s)", kindOf(v), ed.Name(), strings.Join(enumNames(ed), ", "))
	}
}

func (c *checker) float(path string, v any) {
	switch x := v.(type) {
	case json.Number:
		if f, err := strconv.ParseFloat(x.String(), 64); err != nil || math.IsInf(f, 0) {
			c.add(path, "%s is out of range for a number", x)
		}
	case string:
		switch x {
		case "NaN", "Infinity", "-Infinity":
		default:
			if _, err := strconv.ParseFloat(x, 64); err != nil {
				c.add(path, "%q is not a number", x)
			}
		}
	default:
		c.add(path, "is %s, where a number is expected", kindOf(v))
	}
}

func (c *checker) integer(path string, v any, k protoreflect.Kind) {
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case string:
		text = x
	default:
		c.add(path, "is %s, where a whole number is expected", kindOf(v))
		return
	}
	bits, unsigned := 64, false
	switch k {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		bits = 32
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		bits, unsigned = 32, true
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		unsigned = true
	}
	var err error
	if unsigned {
		_, err = strconv.ParseUint(text, 10, bits)
	} else {
		_, err = strconv.ParseInt(text, 10, bits)
	}
	if err != nil {
		// protojson takes 5.0 for 5, and 5e2 for 500.
		if f, ferr := strconv.ParseFloat(text, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) < math.Exp2(float64(bits-1)) && (!unsigned || f >= 0) {
			return
		}
		c.add(path, "%s is not a whole number of %d bits%s", text, bits, map[bool]string{true: " (0 or more)", false: ""}[unsigned])
	}
}

// fieldByName finds a field by its JSON name or its proto name, as
// protojson does.
func fieldByName(md protoreflect.MessageDescriptor, name string) protoreflect.FieldDescriptor {
	if fd := md.Fields().ByJSONName(name); fd != nil {
		return fd
	}
	return md.Fields().ByTextName(name)
}

func wellKnown(md protoreflect.MessageDescriptor) bool {
	return md.ParentFile() != nil && strings.HasPrefix(string(md.ParentFile().Package()), "google.protobuf")
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "true or false"
	case json.Number:
		return "a number"
	}
	return "null"
}

func enumNames(ed protoreflect.EnumDescriptor) []string {
	var out []string
	for i := range ed.Values().Len() {
		if v := ed.Values().Get(i); v.Number() != 0 {
			out = append(out, string(v.Name()))
		}
	}
	return out
}

// syntaxReason says where a body stops being JSON.
func syntaxReason(data []byte, err error) string {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return "the body ends before its JSON does"
	}
	if off < 0 {
		return "the body is not JSON: " + err.Error()
	}
	line, col := 1, 1
	// The offset is just past the byte that broke the JSON.
	for _, b := range data[:max(0, min(int(off), len(data))-1)] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("the body is not JSON at line %d, column %d: %v", line, col, err)
}
