package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/pbjson"
)

// decodeAll decodes messages from r until an error, as the gateway's
// stream handlers do, and returns them as the server receives them (sent
// through the wire format) and the error (io.EOF at a clean end).
func decodeAll(dec runtime.Decoder, newMsg func() proto.Message) ([]proto.Message, error) {
	var msgs []proto.Message
	for len(msgs) < 1000 {
		m := newMsg()
		if err := dec.Decode(m); err != nil {
			return msgs, err
		}
		sent, err := proto.Marshal(m)
		if err != nil {
			return msgs, fmt.Errorf("the decoded message cannot be sent: %w", err)
		}
		received := newMsg()
		if err := proto.Unmarshal(sent, received); err != nil {
			return msgs, fmt.Errorf("the server cannot read the sent message: %w", err)
		}
		msgs = append(msgs, received)
	}
	return msgs, errors.New("too many messages")
}

var ndjsonRequestTypes = []func() proto.Message{
	func() proto.Message { return new(csplanv1.StreamSegmentAccountsRequest) },
	func() proto.Message { return new(csplanv1.StreamSuggestSegmentsRequest) },
	func() proto.Message { return new(csplanv1.StreamRunPlanRequest) },
}

// readerKinds feed the same bytes in different pieces: the decoders must
// not depend on where reads end.
var readerKinds = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one-byte", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"data-err", iotest.DataErrReader},
}

// diffNDJSON decodes data with the stock decoder and with ndjsonDecoder
// and fails unless both give the same messages and end the same way at
// the same message, with the same error text. It reports whether any
// message was decoded.
func diffNDJSON(t testing.TB, data []byte) bool {
	t.Helper()
	decoded := false
	for ti := range ndjsonRequestTypes {
		for ri := range readerKinds {
			decoded = diffNDJSONOnce(t, data, ti, ri) || decoded
		}
	}
	return decoded
}

// diffNDJSONOnce is diffNDJSON for one request type and one way of reading.
func diffNDJSONOnce(t testing.TB, data []byte, ti, ri int) bool {
	t.Helper()
	m := jsonMarshaler()
	newMsg, rk := ndjsonRequestTypes[ti], readerKinds[ri]
	want, wantErr := decodeAll(m.NewDecoder(rk.wrap(bytes.NewReader(data))), newMsg)
	got, gotErr := decodeAll(ndjsonMarshaler{JSONPb: m}.NewDecoder(rk.wrap(bytes.NewReader(data))), newMsg)
	where := fmt.Sprintf("type %d, %s reads, input %q", ti, rk.name, truncate(data))
	if len(got) != len(want) {
		t.Fatalf("%s: %d messages (then %v), stock %d (then %v)", where, len(got), gotErr, len(want), wantErr)
	}
	for i := range want {
		if !sameMessage(got[i], want[i]) {
			t.Fatalf("%s: message %d = %v, stock %v", where, i, got[i], want[i])
		}
	}
	if errors.Is(gotErr, io.EOF) != errors.Is(wantErr, io.EOF) || gotErr.Error() != wantErr.Error() {
		t.Fatalf("%s: after %d messages error %v, stock %v", where, len(want), gotErr, wantErr)
	}
	return len(want) > 0
}

// sameMessage is proto.Equal and the same deterministic wire bytes, which
// also tells -0 from 0.
func sameMessage(a, b proto.Message) bool {
	if !proto.Equal(a, b) {
		return false
	}
	opts := proto.MarshalOptions{Deterministic: true}
	wa, errA := opts.Marshal(a)
	wb, errB := opts.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(wa, wb)
}

func truncate(b []byte) []byte {
	if len(b) > 300 {
		return b[:300]
	}
	return b
}

var ndjsonStrings = []string{
	"", "ACC-0000001", "Acme GmbH", "Zürich AG", "東京株式会社", "emoji 🚀 ok", "quote \" and \\ slash /",
	"tab\tnew\nline\r", "ctl \x01\x1f\x7f", "nul \x00 byte", "line sep \u2028 para \u2029", "<html>&amp;</html>",
	"\ufffd\ufeff", "Onboarding", "At Risk", strings.Repeat("long ", 40),
}

var ndjsonNumbers = []float64{
	0, math.Copysign(0, -1), 1, -1, 1000, 150000, 1e21, 1e-7, 123.456, -98765.4321, 5e-324, math.MaxFloat64,
	-math.MaxFloat64, math.SmallestNonzeroFloat64, 1 << 53, 0.1, 2.5e-310, math.NaN(), math.Inf(1), math.Inf(-1),
}

