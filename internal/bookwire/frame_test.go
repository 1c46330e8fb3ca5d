package bookwire

import (
	"fmt"
	"maps"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// requestKinds are the three book stream requests, each with a head
// message that is not empty.
var requestKinds = []struct {
	name string
	req  proto.Message
	head proto.Message
}{
	{"segment", &csplanv1.StreamSegmentAccountsRequest{}, &csplanv1.SegmentRules{Segments: []*csplanv1.SegmentRule{{Name: "A", Stages: []string{"Adoption"},
		Complexities: []csplanv1.ProductComplexity{csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_SIMPLE, 7}}}}},
	{"suggest", &csplanv1.StreamSuggestSegmentsRequest{}, &csplanv1.SuggestSettings{Tiers: 5}},
	{"plan", &csplanv1.StreamRunPlanRequest{}, &csplanv1.Plan{Segments: []*csplanv1.PlanSegment{{Name: "Core"}}}},
}

// frameView is what a stream reads of a message, from either decoder: the
// accounts as the domain Accounts the handlers validate and count. Floats
// are compared by bit pattern, so that NaNs and negative zeros compare too.
type frameView struct {
	Payload  Payload
	Head     proto.Message
	Accounts []accountFields
}

type accountFields struct {
	ID, Name, Stage           string
	Owner, StartDate, Renewal string
	ARR, Expansion            uint64
	Health, Hours             *uint64
	Term                      *int32
	Complexity                capacity.Complexity
	Attributes                map[string]string
}

func viewOf(a *capacity.Account) accountFields {
	v := accountFields{
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
	if a.MonthlyHours != nil {
		h := math.Float64bits(*a.MonthlyHours)
		v.Hours = &h
	}
	if a.ContractTermMonths != nil {
		term := *a.ContractTermMonths
		v.Term = &term
	}
	v.Owner, v.StartDate, v.Renewal = a.Owner, a.StartDate, a.RenewalDate
	return v
}

func frameViewOf(f *Frame) frameView {
	out := frameView{Payload: f.Payload(), Head: f.Head(), Accounts: []accountFields{}}
	var a capacity.Account
	for i := range f.Len() {
		f.Account(i, &a)
		if f.ARR(i) != a.ARR && !math.IsNaN(a.ARR) {
			panic("ARR and Account disagree")
		}
		out.Accounts = append(out.Accounts, viewOf(&a))
	}
	return out
}

// protoView reads a generated request as the frame would give it.
func protoView(m proto.Message) frameView {
	out := frameView{Accounts: []accountFields{}}
	r := m.ProtoReflect()
	fd := r.WhichOneof(r.Descriptor().Oneofs().Get(0))
	switch {
	case fd == nil:
	case fd.Message().FullName() == batchDesc.FullName():
		out.Payload = Batch
		var a capacity.Account
		for _, pa := range r.Get(fd).Message().Interface().(*csplanv1.AccountBatch).GetAccounts() {
			FromProto(&a, pa)
			out.Accounts = append(out.Accounts, viewOf(&a))
		}
	default:
		out.Payload, out.Head = Head, r.Get(fd).Message().Interface()
	}
	return out
}

// hasUnknown reports whether b, a request proto.Unmarshal accepts, holds
// fields the frame does not read where it reads by hand: at the top, in a
// batch or in an account, including batches a later member of the oneof
// replaces.
func hasUnknown(f *Frame, b []byte) bool {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeField(b)
		if n < 0 {
			return false
		}
		field := b[:n]
		b = b[n:]
		if typ != protowire.BytesType || (num != f.shape.head.Number() && num != f.shape.batch.Number()) {
			return true
		}
		if num == f.shape.head.Number() {
			continue
		}
		_, _, tn := protowire.ConsumeTag(field)
		v, _ := protowire.ConsumeBytes(field[tn:])
		var batch csplanv1.AccountBatch
		if err := proto.Unmarshal(v, &batch); err != nil || len(batch.ProtoReflect().GetUnknown()) > 0 {
			return true
		}
		for _, a := range batch.GetAccounts() {
			if len(a.ProtoReflect().GetUnknown()) > 0 {
				return true
			}
		}
	}
	return false
}

// warm is the message a checked frame holds before the one checked, so
// that every check also decodes into reused storage.
var warm = mustMarshal(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{
	Accounts: []*csplanv1.Account{{Id: "WARM-1", Name: "Warm", Stage: "Renewal", Arr: 5, Attributes: map[string]string{"region": "APAC", "tier": "Gold", "x": "y"}}},
}}})

