package capacity

import (
	"fmt"
	"strconv"
	"testing"
)

// benchBookCSMs is the team of the benchmarked book.
const benchBookCSMs = 2000

// benchBookSettings are the book analysis of `go run ./bench`: three
// segments by ARR whose playbooks have a touchpoint of every anchor and
// inbound work, 2,000 CSMs and 24 months.
func benchBookSettings() BookSettings {
	s := BookSettings{
		CSMTime:    CSMTime{WeeklyHours: capFloat(40), TimeOffDaysPerYear: capFloat(25), TargetUtilization: capFloat(0.85)},
		StartMonth: "2027-01", HorizonMonths: 24,
		Segments: []SegmentRule{
			{Name: "Enterprise", MinARR: capFloat(200_000), Playbook: &Playbook{
				Touchpoints: []Touchpoint{
					{Name: "Monthly check-in", Hours: 1, Cadence: CadenceMonthly, Anchor: AnchorStart},
					{Name: "Quarterly business review", Hours: 4, Cadence: CadenceQuarterly, Anchor: AnchorStart},
					{Name: "Onboarding programme", Hours: 24, Cadence: CadenceOneTime, Anchor: AnchorStart, SpreadMonths: i32p(3)},
					{Name: "Renewal preparation", Hours: 6, Anchor: AnchorRenewal, MonthsBefore: i32p(3)},
					{Name: "Executive sponsor call", Hours: 2, Cadence: CadenceSemiannual, Anchor: AnchorEven},
				},
				Inbound: []InboundActivity{{Name: "Escalations", PerAccountPerMonth: 0.5, Hours: 1.5}}}},
			{Name: "Mid-Market", MinARR: capFloat(30_000), CustomerLifetimeMonths: capFloat(30), Playbook: &Playbook{
				Touchpoints: []Touchpoint{
					{Name: "Quarterly review", Hours: 2, Cadence: CadenceQuarterly, Anchor: AnchorStart},
					{Name: "Kick-off", Hours: 8, Cadence: CadenceOneTime, Anchor: AnchorStart, SpreadMonths: i32p(2)},
					{Name: "Renewal call", Hours: 2, Anchor: AnchorRenewal, MonthsBefore: i32p(1)},
					{Name: "Health check", Hours: 0.5, Cadence: CadenceMonthly, Anchor: AnchorEven},
				},
				Inbound: []InboundActivity{{Name: "Product questions", PerAccountPerMonth: 0.4, Hours: 0.5}}}},
			{Name: "SMB", MinARR: capFloat(1), CustomerLifetimeMonths: capFloat(24), Playbook: &Playbook{
				Touchpoints: []Touchpoint{
					{Name: "Group onboarding seat", Hours: 1, Cadence: CadenceOneTime, Anchor: AnchorStart, SpreadMonths: i32p(1)},
					{Name: "Welcome pack", Hours: 0.5, Cadence: CadenceOneTime, Anchor: AnchorEven},
					{Name: "Renewal reminder", Hours: 0.5, Anchor: AnchorRenewal, MonthsBefore: i32p(1)},
					{Name: "Health review", Hours: 0.5, PerYear: capFloat(2), Anchor: AnchorEven},
				},
				Inbound: []InboundActivity{{Name: "Requests", PerAccountPerMonth: 0.2, Hours: 0.5}}}},
		},
	}
	for c := range benchBookCSMs {
		s.CSMs = append(s.CSMs, BookCSM{ID: benchBookOwner(c), Name: "CSM " + strconv.Itoa(c)})
	}
	return s
}

func benchBookOwner(c int) string { return "CSM-" + strconv.Itoa(10_000+c) }

// benchDatedBook is n accounts as `go run ./bench` generates them: spread
// evenly over the team, started between 2021-07 and 2028-06, renewing a
// term at a time from the start, one in four with a term of its own.
func benchDatedBook(n int) []Account {
	book := make([]Account, n)
	date := func(m, day int) string { return fmt.Sprintf("%04d-%02d-%02d", m/12, m%12+1, day) }
	for i := range book {
		h := uint64(i) * 0x9E3779B97F4A7C15
		start, day, term := 2021*12+6+int(h>>32%84), 1+int(h>>16%28), 12
		a := Account{ID: "ACC-" + strconv.Itoa(10_000_000+i), Name: "Account " + strconv.Itoa(i),
			ARR: float64(1000 + (i*7919)%299_000), Stage: "Adoption", Owner: benchBookOwner(i * 1543 % benchBookCSMs),
			AttributeList: []Attribute{{"region", "EMEA"}, {"industry", "Software"}}}
		if i%4 == 0 {
			term = []int{12, 24, 36}[i/4%3]
			a.ContractTermMonths = i32p(int32(term))
		}
		renewal := start + term
		for renewal < 2026*12+11 {
			renewal += term
		}
		a.StartDate, a.RenewalDate = date(start, day), date(renewal, day)
		book[i] = a
	}
	return book
}

// BenchmarkBookAnalyzerAdd measures validating and adding one dated
// account, as StreamAnalyzeBook does for each, to an analysis of 2,000
// CSMs over 24 months, cycling through a book of 2^16 accounts (run with
// -benchtime=1000000x for a book of 10^6).
func BenchmarkBookAnalyzerAdd(b *testing.B) {
	an, err := NewBookAnalyzer(benchBookSettings(), 0)
	if err != nil {
		b.Fatal(err)
	}
	book := benchDatedBook(1 << 16)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a := &book[i%len(book)]
		if err := ValidateAccount(a, "accounts", i); err != nil {
			b.Fatal(err)
		}
		an.Add(a)
	}
}

// BenchmarkBookAnalyzerResult measures the analysis of a book of 2^16
// accounts: 2,000 CSMs' and three segments' months.
func BenchmarkBookAnalyzerResult(b *testing.B) {
	an, err := NewBookAnalyzer(benchBookSettings(), 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range benchDatedBook(1 << 16) {
		an.Add(&a)
	}
	b.ReportAllocs()
	for b.Loop() {
		an.Result()
	}
}