func ndjsonAccount(rng *rand.Rand) *csplanv1.Account {
	pick := func() string { return ndjsonStrings[rng.IntN(len(ndjsonStrings))] }
	num := func() float64 {
		if rng.IntN(3) == 0 {
			return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)))
		}
		return ndjsonNumbers[rng.IntN(len(ndjsonNumbers))]
	}
	a := &csplanv1.Account{Arr: num(), ExpansionPotential: num(), Complexity: csplanv1.ProductComplexity(rng.IntN(4))}
	if rng.IntN(4) > 0 {
		a.Id, a.Name, a.Stage = pick(), pick(), pick()
	}
	if rng.IntN(2) == 0 {
		h := num()
		a.HealthScore = &h
	}
	if n := rng.IntN(4); n > 0 {
		a.Attributes = map[string]string{}
		for range n {
			a.Attributes[pick()] = pick()
		}
	}
	return a
}

func randBatchJSON(t testing.TB, rng *rand.Rand, n int) []byte {
	batch := &csplanv1.AccountBatch{}
	for range n {
		batch.Accounts = append(batch.Accounts, ndjsonAccount(rng))
	}
	opts := protojson.MarshalOptions{UseProtoNames: rng.IntN(2) == 0, EmitUnpopulated: rng.IntN(2) == 0}
	if rng.IntN(4) == 0 {
		opts.Multiline = true
		opts.Indent = []string{"", "  ", "\t"}[rng.IntN(3)]
	}
	var msg proto.Message = &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: batch}}
	if rng.IntN(2) == 0 {
		msg = &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Batch{Batch: batch}}
	}
	b, err := opts.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ndjsonVariants rewrite valid text into other spellings protojson may or
// may not take.
var ndjsonVariants = []struct{ from, to string }{
	{`"arr":`, `"arr" : `}, {`"id":"`, `"id":"\u0041\/`}, {`"name":"`, `"name":"\ud83d\ude80`}, {`"name":"`, `"name":"\ud83d`},
	{`"stage":"`, `"stage":"\"\\\b\f\n\r\t`}, {`"arr":0`, `"arr":"0"`}, {`"arr":0`, `"arr":"NaN"`}, {`"arr":0`, `"arr":-0.0e0`},
	{`"arr":0`, `"arr":1e400`}, {`"arr":0`, `"arr":00`}, {`"arr":0`, `"arr":null`}, {`"arr":0`, `"arr":1.`}, {`"arr":0`, `"arr":+1`},
	{`"complexity":"PRODUCT_COMPLEXITY_UNSPECIFIED"`, `"complexity":2`}, {`"complexity":"PRODUCT_COMPLEXITY_UNSPECIFIED"`, `"complexity":"product_complexity_simple"`},
	{`"id":`, `"i\u0064":`}, {`"id":`, `"ID":`}, {`"id":`, `"id":"x","id":`}, {`"id":`, `"extra":1,"id":`},
	{`"attributes":{`, `"attributes":{"k":"v","k":"w",`}, {`"attributes":{}`, `"attributes":null`}, {`"attributes":{`, `"attributes":{"k":1,`},
	{`"accounts":[`, `"accounts":[{},`}, {`"accounts":[`, `"accounts":[null,`}, {`}]`, `},]`}, {`"batch":`, `"rules":{},"batch":`},
	{`"batch":`, `"batch":{},"batch":`}, {`{"batch"`, `{"settings":{},"batch"`}, {`"healthScore":`, `"healthScore":1,"health_score":`},
	{`"expansionPotential":`, `"expansion_potential":`}, {`"name":"`, "\"name\":\"\xff"}, {`"name":"`, "\"name\":\"\x01"},
	{`:`, " \t\r\n: \t\r\n"}, {`,`, "\f,"}, {`"id":"`, `"id":"\u00e9\u00E9\u20ac\uFFFF\u0000`}, {`"id":"`, `"id":"\x`},
}

