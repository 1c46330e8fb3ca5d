package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// rebalanceSettings: two CSMs of 100 hours a month, a band of 50-100%.
func rebalanceSettings() *csplanv1.RebalanceSettings {
	return &csplanv1.RebalanceSettings{
		Csms:       []*csplanv1.BookCsm{{Id: "ana", CapacityHours: f64(100)}, {Id: "ben", CapacityHours: f64(100)}, {Id: "cy", CapacityHours: f64(100)}},
		Band:       &csplanv1.UtilizationBand{MinUtilization: f64(0.5), MaxUtilization: f64(1)},
		AsOfDate:   "2027-01-04",
		StartMonth: "2027-01",
	}
}

// rebalanceBook: ana carries 150 hours (70, 30, and 50 renewing on
// 2027-02-01), ben 60, cy 20, below the band's 50.
func rebalanceBook() []*csplanv1.Account {
	return []*csplanv1.Account{
		{Id: "a-1", Arr: 70000, Owner: "ana", MonthlyHours: f64(70)},
		{Id: "a-2", Arr: 30000, Owner: "ana", MonthlyHours: f64(30)},
		{Id: "a-3", Arr: 50000, Owner: "ana", MonthlyHours: f64(50), RenewalDate: "2027-02-01"},
		{Id: "b-1", Arr: 60000, Owner: "ben", MonthlyHours: f64(60)},
		{Id: "c-1", Arr: 20000, Owner: "cy", MonthlyHours: f64(20)},
	}
}

func rebalanceStream(settings *csplanv1.RebalanceSettings, book []*csplanv1.Account, n int) []*csplanv1.StreamRebalanceBookRequest {
	msgs := []*csplanv1.StreamRebalanceBookRequest{{Payload: &csplanv1.StreamRebalanceBookRequest_Settings{Settings: settings}}}
	for len(book) > 0 {
		k := min(n, len(book))
		msgs = append(msgs, &csplanv1.StreamRebalanceBookRequest{Payload: &csplanv1.StreamRebalanceBookRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: book[:k]}}})
		book = book[k:]
	}
	return msgs
}

