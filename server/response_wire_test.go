package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// randomForecastResponse fills every field of the answer at random, zeros,
// -0, NaN, negative and unknown enum numbers and odd strings included.
func randomForecastResponse(r *rand.Rand) *csplanv1.ForecastCapacityResponse {
	m := &csplanv1.ForecastCapacityResponse{}
	for range r.IntN(6) {
		m.Months = append(m.Months, &csplanv1.ForecastMonth{
			Month: crString(r), Accounts: crFloat(r), Arr: crFloat(r), CsmHeadcount: crInt32(r),
			EffectiveCsms: crFloat(r), AccountsPerCsm: crFloat(r), ArrPerCsm: crFloat(r), CsCost: crFloat(r), CsCostShare: crFloat(r),
		})
	}
	for range r.IntN(4) {
		m.Triggers = append(m.Triggers, &csplanv1.Trigger{
			Name: crString(r), Threshold: crFloat(r), CrossingMonth: crString(r), OpenRequisitionBy: crString(r),
			Status: csplanv1.TriggerStatus(crInt32(r)), MonthsLate: crInt32(r),
		})
	}
	for range r.IntN(4) {
		m.HiringPlan = append(m.HiringPlan, &csplanv1.PlannedHire{
			RequisitionMonth: crString(r), StartMonth: crString(r), RampedMonth: crString(r), FirstYearCost: crFloat(r),
		})
	}
	for range r.IntN(4) {
		m.Assumptions = append(m.Assumptions, &csplanv1.Assumption{Name: crString(r), Value: crString(r), Source: crString(r)})
	}
	return m
}

// checkForecastWire holds forecastWire to proto.Marshal on m: the same
// bytes, or a refusal where proto.Marshal fails or m carries unknown
// fields.
func checkForecastWire(t *testing.T, m *csplanv1.ForecastCapacityResponse) {
	t.Helper()
	want, err := proto.Marshal(m)
	w := forecastWire{m}
	size, ok := w.size()
	if !ok {
		if err == nil && !hasUnknownFields(m) {
			t.Fatalf("forecastWire declines a message proto.Marshal encodes: %v", m)
		}
		return
	}
	if err != nil {
		t.Fatalf("forecastWire encodes a message proto.Marshal refuses (%v)", err)
	}
	got := w.appendTo(nil)
	if len(got) != size {
		t.Fatalf("size %d, appended %d bytes", size, len(got))
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("forecastWire wrote\n%x\nproto.Marshal\n%x", got, want)
	}
}

func hasUnknownFields(m *csplanv1.ForecastCapacityResponse) bool {
	if len(m.ProtoReflect().GetUnknown()) > 0 {
		return true
	}
	for _, x := range m.GetMonths() {
		if len(x.ProtoReflect().GetUnknown()) > 0 {
			return true
		}
	}
	for _, x := range m.GetTriggers() {
		if len(x.ProtoReflect().GetUnknown()) > 0 {
			return true
		}
	}
	for _, x := range m.GetHiringPlan() {
		if len(x.ProtoReflect().GetUnknown()) > 0 {
			return true
		}
	}
	for _, x := range m.GetAssumptions() {
		if len(x.ProtoReflect().GetUnknown()) > 0 {
			return true
		}
	}
	return false
}

func TestForecastWireRandomMessages(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for range 3000 {
		checkForecastWire(t, randomForecastResponse(r))
	}
	// Long strings take lengths of two bytes and more.
	long := strings.Repeat("é", 200)
	checkForecastWire(t, &csplanv1.ForecastCapacityResponse{
		Months:      []*csplanv1.ForecastMonth{{Month: long, Accounts: 1}},
		Triggers:    []*csplanv1.Trigger{{Name: long, CrossingMonth: long}},
		HiringPlan:  []*csplanv1.PlannedHire{{RequisitionMonth: long}},
		Assumptions: []*csplanv1.Assumption{{Name: "a", Value: strings.Repeat(long, 100), Source: long}},
	})
	// Unknown fields anywhere send the message to proto.Marshal.
	m := randomForecastResponse(r)
	m.Months = append(m.Months, &csplanv1.ForecastMonth{Month: "2027-01"})
	m.Months[len(m.Months)-1].ProtoReflect().SetUnknown(protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 1))
	if _, ok := (forecastWire{m}).size(); ok {
		t.Error("forecastWire encodes a month with unknown fields")
	}
	checkForecastWire(t, m)
	m = &csplanv1.ForecastCapacityResponse{Triggers: []*csplanv1.Trigger{{Name: "hire\xff"}}}
	if _, ok := (forecastWire{m}).size(); ok {
		t.Error("forecastWire encodes invalid UTF-8, which proto.Marshal refuses")
	}
}

