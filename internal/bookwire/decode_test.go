package bookwire

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

func TestFrameMatchesProto(t *testing.T) {
	for _, k := range requestKinds {
		f, e := New(k.req), encoderFor(k.req, k.head)
		seeds, _ := e.seeds()
		// Invalid UTF-8 in the first string of the head, if its first
		// field is one: proto.Unmarshal decides for the head.
		seeds = append(seeds, str(nil, e.head, "\x0a\x03\x0a\x01\xff"))
		for i, b := range seeds {
			t.Run(fmt.Sprintf("%s/%d", k.name, i), func(t *testing.T) { checkFrame(t, f, b) })
		}
	}
}

// TestFrameDecodes spells out what the frame reads of a few of the seeds,
// so that the comparison with proto.Unmarshal does not hide a shared
// misreading, and that it refuses the rest, naming what it refused.
func TestFrameDecodes(t *testing.T) {
	k := requestKinds[0]
	f, e := New(k.req), encoderFor(k.req, k.head)
	seeds, refusedFrom := e.seeds()
	nan := math.Float64bits(math.NaN())
	batchView := func(accounts ...*csplanv1.Account) frameView {
		return protoView(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}})
	}
	rules := k.head.(*csplanv1.SegmentRules)
	cases := []struct {
		name string
		b    []byte
		want frameView
	}{
		{"batch after head", seeds[3], batchView(fullAccount(1), fullAccount(2))},
		{"head after batch", seeds[4], frameView{Payload: Head, Head: rules, Accounts: []accountFields{}}},
		{"heads merge", seeds[6], frameView{Payload: Head, Head: &csplanv1.SegmentRules{Segments: append(rules.GetSegments(), rules.GetSegments()...)}, Accounts: []accountFields{}}},
		{"odd account", seeds[11], frameView{Payload: Batch, Accounts: []accountFields{{
			ID: "ACC-1", Name: "Ünïcödé ✓", Stage: "Renewal", ARR: math.Float64bits(7), Health: &nan, Complexity: 2,
			Attributes: map[string]string{"region": "AMER", "": "", "no value": "", "b": "v", "k": ""},
		}}}},
	}
	for _, tc := range cases {
		if err := proto.Unmarshal(tc.b, f); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, frameViewOf(f), protocmp.Transform()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	for i := refusedFrom; i < len(seeds); i++ {
		if err := proto.Unmarshal(seeds[i], f); err == nil {
			t.Errorf("frame accepts the encoding %x", seeds[i])
		}
	}
	// A field of a newer contract is refused with a sentence that says so.
	err := proto.Unmarshal(seeds[refusedFrom+5], f)
	if err == nil || !strings.Contains(err.Error(), "csplan.v1.Account has no field 200") || !strings.Contains(err.Error(), "account 0 of the batch") {
		t.Errorf("an unknown account field: %v", err)
	}
	err = proto.Unmarshal(seeds[refusedFrom], f)
	if err == nil || !strings.Contains(err.Error(), "csplan.v1.Account field 1 (id) came with wire type 0") {
		t.Errorf("a mistyped account field: %v", err)
	}
}

// randString draws from a small pool most of the time, so that strings
// repeat across accounts as stages and attributes do, and otherwise writes
// a fresh string, at times long or not ASCII.
func randString(r *rand.Rand, pool []string) string {
	switch r.IntN(10) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("v%d-ß-%d", r.IntN(1_000_000), r.IntN(10))
	case 2:
		return strings.Repeat("long ", 20+r.IntN(40))
	default:
		return pool[r.IntN(len(pool))]
	}
}

func randFloat(r *rand.Rand) float64 {
	switch r.IntN(12) {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1 - 2*r.IntN(2))
	case 2:
		return math.Copysign(0, -1)
	case 3:
		return 5e-324
	case 4:
		return -r.Float64() * 1e6
	case 5, 6:
		return 0
	default:
		return math.Round(r.Float64() * 300_000)
	}
}

