package capacity

import (
	"strings"
	"unicode/utf8"
)

// matches reports whether a meets every criterion of the rule.
func (c *compiledRule) matches(a *Account) bool {
	if c.hasMinARR && a.ARR < c.minARR || c.hasMaxARR && a.ARR >= c.maxARR {
		return false
	}
	if c.hasMinH || c.hasMaxH {
		h := a.HealthScore
		if h == nil || c.hasMinH && *h < c.minHealth || c.hasMaxH && *h > c.maxHealth {
			return false
		}
	}
	if c.complexities != 0 {
		cx := a.Complexity
		if cx == ComplexityUnspecified {
			cx = ComplexityModerate
		}
		if c.complexities&(1<<uint(cx)) == 0 {
			return false
		}
	}
	if !c.stages.empty() && !c.stages.has(a.Stage) {
		return false
	}
	for i := range c.attributes {
		ac := &c.attributes[i]
		value, ok := attribute(a, ac.key)
		if !ok || !ac.values.has(value) {
			return false
		}
	}
	return true
}

// attribute looks key up in a's attributes: exactly first, then
// case-insensitively after trimming spaces, as CRM headers vary ("Region",
// "region ").
func attribute(a *Account, key string) (string, bool) {
	if a.Attributes == nil {
		for _, e := range a.AttributeList {
			if e.Key == key {
				return e.Value, true
			}
		}
		for _, e := range a.AttributeList {
			if strings.EqualFold(strings.TrimSpace(e.Key), key) {
				return e.Value, true
			}
		}
		return "", false
	}
	if v, ok := a.Attributes[key]; ok {
		return v, true
	}
	for k, v := range a.Attributes {
		if strings.EqualFold(strings.TrimSpace(k), key) {
			return v, true
		}
	}
	return "", false
}

// valueSet is a list of strings to match case-insensitively after trimming
// spaces. Long all-ASCII lists are also kept lower-cased in a map, which an
// ASCII value is looked up in through a stack buffer.
type valueSet struct {
	values []string
	folded map[string]struct{}
}

// valueSetLinearMax is the longest list scanned with EqualFold rather than
// looked up in the map.
const valueSetLinearMax = 8

// foldBufBytes is the longest value looked up through the stack buffer.
const foldBufBytes = 64

func newValueSet(values []string) valueSet {
	s := valueSet{values: make([]string, len(values))}
	ascii := true
	for i, v := range values {
		s.values[i] = strings.TrimSpace(v)
		ascii = ascii && isASCII(s.values[i])
	}
	// Only an all-ASCII list may use the map: EqualFold matches some
	// non-ASCII letters to ASCII ones (the Kelvin sign to k).
	if ascii && len(values) > valueSetLinearMax {
		s.folded = make(map[string]struct{}, len(values))
		for _, v := range s.values {
			s.folded[strings.ToLower(v)] = struct{}{}
		}
	}
	return s
}

func (s *valueSet) empty() bool { return len(s.values) == 0 }

func (s *valueSet) has(v string) bool {
	v = strings.TrimSpace(v)
	if s.folded != nil && len(v) <= foldBufBytes && isASCII(v) {
		var buf [foldBufBytes]byte
		for i := 0; i < len(v); i++ {
			c := v[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		_, ok := s.folded[string(buf[:len(v)])]
		return ok
	}
	for _, x := range s.values {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
