package server

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// accountFrameView is what the segmentation stream reads of a message,
// from either decoder: the accounts as the domain Accounts the handler
// validates and counts. Floats are compared by bit pattern, so that NaNs
// and negative zeros compare too.
type accountFrameView struct {
	Payload  framePayload
	Rules    *csplanv1.SegmentRules
	Accounts []accountView
}

type accountView struct {
	ID, Name, Stage string
	ARR, Expansion  uint64
	Health          *uint64
	Complexity      capacity.Complexity
	Attributes      map[string]string
}

func viewOf(a *capacity.Account) accountView {
	v := accountView{
		ID: a.ID, Name: a.Name, Stage: a.Stage, ARR: math.Float64bits(a.ARR), Expansion: math.Float64bits(a.ExpansionPotential),
		Complexity: a.Complexity, Attributes: maps.Clone(a.Attributes),
	}
	if v.Attributes == nil {
		v.Attributes = map[string]string{}
		// The list's keys are distinct; a repeated one shows as the
		// marker key, which no map from proto.Unmarshal has.
		for _, e := range a.AttributeList {
			if _, dup := v.Attributes[e.Key]; dup {
				v.Attributes["\x00duplicate "+e.Key] = e.Value
			}
			v.Attributes[e.Key] = e.Value
		}
	}
	if a.HealthScore != nil {
		h := math.Float64bits(*a.HealthScore)
		v.Health = &h
	}
	return v
}

func accountFrameViewOf(f *accountFrame) accountFrameView {
	out := accountFrameView{Payload: f.payload, Rules: f.rules, Accounts: []accountView{}}
	var a capacity.Account
	for i := range f.Len() {
		f.account(i, &a)
		out.Accounts = append(out.Accounts, viewOf(&a))
	}
	return out
}

func protoAccountView(m *csplanv1.StreamSegmentAccountsRequest) accountFrameView {
	out := accountFrameView{Accounts: []accountView{}}
	switch p := m.GetPayload().(type) {
	case *csplanv1.StreamSegmentAccountsRequest_Rules:
		out.Payload, out.Rules = payloadRules, p.Rules
	case *csplanv1.StreamSegmentAccountsRequest_Batch:
		out.Payload = payloadBatch
		var a capacity.Account
		for _, pa := range p.Batch.GetAccounts() {
			accountFromProto(&a, pa)
			out.Accounts = append(out.Accounts, viewOf(&a))
		}
	}
	return out
}

// warmFrame is the message a checked frame holds before the one checked,
// so that every check also decodes into reused storage.
var warmFrame = mustMarshal(segBatch(&csplanv1.Account{
	Id: "WARM-1", Name: "Warm", Stage: "Renewal", Arr: 5, Attributes: map[string]string{"region": "APAC", "tier": "Gold", "x": "y"},
}))

// checkAccountFrame decodes b both ways. Where proto.Unmarshal accepts b,
// the frame must decode it the same; where it refuses, the frame may
// refuse or decode, but never panic. What proto.Marshal writes of the
// accepted message must decode the same too.
func checkAccountFrame(t *testing.T, f *accountFrame, b []byte) {
	t.Helper()
	if err := proto.Unmarshal(warmFrame, f); err != nil {
		t.Fatal(err)
	}
	ferr := proto.Unmarshal(b, f) // through the entry point gRPC's codec uses
	var m csplanv1.StreamSegmentAccountsRequest
	if err := proto.Unmarshal(b, &m); err != nil {
		return
	}
	if ferr != nil {
		t.Fatalf("frame refuses %x, which proto.Unmarshal accepts: %v", b, ferr)
	}
	want := protoAccountView(&m)
	if diff := cmp.Diff(want, accountFrameViewOf(f), protocmp.Transform(), cmpopts.EquateNaNs()); diff != "" {
		t.Fatalf("frame decodes %x differently (-proto +frame):\n%s", b, diff)
	}
	for _, deterministic := range []bool{false, true} {
		out, err := proto.MarshalOptions{Deterministic: deterministic}.Marshal(&m)
		if err != nil {
			t.Fatalf("proto.Marshal of what proto.Unmarshal accepted: %v", err)
		}
		if err := proto.Unmarshal(out, f); err != nil {
			t.Fatalf("frame refuses proto.Marshal's %x: %v", out, err)
		}
		if diff := cmp.Diff(want, accountFrameViewOf(f), protocmp.Transform(), cmpopts.EquateNaNs()); diff != "" {
			t.Fatalf("frame decodes proto.Marshal's %x differently (-proto +frame):\n%s", out, diff)
		}
	}
}

