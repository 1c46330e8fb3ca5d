package server

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// fastDecoder decodes the stream messages clients send by the thousand,
// {"batch":{"accounts":[...]}}, straight into the generated structs. It
// takes only a strict subset of what protojson takes and, for any input
// outside it, returns false without touching the message so that protojson
// decides. The subset:
//   - the top level holds "batch" alone, the batch "accounts" alone (or
//     nothing), each once;
//   - account keys are the fields' JSON or proto names, without escapes,
//     each field at most once;
//   - strings are valid UTF-8 without control characters, with the escapes
//     \" \\ \/ \b \f \n \r \t and \u outside the surrogates;
//   - doubles are JSON numbers that strconv.ParseFloat takes, as protojson
//     parses them, never strings ("NaN", "1.5");
//   - complexity is an enum value's name, never a number;
//   - attributes map strings to strings, without repeated keys;
//   - no null anywhere, whitespace is JSON's four characters.
type fastDecoder struct {
	scratch []byte // strings with escapes are unescaped here
}

func (f *fastDecoder) decode(frame []byte, msg proto.Message) bool {
	switch msg.(type) {
	case *csplanv1.StreamSegmentAccountsRequest, *csplanv1.StreamSuggestSegmentsRequest, *csplanv1.StreamRunPlanRequest:
	default:
		return false
	}
	// One copy of the frame backs every string without escapes.
	p := fastParser{s: string(frame), scratch: f.scratch[:0], slab: 16}
	batch, ok := p.request()
	f.scratch = p.scratch
	if !ok {
		return false
	}
	switch m := msg.(type) {
	case *csplanv1.StreamSegmentAccountsRequest:
		m.Reset()
		m.Payload = &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: batch}
	case *csplanv1.StreamSuggestSegmentsRequest:
		m.Reset()
		m.Payload = &csplanv1.StreamSuggestSegmentsRequest_Batch{Batch: batch}
	case *csplanv1.StreamRunPlanRequest:
		m.Reset()
		m.Payload = &csplanv1.StreamRunPlanRequest_Batch{Batch: batch}
	}
	return true
}

type fastParser struct {
	s       string
	i       int
	scratch []byte

	// Accounts and health scores are carved from slabs: a batch's
	// messages live and die together.
	accounts []csplanv1.Account
	scores   []float64
	slab     int
}

func (p *fastParser) request() (*csplanv1.AccountBatch, bool) {
	if !p.skip('{') {
		return nil, false
	}
	if k, ok := p.key(); !ok || k != "batch" {
		return nil, false
	}
	batch, ok := p.batch()
	if !ok || !p.skip('}') {
		return nil, false
	}
	p.ws()
	return batch, p.i == len(p.s)
}

func (p *fastParser) batch() (*csplanv1.AccountBatch, bool) {
	if !p.skip('{') {
		return nil, false
	}
	batch := &csplanv1.AccountBatch{}
	if p.skip('}') {
		return batch, true
	}
	if k, ok := p.key(); !ok || k != "accounts" || !p.skip('[') {
		return nil, false
	}
	if !p.skip(']') {
		for {
			a, ok := p.account()
			if !ok {
				return nil, false
			}
			batch.Accounts = append(batch.Accounts, a)
			if p.skip(',') {
				continue
			}
			if p.skip(']') {
				break
			}
			return nil, false
		}
	}
	return batch, p.skip('}')
}

// Account fields, by number, for the repeat check.
const (
	fieldID = 1 + iota
	fieldName
	fieldArr
	fieldStage
	fieldHealthScore
	fieldComplexity
	fieldExpansionPotential
	fieldAttributes
)

func (p *fastParser) account() (*csplanv1.Account, bool) {
	if !p.skip('{') {
		return nil, false
	}
	a := p.newAccount()
	if p.skip('}') {
		return a, true
	}
	var seen uint16
	for {
		k, ok := p.key()
		if !ok {
			return nil, false
		}
		var field int
		switch k {
		case "id":
			field = fieldID
		case "name":
			field = fieldName
		case "arr":
			field = fieldArr
		case "stage":
			field = fieldStage
		case "healthScore", "health_score":
			field = fieldHealthScore
		case "complexity":
			field = fieldComplexity
		case "expansionPotential", "expansion_potential":
			field = fieldExpansionPotential
		case "attributes":
			field = fieldAttributes
		default:
			return nil, false
		}
		if seen&(1<<field) != 0 {
			return nil, false
		}
		seen |= 1 << field
		switch field {
		case fieldID:
			a.Id, ok = p.str()
		case fieldName:
			a.Name, ok = p.str()
		case fieldStage:
			a.Stage, ok = p.str()
		case fieldArr:
			a.Arr, ok = p.number()
		case fieldExpansionPotential:
			a.ExpansionPotential, ok = p.number()
		case fieldHealthScore:
			var h float64
			if h, ok = p.number(); ok {
				a.HealthScore = p.newScore(h)
			}
		case fieldComplexity:
			var name string
			if name, ok = p.str(); ok {
				var n int32
				n, ok = csplanv1.ProductComplexity_value[name]
				a.Complexity = csplanv1.ProductComplexity(n)
			}
		case fieldAttributes:
			a.Attributes, ok = p.attributes()
		}
		if !ok {
			return nil, false
		}
		if p.skip(',') {
			continue
		}
		return a, p.skip('}')
	}
}

