package server_test

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// calendarSettings is the book of capacity's TestBookAnalyzerByHand: a
// playbook with a touchpoint of each anchor, two known CSMs (one half
// time), twelve months from 2027-01.
func calendarSettings() *csplanv1.BookSettings {
	return &csplanv1.BookSettings{
		CsmTime: &csplanv1.CsmTime{WeeklyHours: f64(40), TimeOffDaysPerYear: f64(25), CustomerFacingShare: f64(2.0 / 3)},
		Segments: []*csplanv1.SegmentRule{{Name: "Core", Playbook: &csplanv1.Playbook{
			Touchpoints: []*csplanv1.Touchpoint{
				{Name: "Check-in", Hours: 1, Cadence: csplanv1.Cadence_CADENCE_MONTHLY, Anchor: csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_START},
				{Name: "Onboarding", Hours: 4, Cadence: csplanv1.Cadence_CADENCE_ONE_TIME, Anchor: csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_START, SpreadMonths: i32(2)},
				{Name: "Renewal prep", Hours: 3, Anchor: csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_RENEWAL, MonthsBefore: i32(1)},
			},
			Inbound: []*csplanv1.InboundActivity{{Name: "Requests", PerAccountPerMonth: 2, Hours: 0.5}},
		}}},
		Csms:          []*csplanv1.BookCsm{{Id: "A", Name: "Ana"}, {Id: "B", Name: "Ben", CapacityShare: f64(0.5)}},
		StartMonth:    "2027-01",
		HorizonMonths: 12,
	}
}

// calendarBook: an account starting in the window's second month whose
// renewal date lies in the past (it rolls forward), one with its own
// monthly hours, one without dates owned by a CSM the settings lack, and
// an unowned one on a six-month term.
func calendarBook() []*csplanv1.Account {
	return []*csplanv1.Account{
		{Id: "1", Arr: 100, Owner: "A", StartDate: "2027-02-10", RenewalDate: "2026-06-30", ContractTermMonths: i32(12)},
		{Id: "2", Arr: 200, Owner: "B", MonthlyHours: f64(10)},
		{Id: "3", Arr: 300, Owner: "Z"},
		{Id: "4", Arr: 400, StartDate: "2026-11", RenewalDate: "2027-05", ContractTermMonths: i32(6)},
	}
}

func bookStreamMessages(settings *csplanv1.BookSettings, book []*csplanv1.Account, n int) []*csplanv1.StreamAnalyzeBookRequest {
	msgs := []*csplanv1.StreamAnalyzeBookRequest{{Payload: &csplanv1.StreamAnalyzeBookRequest_Settings{Settings: settings}}}
	for len(book) > 0 {
		k := min(n, len(book))
		msgs = append(msgs, &csplanv1.StreamAnalyzeBookRequest{Payload: &csplanv1.StreamAnalyzeBookRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: book[:k]}}})
		book = book[k:]
	}
	return msgs
}

func (s *testServer) book() csplanv1.BookServiceClient {
	return csplanv1.NewBookServiceClient(s.Conn())
}

func sendBookStream(ctx context.Context, c csplanv1.BookServiceClient, msgs []*csplanv1.StreamAnalyzeBookRequest) (*csplanv1.StreamAnalyzeBookResponse, error) {
	stream, err := c.StreamAnalyzeBook(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		if err := stream.Send(m); err != nil {
			break // the server answered early; CloseAndRecv has its status
		}
	}
	return stream.CloseAndRecv()
}

