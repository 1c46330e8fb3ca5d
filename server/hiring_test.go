package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

func hiringClient(s *testServer) csplanv1.HiringServiceClient {
	return csplanv1.NewHiringServiceClient(s.Conn())
}

func i32(x int32) *int32 { return &x }

// seed004Team is seed 004's team: $4M ARR, 5 busy CSMs on high touch
// (5.5 FTE of work), weighing a CSM on a $100K salary.
func seed004Team() *csplanv1.EvaluateHireRequest {
	return &csplanv1.EvaluateHireRequest{
		Arr: 4_000_000, CsmCount: 5, TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH,
		Hire: &csplanv1.EstimateHireCostRequest{BaseSalary: 100_000},
		Load: &csplanv1.HireLoad{WorkloadCsmFte: f64(5.5)},
	}
}

// moneyApprox compares the doubles of responses within planning precision.
var moneyApprox = cmpopts.EquateApprox(1e-9, 1e-6)

func TestEstimateHireCostGRPC(t *testing.T) {
	s := newTestServer(t)
	for _, tc := range []struct {
		name string
		req  *csplanv1.EstimateHireCostRequest
		want *csplanv1.EstimateHireCostResponse
	}{
		{
			// Seed 004: $100K -> $150K loaded, $12,500 a month, and 3
			// unproductive months = $37,500.
			name: "seed 004",
			req:  &csplanv1.EstimateHireCostRequest{BaseSalary: 100_000},
			want: &csplanv1.EstimateHireCostResponse{AnnualLoadedCost: 150_000, MonthlyLoadedCost: 12_500, RampCost: 37_500,
				FirstYearCost: 150_000, ProductiveMonthsFirstYear: 9},
		},
		{
			// Itemised 100,000 x 1.2765 + 6,000 + 16,350 = 150,000; fee
			// 15,000; 40 trainer hours at $60 = 2,400; 40 h over 4 h per
			// account per month = 10 account-months; LINEAR over 4 months.
			name: "itemized with one-time costs",
			req: &csplanv1.EstimateHireCostRequest{BaseSalary: 100_000,
				Itemized:           &csplanv1.ItemizedCost{ToolsPerYear: 6_000, OtherPerYear: 16_350},
				RecruitingFeeShare: f64(0.15), SignOnBonus: 5_000, RampMonths: i32(4), RampCurve: csplanv1.RampCurve_RAMP_CURVE_LINEAR,
				TrainerHours: 40, TrainerHourlyCost: f64(60), HoursPerAccountMonth: f64(4)},
			want: &csplanv1.EstimateHireCostResponse{AnnualLoadedCost: 150_000, MonthlyLoadedCost: 12_500, RampCost: 31_250,
				RecruitingFee: 15_000, SignOnBonus: 5_000, TrainingCost: 2_400, FirstYearCost: 172_400, ProductiveMonthsFirstYear: 9.5,
				TrainingCapacityHours: 40, TrainingCapacityAccountMonths: 10},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := hiringClient(s).EstimateHireCost(context.Background(), tc.req)
			if err != nil {
				t.Fatalf("EstimateHireCost: %v", err)
			}
			if diff := cmp.Diff(tc.want, got, protocmp.Transform(), moneyApprox, protocmp.IgnoreFields(&csplanv1.EstimateHireCostResponse{}, "assumptions")); diff != "" {
				t.Errorf("EstimateHireCost (-want +got):\n%s", diff)
			}
			if len(got.GetAssumptions()) == 0 {
				t.Error("no assumptions")
			}
		})
	}
}