func (p *fastParser) attributes() (map[string]string, bool) {
	if !p.skip('{') {
		return nil, false
	}
	m := make(map[string]string, 4)
	if p.skip('}') {
		return m, true
	}
	for {
		p.ws()
		k, ok := p.str()
		if !ok || !p.skip(':') {
			return nil, false
		}
		p.ws()
		v, ok := p.str()
		if !ok {
			return nil, false
		}
		if _, dup := m[k]; dup {
			return nil, false
		}
		m[k] = v
		if p.skip(',') {
			continue
		}
		return m, p.skip('}')
	}
}

func (p *fastParser) newAccount() *csplanv1.Account {
	if len(p.accounts) == 0 {
		p.accounts = make([]csplanv1.Account, p.slab)
		p.slab = min(2*p.slab, 512)
	}
	a := &p.accounts[0]
	p.accounts = p.accounts[1:]
	return a
}

func (p *fastParser) newScore(h float64) *float64 {
	if len(p.scores) == 0 {
		p.scores = make([]float64, p.slab)
	}
	s := &p.scores[0]
	*s = h
	p.scores = p.scores[1:]
	return s
}

func (p *fastParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// skip consumes whitespace and then c, reporting whether c was there.
func (p *fastParser) skip(c byte) bool {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// key reads an object key without escapes and the colon after it, and
// the whitespace before the value.
func (p *fastParser) key() (string, bool) {
	p.ws()
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", false
	}
	j := p.i + 1
	for j < len(p.s) && p.s[j] != '"' && p.s[j] != '\\' {
		j++
	}
	if j >= len(p.s) || p.s[j] != '"' {
		return "", false
	}
	k := p.s[p.i+1 : j]
	p.i = j + 1
	if !p.skip(':') {
		return "", false
	}
	p.ws()
	return k, true
}

// str reads a string value at p.i.
func (p *fastParser) str() (string, bool) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", false
	}
	start := p.i + 1
	ascii := true
	for j := start; j < len(p.s); j++ {
		switch c := p.s[j]; {
		case c == '"':
			raw := p.s[start:j]
			if !ascii && !utf8.ValidString(raw) {
				return "", false
			}
			p.i = j + 1
			return raw, true
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// escaped reads the string starting at p.s[start] that holds escapes.
func (p *fastParser) escaped(start int) (string, bool) {
	b := p.scratch[:0]
	seg := start
	for j := start; j < len(p.s); {
		c := p.s[j]
		switch {
		case c == '"':
			// Escapes are ASCII, so the raw text is valid UTF-8 exactly
			// when the unescaped parts are.
			if !utf8.ValidString(p.s[start:j]) {
				return "", false
			}
			b = append(b, p.s[seg:j]...)
			p.scratch = b
			p.i = j + 1
			return string(b), true
		case c < 0x20:
			return "", false
		case c != '\\':
			j++
			continue
		}
		b = append(b, p.s[seg:j]...)
		if j+1 >= len(p.s) {
			return "", false
		}
		switch e := p.s[j+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			if j+6 > len(p.s) {
				return "", false
			}
			r, ok := hex4(p.s[j+2 : j+6])
			if !ok || utf16.IsSurrogate(r) {
				return "", false
			}
			b = utf8.AppendRune(b, r)
			j += 4
		default:
			return "", false
		}
		j += 2
		seg = j
	}
	return "", false
}

func hex4(s string) (rune, bool) {
	var r rune
	for i := range 4 {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a JSON number at p.i, by JSON's grammar, and converts it
// as protojson does, with strconv.ParseFloat; out of range declines.
func (p *fastParser) number() (float64, bool) {
	s, j := p.s, p.i
	if j < len(s) && s[j] == '-' {
		j++
	}
	switch {
	case j < len(s) && s[j] == '0':
		j++
	case j < len(s) && '1' <= s[j] && s[j] <= '9':
		j = digits(s, j)
	default:
		return 0, false
	}
	if j < len(s) && s[j] == '.' {
		if k := digits(s, j+1); k > j+1 {
			j = k
		} else {
			return 0, false
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if k := digits(s, j); k > j {
			j = k
		} else {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s[p.i:j], 64)
	if err != nil {
		return 0, false
	}
	p.i = j
	return f, true
}

func digits(s string, j int) int {
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	return j
}
