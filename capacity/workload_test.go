package capacity

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// capFloat returns a pointer to x, for optional request fields.
func capFloat(x float64) *float64 { return &x }

// capNear reports whether got is within 1e-6 of want (relative for large
// values): the domain's figures are planning numbers, not exact sums.
func capNear(got, want float64) bool {
	return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want))
}

// capFloatCmp compares floats in structs with capNear's tolerance.
var capFloatCmp = cmpopts.EquateApprox(1e-9, 1e-6)

// violationFields returns the sorted field paths of a *ValidationError, or
// fails the test when err is not one.
func violationFields(t *testing.T, err error) []string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v (%T), want a *ValidationError", err, err)
	}
	fields := make([]string, 0, len(ve.Violations))
	for _, v := range ve.Violations {
		if strings.TrimSpace(v.Reason) == "" {
			t.Errorf("violation of %q has no reason", v.Field)
		}
		fields = append(fields, v.Field)
	}
	slices.Sort(fields)
	return fields
}

// sortedFields sorts a copy of want so that tables can list fields in
// request order.
func sortedFields(want ...string) []string {
	out := slices.Clone(want)
	slices.Sort(out)
	return out
}

// workedPlaybook is the design's worked check (section 1): monthly check-in
// 1 h, QBR 3 h, monthly product update 0.5 h, kick-off 4 h once, 2 inbound
// requests of 0.5 h per account per month.
func workedPlaybook() Playbook {
	return Playbook{
		Touchpoints: []Touchpoint{
			{Name: "check-in", Hours: 1, Cadence: CadenceMonthly},
			{Name: "quarterly business review", Hours: 3, Cadence: CadenceQuarterly},
			{Name: "product update", Hours: 0.5, Cadence: CadenceMonthly},
			{Name: "kick-off", Hours: 4, Cadence: CadenceOneTime},
		},
		Inbound: []InboundActivity{{Name: "inbound requests", PerAccountPerMonth: 2, Hours: 0.5}},
	}
}