func TestNDJSONMatchesStock(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	cases, fast := 0, 0
	for i := range 600 {
		var lines [][]byte
		for range 1 + rng.IntN(3) {
			line := randBatchJSON(t, rng, rng.IntN(6))
			if i%3 == 1 {
				v := ndjsonVariants[rng.IntN(len(ndjsonVariants))]
				line = bytes.Replace(line, []byte(v.from), []byte(v.to), 1+rng.IntN(2))
			}
			lines = append(lines, line)
		}
		sep := []string{"\n", "\r\n", "", " ", "\n\n\t"}[rng.IntN(5)]
		data := bytes.Join(lines, []byte(sep))
		if rng.IntN(5) == 0 {
			data = data[:rng.IntN(len(data)+1)]
		}
		diffNDJSON(t, data)
		cases++
		for _, line := range lines {
			if _, ok := pbjson.Transcode(nil, line, segmentRequestDesc); ok {
				fast++
			}
		}
	}
	// Most generated lines are in the plain subset: the fast path must
	// be taken, or this test proves nothing about it.
	if fast < cases/2 {
		t.Errorf("the fast path decoded %d lines of %d inputs", fast, cases)
	}
	t.Logf("%d inputs x %d types x %d read patterns; %d lines on the fast path", cases, len(ndjsonRequestTypes), len(readerKinds), fast)
}