func TestEvaluateHireGRPC(t *testing.T) {
	s := newTestServer(t)
	got, err := hiringClient(s).EvaluateHire(context.Background(), seed004Team())
	if err != nil {
		t.Fatalf("EvaluateHire: %v", err)
	}
	want := &csplanv1.EvaluateHireResponse{
		ArrPerCsmBefore: 800_000, ArrPerCsmAfter: 4_000_000.0 / 6, ArrPerCsmMilestone: 1_000_000,
		CostShareBefore: 0.1875, CostShareAfter: 0.225, FirstYearCost: 150_000, PaybackArr: 187_500,
		Verdict:     csplanv1.Verdict_VERDICT_HOLD,
		SizingBasis: csplanv1.SizingBasis_SIZING_BASIS_PLAYBOOK, SizingPolicy: csplanv1.SizingPolicy_SIZING_POLICY_PLAYBOOK_FIRST,
		Factors: []*csplanv1.FactorResult{
			{Factor: csplanv1.Factor_FACTOR_ARR, Value: 800_000, HealthyMin: 1e6, HealthyMax: 2e6, Limit: 2e6, Status: csplanv1.LoadStatus_LOAD_STATUS_UNDER, CsmsNeeded: 2},
			{Factor: csplanv1.Factor_FACTOR_WORKLOAD, Value: 1.1, HealthyMin: 0.7, HealthyMax: 1, Limit: 1, Status: csplanv1.LoadStatus_LOAD_STATUS_OVER, CsmsNeeded: 6},
		},
		Alternative: &csplanv1.AlternativeComparison{HireCostPerFte: 150_000},
	}
	if diff := cmp.Diff(want, got, protocmp.Transform(), moneyApprox,
		protocmp.IgnoreFields(&csplanv1.EvaluateHireResponse{}, "reasons", "assumptions")); diff != "" {
		t.Errorf("EvaluateHire(seed 004) (-want +got):\n%s", diff)
	}
	named := false
	for _, r := range got.GetReasons() {
		named = named || (strings.Contains(r, "$667K") && strings.Contains(r, "$1.00M"))
	}
	if !named {
		t.Errorf("reasons %q do not name $667K per CSM against the $1.00M milestone", got.GetReasons())
	}
}

func TestEvaluateHireUsesServerMonth(t *testing.T) {
	// The test server's clock says 2026-12: a trigger in 2027-01 is later,
	// one in 2026-12 is not.
	s := newTestServer(t)
	for _, tc := range []struct {
		trigger string
		want    csplanv1.Verdict
		hireBy  string
	}{
		{"2027-01", csplanv1.Verdict_VERDICT_HIRE_LATER, "2027-01"},
		{"2026-12", csplanv1.Verdict_VERDICT_HOLD, ""},
	} {
		got, err := hiringClient(s).EvaluateHire(context.Background(), &csplanv1.EvaluateHireRequest{
			Arr: 6_000_000, CsmCount: 5, Hire: &csplanv1.EstimateHireCostRequest{BaseSalary: 100_000}, TriggerMonth: proto.String(tc.trigger),
		})
		if err != nil {
			t.Fatalf("EvaluateHire: %v", err)
		}
		if got.GetVerdict() != tc.want || got.GetHireByMonth() != tc.hireBy {
			t.Errorf("trigger %s: verdict %v, hire by %q; want %v, %q", tc.trigger, got.GetVerdict(), got.GetHireByMonth(), tc.want, tc.hireBy)
		}
		want := &csplanv1.Assumption{Name: "as_of_month", Value: "2026-12", Source: "current month (UTC)"}
		if i := slices.IndexFunc(got.GetAssumptions(), func(a *csplanv1.Assumption) bool { return a.GetName() == "as_of_month" }); i < 0 {
			t.Errorf("trigger %s: no as_of_month assumption", tc.trigger)
		} else if diff := cmp.Diff(want, got.GetAssumptions()[i], protocmp.Transform()); diff != "" {
			t.Errorf("as_of_month (-want +got):\n%s", diff)
		}
	}
}

