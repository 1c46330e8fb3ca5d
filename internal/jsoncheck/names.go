package jsoncheck

import (
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// suggest names the field probably meant by an unknown key: the one whose
// JSON name is closest (by edit distance, case and underscores aside), if
// it is close.
func suggest(md protoreflect.MessageDescriptor, key string) string {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	best, bestDist := "", 3
	fields := md.Fields()
	for i := range fields.Len() {
		name := fields.Get(i).JSONName()
		d := distance(norm(key), norm(name))
		if d < bestDist || (d == bestDist && best == "") {
			if d < 3 {
				best, bestDist = name, d
			}
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Levenshtein distance of a and b, for short names.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// JSONPath rewrites a field path in proto names under md
// ("segments[0].accounts_per_csm", "batch.accounts[3].health_score") into
// JSON names ("segments[0].accountsPerCsm"). Parts it cannot follow (a
// name the message lacks, text after a map key) are kept as they are.
func JSONPath(path string, md protoreflect.MessageDescriptor) string {
	if path == "" || md == nil {
		return path
	}
	var out strings.Builder
	cur := md
	for rest := path; rest != ""; {
		name, tail := rest, ""
		if i := strings.IndexAny(rest, ".["); i >= 0 {
			name, tail = rest[:i], rest[i:]
		}
		var fd protoreflect.FieldDescriptor
		if cur != nil {
			fd = cur.Fields().ByName(protoreflect.Name(name))
			if fd == nil {
				fd = cur.Fields().ByJSONName(name)
			}
		}
		if fd != nil {
			out.WriteString(fd.JSONName())
		} else {
			out.WriteString(name)
		}
		// Indexes and map keys: [3], ["EMEA"].
		for strings.HasPrefix(tail, "[") {
			end := indexClose(tail)
			if end < 0 {
				out.WriteString(tail)
				return out.String()
			}
			out.WriteString(tail[:end+1])
			tail = tail[end+1:]
		}
		cur = nil
		if fd != nil {
			switch {
			case fd.IsMap():
				cur = fd.MapValue().Message()
			default:
				cur = fd.Message()
			}
		}
		if strings.HasPrefix(tail, ".") {
			out.WriteByte('.')
			tail = tail[1:]
		} else if tail != "" {
			out.WriteString(tail)
			return out.String()
		}
		rest = tail
	}
	return out.String()
}

// indexClose finds the ']' closing s[0] = '[', past a quoted key.
func indexClose(s string) int {
	if strings.HasPrefix(s, `["`) {
		if q, err := strconv.QuotedPrefix(s[1:]); err == nil && strings.HasPrefix(s[1+len(q):], "]") {
			return 1 + len(q)
		}
	}
	return strings.IndexByte(s, ']')
}
