package main

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/csplan/csplan/accountcsv"
)

// requestForm rewrites a request file's YAML in the forms plans take as
// well: enum values by their short names (monthly for CADENCE_MONTHLY,
// high for TOUCH_MODEL_HIGH) and amounts with a currency or a k/M suffix
// ("$1.2M") in number fields. Only scalars change, in place in the text, so
// every line stays where it was and errors still point into the file. Text
// it cannot read as YAML is returned as it is, for the parser to refuse.
func requestForm(data []byte, md protoreflect.MessageDescriptor) []byte {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return data
	}
	lines := strings.Split(string(data), "\n")
	var edits []scalarEdit
	c := &editor{lines: lines}
	c.collectEdits(&doc, md, &edits)
	if len(edits) == 0 {
		return data
	}
	// From the last edit back, so that earlier columns stay right.
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		if e.line-1 < len(lines) {
			lines[e.line-1] = replaceToken(lines[e.line-1], e.column, e.old, e.new)
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

type scalarEdit struct {
	line, column int
	old, new     string
}

// editor finds the edits; it reads the source lines for the text of a
// flow list.
type editor struct{ lines []string }

func (c *editor) collectEdits(n *yaml.Node, md protoreflect.MessageDescriptor, edits *[]scalarEdit) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, ch := range n.Content {
			c.collectEdits(ch, md, edits)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			fd := md.Fields().ByJSONName(k.Value)
			if fd == nil {
				fd = md.Fields().ByName(protoreflect.Name(k.Value))
			}
			if fd != nil {
				c.collectField(v, fd, edits)
			}
		}
	}
}

func (c *editor) collectField(v *yaml.Node, fd protoreflect.FieldDescriptor, edits *[]scalarEdit) {
	switch {
	case fd.IsMap():
		if v.Kind == yaml.MappingNode && fd.MapValue().Message() != nil {
			for i := 1; i < len(v.Content); i += 2 {
				if c.valuesList(v.Content[i], fd.MapValue().Message(), edits) {
					continue
				}
				c.collectEdits(v.Content[i], fd.MapValue().Message(), edits)
			}
		}
	case fd.IsList() && v.Kind == yaml.SequenceNode:
		for _, ch := range v.Content {
			c.collectSingle(ch, fd, edits)
		}
	default:
		c.collectSingle(v, fd, edits)
	}
}

// valuesList wraps a flow list given for a message of one repeated field
// (an attribute's AttributeValues) as that message: [EMEA, UK] is
// {values: [EMEA, UK]}, as plans write it. A list written on several lines
// is left for the parser, whose error names its line.
func (c *editor) valuesList(v *yaml.Node, md protoreflect.MessageDescriptor, edits *[]scalarEdit) bool {
	if v.Kind != yaml.SequenceNode || v.Style&yaml.FlowStyle == 0 || md.Fields().Len() != 1 || !md.Fields().Get(0).IsList() || v.Line-1 >= len(c.lines) {
		return false
	}
	runes := []rune(c.lines[v.Line-1])
	start := v.Column - 1
	if start < 0 || start >= len(runes) || runes[start] != '[' {
		return false
	}
	depth, quote := 0, rune(0)
	for i := start; i < len(runes); i++ {
		r := runes[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
			continue
		case r == '"' || r == '\'':
			quote = r
			continue
		}
		switch r {
		case '[':
			depth++
		case ']':
			if depth--; depth == 0 {
				text := string(runes[start : i+1])
				*edits = append(*edits, scalarEdit{v.Line, v.Column, text, "{" + string(md.Fields().Get(0).Name()) + ": " + text + "}"})
				return true
			}
		}
	}
	return false
}

func (c *editor) collectSingle(v *yaml.Node, fd protoreflect.FieldDescriptor, edits *[]scalarEdit) {
	switch fd.Kind() {
	case protoreflect.MessageKind:
		c.collectEdits(v, fd.Message(), edits)
	case protoreflect.EnumKind:
		if v.Kind == yaml.ScalarNode && fd.Enum().Values().ByName(protoreflect.Name(v.Value)) == nil {
			if full := fullEnumName(fd.Enum(), v.Value); full != "" {
				*edits = append(*edits, scalarEdit{v.Line, v.Column, v.Value, full})
			}
		}
	case protoreflect.DoubleKind, protoreflect.FloatKind:
		if v.Kind != yaml.ScalarNode {
			return
		}
		if _, err := strconv.ParseFloat(v.Value, 64); err == nil {
			return
		}
		if x, err := accountcsv.ParseAmount(v.Value, '.'); err == nil && strings.TrimSpace(v.Value) != "" {
			*edits = append(*edits, scalarEdit{v.Line, v.Column, v.Value, strconv.FormatFloat(x, 'g', -1, 64)})
		}
	}
}

// fullEnumName finds the value a short name means: monthly is
// CADENCE_MONTHLY, one-time CADENCE_ONE_TIME.
func fullEnumName(ed protoreflect.EnumDescriptor, short string) string {
	key := strings.ToUpper(strings.NewReplacer("-", "_", " ", "_").Replace(strings.TrimSpace(short)))
	values := ed.Values()
	for i := range values.Len() {
		name := string(values.Get(i).Name())
		if strings.HasSuffix(name, "_"+key) && !strings.HasSuffix(name, "_UNSPECIFIED") {
			return name
		}
	}
	return ""
}

// replaceToken replaces the scalar old that starts at column (1-based, in
// characters) of line, quoted or not, with new.
func replaceToken(line string, column int, old, new string) string {
	runes := []rune(line)
	start := column - 1
	if start < 0 || start > len(runes) {
		return line
	}
	rest := string(runes[start:])
	prefix := string(runes[:start])
	for _, q := range []string{`"`, `'`} {
		if strings.HasPrefix(rest, q+old+q) {
			return prefix + new + rest[len(q+old+q):]
		}
	}
	if strings.HasPrefix(rest, old) {
		return prefix + new + rest[len(old):]
	}
	return line
}