// forecastWithCost is a flat $1.2M book with 2 CSMs and a hire starting
// 2027-02, priced at seed 004's $150K loaded CSM.
func forecastWithCost() *csplanv1.ForecastCapacityRequest {
	return &csplanv1.ForecastCapacityRequest{
		StartMonth: "2027-01", HorizonMonths: 2, Accounts: 40, Arr: 1_200_000, CsmCount: 2,
		PlannedHireMonths: []string{"2027-02"},
		HireCost:          &csplanv1.EstimateHireCostRequest{BaseSalary: 100_000, RecruitingFeeShare: f64(0.2)},
	}
}

func TestForecastHireCostGRPC(t *testing.T) {
	s := newTestServer(t)
	got, err := s.capacity().ForecastCapacity(context.Background(), forecastWithCost())
	if err != nil {
		t.Fatalf("ForecastCapacity: %v", err)
	}
	// 2 x 12,500 = 25,000 a month is 25% of $1.2M a year; with the hire
	// 37,500, 37.5%.
	var costs [][2]float64
	for _, m := range got.GetMonths() {
		costs = append(costs, [2]float64{m.GetCsCost(), m.GetCsCostShare()})
	}
	if diff := cmp.Diff([][2]float64{{25_000, 0.25}, {37_500, 0.375}, {37_500, 0.375}}, costs, moneyApprox); diff != "" {
		t.Errorf("cs_cost, cs_cost_share (-want +got):\n%s", diff)
	}

	// Seed 000's plan priced: 150,000 + 20,000 fee in the first year.
	req := &csplanv1.ForecastCapacityRequest{StartMonth: "2026-12", HorizonMonths: 6, Accounts: 60, CsmCount: 1,
		Growth: &csplanv1.Growth{NewAccountsPerMonth: 5}, HireCost: forecastWithCost().GetHireCost()}
	got, err = s.capacity().ForecastCapacity(context.Background(), req)
	if err != nil {
		t.Fatalf("ForecastCapacity: %v", err)
	}
	wantPlan := []*csplanv1.PlannedHire{{RequisitionMonth: "2026-12", StartMonth: "2027-02", RampedMonth: "2027-05", FirstYearCost: 170_000}}
	if diff := cmp.Diff(wantPlan, got.GetHiringPlan(), protocmp.Transform(), moneyApprox); diff != "" {
		t.Errorf("hiring plan (-want +got):\n%s", diff)
	}
}

// TestHiringRESTMatchesGRPC sends each hiring call, and a forecast with a
// cost profile, through the gateway and checks the JSON answer is the gRPC
// answer.
func TestHiringRESTMatchesGRPC(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	h := hiringClient(s)
	estimate := &csplanv1.EstimateHireCostRequest{BaseSalary: 100_000, Itemized: &csplanv1.ItemizedCost{ToolsPerYear: 6_000},
		TrainerHours: 40, Playbook: workedCheck().GetSegments()[0].GetPlaybook()}
	evaluate := seed004Team()
	evaluate.Cash, evaluate.MonthlyBurn = f64(6_000_000), f64(250_000)
	evaluate.TechTouchAlternative = &csplanv1.TechTouchAlternative{AccountsMoved: 60, HoursSavedPerAccountMonth: 1.5, PlatformCostPerYear: 40_000}
	evaluate.TriggerMonth = proto.String("2027-06")
	cases := []struct {
		name  string
		route string
		req   proto.Message
		grpc  func() (proto.Message, error)
		resp  proto.Message
	}{
		{"EstimateHireCost", "/v1/hiring:estimateCost", estimate,
			func() (proto.Message, error) { return h.EstimateHireCost(ctx, estimate) }, &csplanv1.EstimateHireCostResponse{}},
		{"EvaluateHire", "/v1/hiring:evaluate", evaluate,
			func() (proto.Message, error) { return h.EvaluateHire(ctx, evaluate) }, &csplanv1.EvaluateHireResponse{}},
		{"ForecastCapacity with hire_cost", "/v1/capacity:forecast", forecastWithCost(),
			func() (proto.Message, error) { return s.capacity().ForecastCapacity(ctx, forecastWithCost()) }, &csplanv1.ForecastCapacityResponse{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, err := protojson.Marshal(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			code, got := s.Do(http.MethodPost, tc.route, string(body))
			if code != http.StatusOK {
				t.Fatalf("POST %s = %d %s, want 200", tc.route, code, got)
			}
			if err := protojson.Unmarshal(got, tc.resp); err != nil {
				t.Fatalf("response is not a %T: %v\n%s", tc.resp, err, got)
			}
			want, err := tc.grpc()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, tc.resp, protocmp.Transform()); diff != "" {
				t.Errorf("REST answer differs from gRPC (-grpc +rest):\n%s", diff)
			}
		})
	}
}

