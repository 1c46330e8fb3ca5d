package planner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A what-if need not copy its base: a plan file whose top level has
// `base: plan.yaml` holds only the keys it changes. Maps merge key by key,
// segments merge by name (a new name adds a segment), anything else
// replaces the base's value. --set applies one more change, as a path of
// keys with segments named (segments.Core.team.csms=5). Each file is
// checked on its own for unknown keys and types, so errors name the file
// and line they are in.

// maxBaseDepth bounds a chain of bases.
const maxBaseDepth = 8

// Set is one --set change: a key path in the plan and its YAML value.
type Set struct{ Path, Value string }

// ParseSet reads "segments.Core.team.csms=5".
func ParseSet(s string) (Set, error) {
	path, value, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(path) == "" {
		return Set{}, fmt.Errorf("--set %q: write key=value, for example segments.Core.team.csms=5", s)
	}
	return Set{Path: strings.TrimSpace(path), Value: value}, nil
}

// LoadWith reads the plan at path, its base files, and applies sets.
func LoadWith(path string, sets []Set) (*Plan, error) {
	root, files, err := loadTree(path, 0)
	if err != nil {
		return nil, err
	}
	for _, s := range sets {
		if err := applySet(root, s); err != nil {
			return nil, err
		}
	}
	if len(sets) > 0 {
		if unknown := normalize(root, reflect.TypeFor[Plan]()); len(unknown) > 0 {
			return nil, &SyntaxError{File: "--set", Err: errors.New(strings.Join(unknown, "; "))}
		}
		// The sets are checked as the files were: as a plan of their own.
		data, err := yaml.Marshal(root)
		if err != nil {
			return nil, err
		}
		if err := decodeStrict(data, "--set", new(Plan)); err != nil {
			return nil, err
		}
	}
	p := &Plan{path: path}
	if err := root.Decode(p); err != nil {
		return nil, &SyntaxError{File: path, Err: cleanYAMLError(err)}
	}
	p.lines, p.files = map[string]int{}, map[string]string{}
	keyLines(root, "", p.lines)
	keyFiles(root, "", files, p.files)
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// loadTree reads one file into its mapping node, merged over its base,
// and records which file each node came from.
func loadTree(path string, depth int) (*yaml.Node, map[*yaml.Node]string, error) {
	if depth > maxBaseDepth {
		return nil, nil, fmt.Errorf("%s: bases nest more than %d deep (does a base name itself?)", path, maxBaseDepth)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, &SyntaxError{File: path, Err: cleanYAMLError(err)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s: the plan is empty", path)
	}
	if unknown := normalize(&doc, reflect.TypeFor[planFile]()); len(unknown) > 0 {
		return nil, nil, &SyntaxError{File: path, Err: errors.New(strings.Join(unknown, "; "))}
	}
	if err := doc.Decode(new(planFile)); err != nil {
		return nil, nil, &SyntaxError{File: path, Err: cleanYAMLError(err)}
	}
	root := doc.Content[0]
	base := takeKey(root, "base")
	files := map[*yaml.Node]string{}
	markFile(root, path, files)
	if base == nil {
		return root, files, nil
	}
	if base.Kind != yaml.ScalarNode || base.Value == "" {
		return nil, nil, fmt.Errorf("%s:%d: base is the plan file this one changes, for example base: plan.yaml", path, base.Line)
	}
	bp := base.Value
	if !filepath.IsAbs(bp) {
		bp = filepath.Join(filepath.Dir(path), bp)
	}
	broot, bfiles, err := loadTree(bp, depth+1)
	if err != nil {
		return nil, nil, err
	}
	for n, f := range files {
		bfiles[n] = f
	}
	merge(broot, root)
	return broot, bfiles, nil
}

// planFile is a plan file as written: a Plan with its base.
type planFile struct {
	Plan `yaml:",inline"`
	Base string `yaml:"base"`
}

// decodeStrict decodes data refusing unknown keys, with name in errors.
func decodeStrict(data []byte, name string, into any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(into); err != nil && !errors.Is(err, io.EOF) {
		return &SyntaxError{File: name, Err: cleanYAMLError(err)}
	}
	return nil
}

// takeKey removes key from a mapping and returns its value.
func takeKey(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return v
		}
	}
	return nil
}

func value(m *yaml.Node, key string) (*yaml.Node, int) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1], i + 1
		}
	}
	return nil, -1
}

// merge lays over onto base: maps key by key, the segments list by name,
// anything else replaced.
func merge(base, over *yaml.Node) {
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		bv, at := value(base, k.Value)
		switch {
		case bv == nil:
			base.Content = append(base.Content, k, v)
		case k.Value == "segments" && bv.Kind == yaml.SequenceNode && v.Kind == yaml.SequenceNode:
			mergeSegments(bv, v)
		case bv.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode:
			merge(bv, v)
		default:
			base.Content[at] = v
		}
	}
}

func mergeSegments(base, over *yaml.Node) {
	for _, s := range over.Content {
		if b := segmentNamed(base, segmentName(s)); b != nil && s.Kind == yaml.MappingNode {
			merge(b, s)
			continue
		}
		base.Content = append(base.Content, s)
	}
}

func segmentName(s *yaml.Node) string {
	if s.Kind != yaml.MappingNode {
		return ""
	}
	if n, _ := value(s, "name"); n != nil {
		return n.Value
	}
	return ""
}

func segmentNamed(list *yaml.Node, name string) *yaml.Node {
	if name == "" {
		return nil
	}
	for _, s := range list.Content {
		if strings.EqualFold(segmentName(s), name) {
			return s
		}
	}
	return nil
}

// applySet sets one key path to a YAML value, creating maps on the way;
// after "segments" comes a segment's name, which must exist.
func applySet(root *yaml.Node, s Set) error {
	var v yaml.Node
	if err := yaml.Unmarshal([]byte(s.Value), &v); err != nil || len(v.Content) == 0 {
		v = yaml.Node{Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: s.Value, Tag: "!!str"}}}
	}
	keys := strings.Split(s.Path, ".")
	cur := root
	for i := 0; i < len(keys); i++ {
		k := keys[i]
		if cur.Kind != yaml.MappingNode {
			return fmt.Errorf("--set %s: %s is not a map of keys", s.Path, strings.Join(keys[:i], "."))
		}
		next, at := value(cur, k)
		if k == "segments" && i+1 < len(keys) {
			seg := (*yaml.Node)(nil)
			if next != nil {
				seg = segmentNamed(next, keys[i+1])
			}
			if seg == nil {
				return fmt.Errorf("--set %s: the plan has no segment %q", s.Path, keys[i+1])
			}
			cur, i = seg, i+1
			continue
		}
		if i == len(keys)-1 {
			if at < 0 {
				cur.Content = append(cur.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v.Content[0])
			} else {
				cur.Content[at] = v.Content[0]
			}
			return nil
		}
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode}
			cur.Content = append(cur.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, next)
		}
		cur = next
	}
	return nil
}

func markFile(n *yaml.Node, file string, files map[*yaml.Node]string) {
	files[n] = file
	for _, c := range n.Content {
		markFile(c, file, files)
	}
}

// keyFiles records the file of each key path a base supplied.
func keyFiles(n *yaml.Node, path string, files map[*yaml.Node]string, out map[string]string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if path != "" {
				p = path + "." + p
			}
			if f, ok := files[n.Content[i]]; ok {
				out[p] = f
			} else {
				out[p] = "--set"
			}
			keyFiles(n.Content[i+1], p, files, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if f, ok := files[c]; ok {
				out[p] = f
			}
			keyFiles(c, p, files, out)
		}
	}
}