// checkFrame decodes b both ways. Where proto.Unmarshal accepts b without
// unknown fields in what the frame reads, the frame must decode it the
// same; with unknown fields there, it must refuse; where proto.Unmarshal
// refuses, so must the frame. What proto.Marshal writes of an accepted
// message must decode the same too.
func checkFrame(t *testing.T, f *Frame, b []byte) {
	t.Helper()
	if err := proto.Unmarshal(warm, f); err != nil {
		t.Fatal(err)
	}
	ferr := proto.Unmarshal(b, f) // through the entry point gRPC's codec uses
	m := f.refl.Type().New().Interface()
	if err := proto.Unmarshal(b, m); err != nil {
		if ferr == nil {
			t.Fatalf("frame accepts %x, which proto.Unmarshal refuses: %v", b, err)
		}
		return
	}
	if hasUnknown(f, b) {
		if ferr == nil {
			t.Fatalf("frame accepts %x, whose unknown fields it would drop", b)
		}
		return
	}
	if ferr != nil {
		t.Fatalf("frame refuses %x, which proto.Unmarshal accepts: %v", b, ferr)
	}
	want := protoView(m)
	opts := []cmp.Option{protocmp.Transform(), cmpopts.EquateNaNs()}
	if diff := cmp.Diff(want, frameViewOf(f), opts...); diff != "" {
		t.Fatalf("frame decodes %x differently (-proto +frame):\n%s", b, diff)
	}
	for _, deterministic := range []bool{false, true} {
		out, err := proto.MarshalOptions{Deterministic: deterministic}.Marshal(m)
		if err != nil {
			t.Fatalf("proto.Marshal of what proto.Unmarshal accepted: %v", err)
		}
		if err := proto.Unmarshal(out, f); err != nil {
			t.Fatalf("frame refuses proto.Marshal's %x: %v", out, err)
		}
		if diff := cmp.Diff(want, frameViewOf(f), opts...); diff != "" {
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

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// encoder writes requests of one kind by hand.
type encoder struct {
	head, batch protowire.Number
	headBytes   []byte // a whole request carrying the kind's head
}

func encoderFor(req, head proto.Message) encoder {
	s := shapeOf(req.ProtoReflect().Descriptor())
	m := req.ProtoReflect().Type().New()
	m.Set(s.head, protoreflect.ValueOfMessage(head.ProtoReflect()))
	return encoder{head: s.head.Number(), batch: s.batch.Number(), headBytes: mustMarshal(m.Interface())}
}

func str(b []byte, num protowire.Number, s string) []byte {
	return protowire.AppendString(protowire.AppendTag(b, num, protowire.BytesType), s)
}

func wrap(num protowire.Number, b []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), b)
}

func (e encoder) batchOf(accounts ...[]byte) []byte {
	var batch []byte
	for _, a := range accounts {
		batch = append(batch, wrap(fieldAccounts, a)...)
	}
	return wrap(e.batch, batch)
}

func fullAccount(i int) *csplanv1.Account {
	h := float64(i % 100)
	return &csplanv1.Account{
		Id: fmt.Sprintf("ACC-%07d", i), Name: fmt.Sprintf("Account %d", i), Arr: float64((i*7919)%300_000) + 0.5,
		Stage: "Adoption", HealthScore: &h, Complexity: csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_COMPLEX,
		ExpansionPotential: 1000, Attributes: map[string]string{"region": "EMEA", "industry": "Software"},
		Owner: fmt.Sprintf("CSM-%d", i%7), StartDate: "2025-04-01", RenewalDate: "2026-04", ContractTermMonths: proto.Int32(12), MonthlyHours: &h,
	}
}

// oddAccount has every field twice (the last counts) and map entries with
// the key or value missing, given twice, or beside fields an entry does not
// have: all of it read as proto.Unmarshal reads it.
func oddAccount() []byte {
	tag := protowire.AppendTag
	var acct []byte
	acct = str(str(acct, fieldID, "first"), fieldID, "ACC-1")
	acct = protowire.AppendFixed64(tag(acct, fieldARR, protowire.Fixed64Type), math.Float64bits(7))
	acct = protowire.AppendFixed64(tag(acct, fieldHealth, protowire.Fixed64Type), math.Float64bits(math.NaN()))
	acct = protowire.AppendVarint(tag(acct, fieldComplexity, protowire.VarintType), math.MaxUint64) // -1
	acct = protowire.AppendVarint(tag(acct, fieldComplexity, protowire.VarintType), 1<<33+2)        // truncated to 2
	acct = str(acct, fieldStage, "Adoption")
	acct = append(acct, wrap(fieldAttributes, str(str(nil, fieldMapKey, "region"), fieldMapValue, "EMEA"))...)
	acct = append(acct, wrap(fieldAttributes, str(str(nil, fieldMapValue, "AMER"), fieldMapKey, "region"))...) // replaces EMEA
	acct = append(acct, wrap(fieldAttributes, str(nil, fieldMapValue, "no key"))...)
	acct = append(acct, wrap(fieldAttributes, str(nil, fieldMapKey, "no value"))...)
	acct = append(acct, wrap(fieldAttributes, str(str(str(nil, fieldMapKey, "a"), fieldMapKey, "b"), fieldMapValue, "v"))...)
	acct = append(acct, wrap(fieldAttributes, protowire.AppendVarint(tag(str(str(nil, fieldMapKey, "k"), 3, "z"), fieldMapValue, protowire.VarintType), 1))...)
	acct = append(acct, wrap(fieldAttributes, nil)...) // "" -> ""
	acct = str(acct, fieldStage, "Renewal")
	return str(acct, fieldName, "Ünïcödé ✓")
}

// seeds are encodings of one kind of request that exercise the oneof and
// merge rules, duplicated, unknown and mistyped fields, map entries written
// by hand, invalid UTF-8 and truncation. The first accepted ones are
// spelled out in TestFrameDecodes; from refusedFrom on, each must be
// refused.
func (e encoder) seeds() (seeds [][]byte, refusedFrom int) {
	tag := protowire.AppendTag
	h := 42.5
	head := e.headBytes
	batch := e.batchOf(mustMarshal(fullAccount(1)), mustMarshal(fullAccount(2)))
	odd := oddAccount()
	accepted := [][]byte{
		{},
		head,
		batch,
		concat(head, batch),        // the batch replaces the head
		concat(batch, head),        // and the other way round
		concat(batch, batch),       // batches merge
		concat(head, head),         // heads merge
		concat(batch, head, batch), // back to a batch, the first one dropped
		e.batchOf(),                // an empty batch is still a batch
		e.batchOf(nil),             // an empty account
		e.batchOf(mustMarshal(&csplanv1.Account{HealthScore: &h, Complexity: 99, Arr: math.Inf(1), ExpansionPotential: math.Copysign(0, -1)})),
		e.batchOf(odd),
		e.batchOf(odd, odd, concat(odd, mustMarshal(fullAccount(3)))), // an account given in two parts merges
	}
	badUTF8 := func(num protowire.Number) []byte { return e.batchOf(str(nil, num, "ok\xff")) }
	badMap := func(num protowire.Number) []byte { return e.batchOf(wrap(fieldAttributes, str(nil, num, "\xc3\x28"))) }
	refused := [][]byte{
		// Unknown or mistyped fields where the frame reads by hand.
		e.batchOf(protowire.AppendVarint(tag(nil, fieldID, protowire.VarintType), 5)),
		e.batchOf(protowire.AppendFixed32(tag(nil, fieldARR, protowire.Fixed32Type), 1)),
		e.batchOf(protowire.AppendVarint(tag(nil, fieldHealth, protowire.VarintType), 3)),
		e.batchOf(protowire.AppendFixed64(tag(nil, fieldComplexity, protowire.Fixed64Type), 9)),
		e.batchOf(protowire.AppendVarint(tag(nil, fieldAttributes, protowire.VarintType), 1)),
		e.batchOf(str(nil, 200, "a field of a newer contract")),
		e.batchOf(tag(protowire.AppendVarint(tag(tag(nil, 300, protowire.StartGroupType), 1, protowire.VarintType), 1), 300, protowire.EndGroupType)),
		concat(batch, protowire.AppendVarint(tag(nil, e.batch, protowire.VarintType), 1)),
		concat(batch, protowire.AppendVarint(tag(nil, 9, protowire.VarintType), 1)),
		wrap(e.batch, protowire.AppendVarint(tag(wrap(fieldAccounts, nil), fieldAccounts, protowire.VarintType), 1)), // accounts mistyped
		// Refused by proto.Unmarshal too.
		badUTF8(fieldID),
		badUTF8(fieldName),
		badUTF8(fieldStage),
		badMap(fieldMapKey),
		badMap(fieldMapValue),
		tag(nil, protowire.MaxValidNumber+1, protowire.VarintType),
		e.batchOf(tag(nil, protowire.MaxValidNumber+1, protowire.VarintType)),
		e.batchOf(wrap(fieldAttributes, tag(nil, protowire.MaxValidNumber+1, protowire.VarintType))),
		e.batchOf(tag(nil, 0, protowire.VarintType)), // field number 0
		{0x12, 0x05, 0x0a},                  // truncated
		e.batchOf([]byte{0x0a, 0x05, 'a'}),  // truncated string
		e.batchOf([]byte{0x19, 1, 2}),       // truncated double
		tag(nil, 4, protowire.EndGroupType), // stray end of group
		e.batchOf(tag(nil, 4, protowire.EndGroupType)),
	}
	return append(accepted, refused...), len(accepted)
}