// TestHiringRESTJSONShape checks the names and values a frontend reads.
func TestHiringRESTJSONShape(t *testing.T) {
	s := newTestServer(t)
	code, body := s.Do(http.MethodPost, "/v1/hiring:evaluate",
		`{"arr": 4000000, "csmCount": 5, "touchModel": "TOUCH_MODEL_HIGH", "hire": {"baseSalary": 100000}, "load": {"workloadCsmFte": 5.5}}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got["verdict"] != "VERDICT_HOLD" {
		t.Errorf("verdict = %v, want VERDICT_HOLD", got["verdict"])
	}
	if v, ok := got["runwayMonthsBefore"]; !ok || v != float64(0) {
		t.Errorf("runwayMonthsBefore = %v (present %v), want a rendered 0", v, ok)
	}
	if v, ok := got["hireByMonth"]; !ok || v != "" {
		t.Errorf("hireByMonth = %v (present %v), want a rendered empty string", v, ok)
	}
	if alt, ok := got["alternative"].(map[string]any); !ok || alt["hireCostPerFte"] != float64(150_000) {
		t.Errorf("alternative = %v, want an object with hireCostPerFte 150000", got["alternative"])
	}

	// A forecast without hire_cost still renders its cost fields as 0.
	code, body = s.Do(http.MethodPost, "/v1/capacity:forecast", `{"startMonth": "2027-01", "horizonMonths": 1, "accounts": 10, "csmCount": 1}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var f struct {
		Months []map[string]any `json:"months"`
	}
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatal(err)
	}
	if v, ok := f.Months[0]["csCost"]; !ok || v != float64(0) {
		t.Errorf("csCost = %v (present %v), want a rendered 0", v, ok)
	}
}