func TestAvailableHours(t *testing.T) {
	tests := []struct {
		name string
		in   CSMTime
		want float64
	}{
		// 40 * (52 - 25/5) / 12 = 156.67 working hours, two-thirds of them
		// with customers (seed 002).
		{"defaults", CSMTime{}, 156.66666666666666 * 2 / 3},
		{"explicit share", CSMTime{CustomerFacingShare: capFloat(0.5)}, 78.33333333333333},
		{"no time off, 45 hours", CSMTime{WeeklyHours: capFloat(45), TimeOffDaysPerYear: capFloat(0)}, 45 * 52.0 / 12 * 2 / 3},
		{"internal activities replace the share", CSMTime{InternalActivities: []InternalActivity{
			{Name: "team meetings", HoursPerMonth: 12},
			{Name: "email", HoursPerMonth: 8},
		}}, 156.66666666666666 - 20},
		{"utilization", CSMTime{CustomerFacingShare: capFloat(1), TargetUtilization: capFloat(0.8)}, 156.66666666666666 * 0.8},
		{"zero-hour activity", CSMTime{InternalActivities: []InternalActivity{{Name: "none", HoursPerMonth: 0}}}, 156.66666666666666},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := AvailableHours(tt.in, "csm_time")
			if err != nil {
				t.Fatalf("AvailableHours(%+v) error = %v", tt.in, err)
			}
			if !capNear(got, tt.want) {
				t.Errorf("AvailableHours(%+v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestAvailableHoursAssumptions(t *testing.T) {
	tests := []struct {
		name string
		in   CSMTime
		want []Assumption
	}{
		{"defaults", CSMTime{}, []Assumption{
			{Name: "csm_time.weekly_hours", Value: "40", Source: sourceWeeklyHours},
			{Name: "csm_time.time_off_days_per_year", Value: "25", Source: "assumption"},
			{Name: "csm_time.customer_facing_share", Value: formatFloat(2.0 / 3), Source: "seed 002"},
			{Name: "csm_time.target_utilization", Value: "1", Source: sourceUtilization},
		}},
		{"given values and activities", CSMTime{
			WeeklyHours:        capFloat(37.5),
			TimeOffDaysPerYear: capFloat(0),
			InternalActivities: []InternalActivity{{Name: "1:1s", HoursPerMonth: 4}},
			TargetUtilization:  capFloat(0.85),
		}, []Assumption{
			{Name: "csm_time.weekly_hours", Value: "37.5", Source: SourceRequest},
			{Name: "csm_time.time_off_days_per_year", Value: "0", Source: SourceRequest},
			{Name: "csm_time.target_utilization", Value: "0.85", Source: SourceRequest},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, err := AvailableHours(tt.in, "csm_time")
			if err != nil {
				t.Fatalf("AvailableHours(%+v) error = %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("AvailableHours(%+v) assumptions (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestAvailableHoursErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     CSMTime
		prefix string
		want   []string
	}{
		{"every scalar bad", CSMTime{
			WeeklyHours:         capFloat(0),
			TimeOffDaysPerYear:  capFloat(-1),
			CustomerFacingShare: capFloat(1.5),
			TargetUtilization:   capFloat(0),
		}, "csm_time", []string{"csm_time.weekly_hours", "csm_time.time_off_days_per_year", "csm_time.customer_facing_share", "csm_time.target_utilization"}},
		{"not numbers", CSMTime{
			WeeklyHours:         capFloat(math.NaN()),
			TimeOffDaysPerYear:  capFloat(math.Inf(1)),
			CustomerFacingShare: capFloat(math.NaN()),
			TargetUtilization:   capFloat(math.Inf(-1)),
		}, "csm_time", []string{"csm_time.weekly_hours", "csm_time.time_off_days_per_year", "csm_time.customer_facing_share", "csm_time.target_utilization"}},
		{"more hours than a week", CSMTime{WeeklyHours: capFloat(169)}, "csm_time", []string{"csm_time.weekly_hours"}},
		{"every working day off", CSMTime{TimeOffDaysPerYear: capFloat(260)}, "csm_time", []string{"csm_time.time_off_days_per_year"}},
		{"share of 0", CSMTime{CustomerFacingShare: capFloat(0)}, "csm_time", []string{"csm_time.customer_facing_share"}},
		{"utilization above 1", CSMTime{TargetUtilization: capFloat(1.2)}, "csm_time", []string{"csm_time.target_utilization"}},
		{"share and activities", CSMTime{
			CustomerFacingShare: capFloat(0.6),
			InternalActivities:  []InternalActivity{{Name: "meetings", HoursPerMonth: 10}},
		}, "csm_time", []string{"csm_time.customer_facing_share"}},
		{"bad activities", CSMTime{InternalActivities: []InternalActivity{
			{Name: " ", HoursPerMonth: 1},
			{Name: "email", HoursPerMonth: -2},
			{Name: "", HoursPerMonth: math.NaN()},
		}}, "csm_time", []string{"csm_time.internal_activities[0].name", "csm_time.internal_activities[1].hours_per_month", "csm_time.internal_activities[2].name", "csm_time.internal_activities[2].hours_per_month"}},
		{"activities leave no customer time", CSMTime{InternalActivities: []InternalActivity{
			{Name: "meetings", HoursPerMonth: 100},
			{Name: "email", HoursPerMonth: 56.67},
		}}, "csm_time", []string{"csm_time.internal_activities"}},
		{"too many activities", CSMTime{InternalActivities: make([]InternalActivity, MaxInternalActivities+1)}, "csm_time", []string{"csm_time.internal_activities"}},
		{"other prefix", CSMTime{WeeklyHours: capFloat(-1), CustomerFacingShare: capFloat(2)}, "hire.csm_time", []string{"hire.csm_time.weekly_hours", "hire.csm_time.customer_facing_share"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := AvailableHours(tt.in, tt.prefix)
			if err == nil {
				t.Fatalf("AvailableHours(%+v) = %v, want an error", tt.in, got)
			}
			if diff := cmp.Diff(sortedFields(tt.want...), violationFields(t, err)); diff != "" {
				t.Errorf("AvailableHours(%+v) error fields (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestHoursPerAccount(t *testing.T) {
	tests := []struct {
		name       string
		pb         Playbook
		accounts   int32
		newPerMo   *float64
		lifetime   *float64
		want       float64
		wantItems  []HoursItem
		wantAssume []Assumption
	}{
		{
			name: "worked check: kick-off over 36 months", pb: workedPlaybook(), accounts: 200,
			want: 1 + 1 + 0.5 + 4.0/36 + 1,
			wantItems: []HoursItem{
				{"check-in", 1}, {"quarterly business review", 1}, {"product update", 0.5},
				{"kick-off", 4.0 / 36}, {"inbound requests", 1},
			},
			wantAssume: []Assumption{{Name: "segments[0].customer_lifetime_months", Value: "36", Source: "assumption"}},
		},
		{
			name: "kick-off smoothed over new accounts", pb: workedPlaybook(), accounts: 200, newPerMo: capFloat(5),
			want: 1 + 1 + 0.5 + 4*5.0/200 + 1,
			wantItems: []HoursItem{
				{"check-in", 1}, {"quarterly business review", 1}, {"product update", 0.5},
				{"kick-off", 0.1}, {"inbound requests", 1},
			},
			wantAssume: []Assumption{{Name: "segments[0].new_accounts_per_month", Value: "5", Source: SourceRequest}},
		},
		{
			name: "no accounts: lifetime, even with new accounts", pb: workedPlaybook(), accounts: 0, newPerMo: capFloat(5), lifetime: capFloat(24),
			want: 1 + 1 + 0.5 + 4.0/24 + 1,
			wantItems: []HoursItem{
				{"check-in", 1}, {"quarterly business review", 1}, {"product update", 0.5},
				{"kick-off", 4.0 / 24}, {"inbound requests", 1},
			},
			wantAssume: []Assumption{{Name: "segments[0].customer_lifetime_months", Value: "24", Source: SourceRequest}},
		},
		{
			name: "no one-time touchpoint: no smoothing assumption",
			pb: Playbook{Touchpoints: []Touchpoint{
				{Name: "weekly call", Hours: 0.5, Cadence: CadenceWeekly},
				{Name: "biweekly sync", Hours: 1, Cadence: CadenceBiweekly},
				{Name: "semiannual review", Hours: 6, Cadence: CadenceSemiannual},
				{Name: "annual plan", Hours: 12, Cadence: CadenceAnnual},
				{Name: "health check", Hours: 2, PerYear: capFloat(6)},
			}},
			accounts: 10,
			want:     0.5*52/12 + 26.0/12 + 1 + 1 + 1,
			wantItems: []HoursItem{
				{"weekly call", 0.5 * 52 / 12}, {"biweekly sync", 26.0 / 12}, {"semiannual review", 1},
				{"annual plan", 1}, {"health check", 1},
			},
		},
		{
			name: "inbound only", pb: Playbook{Inbound: []InboundActivity{{Name: "tickets", PerAccountPerMonth: 0.25, Hours: 2}}},
			accounts: 1, want: 0.5, wantItems: []HoursItem{{"tickets", 0.5}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, items, as, err := HoursPerAccount(tt.pb, tt.accounts, tt.newPerMo, tt.lifetime, "segments[0].playbook")
			if err != nil {
				t.Fatalf("HoursPerAccount(%+v) error = %v", tt.pb, err)
			}
			if !capNear(got, tt.want) {
				t.Errorf("HoursPerAccount(%+v) = %v, want %v", tt.pb, got, tt.want)
			}
			if diff := cmp.Diff(tt.wantItems, items, capFloatCmp); diff != "" {
				t.Errorf("HoursPerAccount(%+v) breakdown (-want +got):\n%s", tt.pb, diff)
			}
			if diff := cmp.Diff(tt.wantAssume, as, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("HoursPerAccount(%+v) assumptions (-want +got):\n%s", tt.pb, diff)
			}
		})
	}
}

func TestHoursPerAccountErrors(t *testing.T) {
	tests := []struct {
		name     string
		pb       Playbook
		newPerMo *float64
		lifetime *float64
		prefix   string
		want     []string
	}{
		{"empty playbook", Playbook{}, nil, nil, "segments[2].playbook", []string{"segments[2].playbook"}},
		{"zero hours", Playbook{
			Touchpoints: []Touchpoint{{Name: "call", Hours: 0, Cadence: CadenceMonthly}},
			Inbound:     []InboundActivity{{Name: "tickets", PerAccountPerMonth: 0, Hours: 3}},
		}, nil, nil, "segments[0].playbook", []string{"segments[0].playbook"}},
		{"every touchpoint field", Playbook{Touchpoints: []Touchpoint{
			{Name: "", Hours: -1, Cadence: CadenceMonthly},
			{Name: "no cadence", Hours: 1},
			{Name: "both", Hours: 1, Cadence: CadenceQuarterly, PerYear: capFloat(4)},
			{Name: "unknown cadence", Hours: 1, Cadence: Cadence(99)},
			{Name: "never", Hours: 1, PerYear: capFloat(0)},
			{Name: "nan", Hours: math.NaN(), PerYear: capFloat(math.Inf(1))},
		}}, nil, nil, "segments[1].playbook", []string{
			"segments[1].playbook.touchpoints[0].name", "segments[1].playbook.touchpoints[0].hours",
			"segments[1].playbook.touchpoints[1].cadence",
			"segments[1].playbook.touchpoints[2].per_year",
			"segments[1].playbook.touchpoints[3].cadence",
			"segments[1].playbook.touchpoints[4].per_year",
			"segments[1].playbook.touchpoints[5].hours", "segments[1].playbook.touchpoints[5].per_year",
		}},
		{"every inbound field", Playbook{Inbound: []InboundActivity{
			{Name: " ", PerAccountPerMonth: -1, Hours: math.Inf(1)},
		}}, nil, nil, "playbook", []string{"playbook.inbound[0].name", "playbook.inbound[0].per_account_per_month", "playbook.inbound[0].hours"}},
		{"smoothing fields beside the playbook", workedPlaybook(), capFloat(-1), capFloat(0), "segments[3].playbook",
			[]string{"segments[3].new_accounts_per_month", "segments[3].customer_lifetime_months"}},
		{"top-level playbook", workedPlaybook(), capFloat(math.NaN()), capFloat(-36), "playbook",
			[]string{"new_accounts_per_month", "customer_lifetime_months"}},
		{"too many touchpoints and inbound", Playbook{
			Touchpoints: make([]Touchpoint, MaxTouchpoints+1),
			Inbound:     make([]InboundActivity, MaxInboundActivities+1),
		}, nil, nil, "segments[0].playbook", []string{"segments[0].playbook.touchpoints", "segments[0].playbook.inbound"}},
		{"hours too large to count", Playbook{Touchpoints: []Touchpoint{{Name: "x", Hours: math.MaxFloat64, PerYear: capFloat(1e10)}}},
			nil, nil, "segments[0].playbook", []string{"segments[0].playbook"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, _, err := HoursPerAccount(tt.pb, 100, tt.newPerMo, tt.lifetime, tt.prefix)
			if err == nil {
				t.Fatalf("HoursPerAccount(%+v) = %v, want an error", tt.pb, got)
			}
			if diff := cmp.Diff(sortedFields(tt.want...), violationFields(t, err)); diff != "" {
				t.Errorf("HoursPerAccount(%+v) error fields (-want +got):\n%s", tt.pb, diff)
			}
		})
	}
}

// TestComputeCapacityWorkedCheck is the design's worked check (section 1,
// seed 002's method): 104.44 h, 3.611 h per account, 28 accounts per CSM,
// 200 accounts -> 6.91 FTE, 7 CSMs.
func TestComputeCapacityWorkedCheck(t *testing.T) {
	req := CapacityRequest{Segments: []Segment{{Name: "Mid-market", Accounts: 200, ARR: 5_000_000, Playbook: workedPlaybook()}}}
	got, err := ComputeCapacity(req)
	if err != nil {
		t.Fatalf("ComputeCapacity(%+v) error = %v", req, err)
	}
	hours := 3.6111111111111111
	available := 104.44444444444444
	fte := 200 * hours / available // 6.915
	want := CapacityPlan{
		AvailableHoursPerCSMMonth: available,
		Segments: []SegmentCapacity{{
			Name:                 "Mid-market",
			HoursPerAccountMonth: hours,
			Breakdown: []HoursItem{
				{"check-in", 1}, {"quarterly business review", 1}, {"product update", 0.5},
				{"kick-off", 4.0 / 36}, {"inbound requests", 1},
			},
			AccountsPerCSM: 28,
			CSMFTE:         fte,
			CSMHeadcount:   7,
			ARRPerCSM:      5_000_000 / fte,
		}},
		TotalCSMFTE:       fte,
		TotalCSMHeadcount: 7,
		TotalARR:          5_000_000,
		ARRPerCSM:         5_000_000 / fte,
		Assumptions: []Assumption{
			{Name: "csm_time.weekly_hours", Value: "40", Source: sourceWeeklyHours},
			{Name: "csm_time.time_off_days_per_year", Value: "25", Source: "assumption"},
			{Name: "csm_time.customer_facing_share", Value: formatFloat(2.0 / 3), Source: "seed 002"},
			{Name: "csm_time.target_utilization", Value: "1", Source: sourceUtilization},
			{Name: "segments[0].customer_lifetime_months", Value: "36", Source: "assumption"},
		},
	}
	if diff := cmp.Diff(want, got, capFloatCmp); diff != "" {
		t.Errorf("ComputeCapacity(worked check) (-want +got):\n%s", diff)
	}
	// The rounded figures the design quotes.
	if math.Round(got.AvailableHoursPerCSMMonth*100)/100 != 104.44 || math.Round(got.Segments[0].CSMFTE*100)/100 != 6.91 {
		t.Errorf("ComputeCapacity(worked check) = %.4f h, %.4f FTE, want 104.44 h, 6.91 FTE", got.AvailableHoursPerCSMMonth, got.Segments[0].CSMFTE)
	}
}

func TestComputeCapacitySegments(t *testing.T) {
	monthly := func(h float64) Playbook {
		return Playbook{Touchpoints: []Touchpoint{{Name: "call", Hours: h, Cadence: CadenceMonthly}}}
	}
	// Share 1, no time off, 30 h weeks: 30 * 52 / 12 = 130 h a month.
	csm := CSMTime{WeeklyHours: capFloat(30), TimeOffDaysPerYear: capFloat(0), CustomerFacingShare: capFloat(1)}
	req := CapacityRequest{CSMTime: csm, Segments: []Segment{
		{Name: "Enterprise", Accounts: 65, ARR: 6_000_000, Playbook: monthly(5)}, // 26 per CSM, 2.5 FTE
		{Name: "SMB", Accounts: 325, ARR: 2_000_000, Playbook: monthly(1)},       // 130 per CSM, 2.5 FTE
		{Name: "Prospects", Accounts: 0, ARR: 0, Playbook: workedPlaybook()},     // no load
	}}
	got, err := ComputeCapacity(req)
	if err != nil {
		t.Fatalf("ComputeCapacity(%+v) error = %v", req, err)
	}
	type row struct {
		Name           string
		AccountsPerCSM float64
		CSMFTE         float64
		CSMHeadcount   int32
		ARRPerCSM      float64
	}
	var rows []row
	for _, s := range got.Segments {
		rows = append(rows, row{s.Name, s.AccountsPerCSM, s.CSMFTE, s.CSMHeadcount, s.ARRPerCSM})
	}
	wantRows := []row{
		{"Enterprise", 26, 2.5, 3, 2_400_000},
		{"SMB", 130, 2.5, 3, 800_000},
		{"Prospects", 36, 0, 0, 0}, // 130 / 3.6111 = 36 within the tolerance
	}
	if diff := cmp.Diff(wantRows, rows, capFloatCmp); diff != "" {
		t.Errorf("ComputeCapacity segments (-want +got):\n%s", diff)
	}
	// Headcount is the sum of per-segment headcounts (CSMs are dedicated
	// to a segment), not ceil of the FTE sum: 3 + 3, not 5.
	if got.TotalCSMFTE != 5 || got.TotalCSMHeadcount != 6 || got.TotalARR != 8_000_000 || !capNear(got.ARRPerCSM, 1_600_000) {
		t.Errorf("ComputeCapacity totals = %v FTE, %d CSMs, ARR %v, %v per CSM; want 5 FTE, 6 CSMs, ARR 8e6, 1.6e6 per CSM",
			got.TotalCSMFTE, got.TotalCSMHeadcount, got.TotalARR, got.ARRPerCSM)
	}
	// The zero-account segment used the lifetime default: it is echoed
	// under its own path.
	if !slices.ContainsFunc(got.Assumptions, func(a Assumption) bool { return a.Name == "segments[2].customer_lifetime_months" }) {
		t.Errorf("ComputeCapacity assumptions = %v, want segments[2].customer_lifetime_months", got.Assumptions)
	}
}

func TestComputeCapacityTolerance(t *testing.T) {
	// 23.0769230769 h a week with no time off and share 1 is 99.9999999999 h
	// a month: 100 accounts of 1 h are 1.000000000001 FTE. Plain ceil would
	// say 2 CSMs and plain floor 99 accounts per CSM.
	req := CapacityRequest{
		CSMTime: CSMTime{WeeklyHours: capFloat(23.0769230769), TimeOffDaysPerYear: capFloat(0), CustomerFacingShare: capFloat(1)},
		Segments: []Segment{{Name: "All", Accounts: 100, Playbook: Playbook{
			Touchpoints: []Touchpoint{{Name: "call", Hours: 1, Cadence: CadenceMonthly}},
		}}},
	}
	got, err := ComputeCapacity(req)
	if err != nil {
		t.Fatalf("ComputeCapacity(%+v) error = %v", req, err)
	}
	if s := got.Segments[0]; s.CSMFTE <= 1 || s.CSMHeadcount != 1 || s.AccountsPerCSM != 100 {
		t.Errorf("ComputeCapacity(tolerance) = %v FTE, %d CSMs, %v accounts per CSM; want just over 1 FTE, 1 CSM, 100 accounts per CSM",
			s.CSMFTE, s.CSMHeadcount, s.AccountsPerCSM)
	}
}

func TestComputeCapacityErrors(t *testing.T) {
	good := func(name string) Segment {
		return Segment{Name: name, Accounts: 10, ARR: 100_000, Playbook: workedPlaybook()}
	}
	tests := []struct {
		name string
		req  CapacityRequest
		want []string
	}{
		{"no segments", CapacityRequest{}, []string{"segments"}},
		{"too many segments", CapacityRequest{Segments: make([]Segment, MaxSegments+1)}, []string{"segments"}},
		{"names missing and duplicated", CapacityRequest{Segments: []Segment{
			good("Enterprise"), good(" "), good(" enterprise "), good("SMB"), good("smb"),
		}}, []string{"segments[1].name", "segments[2].name", "segments[4].name"}},
		{"every segment field", CapacityRequest{Segments: []Segment{
			{Name: "A", Accounts: -1, ARR: math.NaN(), Playbook: workedPlaybook(), NewAccountsPerMonth: capFloat(-1), CustomerLifetimeMonths: capFloat(0)},
			{Name: "B", Accounts: 5, ARR: -5, Playbook: Playbook{}},
		}}, []string{
			"segments[0].accounts", "segments[0].arr", "segments[0].new_accounts_per_month", "segments[0].customer_lifetime_months",
			"segments[1].arr", "segments[1].playbook",
		}},
		{"csm time and playbooks at once", CapacityRequest{
			CSMTime: CSMTime{CustomerFacingShare: capFloat(67)},
			Segments: []Segment{
				good("A"),
				{Name: "B", Accounts: 5, Playbook: Playbook{Touchpoints: []Touchpoint{{Name: "qbr", Hours: -3, Cadence: CadenceQuarterly}}}},
				{Name: "C", Accounts: 5, Playbook: Playbook{Touchpoints: []Touchpoint{{Name: "qbr", Hours: 3}}}},
			},
		}, []string{"csm_time.customer_facing_share", "segments[1].playbook.touchpoints[0].hours", "segments[2].playbook.touchpoints[0].cadence"}},
		{"more CSMs than a count holds", CapacityRequest{Segments: []Segment{
			{Name: "Huge", Accounts: math.MaxInt32, Playbook: Playbook{Touchpoints: []Touchpoint{{Name: "x", Hours: 1e6, Cadence: CadenceWeekly}}}},
		}}, []string{"segments[0].accounts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ComputeCapacity(tt.req)
			if err == nil {
				t.Fatalf("ComputeCapacity(%s) = %+v, want an error", tt.name, got)
			}
			if diff := cmp.Diff(sortedFields(tt.want...), violationFields(t, err)); diff != "" {
				t.Errorf("ComputeCapacity(%s) error fields (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}