// ndjsonHostile are inputs a client may send by mistake or on purpose.
var ndjsonHostile = []string{
	"", " ", "\n\n", "\t\r\n ", "{}", "{} {}", "{}{}", "{}\n}", "}", "]", "[]", "null", "1", "1 2", `"x"`, "true",
	"\ufeff{}", "\x00", "{", `{"batch":`, `{"batch":{"accounts":[`, `{"batch":{"accounts":[]}}`, `{"batch":{}}`,
	`{"batch":{"accounts":[{}]}}`, `{"batch":{"accounts":[{"id":"a"}]}} x`, `{"batch":{"accounts":[{"id":"a"]}}`,
	`{"batch":{"accounts":[{"id":"a}]}}`, `{"batch":{"accounts":[{"id":"a\"}]}}"}]}}`, `{"a":"\\"}`, `{"a":"\`,
	`{"batch":null}`, `{"batch":{"accounts":null}}`, `{"rules":{"segments":[{"name":"S","minArr":1}]}}`,
	`{"settings":{"tiers":3}}`, `{"batch":{"accounts":[{"arr":1e3,"healthScore":-0,"complexity":"PRODUCT_COMPLEXITY_COMPLEX"}]}}`,
	`{"batch":{"accounts":[{"arr":"Infinity"}]}}`, `{"batch":{"accounts":[{"arr":"-Infinity","healthScore":"NaN"}]}}`,
	`{"batch":{"accounts":[{"arr":1}],"accounts":[]}}`, `{"batch":{"accounts":[{"attributes":{"\u0061":"b","a":"c"}}]}}`,
	`{"batch":{"accounts":[{"attributes":{"a":"b"},"attributes":{}}]}}`, `{"batch":{"accounts":[{"complexity":"PRODUCT_COMPLEXITY_HARD"}]}}`,
	`{"batch":{"accounts":[{"complexity":7}]}}`, `{"batch":{"accounts":[{"arr":true}]}}`, `{"batch":{"accounts":[{"id":1}]}}`,
	`{"batch":{"accounts":[{"arr":1,}]}}`, `{"batch":{"accounts":[{"arr":-}]}}`, `{"batch":{"accounts":[{"arr":.5}]}}`,
	`{"batch":{"accounts":[{"arr":1e}]}}`, `{"batch":{"accounts":[{"arr":0x10}]}}`, `{"batch":{"accounts":[{"arr":1E+2}]}}`,
	`{"batch":{"accounts":[{"arr":1}]}}` + "\n" + `{"batch":{"accounts":[{"arr":2}]}}` + "\n" + `{"batch"`,
	strings.Repeat("[", 20000), `{"a":` + strings.Repeat("[", 20000), `{"batch":{"accounts":[` + strings.Repeat(`{"id":"x"},`, 3000) + `{}]}}`,
	`{"batch":{"accounts":[{"id":"` + "\xed\xa0\x80" + `"}]}}`, `{"batch":{"accounts":[{"id":"\uDC00"}]}}`, `{"batch":{"accounts":[{"id":"\u12"}]}}`,
	`{"batch":{"accounts":[{"id":"\u12G4"}]}}`, `{"batch" :{ "accounts" :[ { "id" : "a" } ] } }`, "{\"batch\":{\"accounts\":[{\"id\":\"a\"}]}}\x00",
	"{\"batch\":{\"accounts\":[{\"id\":\"a\x1f\"}]}}", "{\"batch\":{\"accounts\":[{\"id\":\"\\n\x1f\x7f\"}]}}",
	`{"batch":{"accounts":[{"@type":"x"}]}}`, `{"batch":{"accounts":[{"[csplan.v1.ext]":1}]}}`, `{"batch":{"accounts":[{"healthScore":null}]}}`,
}

func TestNDJSONHostile(t *testing.T) {
	for _, h := range ndjsonHostile {
		diffNDJSON(t, []byte(h))
	}
}

var segmentRequestDesc = (&csplanv1.StreamSegmentAccountsRequest{}).ProtoReflect().Descriptor()

// TestNDJSONFastPathDecodes: a plain batch takes the fast path, and what
// the server receives of it is protojson's message.
func TestNDJSONFastPathDecodes(t *testing.T) {
	line := `{"batch":{"accounts":[{"id":"a\u00e9\n","arr":1e3,"healthScore":-0,"complexity":"PRODUCT_COMPLEXITY_COMPLEX",` +
		`"expansion_potential":2.5,"attributes":{"k":"v"}},{}]}}`
	wire, ok := pbjson.Transcode(nil, []byte(line), (&csplanv1.StreamSuggestSegmentsRequest{}).ProtoReflect().Descriptor())
	if !ok {
		t.Fatal("the fast path declined a plain batch")
	}
	msg := new(csplanv1.StreamSuggestSegmentsRequest)
	if err := proto.Unmarshal(wire, msg); err != nil {
		t.Fatal(err)
	}
	want := new(csplanv1.StreamSuggestSegmentsRequest)
	if err := protojson.Unmarshal([]byte(line), want); err != nil {
		t.Fatal(err)
	}
	if !sameMessage(msg, want) {
		t.Errorf("fast path = %v, protojson %v", msg, want)
	}
	if h := msg.GetBatch().GetAccounts()[0].GetHealthScore(); !math.Signbit(h) {
		t.Errorf("healthScore -0 decoded as %v", h)
	}
	for _, declined := range []string{`{"batch":{"accounts":[{"arr":"1"}]}}`, `{"batch":{"accounts":[{"id":null}]}}`, `{"rules":{},"batch":{}}`} {
		if _, ok := pbjson.Transcode(nil, []byte(declined), segmentRequestDesc); ok {
			t.Errorf("the fast path took %s", declined)
		}
	}
}

// A line past the limit still fails the stream with the limit's error,
// after the lines before it.
func TestNDJSONLineLimit(t *testing.T) {
	short := `{"batch":{"accounts":[{"id":"a"}]}}` + "\n"
	body := strings.Repeat(short, 3) + `{"batch":{"accounts":[{"id":"` + strings.Repeat("x", 5000) + `"}]}}` + "\n" + short
	r := &lineLimitReader{r: io.NopCloser(iotest.OneByteReader(strings.NewReader(body))), limit: 1000}
	msgs, err := decodeAll(ndjsonMarshaler{JSONPb: jsonMarshaler()}.NewDecoder(r), ndjsonRequestTypes[0])
	if err == nil || !strings.Contains(err.Error(), "longer than 1000 bytes") || len(msgs) != 3 {
		t.Errorf("%d messages, then %v; want 3 then the line limit", len(msgs), err)
	}
}

func FuzzNDJSON(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 20 {
		f.Add(randBatchJSON(f, rng, rng.IntN(4)))
	}
	for _, h := range ndjsonHostile {
		if len(h) < 4096 {
			f.Add([]byte(h))
		}
	}
	// One request type and one way of reading an input, picked by its last
	// byte, so that an execution is two decodes rather than sixteen: the
	// fuzzer then explores (and minimises) in time for CI's few seconds.
	f.Fuzz(func(t *testing.T, data []byte) {
		pick := 0
		if len(data) > 0 {
			pick = int(data[len(data)-1])
		}
		diffNDJSONOnce(t, data, pick%len(ndjsonRequestTypes), pick/len(ndjsonRequestTypes)%len(readerKinds))
	})
}

// BenchmarkNDJSONDecode decodes the REST benchmark's batches, one op per
// account: "stock" is the gateway's JSONPb decoder, "ndjson" the stream
// routes' decoder.
func BenchmarkNDJSONDecode(b *testing.B) {
	line, err := protojson.Marshal(benchBatchMessage(benchBatch))
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat(append(line, '\n'), 20)
	for _, c := range []struct {
		name string
		m    runtime.Marshaler
	}{{"stock", jsonMarshaler()}, {"ndjson", ndjsonMarshaler{JSONPb: jsonMarshaler()}}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var dec runtime.Decoder
			for n := 0; n < b.N; n += benchBatch {
				if n%(20*benchBatch) == 0 {
					dec = c.m.NewDecoder(bytes.NewReader(body))
				}
				var msg csplanv1.StreamSegmentAccountsRequest
				if err := dec.Decode(&msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
