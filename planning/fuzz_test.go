package planning

import (
	"errors"
	"math"
	"testing"

	"github.com/csplan/csplan/capacity"
)

// FuzzRunPlan: any plan either runs, with finite figures and the company
// as the sum of its segments, or is refused as a bad field; never a panic
// or another kind of error.
func FuzzRunPlan(f *testing.F) {
	f.Add(int32(120), 2e6, int32(4), 20.0, 0.01, 0.0, 3.0, 0.1, int32(2), int32(3), int32(12), 8.0)
	f.Add(int32(0), 0.0, int32(0), 0.0, 0.0, -0.2, 0.0, 0.0, int32(0), int32(0), int32(1), 0.0)
	f.Add(int32(5000), 1e9, int32(1), 1e-3, 0.5, 0.5, 1e6, 0.99, int32(24), int32(24), int32(120), 1.0)
	f.Fuzz(func(t *testing.T, accounts int32, arr float64, csms int32, ratio, churn, expansion, newAccounts, attrition float64, tth, ramp, horizon int32, span float64) {
		p := Plan{StartMonth: "2027-01", HorizonMonths: horizon,
			Segments: []Segment{{Name: "A", Accounts: &accounts, ARR: &arr, CSMs: csms}},
			Growth:   Growth{NewAccountsPerMonth: &newAccounts, MonthlyLogoChurnRate: &churn, MonthlyExpansionRate: &expansion},
			Hiring:   Hiring{Cost: capacity.HireRequest{BaseSalary: 90000, TimeToHireMonths: &tth, RampMonths: &ramp}, AnnualAttrition: &attrition}}
		if ratio != 0 {
			p.Segments[0].AccountsPerCSM = &ratio
		}
		if span != 0 {
			p.Finance.CSMsPerManager = &span
		}
		r, err := Run(p, Book{}, dec2026)
		if err != nil {
			var ve *capacity.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("%T: %v", err, err)
			}
			return
		}
		s := r.Summary
		for _, x := range []float64{s.CostNow, s.CostNeeded, s.CostShareNow, s.CostShareNeeded, r.Months[len(r.Months)-1].TotalCost} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("a figure is not finite: %+v", s)
			}
		}
		if s.CSMsNeededNow != r.Segments[0].CSMsNeededNow || len(r.Months) != int(r.HorizonMonths)+1 {
			t.Fatalf("summary %d, segment %d, %d months", s.CSMsNeededNow, r.Segments[0].CSMsNeededNow, len(r.Months))
		}
	})
}