func mustMarshal(m proto.Message) []byte {
	b, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func segBatch(accounts ...*csplanv1.Account) *csplanv1.StreamSegmentAccountsRequest {
	return &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}
}

func segRulesMsg(names ...string) *csplanv1.StreamSegmentAccountsRequest {
	rules := &csplanv1.SegmentRules{}
	for _, n := range names {
		rules.Segments = append(rules.Segments, &csplanv1.SegmentRule{Name: n, Stages: []string{"Adoption"},
			Complexities: []csplanv1.ProductComplexity{csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_SIMPLE, 7}})
	}
	return &csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: rules}}
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// accountFrameSeeds are encodings that exercise the oneof and merge rules,
// duplicated, unknown and mistyped fields, map entries written by hand,
// invalid UTF-8 and truncation.
func accountFrameSeeds() [][]byte {
	tag := protowire.AppendTag
	str := func(b []byte, num protowire.Number, s string) []byte {
		return protowire.AppendString(tag(b, num, protowire.BytesType), s)
	}
	wrap := func(num protowire.Number, b []byte) []byte {
		return protowire.AppendBytes(tag(nil, num, protowire.BytesType), b)
	}
	batchOf := func(accounts ...[]byte) []byte {
		var batch []byte
		for _, a := range accounts {
			batch = append(batch, wrap(fieldAccounts, a)...)
		}
		return wrap(fieldBatch, batch)
	}
	h := 42.5
	rules, batch := mustMarshal(segRulesMsg("A", "B")), mustMarshal(segBatch(fullAccount(1), fullAccount(2)))

	// An account with every field twice (the last counts), mistyped
	// fields, an unknown field and a group, and map entries with the key
	// or value missing, given twice, or beside unknown fields.
	var acct []byte
	acct = str(str(acct, fieldAccountID, "first"), fieldAccountID, "ACC-1")
	acct = protowire.AppendVarint(tag(acct, fieldAccountID, protowire.VarintType), 5) // id mistyped: unknown
	acct = protowire.AppendFixed64(tag(acct, fieldAccountARR, protowire.Fixed64Type), math.Float64bits(7))
	acct = protowire.AppendFixed32(tag(acct, fieldAccountARR, protowire.Fixed32Type), 1)
	acct = protowire.AppendFixed64(tag(acct, fieldAccountHealth, protowire.Fixed64Type), math.Float64bits(math.NaN()))
	acct = protowire.AppendVarint(tag(acct, fieldAccountHealth, protowire.VarintType), 3)
	acct = protowire.AppendVarint(tag(acct, fieldAccountComplexity, protowire.VarintType), math.MaxUint64) // -1
	acct = protowire.AppendVarint(tag(acct, fieldAccountComplexity, protowire.VarintType), 1<<33+2)        // truncated to 2
	acct = protowire.AppendFixed64(tag(acct, fieldAccountComplexity, protowire.Fixed64Type), 9)
	acct = str(tag(protowire.AppendVarint(tag(tag(acct, 300, protowire.StartGroupType), 1, protowire.VarintType), 1), 300, protowire.EndGroupType), 200, "x")
	acct = str(acct, fieldAccountStage, "Adoption")
	acct = protowire.AppendVarint(tag(acct, fieldAccountAttributes, protowire.VarintType), 1) // attributes mistyped
	acct = append(acct, wrap(fieldAccountAttributes, str(str(nil, fieldMapKey, "region"), fieldMapValue, "EMEA"))...)
	acct = append(acct, wrap(fieldAccountAttributes, str(str(nil, fieldMapValue, "AMER"), fieldMapKey, "region"))...) // replaces EMEA
	acct = append(acct, wrap(fieldAccountAttributes, str(nil, fieldMapValue, "no key"))...)
	acct = append(acct, wrap(fieldAccountAttributes, str(nil, fieldMapKey, "no value"))...)
	acct = append(acct, wrap(fieldAccountAttributes, str(str(str(nil, fieldMapKey, "a"), fieldMapKey, "b"), fieldMapValue, "v"))...)
	acct = append(acct, wrap(fieldAccountAttributes, protowire.AppendVarint(tag(str(str(nil, fieldMapKey, "k"), 3, "z"), fieldMapValue, protowire.VarintType), 1))...)
	acct = append(acct, wrap(fieldAccountAttributes, nil)...) // "" -> ""
	acct = str(acct, fieldAccountStage, "Renewal")
	acct = str(acct, fieldAccountName, "Ünïcödé ✓")

	badUTF8 := func(num protowire.Number) []byte { return batchOf(str(nil, num, "ok\xff")) }
	badMap := func(num protowire.Number) []byte {
		return batchOf(wrap(fieldAccountAttributes, str(nil, num, "\xc3\x28")))
	}
	return [][]byte{
		{},
		rules,
		batch,
		concat(rules, batch), // the batch replaces the rules
		concat(batch, rules), // and the other way round
		concat(batch, batch), // batches merge
		concat(rules, mustMarshal(segRulesMsg("C"))),        // rules merge
		concat(batch, rules, batch),                         // back to a batch, the first one dropped
		concat(rules, batch, mustMarshal(segRulesMsg("D"))), // back to fresh rules
		mustMarshal(segBatch()),                             // an empty batch is still a batch
		mustMarshal(segBatch(&csplanv1.Account{})),          // an empty account
		mustMarshal(segBatch(&csplanv1.Account{HealthScore: &h, Complexity: 99, Arr: math.Inf(1), ExpansionPotential: math.Copysign(0, -1)})),
		batchOf(acct),
		batchOf(acct, acct, concat(acct, mustMarshal(fullAccount(3)))), // an account given in two parts merges
		concat(batchOf(acct), protowire.AppendVarint(tag(nil, fieldBatch, protowire.VarintType), 1), protowire.AppendVarint(tag(nil, 9, protowire.VarintType), 1)),
		wrap(fieldBatch, protowire.AppendVarint(tag(wrap(fieldAccounts, nil), fieldAccounts, protowire.VarintType), 1)), // accounts mistyped
		badUTF8(fieldAccountID),
		badUTF8(fieldAccountName),
		badUTF8(fieldAccountStage),
		badMap(fieldMapKey),
		badMap(fieldMapValue),
		str(nil, fieldRules, "\x0a\x03\x0a\x01\xff"), // invalid UTF-8 in a rule's name
		tag(nil, protowire.MaxValidNumber+1, protowire.VarintType),
		batchOf(tag(nil, protowire.MaxValidNumber+1, protowire.VarintType)),
		batchOf(wrap(fieldAccountAttributes, tag(nil, protowire.MaxValidNumber+1, protowire.VarintType))),
		batchOf(tag(nil, 0, protowire.VarintType)), // field number 0
		{0x12, 0x05, 0x0a},                  // truncated
		batchOf([]byte{0x0a, 0x05, 'a'}),    // truncated string
		batchOf([]byte{0x19, 1, 2}),         // truncated double
		tag(nil, 4, protowire.EndGroupType), // stray end of group
		batchOf(tag(nil, 4, protowire.EndGroupType)),
	}
}