func TestHiringInvalidArgumentGRPC(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	// Negative salary, a share of 1.5, a 25-month ramp, and both a
	// multiplier and an itemisation.
	bad := func() *csplanv1.EstimateHireCostRequest {
		return &csplanv1.EstimateHireCostRequest{BaseSalary: -100_000, RecruitingFeeShare: f64(1.5), RampMonths: i32(25),
			LoadedCostMultiplier: f64(1.5), Itemized: &csplanv1.ItemizedCost{BenefitsShare: f64(1.5)}}
	}
	fields := func(prefix string) []string {
		var out []string
		for _, f := range []string{"base_salary", "itemized.benefits_share", "loaded_cost_multiplier", "ramp_months", "recruiting_fee_share"} {
			if prefix != "" {
				f = prefix + "." + f
			}
			out = append(out, f)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		call func() error
		want []string
	}{
		{"EstimateHireCost", func() error { _, err := hiringClient(s).EstimateHireCost(ctx, bad()); return err }, fields("")},
		{"EvaluateHire", func() error {
			req := seed004Team()
			req.Hire = bad()
			req.MaxCostShare = f64(1.5)
			req.Cash = f64(1e6)
			_, err := hiringClient(s).EvaluateHire(ctx, req)
			return err
		}, append(fields("hire"), "max_cost_share", "monthly_burn")},
		{"ForecastCapacity", func() error {
			req := forecastWithCost()
			req.HireCost = bad()
			_, err := s.capacity().ForecastCapacity(ctx, req)
			return err
		}, fields("hire_cost")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := status.Convert(tc.call())
			if st.Code() != codes.InvalidArgument {
				t.Fatalf("code = %v, want InvalidArgument (%v)", st.Code(), st.Err())
			}
			got := badRequestFields(st)
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.want))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("field violations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHiringInvalidArgumentREST(t *testing.T) {
	s := newTestServer(t)
	for _, tc := range []struct {
		name, route, body string
		wantField         string
	}{
		{"negative salary", "/v1/hiring:estimateCost", `{"baseSalary": -1}`, "baseSalary"},
		{"share 1.5", "/v1/hiring:estimateCost", `{"baseSalary": 100000, "recruitingFeeShare": 1.5}`, "recruitingFeeShare"},
		{"ramp 25 months", "/v1/hiring:estimateCost", `{"baseSalary": 100000, "rampMonths": 25}`, "rampMonths"},
		{"multiplier and itemized", "/v1/hiring:estimateCost", `{"baseSalary": 100000, "loadedCostMultiplier": 1.5, "itemized": {}}`, "loadedCostMultiplier"},
		{"NaN salary", "/v1/hiring:estimateCost", `{"baseSalary": "NaN"}`, "baseSalary"},
		{"hire salary", "/v1/hiring:evaluate", `{"arr": 4000000, "csmCount": 5, "hire": {"baseSalary": -1}}`, "hire.baseSalary"},
		{"hire ramp", "/v1/hiring:evaluate", `{"arr": 4000000, "csmCount": 5, "hire": {"baseSalary": 100000, "rampMonths": 25}}`, "hire.rampMonths"},
		{"cash without burn", "/v1/hiring:evaluate", `{"arr": 4000000, "csmCount": 5, "hire": {"baseSalary": 100000}, "cash": 1000000}`, "monthlyBurn"},
		{"trigger month 13", "/v1/hiring:evaluate", `{"arr": 4000000, "csmCount": 5, "hire": {"baseSalary": 100000}, "triggerMonth": "2027-13"}`, "triggerMonth"},
		{"forecast hire cost share", "/v1/capacity:forecast", `{"accounts": 10, "csmCount": 1, "hireCost": {"baseSalary": 100000, "recruitingFeeShare": 1.5}}`, "hireCost.recruitingFeeShare"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.Do(http.MethodPost, tc.route, tc.body)
			if code != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400: %s", code, body)
			}
			if fields := restFields(t, body); !contains(fields, tc.wantField) {
				t.Errorf("field violations %v lack %q\n%s", fields, tc.wantField, body)
			}
		})
	}
	// An unknown field is a 400 too, and the server keeps serving.
	if code, body := s.Do(http.MethodPost, "/v1/hiring:estimateCost", `{"baseSalry": 100000}`); code != http.StatusBadRequest {
		t.Errorf("misspelt field: status %d, want 400: %s", code, body)
	}
	if code, body := s.Do(http.MethodPost, "/v1/hiring:estimateCost", `{"baseSalary": 100000}`); code != http.StatusOK {
		t.Errorf("after bad requests: status %d, want 200: %s", code, body)
	}
}

// TestHiringEmptyRequests: the smallest bodies are a 400 naming the
// missing salary, never a 500.
func TestHiringEmptyRequests(t *testing.T) {
	s := newTestServer(t)
	for _, route := range []string{"/v1/hiring:estimateCost", "/v1/hiring:evaluate"} {
		for _, body := range []string{`{}`, ``} {
			code, resp := s.Do(http.MethodPost, route, body)
			if code != http.StatusBadRequest {
				t.Errorf("POST %s %q = %d %s, want 400", route, body, code, resp)
				continue
			}
			if fields := restFields(t, resp); !contains(fields, "baseSalary") && !contains(fields, "hire.baseSalary") {
				t.Errorf("POST %s %q: violations %v do not name the salary", route, body, fields)
			}
		}
	}
}
