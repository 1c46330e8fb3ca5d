package pbjson

import (
	"math/rand"
	"testing"

	"github.com/csplan/csplan/internal/protorand"
)

// TestOtherComma covers the separator this test binary does not use:
// protojson picks "," or ", " from a hash of the executable, so each build
// exercises only one. With the other forced, Marshal must equal protojson's
// output with every structural comma switched.
func TestOtherComma(t *testing.T) {
	orig := comma
	other := ", "
	if orig == ", " {
		other = ","
	}
	r := rand.New(rand.NewSource(4))
	for _, mt := range protorand.Types(t) {
		for i := 0; i < 20; i++ {
			g := protorand.Gen{R: r}
			m := mt.New()
			g.Fill(m, 3)
			want, err := marshalOptions.Marshal(m.Interface())
			if err != nil {
				continue
			}
			comma = other
			got, err := Marshal(nil, m.Interface())
			comma = orig
			if err != nil {
				t.Fatal(err)
			}
			if w := switchCommas(want, orig, other); string(got) != string(w) {
				t.Fatalf("with %q:\n got: %s\nwant: %s", other, got, w)
			}
		}
	}
}

// switchCommas rewrites the separators outside strings from one form to the
// other.
func switchCommas(b []byte, from, to string) []byte {
	var out []byte
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString && c == '\\':
			out = append(out, c, b[i+1])
			i++
			continue
		case c == '"':
			inString = !inString
		case !inString && c == ',':
			out = append(out, to...)
			i += len(from) - 1
			continue
		}
		out = append(out, c)
	}
	return out
}
