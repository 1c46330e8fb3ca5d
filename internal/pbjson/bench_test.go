package pbjson

import (
	"fmt"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// computeResponse is shaped like the server's answer to computeRequest:
// three segments with their breakdowns and the assumptions list.
func computeResponse() *csplanv1.ComputeCapacityResponse {
	seg := func(name string, hours, accounts, fte float64, hc int32, arr float64, parts ...string) *csplanv1.SegmentCapacity {
		s := &csplanv1.SegmentCapacity{Name: name, HoursPerAccountMonth: hours, AccountsPerCsm: accounts,
			CsmFte: fte, CsmHeadcount: hc, ArrPerCsm: arr}
		for i, p := range parts {
			s.Breakdown = append(s.Breakdown, &csplanv1.HoursBreakdown{Name: p, HoursPerAccountMonth: hours / float64(i+2)})
		}
		return s
	}
	r := &csplanv1.ComputeCapacityResponse{
		AvailableHoursPerCsmMonth: 104.33333333333333,
		Segments: []*csplanv1.SegmentCapacity{
			seg("Enterprise", 9.583333333333334, 10, 4.1334, 5, 1306425.4, "Weekly check-in", "Executive business review", "Success plan refresh", "Onboarding programme", "Escalations"),
			seg("Mid-Market", 1.4166666666666667, 73, 3.2587, 4, 1841226.1, "Monthly check-in", "Quarterly business review", "Kick-off", "Product questions"),
			seg("SMB", 0.20833333333333334, 500, 1.797, 2, 2504173.6, "Health review", "Group onboarding seat", "Requests"),
		},
		TotalCsmFte: 9.1891, TotalCsmHeadcount: 11, TotalArr: 15900000, ArrPerCsm: 1730310.9,
	}
	for _, a := range [][3]string{
		{"csm_time.weekly_hours", "40", "request"}, {"csm_time.time_off_days_per_year", "25", "request"},
		{"csm_time.customer_facing_share", "0.7", "seed 002"}, {"csm_time.target_utilization", "0.9", "request"},
		{"segments[2].customer_lifetime_months", "24", "request"}, {"segments[1].customer_lifetime_months", "36", "assumption"},
	} {
		r.Assumptions = append(r.Assumptions, &csplanv1.Assumption{Name: a[0], Value: a[1], Source: a[2]})
	}
	return r
}

// forecastResponse is a 120-month projection with triggers and a plan.
func forecastResponse() *csplanv1.ForecastCapacityResponse {
	r := &csplanv1.ForecastCapacityResponse{}
	accounts, arr := 260.0, 9100000.0
	for i := 0; i <= 120; i++ {
		eff := 6 + float64(i)/12
		r.Months = append(r.Months, &csplanv1.ForecastMonth{
			Month: fmt.Sprintf("%04d-%02d", 2027+i/12, 1+i%12), Accounts: accounts, Arr: arr,
			CsmHeadcount: int32(eff + 1), EffectiveCsms: eff, AccountsPerCsm: accounts / eff, ArrPerCsm: arr / eff,
			CsCost: 75000 * (eff + 1) / 6, CsCostShare: 12 * 75000 * (eff + 1) / 6 / arr,
		})
		accounts = accounts*0.99 + 9
		arr = arr*1.005 - arr*0.01 + 9*32000
	}
	for _, n := range []string{"review", "hire", "critical", "arr"} {
		r.Triggers = append(r.Triggers, &csplanv1.Trigger{Name: n, Threshold: 50, CrossingMonth: "2027-09",
			OpenRequisitionBy: "2027-04", Status: csplanv1.TriggerStatus_TRIGGER_STATUS_UPCOMING})
	}
	for i := 0; i < 8; i++ {
		r.HiringPlan = append(r.HiringPlan, &csplanv1.PlannedHire{RequisitionMonth: "2028-01", StartMonth: "2028-03",
			RampedMonth: "2028-06", FirstYearCost: 187500.5})
	}
	r.Assumptions = append(r.Assumptions, &csplanv1.Assumption{Name: "timeline.ramp_curve", Value: "RAMP_CURVE_LINEAR", Source: "request"})
	return r
}

func BenchmarkMarshal(b *testing.B) {
	for _, c := range []struct {
		name string
		m    proto.Message
	}{
		{"ComputeCapacityResponse", computeResponse()},
		{"ForecastCapacityResponse120", forecastResponse()},
		{"ComputeCapacityRequest", mustDecode(b, computeRequest, &csplanv1.ComputeCapacityRequest{})},
	} {
		want, _ := marshalOptions.Marshal(c.m)
		b.Run(c.name+"/pbjson", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(want)))
			buf := make([]byte, 0, 2*len(want))
			for b.Loop() {
				buf, _ = Marshal(buf[:0], c.m)
			}
		})
		b.Run(c.name+"/protojson", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(want)))
			for b.Loop() {
				_, _ = marshalOptions.Marshal(c.m)
			}
		})
	}
}

func BenchmarkUnmarshal(b *testing.B) {
	resp, _ := marshalOptions.Marshal(computeResponse())
	for _, c := range []struct {
		name string
		data []byte
		m    proto.Message
	}{
		{"ComputeCapacityRequest", []byte(computeRequest), &csplanv1.ComputeCapacityRequest{}},
		{"ForecastCapacityRequest", []byte(forecastRequest), &csplanv1.ForecastCapacityRequest{}},
		{"ComputeCapacityResponse", resp, &csplanv1.ComputeCapacityResponse{}},
	} {
		if !decodeFast(c.data, c.m) {
			b.Fatalf("%s: not in the fast subset", c.name)
		}
		b.Run(c.name+"/pbjson", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if err := Unmarshal(c.data, c.m); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/protojson", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if err := protojson.Unmarshal(c.data, c.m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func mustDecode(b *testing.B, s string, m proto.Message) proto.Message {
	if err := protojson.Unmarshal([]byte(s), m); err != nil {
		b.Fatal(err)
	}
	return m
}

// TestBenchmarkData keeps the benchmark messages honest: they must
// marshal identically and round-trip on the fast path.
func TestBenchmarkData(t *testing.T) {
	for _, m := range []proto.Message{computeResponse(), forecastResponse()} {
		out := checkMarshal(t, m)
		if !checkUnmarshal(t, m.ProtoReflect().Type(), out) {
			t.Errorf("%T output is not decoded on the fast path", m)
		}
	}
}
