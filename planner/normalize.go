package planner

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/csplan/csplan/accountcsv"
)

// normalize rewrites a plan's YAML in place into the one form the plan's
// types read, so that a plan may be written as a request file is: keys in
// lowerCamelCase as well as snake_case, an attribute's values as
// {values: [...]} as well as a list, and amounts with a currency or a k/M
// suffix ("$100k", "1.2M"). Enum values take short and full names already
// (enumValue). Every node keeps its line, so errors still point into the
// file. It returns each key t has no field for, at its line.
func normalize(n *yaml.Node, t reflect.Type) []string {
	var unknown []string
	normalizeNode(n, t, &unknown)
	return unknown
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

func normalizeNode(n *yaml.Node, t reflect.Type, unknown *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			normalizeNode(c, t, unknown)
		}
		return
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return // an enum or a scalar type that reads itself
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				if snake := snakeCase(k.Value); snake != k.Value {
					ft, ok = fields[snake]
					if ok {
						k.Value = snake
					}
				}
			}
			if !ok {
				*unknown = append(*unknown, fmt.Sprintf("line %d: unknown key %q", k.Line, k.Value))
				continue
			}
			normalizeNode(n.Content[i+1], ft, unknown)
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				normalizeNode(c, t.Elem(), unknown)
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 1; i < len(n.Content); i += 2 {
			v := n.Content[i]
			// An attribute's values written as a request file writes them.
			if t.Elem().Kind() == reflect.Slice && v.Kind == yaml.MappingNode && len(v.Content) == 2 && v.Content[0].Value == "values" {
				n.Content[i] = v.Content[1]
			}
			normalizeNode(n.Content[i], t.Elem(), unknown)
		}
	case reflect.Float64:
		normalizeAmount(n)
	}
}

// normalizeAmount turns "$100k" into 100000; a plain number, or text that
// is no amount, is left for the decoder.
func normalizeAmount(n *yaml.Node) {
	if n.Kind != yaml.ScalarNode {
		return
	}
	if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
		return
	}
	v, err := accountcsv.ParseAmount(n.Value, '.')
	if err != nil || strings.TrimSpace(n.Value) == "" {
		return
	}
	n.Value, n.Tag, n.Style = strconv.FormatFloat(v, 'g', -1, 64), "!!float", 0
}

// yamlFields maps a struct's YAML keys to their types, inline fields
// included.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// snakeCase writes a lowerCamelCase key in snake_case: accountsPerCsm is
// accounts_per_csm.
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
