package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// testServer is a csplan server on real loopback TCP listeners, with the
// test clock, and clients of its services.
type testServer struct{ *servertest.Server }

// fixedNow is the clock of test servers: requests without a start month
// start in 2026-12.
var fixedNow = time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC)

func newTestServer(t testing.TB) *testServer {
	t.Helper()
	return &testServer{servertest.NewServer(t, server.Config{Now: func() time.Time { return fixedNow }})}
}

func (s *testServer) capacity() csplanv1.CapacityServiceClient {
	return csplanv1.NewCapacityServiceClient(s.Conn())
}

func f64(x float64) *float64 { return &x }

// workedCheck is DESIGN.md's worked check of the bottom-up model.
func workedCheck() *csplanv1.ComputeCapacityRequest {
	return &csplanv1.ComputeCapacityRequest{
		CsmTime: &csplanv1.CsmTime{WeeklyHours: f64(40), TimeOffDaysPerYear: f64(25), CustomerFacingShare: f64(2.0 / 3)},
		Segments: []*csplanv1.CapacitySegment{{
			Name: "Core", Accounts: 200, Arr: 5_000_000,
			Playbook: &csplanv1.Playbook{
				Touchpoints: []*csplanv1.Touchpoint{
					{Name: "Monthly check-in", Hours: 1, Cadence: csplanv1.Cadence_CADENCE_MONTHLY},
					{Name: "Quarterly business review", Hours: 3, Cadence: csplanv1.Cadence_CADENCE_QUARTERLY},
					{Name: "Monthly product update", Hours: 0.5, Cadence: csplanv1.Cadence_CADENCE_MONTHLY},
					{Name: "Kick-off", Hours: 4, Cadence: csplanv1.Cadence_CADENCE_ONE_TIME},
				},
				Inbound: []*csplanv1.InboundActivity{{Name: "Requests", PerAccountPerMonth: 2, Hours: 0.5}},
			},
		}},
	}
}