func TestAccountFrameMatchesProto(t *testing.T) {
	f := newAccountFrame()
	for i, b := range accountFrameSeeds() {
		t.Run(fmt.Sprint(i), func(t *testing.T) { checkAccountFrame(t, f, b) })
	}
}

// TestAccountFrameDecodes spells out what the frame reads of a few of the
// encodings above, so that the comparison with proto.Unmarshal does not
// hide a shared misreading.
func TestAccountFrameDecodes(t *testing.T) {
	seeds := accountFrameSeeds()
	nan := math.Float64bits(math.NaN())
	cases := []struct {
		name string
		b    []byte
		want accountFrameView
	}{
		{"batch after rules", seeds[3], protoAccountView(segBatch(fullAccount(1), fullAccount(2)))},
		{"rules after batch", seeds[4], accountFrameView{Payload: payloadRules, Rules: segRulesMsg("A", "B").GetRules(), Accounts: []accountView{}}},
		{"rules merge", seeds[6], accountFrameView{Payload: payloadRules, Rules: &csplanv1.SegmentRules{Segments: append(segRulesMsg("A", "B").GetRules().GetSegments(), segRulesMsg("C").GetRules().GetSegments()...)}, Accounts: []accountView{}}},
		{"odd account", seeds[12], accountFrameView{Payload: payloadBatch, Accounts: []accountView{{
			ID: "ACC-1", Name: "Ünïcödé ✓", Stage: "Renewal", ARR: math.Float64bits(7), Health: &nan, Complexity: 2,
			Attributes: map[string]string{"region": "AMER", "": "", "no value": "", "b": "v", "k": ""},
		}}}},
	}
	f := newAccountFrame()
	for _, tc := range cases {
		if err := proto.Unmarshal(tc.b, f); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, accountFrameViewOf(f), protocmp.Transform()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	for i := 16; i < len(seeds); i++ {
		if err := proto.Unmarshal(seeds[i], f); err == nil {
			t.Errorf("frame accepts the invalid encoding %x", seeds[i])
		}
	}
}

// randString draws from a small pool most of the time, so that strings
// repeat across accounts as stages and attributes do, and otherwise
// writes a fresh string, at times long or not ASCII.
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
	if n := r.IntN(5); n > 0 {
		a.Attributes = make(map[string]string, n)
		for range n {
			a.Attributes[randString(r, pool)] = randString(r, pool)
		}
	}
	if r.IntN(8) == 0 {
		// Unknown fields, some under a known number with another wire
		// type, which proto keeps and writes back.
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

// randFrame writes a random message: mostly a batch of random accounts,
// at times split into several batch fields or accounts, shuffled,
// preceded or followed by rules, or with unknown top-level fields.
func randFrame(r *rand.Rand, pool []string) []byte {
	var batch []byte
	for range r.IntN(12) {
		a := randAccount(r, pool)
		enc := mustMarshal(a)
		switch r.IntN(6) {
		case 0:
			enc = shuffleFields(r, enc)
		case 1:
			enc = concat(enc, mustMarshal(randAccount(r, pool))) // one account in two parts
		}
		batch = protowire.AppendBytes(protowire.AppendTag(batch, fieldAccounts, protowire.BytesType), enc)
	}
	msg := protowire.AppendBytes(protowire.AppendTag(nil, fieldBatch, protowire.BytesType), batch)
	switch r.IntN(8) {
	case 0:
		msg = concat(mustMarshal(segRulesMsg("A")), msg)
	case 1:
		msg = concat(msg, mustMarshal(segRulesMsg("A")))
	case 2:
		msg = concat(msg, randFrame(r, pool))
	case 3:
		msg = protowire.AppendVarint(protowire.AppendTag(msg, protowire.Number(3+r.IntN(100)), protowire.VarintType), 1)
	}
	return msg
}

var frameStringPool = []string{"Adoption", "Onboarding", "Renewal", "region", "industry", "EMEA", "Software", " padded ", "Ünïcödé", "日本"}

// TestAccountFrameRandomMessages compares the decoders on many random
// messages, each decoded into the storage the previous one left.
func TestAccountFrameRandomMessages(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 1000
	}
	r := rand.New(rand.NewPCG(7, 11))
	f := newAccountFrame()
	for range n {
		checkAccountFrame(t, f, randFrame(r, frameStringPool))
	}
}

// TestAccountFrameInternBound: once the intern table is full, strings go
// to each message's buffer, still decoded as proto decodes them, and the
// table stays within its bounds.
func TestAccountFrameInternBound(t *testing.T) {
	f := newAccountFrame()
	var batch []*csplanv1.Account
	for i := range 3 * internMaxStrings {
		batch = append(batch, &csplanv1.Account{Id: fmt.Sprint(i), Stage: fmt.Sprintf("stage %d", i),
			Attributes: map[string]string{fmt.Sprintf("key %d", i%7): fmt.Sprintf("value %d", i)}})
		if len(batch) == 500 {
			checkAccountFrame(t, f, mustMarshal(segBatch(batch...)))
			batch = batch[:0]
		}
	}
	if n := len(f.intern.strs); n != internMaxStrings || f.intern.bytes > internMaxBytes {
		t.Errorf("intern table holds %d strings and %d bytes, want %d strings and at most %d bytes", n, f.intern.bytes, internMaxStrings, internMaxBytes)
	}
}

// TestAccountFrameStringsOutliveMessage: the strings of one message stay
// as they were when the frame decodes the next one into the same storage.
func TestAccountFrameStringsOutliveMessage(t *testing.T) {
	f := newAccountFrame()
	if err := proto.Unmarshal(mustMarshal(segBatch(&csplanv1.Account{Id: "AAAA", Name: "first"})), f); err != nil {
		t.Fatal(err)
	}
	var a capacity.Account
	f.account(0, &a)
	if err := proto.Unmarshal(mustMarshal(segBatch(&csplanv1.Account{Id: "BBBB", Name: "other"})), f); err != nil {
		t.Fatal(err)
	}
	if a.ID != "AAAA" || a.Name != "first" {
		t.Errorf("the first message's account now reads id %q, name %q", a.ID, a.Name)
	}
}

// TestAccountFrameAllocations: a batch decoded into a warm frame costs one
// allocation (its string buffer), whatever its size; reading its accounts
// costs none.
func TestAccountFrameAllocations(t *testing.T) {
	msg := mustMarshal(benchBatchMessage(1000))
	f := newAccountFrame()
	var a capacity.Account
	read := func() {
		if err := proto.Unmarshal(msg, f); err != nil {
			t.Fatal(err)
		}
		for i := range f.Len() {
			f.account(i, &a)
		}
	}
	read()
	if got := testing.AllocsPerRun(20, read); got > 1 {
		t.Errorf("a batch of 1000 accounts costs %v allocations, want at most 1", got)
	}

	// Many distinct attribute entries take turns in the entry cache's
	// slots: that must not cost an allocation per account either.
	batch := &csplanv1.AccountBatch{}
	for i := range 1000 {
		batch.Accounts = append(batch.Accounts, &csplanv1.Account{Id: fmt.Sprintf("A%d", i), Arr: 10,
			Attributes: map[string]string{"region": fmt.Sprintf("region-%d", i%90), "tier": fmt.Sprintf("t%d", i%7)}})
	}
	msg = mustMarshal(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: batch}})
	read()
	read()
	if got := testing.AllocsPerRun(20, read); got > 1 {
		t.Errorf("a batch of 1000 accounts with 97 distinct attribute entries costs %v allocations, want at most 1", got)
	}
}

// FuzzAccountFrame: on arbitrary bytes the frame never panics; on bytes
// proto.Unmarshal accepts, and on what proto.Marshal writes of them, it
// decodes what proto.Unmarshal decodes.
func FuzzAccountFrame(f *testing.F) {
	for _, b := range accountFrameSeeds() {
		f.Add(b)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		f.Add(randFrame(r, frameStringPool))
	}
	frame := newAccountFrame()
	f.Fuzz(func(t *testing.T, b []byte) { checkAccountFrame(t, frame, b) })
}
