package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// TestCustomerStages: the stages that are not customers are left out of
// every segment and total, counted as excluded, the same on the unary
// call, the gRPC stream, REST and in a plan.
func TestCustomerStages(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	seg := csplanv1.NewSegmentationServiceClient(s.Conn())
	rules := []*csplanv1.SegmentRule{{Name: "All"}}
	unary, err := seg.SegmentAccounts(ctx, &csplanv1.SegmentAccountsRequest{Segments: rules, Accounts: segBook(), ExcludeStages: []string{"trial", "ONBOARDING"}})
	if err != nil {
		t.Fatal(err)
	}
	if unary.GetTotalAccounts() != 4 || unary.GetTotalArr() != 460_000 || unary.GetSegments()[0].GetAccounts() != 4 ||
		unary.GetExcluded().GetAccounts() != 2 || unary.GetExcluded().GetArr() != 5_000 {
		t.Errorf("unary: total %d %v, excluded %v", unary.GetTotalAccounts(), unary.GetTotalArr(), unary.GetExcluded())
	}
	st, err := seg.StreamSegmentAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: &csplanv1.SegmentRules{
		Segments: rules, CustomerStages: []string{"Adoption", "Renewal"}}}})
	st.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: segBook()}}})
	streamed, err := st.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	if streamed.GetTotalAccounts() != unary.GetTotalAccounts() || streamed.GetExcluded().GetArr() != unary.GetExcluded().GetArr() {
		t.Errorf("the stream with customer_stages: total %d, excluded %v", streamed.GetTotalAccounts(), streamed.GetExcluded())
	}

	p := testPlan()
	p.Book = &csplanv1.PlanBook{CustomerStages: []string{"adoption", "renewal"}}
	plan, err := csplanv1.NewPlanningServiceClient(s.Conn()).RunPlan(ctx, &csplanv1.RunPlanRequest{Plan: p, Accounts: segBook()})
	if err != nil {
		t.Fatal(err)
	}
	b := plan.GetResult().GetSegmentation()
	if b.GetTotalAccounts() != 4 || b.GetExcluded().GetAccounts() != 2 || plan.GetResult().GetSummary().GetRevenue() != 460_000 {
		t.Errorf("the plan: %d accounts, excluded %v, revenue %v", b.GetTotalAccounts(), b.GetExcluded(), plan.GetResult().GetSummary().GetRevenue())
	}

	// Both lists, an empty stage, and stages without accounts are refused
	// by name.
	_, err = seg.SegmentAccounts(ctx, &csplanv1.SegmentAccountsRequest{Segments: rules, CustomerStages: []string{"A"}, ExcludeStages: []string{""}})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "exclude_stages: give customer_stages or exclude_stages, not both") ||
		!strings.Contains(err.Error(), "exclude_stages[0]: is empty") {
		t.Errorf("both lists: %v", err)
	}
	p = testPlan()
	p.Book = &csplanv1.PlanBook{ExcludeStages: []string{"Trial"}}
	p.Segments = []*csplanv1.PlanSegment{{Name: "All", Accounts: proto.Int32(10), Arr: proto.Float64(100_000)}}
	_, err = csplanv1.NewPlanningServiceClient(s.Conn()).RunPlan(ctx, &csplanv1.RunPlanRequest{Plan: p})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "plan.book.exclude_stages: says which of the book's accounts are customers, but the plan has no accounts") {
		t.Errorf("stages without accounts: %v", err)
	}
	code, body := s.Do(http.MethodPost, "/v1/segments:assign", `{"segments":[{"name":"All"}],"accounts":[{"id":"1","arr":5,"stage":"Prospect"}],"customerStages":["Customer"]}`)
	if code != http.StatusOK || !strings.Contains(string(body), `"excluded":{"name":"excluded","touchModel":"TOUCH_MODEL_UNSPECIFIED","accounts":1,"arr":5`) {
		t.Errorf("REST = %d %s", code, body)
	}
}

// TestAccountCalendarFields: owners, dates, terms and hours travel with
// the accounts, on the unary call and the stream alike, and a bad one is
// refused by its field.
func TestAccountCalendarFields(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	seg := csplanv1.NewSegmentationServiceClient(s.Conn())
	rules := []*csplanv1.SegmentRule{{Name: "All"}}
	good := &csplanv1.Account{Id: "a", Arr: 10, Owner: "CSM-1", StartDate: "2025-03-15", RenewalDate: "2026-03", ContractTermMonths: proto.Int32(24), MonthlyHours: proto.Float64(6)}
	if _, err := seg.SegmentAccounts(ctx, &csplanv1.SegmentAccountsRequest{Segments: rules, Accounts: []*csplanv1.Account{good}}); err != nil {
		t.Fatal(err)
	}
	bad := &csplanv1.Account{Id: "b", Arr: 10, StartDate: "2025-02-30", RenewalDate: "03/2026", ContractTermMonths: proto.Int32(0), MonthlyHours: proto.Float64(-1)}
	_, err := seg.SegmentAccounts(ctx, &csplanv1.SegmentAccountsRequest{Segments: rules, Accounts: []*csplanv1.Account{good, bad}})
	for _, want := range []string{"accounts[1].start_date: \"2025-02-30\" is not a date: 2025-02 has 28 days", "accounts[1].renewal_date:",
		"accounts[1].contract_term_months: must be 1 to 120 months", "accounts[1].monthly_hours: must be 0 to 744 hours a month"} {
		if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), want) {
			t.Errorf("unary: %v, want %q", err, want)
		}
	}
	st, err := seg.StreamSegmentAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: &csplanv1.SegmentRules{Segments: rules}}})
	st.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: []*csplanv1.Account{good, bad}}}})
	_, err = st.CloseAndRecv()
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "batch.accounts[1].start_date") {
		t.Errorf("stream: %v", err)
	}
}

// TestRenewalTouchpointWithoutDates: a RENEWAL touchpoint needs no
// cadence, and without dates counts once a year: 3 hours are 0.25 an
// account a month.
func TestRenewalTouchpointWithoutDates(t *testing.T) {
	s := newTestServer(t)
	req := &csplanv1.ComputeCapacityRequest{Segments: []*csplanv1.CapacitySegment{{Name: "Core", Accounts: 10, Playbook: &csplanv1.Playbook{
		Touchpoints: []*csplanv1.Touchpoint{
			{Name: "Check-in", Hours: 1, Cadence: csplanv1.Cadence_CADENCE_MONTHLY, Anchor: csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_START},
			{Name: "Renewal prep", Hours: 3, Anchor: csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_RENEWAL, MonthsBefore: proto.Int32(2)},
		}}}}}
	resp, err := s.capacity().ComputeCapacity(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.GetSegments()[0].GetHoursPerAccountMonth(); got < 1.2499 || got > 1.2501 {
		t.Errorf("hours per account a month = %v, want 1.25", got)
	}
	req.Segments[0].Playbook.Touchpoints[1].MonthsBefore = proto.Int32(12)
	_, err = s.capacity().ComputeCapacity(context.Background(), req)
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "segments[0].playbook.touchpoints[1].months_before: must be 0 to 11") {
		t.Errorf("months_before 12: %v", err)
	}
}