func approx(a, b float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= 1e-6*(1+abs(b))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestComputeCapacityGRPC(t *testing.T) {
	s := newTestServer(t)
	got, err := s.capacity().ComputeCapacity(context.Background(), workedCheck())
	if err != nil {
		t.Fatalf("ComputeCapacity: %v", err)
	}
	if !approx(got.GetAvailableHoursPerCsmMonth(), 104.44444444444444) {
		t.Errorf("available hours = %v, want 104.444", got.GetAvailableHoursPerCsmMonth())
	}
	seg := got.GetSegments()[0]
	if !approx(seg.GetHoursPerAccountMonth(), 3.6111111111111111) {
		t.Errorf("hours per account = %v, want 3.611", seg.GetHoursPerAccountMonth())
	}
	if seg.GetAccountsPerCsm() != 28 || seg.GetCsmHeadcount() != 7 || got.GetTotalCsmHeadcount() != 7 {
		t.Errorf("accounts per CSM %v, headcount %d (total %d), want 28 and 7", seg.GetAccountsPerCsm(), seg.GetCsmHeadcount(), got.GetTotalCsmHeadcount())
	}
	if !approx(seg.GetCsmFte(), 200*3.6111111111111111/104.44444444444444) {
		t.Errorf("FTE = %v, want 6.915", seg.GetCsmFte())
	}
	if len(seg.GetBreakdown()) != 5 {
		t.Errorf("breakdown has %d items, want 5", len(seg.GetBreakdown()))
	}
}

func TestEvaluateTeamGRPC(t *testing.T) {
	s := newTestServer(t)
	// Seed 004: $4M ARR over 5 CSMs is $0.8M per CSM, under the $1M
	// milestone for high touch; a sixth CSM makes it $0.667M.
	for _, tc := range []struct {
		csms int32
		want float64
	}{{5, 800_000}, {6, 4_000_000.0 / 6}} {
		got, err := s.capacity().EvaluateTeam(context.Background(), &csplanv1.EvaluateTeamRequest{
			CsmCount: tc.csms, Accounts: 100, Arr: 4_000_000, TouchModel: csplanv1.TouchModel_TOUCH_MODEL_HIGH,
		})
		if err != nil {
			t.Fatalf("EvaluateTeam: %v", err)
		}
		if !approx(got.GetArrPerCsm(), tc.want) {
			t.Errorf("EvaluateTeam(%d CSMs).ArrPerCsm = %v, want %v", tc.csms, got.GetArrPerCsm(), tc.want)
		}
		arr := got.GetFactors()[0]
		if arr.GetFactor() != csplanv1.Factor_FACTOR_ARR || arr.GetStatus() != csplanv1.LoadStatus_LOAD_STATUS_UNDER {
			t.Errorf("EvaluateTeam(%d CSMs) ARR factor = %v %v, want FACTOR_ARR LOAD_STATUS_UNDER", tc.csms, arr.GetFactor(), arr.GetStatus())
		}
	}
}

func TestForecastCapacityGRPC(t *testing.T) {
	s := newTestServer(t)
	// Seed 000: one CSM trending towards 75 accounts by the end of next
	// quarter must start interviewing now.
	got, err := s.capacity().ForecastCapacity(context.Background(), &csplanv1.ForecastCapacityRequest{
		StartMonth: "2026-12", HorizonMonths: 6, Accounts: 60, Arr: 3_000_000, CsmCount: 1,
		Growth: &csplanv1.Growth{NewAccountsPerMonth: 5},
	})
	if err != nil {
		t.Fatalf("ForecastCapacity: %v", err)
	}
	if len(got.GetMonths()) != 7 {
		t.Errorf("got %d months, want 7", len(got.GetMonths()))
	}
	critical := findTrigger(t, got, "critical")
	// 75 is reached in 2027-03 and passed in 2027-04.
	want := &csplanv1.Trigger{Name: "critical", Threshold: 75, CrossingMonth: "2027-04", OpenRequisitionBy: "2026-11",
		Status: csplanv1.TriggerStatus_TRIGGER_STATUS_OVERDUE, MonthsLate: 1}
	if diff := cmp.Diff(want, critical, protocmp.Transform()); diff != "" {
		t.Errorf("critical trigger (-want +got):\n%s", diff)
	}
	wantPlan := []*csplanv1.PlannedHire{{RequisitionMonth: "2026-12", StartMonth: "2027-02", RampedMonth: "2027-05"}}
	if diff := cmp.Diff(wantPlan, got.GetHiringPlan(), protocmp.Transform()); diff != "" {
		t.Errorf("hiring plan (-want +got):\n%s", diff)
	}
}

func TestForecastDefaultsToCurrentMonth(t *testing.T) {
	s := newTestServer(t)
	got, err := s.capacity().ForecastCapacity(context.Background(), &csplanv1.ForecastCapacityRequest{Accounts: 10, CsmCount: 1})
	if err != nil {
		t.Fatalf("ForecastCapacity: %v", err)
	}
	if m := got.GetMonths()[0].GetMonth(); m != "2026-12" {
		t.Errorf("first month = %q, want the server clock's 2026-12", m)
	}
	if len(got.GetMonths()) != 13 {
		t.Errorf("got %d months, want the default horizon's 13", len(got.GetMonths()))
	}
}

func findTrigger(t *testing.T, f *csplanv1.ForecastCapacityResponse, name string) *csplanv1.Trigger {
	t.Helper()
	for _, tr := range f.GetTriggers() {
		if tr.GetName() == name {
			return tr
		}
	}
	t.Fatalf("no %q trigger in %v", name, f.GetTriggers())
	return nil
}

func TestGetBenchmarksGRPC(t *testing.T) {
	s := newTestServer(t)
	got, err := s.capacity().GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{})
	if err != nil {
		t.Fatalf("GetBenchmarks: %v", err)
	}
	var high *csplanv1.TouchModelBenchmark
	for _, tm := range got.GetBenchmarks().GetTouchModels() {
		if tm.GetTouchModel() == csplanv1.TouchModel_TOUCH_MODEL_HIGH {
			high = tm
		}
	}
	if high == nil {
		t.Fatal("no HIGH benchmark")
	}
	if high.GetArrPerCsmFloor() != 1e6 || high.GetArrPerCsmCeiling() != 2e6 || high.GetIdealAccountsMin() != 25 ||
		high.GetIdealAccountsMax() != 30 || high.GetAccountsCap() != 50 {
		t.Errorf("HIGH benchmark = %v, want 1M / 2M / 25-30 / 50", high)
	}
	if !strings.Contains(high.GetSource(), "seed 004") || !strings.Contains(high.GetSource(), "seeds 000/001") {
		t.Errorf("HIGH source %q does not cite seed 004 and seeds 000/001", high.GetSource())
	}
	if n := len(got.GetBenchmarks().GetComplexityMultipliers()); n != 3 {
		t.Errorf("got %d complexity multipliers, want 3", n)
	}
}