func randAccount(r *rand.Rand, pool []string) *csplanv1.Account {
	a := &csplanv1.Account{Arr: randFloat(r), Stage: randString(r, pool), ExpansionPotential: randFloat(r)}
	if r.IntN(6) != 0 {
		a.Id = fmt.Sprintf("ACC-%d", r.IntN(1e9))
	}
	if r.IntN(2) == 0 {
		a.Name = randString(r, pool)
	}
	if r.IntN(2) == 0 {
		h := randFloat(r)
		a.HealthScore = &h
	}
	switch r.IntN(4) {
	case 0:
		a.Complexity = csplanv1.ProductComplexity(r.IntN(4))
	case 1:
		a.Complexity = csplanv1.ProductComplexity(int32(r.Uint32()))
	}
	if r.IntN(2) == 0 {
		a.Owner, a.StartDate, a.RenewalDate = randString(r, pool), randString(r, pool), randString(r, pool)
	}
	if r.IntN(3) == 0 {
		term := int32(r.Uint32())
		a.ContractTermMonths = &term
	}
	if r.IntN(3) == 0 {
		h := randFloat(r)
		a.MonthlyHours = &h
	}
	if n := r.IntN(5); n > 0 {
		a.Attributes = make(map[string]string, n)
		for range n {
			a.Attributes[randString(r, pool)] = randString(r, pool)
		}
	}
	if r.IntN(40) == 0 {
		// Unknown fields, some under a known number with another wire
		// type, which proto keeps and the frame refuses.
		var u []byte
		u = protowire.AppendVarint(protowire.AppendTag(u, protowire.Number(1+r.IntN(12)), protowire.VarintType), r.Uint64())
		u = protowire.AppendFixed32(protowire.AppendTag(u, protowire.Number(1+r.IntN(12)), protowire.Fixed32Type), r.Uint32())
		a.ProtoReflect().SetUnknown(u)
	}
	return a
}

// shuffleFields reorders the top-level fields of an encoding, as another
// encoder may write them; b must hold each field once (as proto.Marshal
// writes a message without repeated fields).
func shuffleFields(r *rand.Rand, b []byte) []byte {
	var fields [][]byte
	for len(b) > 0 {
		_, typ, n := protowire.ConsumeTag(b)
		m := protowire.ConsumeFieldValue(0, typ, b[n:])
		fields, b = append(fields, b[:n+m]), b[n+m:]
	}
	r.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
	return concat(fields...)
}

// randFrame writes a random message: mostly a batch of random accounts, at
// times split into several batch fields or accounts, shuffled, preceded or
// followed by the head, or with unknown top-level fields.
func (e encoder) randFrame(r *rand.Rand, pool []string) []byte {
	var batch []byte
	for range r.IntN(12) {
		enc := mustMarshal(randAccount(r, pool))
		switch r.IntN(6) {
		case 0:
			enc = shuffleFields(r, enc)
		case 1:
			enc = concat(enc, mustMarshal(randAccount(r, pool))) // one account in two parts
		}
		batch = protowire.AppendBytes(protowire.AppendTag(batch, fieldAccounts, protowire.BytesType), enc)
	}
	msg := wrap(e.batch, batch)
	switch r.IntN(12) {
	case 0:
		msg = concat(e.headBytes, msg)
	case 1:
		msg = concat(msg, e.headBytes)
	case 2:
		msg = concat(msg, e.randFrame(r, pool))
	case 3:
		msg = protowire.AppendVarint(protowire.AppendTag(msg, protowire.Number(3+r.IntN(100)), protowire.VarintType), 1)
	}
	return msg
}

var stringPool = []string{"Adoption", "Onboarding", "Renewal", "region", "industry", "EMEA", "Software", " padded ", "Ünïcödé", "日本"}

// TestFrameRandomMessages compares the decoders on many random messages,
// each decoded into the storage the previous one left.
func TestFrameRandomMessages(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 600
	}
	r := rand.New(rand.NewPCG(7, 11))
	for _, k := range requestKinds {
		f, e := New(k.req), encoderFor(k.req, k.head)
		for range n {
			checkFrame(t, f, e.randFrame(r, stringPool))
		}
	}
}