// TestRebalanceBookByHand: ana must shed 50 hours and cy gain 30. By
// hours the cheapest is a-3 (50 h) to cy, but a-3 renews 28 days after
// 2027-01-04, inside the 60-day freeze: a-1 (70 h) goes instead, to cy
// (90 h). With the date half a year earlier, a-3 is free and moves.
// The same answer over gRPC, REST and both streams.
func TestRebalanceBookByHand(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	settings := rebalanceSettings()
	settings.DisruptionWeight = csplanv1.DisruptionWeight_DISRUPTION_WEIGHT_HOURS
	res, err := s.book().RebalanceBook(ctx, &csplanv1.RebalanceBookRequest{Settings: settings, Accounts: rebalanceBook()})
	if err != nil {
		t.Fatal(err)
	}
	r := res.GetResult()
	want := []*csplanv1.AccountMove{{AccountId: "a-1", FromCsm: "ana", ToCsm: "cy", MonthlyHours: 70, Arr: 70000, Reason: "ana is above the band (150% of capacity)"}}
	if diff := cmp.Diff(want, r.GetMoves(), protocmp.Transform()); diff != "" || !r.GetFeasible() || !r.GetOptimal() || r.GetDisruption() != 70 || r.GetLowerBound() != 70 {
		t.Errorf("moves (-want +got):\n%s\n%v", diff, r)
	}
	after := map[string]float64{}
	for _, c := range r.GetCsms() {
		after[c.GetId()] = c.GetHoursAfter()
	}
	if after["ana"] != 80 || after["ben"] != 60 || after["cy"] != 90 {
		t.Errorf("hours after %v", after)
	}

	settings.AsOfDate = "2026-06-01"
	res, err = s.book().RebalanceBook(ctx, &csplanv1.RebalanceBookRequest{Settings: settings, Accounts: rebalanceBook()})
	if err != nil {
		t.Fatal(err)
	}
	if m := res.GetResult().GetMoves(); len(m) != 1 || m[0].GetAccountId() != "a-3" || res.GetResult().GetDisruption() != 50 {
		t.Errorf("unfrozen: %v", res.GetResult())
	}

	settings.AsOfDate = "2027-01-04"
	settings.FrontierPoints = 3
	unary, err := s.book().RebalanceBook(ctx, &csplanv1.RebalanceBookRequest{Settings: settings, Accounts: rebalanceBook()})
	if err != nil {
		t.Fatal(err)
	}
	if f := unary.GetResult().GetFrontier(); len(f) != 3 || f[0].GetMaxUtilization() != 1 || f[0].GetDisruption() != unary.GetResult().GetDisruption() {
		t.Errorf("frontier %v", f)
	}
	stream, err := s.book().StreamRebalanceBook(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rebalanceStream(settings, rebalanceBook(), 2) {
		if err := stream.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	streamed, err := stream.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(unary.GetResult(), streamed.GetResult(), protocmp.Transform()); diff != "" {
		t.Errorf("gRPC stream differs (-unary +stream):\n%s", diff)
	}
	body, err := protojson.Marshal(&csplanv1.RebalanceBookRequest{Settings: settings, Accounts: rebalanceBook()})
	if err != nil {
		t.Fatal(err)
	}
	code, resp := s.Do(http.MethodPost, "/v1/book:rebalance", string(body))
	rest := &csplanv1.RebalanceBookResponse{}
	if code != http.StatusOK || protojson.Unmarshal(resp, rest) != nil {
		t.Fatalf("POST /v1/book:rebalance = %d %s", code, resp)
	}
	if diff := cmp.Diff(unary, rest, protocmp.Transform()); diff != "" {
		t.Errorf("REST differs (-grpc +rest):\n%s", diff)
	}
	code, resp = s.Do(http.MethodPost, "/v1/book:rebalanceStream", ndjsonOf(t, rebalanceStream(settings, rebalanceBook(), 1)))
	restStream := &csplanv1.StreamRebalanceBookResponse{}
	if code != http.StatusOK || protojson.Unmarshal(resp, restStream) != nil {
		t.Fatalf("POST /v1/book:rebalanceStream = %d %s", code, resp)
	}
	if diff := cmp.Diff(unary.GetResult(), restStream.GetResult(), protocmp.Transform()); diff != "" {
		t.Errorf("NDJSON stream differs (-unary +stream):\n%s", diff)
	}
}

// TestRebalanceDeparture: ben leaves; the book's 230 hours are above the
// 200 the two staying CSMs carry at 100%: infeasible, a 200 answer with
// the shortfall, 30 hours over one CSM's 104.45 available hours.
func TestRebalanceDeparture(t *testing.T) {
	s := newTestServer(t)
	settings := rebalanceSettings()
	settings.DepartingCsmIds = []string{"ben"}
	res, err := s.book().RebalanceBook(context.Background(), &csplanv1.RebalanceBookRequest{Settings: settings, Accounts: rebalanceBook()})
	if err != nil {
		t.Fatal(err)
	}
	r := res.GetResult()
	available := 40 * (52 - 25.0/5) / 12 * 2 / 3
	if r.GetFeasible() || !strings.Contains(r.GetInfeasibility().GetReason(), "above the 200.0") || abs(r.GetInfeasibility().GetFteShort()-30/available) > 1e-9 {
		t.Errorf("%v", r)
	}
	// With cy's capacity doubled it fits: ben's account moves, and the
	// drill names no month over (the hours are even).
	settings.Csms[2].CapacityHours = f64(200)
	res, err = s.book().RebalanceBook(context.Background(), &csplanv1.RebalanceBookRequest{Settings: settings, Accounts: rebalanceBook()})
	if err != nil {
		t.Fatal(err)
	}
	r = res.GetResult()
	if !r.GetFeasible() || r.GetDeparture().GetBackfillRampedMonth() != "2027-06" || len(r.GetDeparture().GetMonthsOver()) != 0 {
		t.Fatalf("%v", r)
	}
	for _, m := range r.GetMoves() {
		if m.GetToCsm() == "ben" {
			t.Errorf("%s went to the leaver", m.GetAccountId())
		}
	}
	if !movedAway(r, "b-1") {
		t.Errorf("ben's account stayed: %v", r.GetMoves())
	}
}

func movedAway(r *csplanv1.RebalanceResult, id string) bool {
	for _, m := range r.GetMoves() {
		if m.GetAccountId() == id {
			return true
		}
	}
	return false
}

// TestRebalanceBadInput: unknown ids, a band upside down and a CSM given
// twice are refused by field, over gRPC and REST.
func TestRebalanceBadInput(t *testing.T) {
	s := newTestServer(t)
	settings := rebalanceSettings()
	settings.DepartingCsmIds = []string{"zoe"}
	settings.LockedAccountIds = []string{"a-1", "nope"}
	_, err := s.book().RebalanceBook(context.Background(), &csplanv1.RebalanceBookRequest{Settings: settings, Accounts: rebalanceBook()})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), `settings.departing_csm_ids[0]: "zoe" is no CSM`) || !strings.Contains(err.Error(), `settings.locked_account_ids[1]: "nope" is no owned account`) {
		t.Errorf("unknown ids = %v", err)
	}
	settings = rebalanceSettings()
	settings.Band = &csplanv1.UtilizationBand{MinUtilization: f64(0.9), MaxUtilization: f64(0.8)}
	settings.Csms = append(settings.Csms, &csplanv1.BookCsm{Id: "ana"})
	_, err = s.book().RebalanceBook(context.Background(), &csplanv1.RebalanceBookRequest{Settings: settings, Accounts: rebalanceBook()})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "settings.band.min_utilization: 0.9 is above max_utilization 0.8") || !strings.Contains(err.Error(), `settings.csms[3].id: "ana" is given twice`) {
		t.Errorf("bad band and CSMs = %v", err)
	}
	code, resp := s.Do(http.MethodPost, "/v1/book:rebalance", `{"settings":{"band":{"minUtilization":0.9,"maxUtilization":0.8}}}`)
	if code != http.StatusBadRequest || !strings.Contains(string(resp), `"settings.band.minUtilization"`) {
		t.Errorf("REST = %d %s", code, resp)
	}
	// Ids are checked against the book once it is read: the CSMs of the
	// settings and every owner.
	code, resp = s.Do(http.MethodPost, "/v1/book:rebalanceStream", `{"settings":{"departingCsmIds":["zoe"]}}`+"\n"+`{"batch":{"accounts":[{"id":"x","owner":"ana","monthlyHours":5}]}}`)
	if code != http.StatusBadRequest || !strings.Contains(string(resp), `"settings.departingCsmIds[0]"`) || !strings.Contains(string(resp), `\"zoe\" is no CSM`) {
		t.Errorf("REST stream = %d %s", code, resp)
	}
}