func ndjsonOf[M proto.Message](t *testing.T, msgs []M) string {
	t.Helper()
	var b strings.Builder
	for _, m := range msgs {
		line, err := protojson.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestAnalyzeBookByHand: the hand-computed figures of the small book, and
// the same answer from the unary call and the stream, over gRPC and REST.
func TestAnalyzeBookByHand(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	unary, err := s.book().AnalyzeBook(ctx, &csplanv1.AnalyzeBookRequest{Settings: calendarSettings(), Accounts: calendarBook()})
	if err != nil {
		t.Fatal(err)
	}
	r := unary.GetResult()
	available := 40 * (52 - 25.0/5) / 12 * 2 / 3
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if len(r.GetMonths()) != 12 || r.GetMonths()[0] != "2027-01" || r.GetMonths()[11] != "2027-12" || !near(r.GetAvailableHoursPerCsmMonth(), available) {
		t.Fatalf("months %v, available %v", r.GetMonths(), r.GetAvailableHoursPerCsmMonth())
	}
	csms := r.GetCsms()
	if len(csms) != 3 || csms[0].GetId() != "A" || csms[1].GetId() != "B" || csms[2].GetId() != "Z" {
		t.Fatalf("csms %v, want A, B (the settings' order) then Z (an owner of the book)", csms)
	}
	// Account 1 (A): nothing in 01; check-in from 03; onboarding 2 + 2 in
	// 02 and 03; inbound 1 a month from 02; the 2026-06 renewal rolls to
	// 2027-06, prepared in 05.
	if diff := cmp.Diff([]float64{0, 3, 4, 2, 5, 2, 2, 2, 2, 2, 2, 2}, csms[0].GetHours()); diff != "" {
		t.Errorf("A's hours (-want +got):\n%s", diff)
	}
	if csms[0].GetName() != "Ana" || csms[0].GetPeakMonth() != "2027-05" || !near(csms[0].GetPeakUtilization(), 5/available) || csms[0].GetAccounts() != 1 || csms[0].GetArr() != 100 {
		t.Errorf("A: %v", csms[0])
	}
	if p := csms[0].GetPeakAccounts(); len(p) != 1 || p[0].GetAccountId() != "1" || p[0].GetHours() != 5 {
		t.Errorf("A's peak accounts %v, want account 1 with 5 hours", p)
	}
	if !near(csms[1].GetCapacityHours(), available/2) || !near(csms[1].GetUtilization()[0], 10/(available/2)) {
		t.Errorf("B (half time, 10 hours a month): %v", csms[1])
	}
	// Account 3 (Z) has no dates: the flat model, 1 + 4/36 + 3/12 + 1.
	if !near(csms[2].GetHours()[0], 1+4.0/36+0.25+1) || csms[2].GetCapacityHours() != csms[0].GetCapacityHours() {
		t.Errorf("Z: %v", csms[2])
	}
	if r.GetUnownedAccounts() != 1 || r.GetUnownedHours()[3] != 5 || r.GetUnownedHours()[0] != 2 {
		t.Errorf("unowned: %d, %v", r.GetUnownedAccounts(), r.GetUnownedHours())
	}
	if len(r.GetUnknownOwners()) != 1 || r.GetUnknownOwners()[0] != "Z" || r.GetAccountsWithoutDates() != 1 {
		t.Errorf("unknown owners %v, without dates %d", r.GetUnknownOwners(), r.GetAccountsWithoutDates())
	}
	// Renewals: account 1 in 2027-06; account 4 in 2027-05 and 2027-11.
	var renewals []int32
	for _, m := range r.GetRenewals() {
		renewals = append(renewals, m.GetAccounts())
	}
	if diff := cmp.Diff([]int32{0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0}, renewals); diff != "" || r.GetRenewals()[4].GetArr() != 400 {
		t.Errorf("renewals (-want +got):\n%s", diff)
	}
	if core := r.GetSegments()[0]; core.GetAccounts() != 4 || core.GetPeakMonth() != "2027-04" || !near(core.GetCsmFte()[4], core.GetHours()[4]/available) {
		t.Errorf("Core: %v", core)
	}

	stream, err := sendBookStream(ctx, s.book(), bookStreamMessages(calendarSettings(), calendarBook(), 3))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(unary.GetResult(), stream.GetResult(), protocmp.Transform()); diff != "" {
		t.Errorf("gRPC stream differs from the unary call (-unary +stream):\n%s", diff)
	}

	body, err := protojson.Marshal(&csplanv1.AnalyzeBookRequest{Settings: calendarSettings(), Accounts: calendarBook()})
	if err != nil {
		t.Fatal(err)
	}
	code, resp := s.Do(http.MethodPost, "/v1/book:analyze", string(body))
	if code != http.StatusOK {
		t.Fatalf("POST /v1/book:analyze = %d %s", code, resp)
	}
	rest := &csplanv1.AnalyzeBookResponse{}
	if err := protojson.Unmarshal(resp, rest); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(unary, rest, protocmp.Transform()); diff != "" {
		t.Errorf("REST differs from gRPC (-grpc +rest):\n%s", diff)
	}

	code, resp = s.Do(http.MethodPost, "/v1/book:analyzeStream", ndjsonOf(t, bookStreamMessages(calendarSettings(), calendarBook(), 1)))
	if code != http.StatusOK {
		t.Fatalf("POST /v1/book:analyzeStream = %d %s", code, resp)
	}
	restStream := &csplanv1.StreamAnalyzeBookResponse{}
	if err := protojson.Unmarshal(resp, restStream); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(unary.GetResult(), restStream.GetResult(), protocmp.Transform()); diff != "" {
		t.Errorf("NDJSON stream differs from the unary call (-unary +stream):\n%s", diff)
	}
}

// TestAnalyzeBookDefaults: without a window the analysis covers twelve
// months from the server's current month, and says so.
func TestAnalyzeBookDefaults(t *testing.T) {
	s := newTestServer(t)
	res, err := s.book().AnalyzeBook(context.Background(), &csplanv1.AnalyzeBookRequest{
		Settings: &csplanv1.BookSettings{},
		Accounts: []*csplanv1.Account{{Id: "x", Owner: "A", MonthlyHours: f64(30)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := res.GetResult()
	if len(r.GetMonths()) != 12 || r.GetMonths()[0] != "2026-12" || r.GetCsms()[0].GetHours()[11] != 30 {
		t.Errorf("months %v, csms %v", r.GetMonths(), r.GetCsms())
	}
	assumed := map[string]string{}
	for _, a := range r.GetAssumptions() {
		assumed[a.GetName()] = a.GetValue()
	}
	if assumed["start_month"] != "2026-12" || assumed["horizon_months"] != "12" || assumed["accounts[].contract_term_months"] != "12" {
		t.Errorf("assumptions %v", r.GetAssumptions())
	}
}

// TestAnalyzeBookBadInput: every mistake is named by its field, over gRPC,
// REST (in JSON names) and the stream (with where in the stream).
func TestAnalyzeBookBadInput(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	settings := calendarSettings()
	settings.HorizonMonths = 40
	book := []*csplanv1.Account{
		{Id: "1", Owner: "A", StartDate: "2027-13-01"},
		{Id: "2", Owner: "A", ContractTermMonths: i32(0)},
		{Id: "3", Owner: "A", ContractTermMonths: i32(121)},
	}
	_, err := s.book().AnalyzeBook(ctx, &csplanv1.AnalyzeBookRequest{Settings: settings, Accounts: book})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("bad book = %v, want InvalidArgument", err)
	}
	for _, want := range []string{"settings.horizon_months: must be 1 to 36", "accounts[0].start_date", "accounts[1].contract_term_months", "accounts[2].contract_term_months"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}

	code, resp := s.Do(http.MethodPost, "/v1/book:analyze", `{"settings":{"horizonMonths":40},"accounts":[{"id":"1","renewalDate":"2027-02-30"}]}`)
	if code != http.StatusBadRequest || !strings.Contains(string(resp), `"settings.horizonMonths"`) || !strings.Contains(string(resp), `"accounts[0].renewalDate"`) {
		t.Errorf("REST bad book = %d %s, want 400 naming settings.horizonMonths and accounts[0].renewalDate", code, resp)
	}

	_, err = sendBookStream(ctx, s.book(), bookStreamMessages(calendarSettings(), book, 2))
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "batch.accounts[0].start_date") || !strings.Contains(err.Error(), "message 2, account 0 of the stream") {
		t.Errorf("stream with a bad date = %v", err)
	}
	_, err = sendBookStream(ctx, s.book(), bookStreamMessages(calendarSettings(), book, 2)[1:])
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "the first message must carry the settings") {
		t.Errorf("stream without settings = %v", err)
	}
	bad := calendarSettings()
	bad.Csms = append(bad.Csms, &csplanv1.BookCsm{Id: "A"}, &csplanv1.BookCsm{Id: "C", Segment: "Enterprise"})
	_, err = sendBookStream(ctx, s.book(), bookStreamMessages(bad, nil, 1))
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), `settings.csms[2].id: "A" is given twice`) || !strings.Contains(err.Error(), `settings.csms[3].segment: "Enterprise" names no segment`) {
		t.Errorf("stream with bad CSMs = %v", err)
	}
}

// calendarPlan is calendarSettings' segment as a plan, with its team
// named in book.csms.
func calendarPlan(csms ...*csplanv1.BookCsm) *csplanv1.Plan {
	s := calendarSettings()
	return &csplanv1.Plan{
		Company: "Calendar Co", StartMonth: "2027-01", HorizonMonths: 12, CsmTime: s.GetCsmTime(),
		Segments: []*csplanv1.PlanSegment{{Name: "Core", Playbook: s.GetSegments()[0].GetPlaybook(), Team: &csplanv1.PlanTeam{Csms: 2}}},
		Book:     &csplanv1.PlanBook{Csms: csms},
		Hiring:   &csplanv1.PlanHiring{BaseSalary: 100_000},
	}
}

// TestRunPlanCalendar: a plan run on dated accounts carries the book's
// calendar, as AnalyzeBook gives it for the same months, and sizes its
// playbook segment from it; book.csms is checked by its plan path.
func TestRunPlanCalendar(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	team := []*csplanv1.BookCsm{{Id: "A", Name: "Ana"}, {Id: "B", Name: "Ben", CapacityShare: f64(0.5)}}
	res, err := s.planning().RunPlan(ctx, &csplanv1.RunPlanRequest{Plan: calendarPlan(team...), Accounts: calendarBook()})
	if err != nil {
		t.Fatal(err)
	}
	r := res.GetResult()
	if !r.GetSegments()[0].GetCalendar() || r.GetSegments()[0].GetPeakMonth() == "" {
		t.Errorf("Core: calendar %v, peak %q", r.GetSegments()[0].GetCalendar(), r.GetSegments()[0].GetPeakMonth())
	}
	settings := calendarSettings()
	settings.HorizonMonths = 13 // months 0 to the plan's horizon
	want, err := s.book().AnalyzeBook(ctx, &csplanv1.AnalyzeBookRequest{Settings: settings, Accounts: calendarBook()})
	if err != nil {
		t.Fatal(err)
	}
	got := r.GetCalendar()
	if diff := cmp.Diff(want.GetResult().GetCsms(), got.GetCsms(), protocmp.Transform()); diff != "" {
		t.Errorf("the plan's per-CSM calendar differs from AnalyzeBook's (-analyze +plan):\n%s", diff)
	}
	if diff := cmp.Diff(want.GetResult().GetRenewals(), got.GetRenewals(), protocmp.Transform()); diff != "" {
		t.Errorf("renewals (-analyze +plan):\n%s", diff)
	}

	_, err = s.planning().RunPlan(ctx, &csplanv1.RunPlanRequest{Plan: calendarPlan(append(team, &csplanv1.BookCsm{Id: "A"}, &csplanv1.BookCsm{Id: "C", Segment: "SMB"})...), Accounts: calendarBook()})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), `plan.book.csms[2].id: "A" is given twice`) || !strings.Contains(err.Error(), `plan.book.csms[3].segment: "SMB" names no segment`) {
		t.Errorf("bad book.csms = %v", err)
	}
	body, err := protojson.Marshal(&csplanv1.RunPlanRequest{Plan: calendarPlan(&csplanv1.BookCsm{Id: "A", CapacityShare: f64(2)}), Accounts: calendarBook()})
	if err != nil {
		t.Fatal(err)
	}
	if code, resp := s.Do(http.MethodPost, "/v1/plans:run", string(body)); code != http.StatusBadRequest || !strings.Contains(string(resp), `"plan.book.csms[0].capacityShare"`) {
		t.Errorf("REST bad capacity share = %d %s", code, resp)
	}
}
