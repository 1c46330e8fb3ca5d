package pbjson

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner reads JSON tokens from a string copy of the input. Every method
// reports false when the input is not in the fast subset; the caller then
// hands the whole input to protojson, so no method needs an error message.
type scanner struct {
	s   string
	pos int
	// buf is scratch space for strings with escapes.
	buf []byte
}

// ws skips JSON whitespace (exactly the four characters JSON defines).
func (d *scanner) ws() {
	for d.pos < len(d.s) {
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next byte, or 0 at the end of input.
func (d *scanner) peek() byte {
	if d.pos < len(d.s) {
		return d.s[d.pos]
	}
	return 0
}

// skip consumes c if it is the next byte.
func (d *scanner) skip(c byte) bool {
	if d.pos < len(d.s) && d.s[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// rawString reads a string that has no escapes (an object key, base64),
// returning it as a substring.
// Escapes and control characters fall back; other bytes need no
// check because callers compare the result with known ASCII names or decode
// it as base64.
func (d *scanner) rawString() (string, bool) {
	if !d.skip('"') {
		return "", false
	}
	start := d.pos
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		switch {
		case c == '"':
			k := d.s[start:d.pos]
			d.pos++
			return k, true
		case c == '\\' || c < ' ':
			return "", false
		}
		d.pos++
	}
	return "", false
}

// str reads a JSON string value as a string: a substring of the input copy
// without escapes (no allocation), a new string built from buf with them.
func (d *scanner) str() (string, bool) {
	s, esc, ok := d.strView()
	if esc && ok {
		return string(d.buf), true
	}
	return s, ok
}

// strView reads a JSON string value without allocating. Without escapes it
// returns the value as a substring of the input copy; with escapes it
// reports esc and leaves the value in buf, valid until the next call.
// Invalid UTF-8, raw control characters, unknown escapes and surrogate
// escapes (which protojson pairs or rejects) fall back, so a value is
// always valid UTF-8.
func (d *scanner) strView() (s string, esc, ok bool) {
	if !d.skip('"') {
		return "", false, false
	}
	start := d.pos
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		switch {
		case c == '"':
			v := d.s[start:d.pos]
			d.pos++
			return v, false, true
		case c == '\\':
			d.buf = append(d.buf[:0], d.s[start:d.pos]...)
			return "", true, d.escaped()
		case c < ' ':
			return "", false, false
		case c < utf8.RuneSelf:
			d.pos++
		default:
			r, n := utf8.DecodeRuneInString(d.s[d.pos:])
			if r == utf8.RuneError && n == 1 {
				return "", false, false
			}
			d.pos += n
		}
	}
	return "", false, false
}

// escaped continues strView from a backslash, collecting the value in buf.
func (d *scanner) escaped() bool {
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		switch {
		case c == '"':
			d.pos++
			return true
		case c == '\\':
			if d.pos+1 >= len(d.s) {
				return false
			}
			e := d.s[d.pos+1]
			d.pos += 2
			switch e {
			case '"', '\\', '/':
				d.buf = append(d.buf, e)
			case 'b':
				d.buf = append(d.buf, '\b')
			case 'f':
				d.buf = append(d.buf, '\f')
			case 'n':
				d.buf = append(d.buf, '\n')
			case 'r':
				d.buf = append(d.buf, '\r')
			case 't':
				d.buf = append(d.buf, '\t')
			case 'u':
				r, ok := d.hex4()
				if !ok || utf16.IsSurrogate(r) {
					return false
				}
				d.buf = utf8.AppendRune(d.buf, r)
			default:
				return false
			}
		case c < ' ':
			return false
		case c < utf8.RuneSelf:
			d.buf = append(d.buf, c)
			d.pos++
		default:
			r, n := utf8.DecodeRuneInString(d.s[d.pos:])
			if r == utf8.RuneError && n == 1 {
				return false
			}
			d.buf = append(d.buf, d.s[d.pos:d.pos+n]...)
			d.pos += n
		}
	}
	return false
}

// hex4 reads the four hex digits of a \u escape (either case).
func (d *scanner) hex4() (rune, bool) {
	if d.pos+4 > len(d.s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(d.s[d.pos : d.pos+4]) {
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
	d.pos += 4
	return r, true
}

// digits consumes [0-9]* and reports how many.
func (d *scanner) digits() int {
	start := d.pos
	for d.pos < len(d.s) && '0' <= d.s[d.pos] && d.s[d.pos] <= '9' {
		d.pos++
	}
	return d.pos - start
}

// integer reads -?(0|[1-9][0-9]*). A following fraction or exponent is
// left unread, so the caller's delimiter check rejects it.
func (d *scanner) integer() (string, bool) {
	start := d.pos
	d.skip('-')
	switch c := d.peek(); {
	case c == '0':
		d.pos++
	case '1' <= c && c <= '9':
		d.digits()
	default:
		return "", false
	}
	return d.s[start:d.pos], true
}

// int64Literal reads an integer literal either bare or quoted, the two
// forms protojson takes for 64-bit integers. Inside quotes protojson reads a
// number token, so the same plain literal gives the same value there.
func (d *scanner) int64Literal() (string, bool) {
	if !d.skip('"') {
		return d.integer()
	}
	s, ok := d.integer()
	if !ok || !d.skip('"') {
		return "", false
	}
	return s, true
}

// number reads a JSON number: integer part, optional fraction, optional
// exponent, exactly as the JSON grammar (and protojson) defines it.
func (d *scanner) number() (string, bool) {
	start := d.pos
	if _, ok := d.integer(); !ok {
		return "", false
	}
	if d.skip('.') && d.digits() == 0 {
		return "", false
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.pos++
		if c := d.peek(); c == '+' || c == '-' {
			d.pos++
		}
		if d.digits() == 0 {
			return "", false
		}
	}
	return d.s[start:d.pos], true
}

func (d *scanner) literal(lit string) bool {
	if len(d.s)-d.pos >= len(lit) && d.s[d.pos:d.pos+len(lit)] == lit {
		d.pos += len(lit)
		return true
	}
	return false
}

func parseInt32(s string) (int32, bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	return int32(n), err == nil
}

func parseUint32(s string) (uint32, bool) {
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}
