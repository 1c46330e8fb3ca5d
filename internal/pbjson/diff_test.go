package pbjson

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/csplan/csplan/internal/protorand"
)

// protojsonCanonical is protojson's JSON of m with its spacing taken out.
func protojsonCanonical(m proto.Message) ([]byte, error) {
	out, err := marshalOptions.Marshal(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkMarshal requires Marshal to give protojson's bytes without their
// spacing, or protojson's error, to append to (not clobber) a non-empty
// dst, and its output to read back as m with protojson.
func checkMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	want, wantErr := protojsonCanonical(m)
	got, gotErr := Marshal(nil, m)
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("error: got %v, want %v\nmessage: %v", gotErr, wantErr, m)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Marshal mismatch\n got: %s\nwant: %s", got, want)
	}
	if gotErr == nil {
		back := m.ProtoReflect().Type().New().Interface()
		if err := protojson.Unmarshal(got, back); err != nil {
			t.Fatalf("protojson cannot read Marshal's %s: %v", got, err)
		}
		again, _ := protojsonCanonical(back)
		if !bytes.Equal(again, want) {
			t.Fatalf("Marshal's JSON reads back as another message\n got: %s\nwant: %s", again, want)
		}
	}
	prefixed, _ := Marshal([]byte("xy"), m)
	if wantErr == nil && string(prefixed) != "xy"+string(want) {
		t.Fatalf("Marshal with prefix: %s", prefixed)
	}
	return want
}

// checkUnmarshal requires Unmarshal to agree with protojson on data: same
// error text, or messages with identical content. It reports whether the
// fast path decoded data.
func checkUnmarshal(t testing.TB, mt protoreflect.MessageType, data []byte) bool {
	t.Helper()
	want := mt.New().Interface()
	wantErr := protojson.Unmarshal(data, want)
	got := mt.New().Interface()
	gotErr := Unmarshal(data, got)
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("Unmarshal(%q): error %v, protojson %v", data, gotErr, wantErr)
	}
	if wantErr != nil {
		return false
	}
	requireSameMessage(t, got, want, data)
	return decodeFast(data, mt.New().Interface())
}

// requireSameMessage compares field by field (NaN equal to NaN) and then
// the deterministic wire bytes, which also tell -0 from 0 and an empty
// message from an unset one.
func requireSameMessage(t testing.TB, got, want proto.Message, data []byte) {
	t.Helper()
	if d := cmp.Diff(want, got, protocmp.Transform(), cmpopts.EquateNaNs()); d != "" {
		t.Fatalf("Unmarshal(%q) differs from protojson (-want +got):\n%s", data, d)
	}
	opts := proto.MarshalOptions{Deterministic: true}
	wb, err1 := opts.Marshal(want)
	gb, err2 := opts.Marshal(got)
	if err1 != nil || err2 != nil || !bytes.Equal(wb, gb) {
		t.Fatalf("Unmarshal(%q): wire bytes differ from protojson's (%v, %v)", data, err1, err2)
	}
}

// TestDifferential fills every csplan.v1 message type at random and checks
// Marshal against protojson, then Unmarshal of that output against
// protojson.Unmarshal, both of the exact output and of the output with the
// nulls protojson emits for unset fields removed (so the fast path runs).
func TestDifferential(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	n := 300
	if testing.Short() {
		n = 30
	}
	for _, mt := range protorand.Types(t) {
		t.Run(string(mt.Descriptor().Name()), func(t *testing.T) {
			fast := 0
			for i := 0; i < n; i++ {
				g := protorand.Gen{R: r, Bad: 0.01, Plain: i%2 == 0}
				m := mt.New()
				g.Fill(m, 3)
				out := checkMarshal(t, m.Interface())
				if out == nil {
					continue
				}
				checkUnmarshal(t, mt, out)
				if checkUnmarshal(t, mt, dropNulls(out)) {
					fast++
				}
			}
			if fast == 0 {
				t.Errorf("the fast path never decoded a %s", mt.Descriptor().Name())
			}
		})
	}
}

// dropNulls removes `"name":null` members from compact protojson output.
// It is only good enough for that output: names are plain identifiers.
func dropNulls(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		i := bytes.Index(b, []byte(`":null`))
		if i < 0 {
			break
		}
		j := bytes.LastIndexByte(b[:i], '"')
		start := j
		// Take the separator before the key with it, or the one after it
		// when the member is first.
		k := start - 1
		for k >= 0 && b[k] == ' ' {
			k--
		}
		end := i + len(`":null`)
		if k >= 0 && b[k] == ',' {
			start = k
		} else if end < len(b) && b[end] == ',' {
			end++
			for end < len(b) && b[end] == ' ' {
				end++
			}
		}
		out = append(out, b[:start]...)
		b = b[end:]
	}
	return append(out, b...)
}