// TestFrameInternBound: once the intern table is full, strings go to each
// message's buffer, still decoded as proto decodes them, and the table
// stays within its bounds.
func TestFrameInternBound(t *testing.T) {
	f := New(&csplanv1.StreamSegmentAccountsRequest{})
	var batch []*csplanv1.Account
	for i := range 3 * internMaxStrings {
		batch = append(batch, &csplanv1.Account{Id: fmt.Sprint(i), Stage: fmt.Sprintf("stage %d", i),
			Attributes: map[string]string{fmt.Sprintf("key %d", i%7): fmt.Sprintf("value %d", i)}})
		if len(batch) == 500 {
			checkFrame(t, f, mustMarshal(batchRequest(batch...)))
			batch = batch[:0]
		}
	}
	if n, b := len(f.strings.table.strs), f.strings.table.bytes; n != internMaxStrings || b > internMaxBytes {
		t.Errorf("intern table holds %d strings and %d bytes, want %d strings and at most %d bytes", n, b, internMaxStrings, internMaxBytes)
	}
}

func batchRequest(accounts ...*csplanv1.Account) *csplanv1.StreamSegmentAccountsRequest {
	return &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}
}

// TestFrameStringsOutliveMessage: the strings of one message stay as they
// were when the frame decodes the next one into the same storage.
func TestFrameStringsOutliveMessage(t *testing.T) {
	f := New(&csplanv1.StreamSegmentAccountsRequest{})
	if err := proto.Unmarshal(mustMarshal(batchRequest(&csplanv1.Account{Id: "AAAA", Name: "first"})), f); err != nil {
		t.Fatal(err)
	}
	var a capacity.Account
	f.Account(0, &a)
	if err := proto.Unmarshal(mustMarshal(batchRequest(&csplanv1.Account{Id: "BBBB", Name: "other"})), f); err != nil {
		t.Fatal(err)
	}
	if a.ID != "AAAA" || a.Name != "first" {
		t.Errorf("the first message's account now reads id %q, name %q", a.ID, a.Name)
	}
}

// TestFrameAllocations: a batch decoded into a warm frame costs one
// allocation (its string buffer), whatever its size; reading its accounts
// costs none.
func TestFrameAllocations(t *testing.T) {
	stages := []string{"Onboarding", "Adoption", "Renewal", "At Risk"}
	var accounts []*csplanv1.Account
	for i := range 1000 {
		a := fullAccount(i)
		a.Stage = stages[i%len(stages)]
		accounts = append(accounts, a)
	}
	msg := mustMarshal(batchRequest(accounts...))
	f := New(&csplanv1.StreamSegmentAccountsRequest{})
	var a capacity.Account
	read := func() {
		if err := proto.Unmarshal(msg, f); err != nil {
			t.Fatal(err)
		}
		for i := range f.Len() {
			f.Account(i, &a)
		}
	}
	read()
	if got := testing.AllocsPerRun(20, read); got > 1 {
		t.Errorf("a batch of 1000 accounts costs %v allocations, want at most 1", got)
	}

	// Many distinct attribute entries take turns in the entry cache's
	// slots: that must not cost an allocation per account either.
	accounts = accounts[:0]
	for i := range 1000 {
		accounts = append(accounts, &csplanv1.Account{Id: fmt.Sprintf("A%d", i), Arr: 10,
			Attributes: map[string]string{"region": fmt.Sprintf("region-%d", i%90), "tier": fmt.Sprintf("t%d", i%7)}})
	}
	msg = mustMarshal(batchRequest(accounts...))
	read()
	read()
	if got := testing.AllocsPerRun(20, read); got > 1 {
		t.Errorf("a batch of 1000 accounts with 97 distinct attribute entries costs %v allocations, want at most 1", got)
	}
}

// FuzzFrame: on arbitrary bytes the frame never panics; it accepts what
// proto.Unmarshal accepts without unknown fields where the frame reads, and
// decodes it as proto.Unmarshal does, for each kind of request.
func FuzzFrame(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for i, k := range requestKinds {
		e := encoderFor(k.req, k.head)
		seeds, _ := e.seeds()
		for _, b := range seeds {
			f.Add(uint8(i), b)
		}
		for range 10 {
			f.Add(uint8(i), e.randFrame(r, stringPool))
		}
	}
	frames := make([]*Frame, len(requestKinds))
	for i, k := range requestKinds {
		frames[i] = New(k.req)
	}
	f.Fuzz(func(t *testing.T, kind uint8, b []byte) { checkFrame(t, frames[int(kind)%len(frames)], b) })
}