// TestForecastWireServedAnswer: a real 120-month answer, through the codec
// as the server sends it, is byte for byte proto.Marshal's.
func TestForecastWireServedAnswer(t *testing.T) {
	svc := &capacityService{logger: slog.New(slog.DiscardHandler), now: func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) }}
	req := new(csplanv1.ForecastCapacityRequest)
	if err := protojson.Unmarshal([]byte(`{"startMonth": "2027-01", "horizonMonths": 120,
	 "accounts": 260, "arr": 9100000, "csmCount": 6, "plannedHireMonths": ["2027-04"],
	 "growth": {"newAccountsPerMonth": 9, "monthlyLogoChurnRate": 0.01, "monthlyExpansionRate": 0.005, "newAccountArr": 32000},
	 "timeline": {"timeToHireMonths": 2, "rampMonths": 3, "rampCurve": "RAMP_CURVE_LINEAR", "annualCsmAttritionRate": 0.12},
	 "hireCost": {"baseSalary": 100000, "loadedCostMultiplier": 1.5, "recruitingFeeShare": 0.15}}`), req); err != nil {
		t.Fatal(err)
	}
	resp, err := svc.ForecastCapacity(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetMonths()) != 121 || len(resp.GetHiringPlan()) == 0 {
		t.Fatalf("the forecast has %d months and %d hires", len(resp.GetMonths()), len(resp.GetHiringPlan()))
	}
	small := &csplanv1.ForecastCapacityResponse{Months: resp.GetMonths()[:1]}
	for _, m := range []*csplanv1.ForecastCapacityResponse{resp, small} {
		data, err := serverCodec{}.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		got := data.Materialize()
		data.Free()
		if !bytes.Equal(got, mustMarshal(m)) {
			t.Fatalf("the codec's %d bytes differ from proto.Marshal's", len(got))
		}
	}
}

func BenchmarkForecastWire(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	m := &csplanv1.ForecastCapacityResponse{}
	for i := range 121 {
		m.Months = append(m.Months, &csplanv1.ForecastMonth{Month: "2027-01", Accounts: float64(260 + i), Arr: 9.1e6 + float64(i)*3e4,
			CsmHeadcount: int32(7 + i/12), EffectiveCsms: 6.5, AccountsPerCsm: 40 + r.Float64(), ArrPerCsm: 1.4e6, CsCost: 87500, CsCostShare: 0.11})
	}
	b.Run("forecastWire", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := forecastWire{m}
			n, _ := w.size()
			w.appendTo(make([]byte, 0, n))
		}
	})
	b.Run("proto.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			proto.Marshal(m)
		}
	})
}

// TestForecastWireKnowsEveryField fails when a field is added to one of the
// messages forecastWire writes: the writer would leave it out of every
// forecast sent over gRPC, so it must learn the field first.
func TestForecastWireKnowsEveryField(t *testing.T) {
	written := map[proto.Message]string{
		&csplanv1.ForecastCapacityResponse{}: "1 repeated message, 2 repeated message, 3 repeated message, 4 repeated message",
		&csplanv1.ForecastMonth{}:            "1 string, 2 double, 3 double, 4 int32, 5 double, 6 double, 7 double, 8 double, 9 double",
		&csplanv1.Trigger{}:                  "1 string, 2 double, 3 string, 4 string, 5 enum, 6 int32",
		&csplanv1.PlannedHire{}:              "1 string, 2 string, 3 string, 4 double",
		&csplanv1.Assumption{}:               "1 string, 2 string, 3 string",
	}
	for m, want := range written {
		fields := m.ProtoReflect().Descriptor().Fields()
		var have []string
		for i := range fields.Len() {
			fd := fields.Get(i)
			kind := fd.Kind().String()
			if fd.IsList() {
				kind = "repeated " + kind
			}
			if fd.HasPresence() && fd.Kind() != protoreflect.MessageKind {
				kind = "optional " + kind
			}
			have = append(have, fmt.Sprintf("%d %s", fd.Number(), kind))
		}
		if got := strings.Join(have, ", "); got != want {
			t.Errorf("%s has fields %q, forecastWire writes %q: teach response_wire.go the change",
				m.ProtoReflect().Descriptor().FullName(), got, want)
		}
	}
}