// TestRESTMatchesGRPC sends each RPC through the gateway and checks that the
// JSON answer is the gRPC answer.
func TestRESTMatchesGRPC(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	c := s.capacity()
	evalReq := &csplanv1.EvaluateTeamRequest{CsmCount: 5, Accounts: 140, Arr: 4e6, WorkloadCsmFte: f64(5.5),
		Signals: &csplanv1.Signals{ChurnRate: f64(0.03), PreviousChurnRate: f64(0.02)}}
	forecastReq := &csplanv1.ForecastCapacityRequest{StartMonth: "2026-12", HorizonMonths: 12, Accounts: 60, CsmCount: 1,
		Growth: &csplanv1.Growth{NewAccountsPerMonth: 5}, Timeline: &csplanv1.Timeline{AnnualCsmAttritionRate: f64(0.1)}}
	cases := []struct {
		name   string
		method string
		route  string
		req    proto.Message
		grpc   func() (proto.Message, error)
		resp   proto.Message
	}{
		{"ComputeCapacity", http.MethodPost, "/v1/capacity:compute", workedCheck(),
			func() (proto.Message, error) { return c.ComputeCapacity(ctx, workedCheck()) }, &csplanv1.ComputeCapacityResponse{}},
		{"EvaluateTeam", http.MethodPost, "/v1/capacity:evaluate", evalReq,
			func() (proto.Message, error) { return c.EvaluateTeam(ctx, evalReq) }, &csplanv1.EvaluateTeamResponse{}},
		{"ForecastCapacity", http.MethodPost, "/v1/capacity:forecast", forecastReq,
			func() (proto.Message, error) { return c.ForecastCapacity(ctx, forecastReq) }, &csplanv1.ForecastCapacityResponse{}},
		{"GetBenchmarks", http.MethodGet, "/v1/benchmarks", nil,
			func() (proto.Message, error) { return c.GetBenchmarks(ctx, &csplanv1.GetBenchmarksRequest{}) }, &csplanv1.GetBenchmarksResponse{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := ""
			if tc.req != nil {
				b, err := protojson.Marshal(tc.req)
				if err != nil {
					t.Fatal(err)
				}
				body = string(b)
			}
			code, got := s.Do(tc.method, tc.route, body)
			if code != http.StatusOK {
				t.Fatalf("%s %s = %d %s, want 200", tc.method, tc.route, code, got)
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

// TestRESTJSONShape checks what a frontend relies on: lowerCamelCase names,
// enums as strings, zero values present.
func TestRESTJSONShape(t *testing.T) {
	s := newTestServer(t)
	code, body := s.Do(http.MethodPost, "/v1/capacity:evaluate", `{"csmCount": 5, "accounts": 150, "arr": 6000000}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if v, ok := got["csmGap"]; !ok || v != float64(0) {
		t.Errorf("csmGap = %v (present %v), want a rendered 0", v, ok)
	}
	if got["bindingFactor"] != "FACTOR_VOLUME" {
		t.Errorf("bindingFactor = %v, want an enum name", got["bindingFactor"])
	}
	if _, ok := got["csms_needed"]; ok {
		t.Error("response uses proto names, want lowerCamelCase")
	}
	if _, ok := got["csmsNeeded"].(float64); !ok {
		t.Errorf("csmsNeeded = %#v, want a JSON number", got["csmsNeeded"])
	}
}

// badRequest reads the field paths of a BadRequest out of a status.
func badRequestFields(st *status.Status) []string {
	var fields []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	return fields
}

func TestInvalidArgumentGRPC(t *testing.T) {
	s := newTestServer(t)
	req := workedCheck()
	req.CsmTime.CustomerFacingShare = f64(1.5)
	req.Segments[0].Playbook.Touchpoints[1].Hours = -3
	req.Segments[0].Playbook.Touchpoints[2].Cadence = csplanv1.Cadence_CADENCE_UNSPECIFIED
	req.Segments = append(req.Segments, proto.Clone(req.Segments[0]).(*csplanv1.CapacitySegment))
	_, err := s.capacity().ComputeCapacity(context.Background(), req)
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("code = %v, want InvalidArgument (%v)", st.Code(), err)
	}
	got := badRequestFields(st)
	for _, want := range []string{
		"csm_time.customer_facing_share",
		"segments[0].playbook.touchpoints[1].hours",
		"segments[0].playbook.touchpoints[2].cadence",
		"segments[1].name",
	} {
		if !contains(got, want) {
			t.Errorf("field violations %v lack %q", got, want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestInvalidArgumentREST checks that bad input over the gateway is a 400
// with the status JSON naming each bad field, and that the server keeps
// serving afterwards.
func TestInvalidArgumentREST(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, route, body string
		wantField         string
	}{
		{"negative hours", "/v1/capacity:compute",
			`{"segments":[{"name":"A","accounts":10,"playbook":{"touchpoints":[{"name":"x","hours":-1,"cadence":"CADENCE_MONTHLY"}]}}]}`,
			"segments[0].playbook.touchpoints[0].hours"},
		{"share above 1", "/v1/capacity:compute",
			`{"csmTime":{"customerFacingShare":1.5},"segments":[{"name":"A","accounts":10,"playbook":{"touchpoints":[{"name":"x","hours":1,"cadence":"CADENCE_MONTHLY"}]}}]}`,
			"csmTime.customerFacingShare"},
		{"NaN as a string", "/v1/capacity:compute",
			`{"csmTime":{"weeklyHours":"NaN"},"segments":[{"name":"A","accounts":10,"playbook":{"touchpoints":[{"name":"x","hours":1,"cadence":"CADENCE_MONTHLY"}]}}]}`,
			"csmTime.weeklyHours"},
		{"Infinity as a string", "/v1/capacity:evaluate", `{"csmCount":1,"arr":"Infinity"}`, "arr"},
		{"cadence missing", "/v1/capacity:compute",
			`{"segments":[{"name":"A","accounts":10,"playbook":{"touchpoints":[{"name":"x","hours":1}]}}]}`,
			"segments[0].playbook.touchpoints[0].cadence"},
		{"duplicate segment names", "/v1/capacity:compute",
			`{"segments":[{"name":"A","accounts":1,"playbook":{"touchpoints":[{"name":"x","hours":1,"cadence":"CADENCE_MONTHLY"}]}},{"name":"A","accounts":1,"playbook":{"touchpoints":[{"name":"x","hours":1,"cadence":"CADENCE_MONTHLY"}]}}]}`,
			"segments[1].name"},
		{"month 13", "/v1/capacity:forecast", `{"startMonth":"2027-13","accounts":10,"csmCount":1}`, "startMonth"},
		{"horizon past 120", "/v1/capacity:forecast", `{"horizonMonths":121,"accounts":10,"csmCount":1}`, "horizonMonths"},
	}
	for _, tc := range cases {
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
	if code, body := s.Do(http.MethodGet, "/v1/benchmarks", ""); code != http.StatusOK {
		t.Errorf("after bad requests GET /v1/benchmarks = %d %s, want 200", code, body)
	}
}

// restFields reads the field violations out of a gateway error body.
func restFields(t *testing.T, body []byte) []string {
	t.Helper()
	var st struct {
		Code    int `json:"code"`
		Details []struct {
			Type            string `json:"@type"`
			FieldViolations []struct {
				Field       string `json:"field"`
				Description string `json:"description"`
			} `json:"fieldViolations"`
		} `json:"details"`
	}
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatalf("error body is not status JSON: %v\n%s", err, body)
	}
	if st.Code != int(codes.InvalidArgument) {
		t.Errorf("status code in body = %d, want %d", st.Code, codes.InvalidArgument)
	}
	var fields []string
	for _, d := range st.Details {
		for _, v := range d.FieldViolations {
			if v.Description == "" {
				t.Errorf("violation of %s has no description", v.Field)
			}
			fields = append(fields, v.Field)
		}
	}
	return fields
}

func TestUnknownJSONFieldIsRejected(t *testing.T) {
	s := newTestServer(t)
	code, body := s.Do(http.MethodPost, "/v1/capacity:evaluate", `{"csmCount":5,"acounts":100}`)
	if code != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400 for a misspelt field: %s", code, body)
	}
	if !bytes.Contains(body, []byte("acounts")) {
		t.Errorf("error does not name the unknown field: %s", body)
	}
}

func TestBodyLimit(t *testing.T) {
	s := newTestServer(t)
	big := `{"csmCount":5,"signals":{},"benchmarks":{"touchModels":[` + strings.Repeat(`{"touchModel":"TOUCH_MODEL_HIGH"},`, server.DefaultMaxBodyBytes/30) + `{}]}}`
	code, body := s.Do(http.MethodPost, "/v1/capacity:evaluate", big)
	if code < 400 || code >= 500 {
		t.Errorf("status = %d for a body past the limit, want a 4xx: %.200s", code, body)
	}
}

func TestHealthAndOpenAPI(t *testing.T) {
	s := newTestServer(t)
	resp, err := healthpb.NewHealthClient(s.Conn()).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health Check = %v, %v; want SERVING", resp, err)
	}
	resp, err = healthpb.NewHealthClient(s.Conn()).Check(context.Background(), &healthpb.HealthCheckRequest{Service: "csplan.v1.CapacityService"})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health Check(CapacityService) = %v, %v; want SERVING", resp, err)
	}
	if code, body := s.Do(http.MethodGet, "/healthz", ""); code != http.StatusOK {
		t.Errorf("GET /healthz = %d %s, want 200", code, body)
	}
	code, body := s.Do(http.MethodGet, "/openapi.json", "")
	if code != http.StatusOK {
		t.Fatalf("GET /openapi.json = %d", code)
	}
	var doc struct {
		Paths map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	for _, route := range []string{"/v1/capacity:compute", "/v1/capacity:evaluate", "/v1/capacity:forecast", "/v1/benchmarks"} {
		if _, ok := doc.Paths[route]; !ok {
			t.Errorf("openapi.json lacks %s", route)
		}
	}
}

func TestShutdownEndsServe(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	if _, err := csplanv1.NewCapacityServiceClient(srv.Conn()).GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Fatalf("GetBenchmarks before shutdown: %v", err)
	}
	if err := srv.Stop(); err != nil {
		t.Errorf("Serve = %v after its context ended, want nil", err)
	}
}

// TestEmptyRequests sends each route the smallest bodies a client can send:
// the answer is a result or a 400 naming a field, never a 500.
func TestEmptyRequests(t *testing.T) {
	s := newTestServer(t)
	for _, route := range []string{"/v1/capacity:compute", "/v1/capacity:evaluate", "/v1/capacity:forecast"} {
		for _, body := range []string{`{}`, ``, `{"csmTime":null,"segments":[{}]}`, `{"signals":{},"benchmarks":{"touchModels":[{}]}}`} {
			code, resp := s.Do(http.MethodPost, route, body)
			if code >= 500 {
				t.Errorf("POST %s %s = %d %s, want 200 or 4xx", route, body, code, resp)
			}
		}
	}
}

func TestTrailingDataAfterTheMessageIsRejected(t *testing.T) {
	s := newTestServer(t)
	code, body := s.Do(http.MethodPost, "/v1/capacity:evaluate", `{"csmCount":5} {"csmCount":6}`)
	if code != http.StatusBadRequest {
		t.Errorf("two JSON values in a unary body = %d %s, want 400", code, body)
	}
}

// TestInvalidUTF8Body: a body of invalid bytes is a 400 whose status JSON
// is still written (its message made valid UTF-8), on unary and stream
// routes alike.
func TestInvalidUTF8Body(t *testing.T) {
	s := newTestServer(t)
	for _, route := range []string{"/v1/capacity:forecast", "/v1/segments:assignStream"} {
		code, body := s.Do(http.MethodPost, route, "\xc00")
		if code != http.StatusBadRequest || !json.Valid(body) {
			t.Errorf("POST %s with invalid UTF-8 = %d %q, want 400 with status JSON", route, code, body)
		}
	}
}
