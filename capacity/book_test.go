package capacity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func f64p(x float64) *float64 { return &x }

// TestBookAnalyzerByHand: four accounts, two known CSMs (one half-time),
// an owner the settings do not know and an unowned account; every figure
// is computed by hand from TestAccountHoursByHand's months.
func TestBookAnalyzerByHand(t *testing.T) {
	pb := calendarPlaybook()
	b, err := NewBookAnalyzer(BookSettings{
		CSMTime:       CSMTime{WeeklyHours: f64p(40), TimeOffDaysPerYear: f64p(25), CustomerFacingShare: f64p(2.0 / 3)},
		Segments:      []SegmentRule{{Name: "Core", Playbook: &pb, AccountsPerCSM: nil}},
		CSMs:          []BookCSM{{ID: "A"}, {ID: "B", CapacityShare: f64p(0.5)}},
		StartMonth:    "2027-01",
		HorizonMonths: 12,
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []Account{
		{ID: "1", ARR: 100, Owner: "A", StartDate: "2027-02-10", RenewalDate: "2026-06-30", ContractTermMonths: i32p(12)},
		{ID: "2", ARR: 200, Owner: "B", MonthlyHours: f64p(10)},
		{ID: "3", ARR: 300, Owner: "Z"},
		{ID: "4", ARR: 400, StartDate: "2026-11", RenewalDate: "2027-05", ContractTermMonths: i32p(6)},
	} {
		b.Add(&a)
	}
	r := b.Result()
	available := 40 * (52 - 25.0/5) / 12 * 2 / 3
	if math.Abs(r.AvailableHoursPerCSMMonth-available) > 1e-9 {
		t.Fatalf("available %v, want %v", r.AvailableHoursPerCSMMonth, available)
	}
	byID := map[string]BookCSMResult{}
	for _, c := range r.CSMs {
		byID[c.CSM.ID] = c
	}
	a, bb, z := byID["A"], byID["B"], byID["Z"]
	if diff := cmp.Diff([]AccountHoursInMonth{{AccountID: "1", Hours: 5}}, a.PeakAccounts); diff != "" {
		t.Errorf("A's peak accounts (-want +got):\n%s", diff)
	}
	if a.Hours[4] != 5 || a.PeakMonth.String() != "2027-05" || math.Abs(a.PeakUtilization-5/available) > 1e-9 || a.MonthsOverCapacity != 0 {
		t.Errorf("A: %+v", a)
	}
	if math.Abs(bb.CapacityHours-available/2) > 1e-9 || math.Abs(bb.Utilization[0]-10/(available/2)) > 1e-9 || bb.PeakMonth.String() != "2027-01" {
		t.Errorf("B (half time, 10 hours a month): %+v", bb)
	}
	if z.Known || len(r.UnknownOwners) != 1 || r.UnknownOwners[0] != "Z" || math.Abs(z.Hours[0]-(1+4.0/36+3.0/12+1)) > 1e-9 {
		t.Errorf("Z, an owner the settings lack: %+v, unknown %v", z, r.UnknownOwners)
	}
	if r.UnownedAccounts != 1 || r.UnownedHours[3] != 5 || r.UnownedHours[0] != 2 {
		t.Errorf("unowned: %d accounts, hours %v", r.UnownedAccounts, r.UnownedHours)
	}
	// Renewals: account 1 in 2027-06; account 4 in 2027-05 and 2027-11.
	for i, want := range []int64{0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0} {
		if r.Renewals[i].Accounts != want {
			t.Errorf("renewals in %s = %d, want %d", r.Renewals[i].Month, r.Renewals[i].Accounts, want)
		}
	}
	// Core's peak: 2027-04 (account 4's renewal prep) and 2027-05 (account
	// 1's) tie at 19.36 hours; the earliest counts.
	core := r.Segments[0]
	if core.Accounts != 4 || math.Abs(core.Hours[4]-(5+10+(1+4.0/36+0.25+1)+2)) > 1e-9 || core.PeakMonth.String() != "2027-04" {
		t.Errorf("Core: %+v", core)
	}
	if r.AccountsWithoutDates != 1 {
		t.Errorf("accounts without dates = %d, want 1 (account 3)", r.AccountsWithoutDates)
	}
}

// TestBookAnalyzerSettings: bad settings are refused by field, every one.
func TestBookAnalyzerSettings(t *testing.T) {
	_, err := NewBookAnalyzer(BookSettings{HorizonMonths: 40, CSMs: []BookCSM{{ID: "A"}, {ID: " A "}, {ID: ""}, {ID: "C", CapacityShare: f64p(1.5)}, {ID: "D", CapacityHours: f64p(0)}},
		StartMonth: "2027-13", Customers: Customers{Stages: []string{"Customer"}, Exclude: []string{"Trial"}}}, 0)
	for _, want := range []string{"horizon_months: must be 1 to 36", `csms[1].id: "A" is given twice`, "csms[2].id: give the CSM's id", "csms[3].capacity_share: is a share", `start_month: "2027-13"`, "csms[4].capacity_hours: must be above 0", "exclude_stages: give customer_stages or exclude_stages, not both"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
}

// TestBookAnalyzerInvariants: on random books, the hours of the CSMs and
// the unowned are the hours of the segments (every account here is in
// one), month by month, and the order the accounts come in changes
// nothing.
func TestBookAnalyzerInvariants(t *testing.T) {
	pb := calendarPlaybook()
	settings := BookSettings{Segments: []SegmentRule{{Name: "Big", MinARR: f64p(1000), Playbook: &pb}, {Name: "Rest", Playbook: &pb}},
		CSMs: []BookCSM{{ID: "A"}, {ID: "B"}}, StartMonth: "2027-01", HorizonMonths: 18}
	owners := []string{"A", "B", "C", ""}
	dates := []string{"", "2025-07", "2026-12-31", "2027-03-01", "2027-11"}
	for seed := range 50 {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		var book []Account
		for i := range 40 {
			a := Account{ID: fmt.Sprintf("acc-%02d", i), ARR: float64(r.IntN(3000)), Owner: owners[r.IntN(len(owners))],
				StartDate: dates[r.IntN(len(dates))], RenewalDate: dates[r.IntN(len(dates))]}
			if r.IntN(4) == 0 {
				a.ContractTermMonths = i32p(int32(1 + r.IntN(24)))
			}
			if r.IntN(6) == 0 {
				a.MonthlyHours = f64p(float64(r.IntN(20)))
			}
			book = append(book, a)
		}
		results := make([]BookAnalysis, 2)
		for k := range results {
			b, err := NewBookAnalyzer(settings, 0)
			if err != nil {
				t.Fatal(err)
			}
			order := r.Perm(len(book))
			for _, j := range order {
				b.Add(&book[j])
			}
			results[k] = b.Result()
		}
		res := results[0]
		if len(res.Months) != 18 {
			t.Fatalf("%d months, want 18", len(res.Months))
		}
		for m := range res.Months {
			var csms, segs float64
			for _, c := range res.CSMs {
				csms += c.Hours[m]
			}
			for _, s := range res.Segments {
				segs += s.Hours[m]
			}
			if math.Abs(csms+res.UnownedHours[m]-segs) > 1e-6 {
				t.Fatalf("seed %d, month %d: CSMs and unowned %v hours, segments %v", seed, m, csms+res.UnownedHours[m], segs)
			}
		}
		other := results[1]
		byID := map[string]BookCSMResult{}
		for _, c := range other.CSMs {
			byID[c.CSM.ID] = c
		}
		for _, c := range res.CSMs {
			o := byID[c.CSM.ID]
			if diff := cmp.Diff(c.PeakAccounts, o.PeakAccounts); diff != "" || c.PeakMonth != o.PeakMonth || c.MonthsOverCapacity != o.MonthsOverCapacity {
				t.Fatalf("seed %d: the order of the accounts changed %s's peak (-one +other):\n%s", seed, c.CSM.ID, diff)
			}
			for k, d := range c.PeakAccounts {
				if k > 0 && d.Hours > c.PeakAccounts[k-1].Hours {
					t.Fatalf("seed %d: %s's peak accounts are not most first: %v", seed, c.CSM.ID, c.PeakAccounts)
				}
			}
		}
		for i := range res.Segments {
			for m := range res.Segments[i].Hours {
				if math.Abs(res.Segments[i].Hours[m]-other.Segments[i].Hours[m]) > 1e-6 {
					t.Fatalf("seed %d: the order of the accounts changed %s's hours in month %d", seed, res.Segments[i].Name, m)
				}
			}
		}
	}
}

// TestHoursOfIsWhatAddCounts: each account's HoursOf, summed by owner, is
// the analysis's hours of that CSM, month by month.
func TestHoursOfIsWhatAddCounts(t *testing.T) {
	pb := calendarPlaybook()
	settings := BookSettings{Segments: []SegmentRule{{Name: "Big", MinARR: f64p(1000), Playbook: &pb}, {Name: "Rest", Playbook: &pb}},
		CSMs: []BookCSM{{ID: "A"}, {ID: "B"}}, StartMonth: "2027-01", HorizonMonths: 18}
	owners := []string{"A", "B", "C"}
	dates := []string{"", "2025-07", "2026-12-31", "2027-03-01", "2027-11"}
	r := rand.New(rand.NewPCG(5, 9))
	b, err := NewBookAnalyzer(settings, 0)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string][]float64{}
	hours := make([]float64, b.Months())
	for i := range 200 {
		a := Account{ID: fmt.Sprintf("acc-%03d", i), ARR: float64(r.IntN(3000)), Owner: owners[r.IntN(len(owners))],
			StartDate: dates[r.IntN(len(dates))], RenewalDate: dates[r.IntN(len(dates))]}
		if r.IntN(6) == 0 {
			a.MonthlyHours = f64p(float64(r.IntN(20)))
		}
		b.Add(&a)
		b.HoursOf(&a, hours)
		if sums[a.Owner] == nil {
			sums[a.Owner] = make([]float64, len(hours))
		}
		for m, h := range hours {
			sums[a.Owner][m] += h
		}
	}
	for _, c := range b.Result().CSMs {
		for m, h := range c.Hours {
			if math.Abs(h-sums[c.CSM.ID][m]) > 1e-9 {
				t.Fatalf("%s, month %d: the analysis says %v, HoursOf sums to %v", c.CSM.ID, m, h, sums[c.CSM.ID][m])
			}
		}
	}
}

// TestPeakIdsStayBounded: a book in which every account takes a peak place
// (each has more hours than the last) keeps ids bounded by the places, not
// by the accounts, and names the right peak.
func TestPeakIdsStayBounded(t *testing.T) {
	b, err := NewBookAnalyzer(BookSettings{CSMs: []BookCSM{{ID: "A"}}, StartMonth: "2027-01", HorizonMonths: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20_000
	most := 0
	for i := range n {
		a := Account{ID: fmt.Sprintf("acc-%05d", n-i), Owner: "A", MonthlyHours: f64p(float64(i) / 100)}
		if err := ValidateAccount(&a, "accounts", i); err != nil {
			t.Fatal(err)
		}
		b.Add(&a)
		most = max(most, len(b.kept))
	}
	if places := peakAccounts * 2; most > 2*places+places/2+1024 {
		t.Fatalf("the kept ids grew to %d for %d places", most, places)
	}
	got := b.Result().CSMs[0].PeakAccounts
	want := []AccountHoursInMonth{{"acc-00001", 199.99}, {"acc-00002", 199.98}, {"acc-00003", 199.97}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("peak accounts (-want +got):\n%s", diff)
	}
}
