package report

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

func f64(x float64) *float64 { return &x }

// randomBook is a team of four with capacities of 3 to 12 hours and
// accounts of 0 to 4 hours a month starting in random months: many months
// land exactly on a capacity, which is not over it.
func randomBook(rng *rand.Rand) *csplanv1.AnalyzeBookRequest {
	req := &csplanv1.AnalyzeBookRequest{Settings: &csplanv1.BookSettings{StartMonth: "2027-01", HorizonMonths: int32(6 + rng.IntN(19))}}
	for i := range 4 {
		req.Settings.Csms = append(req.Settings.Csms, &csplanv1.BookCsm{Id: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("CSM %d", i), CapacityHours: f64(float64(3 * (1 + rng.IntN(4))))})
	}
	for i := range 16 {
		req.Accounts = append(req.Accounts, &csplanv1.Account{
			Id: fmt.Sprintf("a-%d", i), Arr: 1000, Owner: fmt.Sprintf("c%d", rng.IntN(4)), MonthlyHours: f64(float64(rng.IntN(5))),
			StartDate: fmt.Sprintf("2027-%02d", 1+rng.IntN(12)),
		})
	}
	return req
}

func analyze(t *testing.T, c csplanv1.BookServiceClient, req *csplanv1.AnalyzeBookRequest) *csplanv1.BookAnalysis {
	t.Helper()
	resp, err := c.AnalyzeBook(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetResult()
}

var sentenceMonths = regexp.MustCompile(`is over capacity in (.*) \(peak `)

// namedMonths reads the months a sentence names back, runs ("2027-03 to
// 2027-06") expanded along the answer's months.
func namedMonths(t *testing.T, sentence string, months []string) []string {
	t.Helper()
	m := sentenceMonths.FindStringSubmatch(sentence)
	if m == nil {
		t.Fatalf("%q names no months", sentence)
	}
	var out []string
	for _, part := range strings.Split(strings.ReplaceAll(m[1], " and ", ", "), ", ") {
		from, to, run := strings.Cut(part, " to ")
		if !run {
			out = append(out, part)
			continue
		}
		i, j := slices.Index(months, from), slices.Index(months, to)
		if i < 0 || j < i+2 {
			t.Fatalf("%q: %q is not a run of three months or more", sentence, part)
		}
		out = append(out, months[i:j+1]...)
	}
	return out
}

// TestOverloadSentencesAreTrue: over random books analyzed by the real
// service, the sentence of each CSM with months over capacity names
// exactly the months whose utilization exceeds 1, as many as
// months_over_capacity; a CSM without any gets none.
func TestOverloadSentencesAreTrue(t *testing.T) {
	c := csplanv1.NewBookServiceClient(servertest.NewServer(t, server.Config{}).Conn())
	rng := rand.New(rand.NewPCG(2027, 5))
	sentences := 0
	for round := range 40 {
		a := analyze(t, c, randomBook(rng))
		for _, csm := range a.GetCsms() {
			s := overloadSentence(csm, a.GetMonths())
			var want []string
			for i, u := range csm.GetUtilization() {
				if u > 1 {
					want = append(want, a.GetMonths()[i])
				}
			}
			if len(want) != int(csm.GetMonthsOverCapacity()) {
				t.Fatalf("round %d, %s: utilization above 1 in %v, months_over_capacity %d: the test's book is not the one it means", round, csm.GetId(), want, csm.GetMonthsOverCapacity())
			}
			if len(want) == 0 {
				if s != "" {
					t.Errorf("round %d, %s is never over capacity, yet: %q", round, csm.GetId(), s)
				}
				continue
			}
			sentences++
			if diff := cmp.Diff(want, namedMonths(t, s, a.GetMonths())); diff != "" {
				t.Errorf("round %d: %q names other months than those over capacity (-want +named):\n%s", round, s, diff)
			}
			if !strings.HasPrefix(s, csm.GetName()+" ("+csm.GetId()+") ") || !strings.Contains(s, "(peak "+pct(csm.GetPeakUtilization())+" in "+csm.GetPeakMonth()+")") {
				t.Errorf("round %d: %q does not name %s and its peak", round, s, csm.GetId())
			}
		}
	}
	if sentences < 20 {
		t.Errorf("only %d sentences in 40 books: the test proves little", sentences)
	}
}

// TestOverloadNoise: hours that sum to their capacity in floating point
// (0.1 three times is 0.30000000000000004) are at capacity for the service
// and for the sentence alike, though their utilization is a hair above 1.
func TestOverloadNoise(t *testing.T) {
	c := csplanv1.NewBookServiceClient(servertest.NewServer(t, server.Config{}).Conn())
	req := &csplanv1.AnalyzeBookRequest{Settings: &csplanv1.BookSettings{StartMonth: "2027-01", HorizonMonths: 3,
		Csms: []*csplanv1.BookCsm{{Id: "a", CapacityHours: f64(0.3)}}}}
	for i := range 3 {
		req.Accounts = append(req.Accounts, &csplanv1.Account{Id: fmt.Sprint(i), Arr: 1, Owner: "a", MonthlyHours: f64(0.1)})
	}
	req.Accounts = append(req.Accounts, &csplanv1.Account{Id: "late", Arr: 1, Owner: "a", MonthlyHours: f64(0.1), StartDate: "2027-03"})
	csm := analyze(t, c, req).GetCsms()[0]
	if csm.GetMonthsOverCapacity() != 1 {
		t.Fatalf("months_over_capacity = %d, want 1 (2027-03 only): %v", csm.GetMonthsOverCapacity(), csm)
	}
	if got, want := overloadSentence(csm, []string{"2027-01", "2027-02", "2027-03"}), "a is over capacity in 2027-03 (peak 133.3% in 2027-03), driven by 0 (0.1 h), 1 (0.1 h) and 2 (0.1 h)."; got != want {
		t.Errorf("sentence = %q, want %q", got, want)
	}
}

func TestOverloadSentence(t *testing.T) {
	months := []string{"2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07"}
	ana := &csplanv1.BookCsmLoad{Id: "ana", Name: "Ana", CapacityHours: 6, Hours: []float64{7, 2, 7, 8, 9, 1, 10},
		Utilization: []float64{7.0 / 6, 2.0 / 6, 7.0 / 6, 8.0 / 6, 9.0 / 6, 1.0 / 6, 10.0 / 6}, PeakMonth: "2027-07", PeakUtilization: 10.0 / 6, MonthsOverCapacity: 5}
	for _, tc := range []struct {
		name string
		csm  *csplanv1.BookCsmLoad
		want string
	}{
		{"a run and lone months", ana, "Ana (ana) is over capacity in 2027-01, 2027-03 to 2027-05 and 2027-07 (peak 166.7% in 2027-07)."},
		{"the peak's accounts", withPeakAccounts(ana, hoursOf("a-12", 6), hoursOf("a-7", 3.25), hoursOf("a-1", 0.75)),
			"Ana (ana) is over capacity in 2027-01, 2027-03 to 2027-05 and 2027-07 (peak 166.7% in 2027-07), driven by a-12 (6 h), a-7 (3.3 h) and a-1 (0.8 h)."},
		{"one account", withPeakAccounts(&csplanv1.BookCsmLoad{Id: "b", CapacityHours: 2, Hours: []float64{1, 3}, Utilization: []float64{0.5, 1.5},
			PeakMonth: "2027-02", PeakUtilization: 1.5, MonthsOverCapacity: 1}, hoursOf("x", 3)), "b is over capacity in 2027-02 (peak 150% in 2027-02), driven by x (3 h)."},
		{"two months", &csplanv1.BookCsmLoad{Id: "c", Name: "c", CapacityHours: 2, Hours: []float64{3, 3}, Utilization: []float64{1.5, 1.5},
			PeakMonth: "2027-01", PeakUtilization: 1.5, MonthsOverCapacity: 2}, "c is over capacity in 2027-01 and 2027-02 (peak 150% in 2027-01)."},
		{"no capacity", &csplanv1.BookCsmLoad{Id: "d", Hours: []float64{0, 2, 1}, Utilization: []float64{0, 0, 0}, PeakMonth: "2027-01", MonthsOverCapacity: 2},
			"d has no capacity (0 customer hours a month) but carries hours in 2027-02 and 2027-03."},
		{"never over", &csplanv1.BookCsmLoad{Id: "e", CapacityHours: 5, Hours: []float64{5, 1}, Utilization: []float64{1, 0.2}}, ""},
		{"months without their figures", &csplanv1.BookCsmLoad{Id: "f", CapacityHours: 5, PeakMonth: "2027-02", PeakUtilization: 1.2, MonthsOverCapacity: 2},
			"f is over capacity in 2 months (peak 120% in 2027-02)."},
	} {
		if got := overloadSentence(tc.csm, months); got != tc.want {
			t.Errorf("%s: overloadSentence = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func withPeakAccounts(c *csplanv1.BookCsmLoad, accounts ...*csplanv1.BookAccountHours) *csplanv1.BookCsmLoad {
	out := proto.Clone(c).(*csplanv1.BookCsmLoad)
	out.PeakAccounts = accounts
	return out
}

func hoursOf(id string, h float64) *csplanv1.BookAccountHours {
	return &csplanv1.BookAccountHours{AccountId: id, Hours: h}
}

func TestStrip(t *testing.T) {
	c := &csplanv1.BookCsmLoad{CapacityHours: 7, Hours: []float64{0, 0.5, 1, 3.5, 7, 7.5, 6.9},
		Utilization: []float64{0, 0.5 / 7, 1.0 / 7, 0.5, 1, 7.5 / 7, 6.9 / 7}}
	if got, want := strip(c, 7), "·▁▁ ▄▇! ▇"; got != want {
		t.Errorf("strip = %q, want %q", got, want)
	}
	if got, want := strip(&csplanv1.BookCsmLoad{}, 4), "··· ·"; got != want {
		t.Errorf("strip of no figures = %q, want %q", got, want)
	}
}

// calendarPlan is a plan's result with the calendar of a small book: the
// service's answer for two CSMs, one over capacity, and renewals.
func calendarPlan(t *testing.T) *csplanv1.PlanResult {
	t.Helper()
	c := csplanv1.NewBookServiceClient(servertest.NewServer(t, server.Config{}).Conn())
	req := &csplanv1.AnalyzeBookRequest{Settings: &csplanv1.BookSettings{StartMonth: "2027-01", HorizonMonths: 13,
		Csms: []*csplanv1.BookCsm{{Id: "ana", Name: "Ana Lima", CapacityHours: f64(6)}, {Id: "ben", CapacityHours: f64(20)}}}}
	for i, owner := range []string{"ana", "ana", "ben", "ben", "", "zed"} {
		req.Accounts = append(req.Accounts, &csplanv1.Account{Id: fmt.Sprintf("a-%d", i), Arr: float64(10000 * (i + 1)), Owner: owner,
			MonthlyHours: f64(float64(3 + 2*i)), StartDate: fmt.Sprintf("2027-%02d", 1+2*i), RenewalDate: fmt.Sprintf("2027-%02d", 3+i)})
	}
	return &csplanv1.PlanResult{Company: "Acme", StartMonth: "2027-01", HorizonMonths: 12, Segmentation: bareBook(), Calendar: analyze(t, c, req)}
}

// bareBook is the least a plan's result holds of its book.
func bareBook() *csplanv1.PlanBookResult {
	return &csplanv1.PlanBookResult{Source: "totals", Unassigned: &csplanv1.PlanBookSegment{Name: "unassigned"}}
}

// TestPlanReportCalendar: a plan whose result carries the calendar gets
// its section in every format (its table and sentences in text and
// Markdown, the heat map and the renewal chart in HTML); one without it
// gets none.
func TestPlanReportCalendar(t *testing.T) {
	r := calendarPlan(t)
	a := r.GetCalendar()
	ana := a.GetCsms()[0]
	if ana.GetMonthsOverCapacity() == 0 {
		t.Fatalf("ana is never over capacity: %v", ana)
	}
	sentence := overloadSentence(ana, a.GetMonths())
	render := func(format string, r *csplanv1.PlanResult) string {
		var b bytes.Buffer
		if err := Render(&b, format, r); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		return b.String()
	}
	text := render("text", r)
	for _, want := range []string{"The book month by month\n-----------------------\n", "Renewal calendar\n................\n",
		"ana  Ana Lima", "Owners of the book not in the team (book.csms), each counted at a full CSM's capacity: zed."} {
		if !strings.Contains(text, want) {
			t.Errorf("the text report lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(text), " "), sentence) {
		t.Errorf("the text report lacks %q", sentence)
	}
	for i, l := range strings.Split(text, "\n") {
		if n := len([]rune(l)); n > 100 {
			t.Errorf("text line %d is %d columns wide: %q", i+1, n, l)
		}
	}
	md := render("markdown", r)
	for _, want := range []string{"## The book month by month", "### Renewal calendar", "| CSM | Name | Accounts |", "- " + sentence, "| CSM | Utilization by month from 2027-01 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown report lacks %q", want)
		}
	}
	page := render("html", r)
	for _, want := range []string{`<table class="grid" id="heatmap">`, `id="renewals"`, `<th scope="row" class="name">Ana Lima <span class="dim sub">ana</span></th>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
	if strings.Contains(page, "By month") || strings.Contains(page, "▁") {
		t.Error("the HTML report shows the text's utilization strips beside its heat map")
	}
	if strings.Contains(page, `id="segment-fte"`) {
		t.Error("the plan's HTML report shows the book's segment table, which the plan's own segments replace")
	}

	for _, empty := range []*csplanv1.PlanResult{{Company: "Acme", Segmentation: bareBook()},
		{Company: "Acme", Segmentation: bareBook(), Calendar: &csplanv1.BookAnalysis{Months: []string{"2027-01"}}}} {
		for _, format := range []string{"text", "html"} {
			if out := render(format, empty); strings.Contains(out, "book month by month") || strings.Contains(out, "heatmap") {
				t.Errorf("%s: a plan without a calendar of CSMs shows one", format)
			}
		}
	}
}

func TestRenderBook(t *testing.T) {
	r := calendarPlan(t)
	var b bytes.Buffer
	if err := RenderBook(&b, "markdown", Book{Company: "Acme", Analysis: r.GetCalendar()}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# The book month by month: Acme\n", "## CSMs", "## Renewal calendar", "## Owners and dates", "## Assumptions"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the book lacks %q:\n%s", want, b.String())
		}
	}
	if err := RenderBook(&b, "json", Book{Analysis: r.GetCalendar()}); err == nil {
		t.Error("RenderBook wrote JSON, which is the caller's")
	}
	if err := RenderBook(&b, "text", Book{}); err == nil {
		t.Error("RenderBook rendered no analysis")
	}
}
