package server

import (
	"encoding/json"
	"fmt"
	"slices"

	"google.golang.org/protobuf/encoding/protojson"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// planInputChanges lists the inputs two plans give differently, as paths
// in the plan's own keys: segments are matched by name
// (segments.Core.team.csms), so that reordering them changes nothing.
func planInputChanges(base, whatIf *csplanv1.Plan) ([]*csplanv1.PlanInputChange, error) {
	b, err := planTree(base)
	if err != nil {
		return nil, err
	}
	w, err := planTree(whatIf)
	if err != nil {
		return nil, err
	}
	var out []*csplanv1.PlanInputChange
	diffTrees("", b, w, &out)
	return out, nil
}

// planTree is the plan as protojson's generic tree, with proto names and
// the segments keyed by name.
func planTree(p *csplanv1.Plan) (map[string]any, error) {
	if p == nil {
		return map[string]any{}, nil
	}
	data, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(p)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, err
	}
	if segs, ok := tree["segments"].([]any); ok {
		byName := map[string]any{}
		for i, s := range segs {
			m, _ := s.(map[string]any)
			name, _ := m["name"].(string)
			if name == "" {
				name = fmt.Sprintf("[%d]", i)
			}
			delete(m, "name")
			byName[name] = m
		}
		tree["segments"] = byName
	}
	return tree, nil
}

func diffTrees(path string, b, w any, out *[]*csplanv1.PlanInputChange) {
	bm, bok := b.(map[string]any)
	wm, wok := w.(map[string]any)
	if bok && wok {
		keys := make([]string, 0, len(bm)+len(wm))
		for k := range bm {
			keys = append(keys, k)
		}
		for k := range wm {
			if _, ok := bm[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			diffTrees(p, bm[k], wm[k], out)
		}
		return
	}
	bs, ws := jsonText(b), jsonText(w)
	if bs != ws {
		*out = append(*out, &csplanv1.PlanInputChange{Field: path, Base: bs, WhatIf: ws})
	}
}

// jsonText is a value as JSON text, "" for a value a side lacks.
func jsonText(v any) string {
	if v == nil {
		return ""
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
