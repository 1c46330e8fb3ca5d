package capacity

import "testing"

// benchCapacityRequest is examples/capacity.yaml: three segments with
// explicit internal time, recurring, one-time and inbound work.
func benchCapacityRequest() CapacityRequest {
	return CapacityRequest{
		CSMTime: CSMTime{
			WeeklyHours: capFloat(40), TimeOffDaysPerYear: capFloat(25), TargetUtilization: capFloat(0.9),
			InternalActivities: []InternalActivity{
				{Name: "Team meetings", HoursPerMonth: 12}, {Name: "Email and Slack catch-up", HoursPerMonth: 20},
				{Name: "1:1s and enablement", HoursPerMonth: 8}, {Name: "Internal projects", HoursPerMonth: 10},
			},
		},
		Segments: []Segment{
			{Name: "Enterprise", Accounts: 45, ARR: 5_400_000, NewAccountsPerMonth: capFloat(1), Playbook: Playbook{
				Touchpoints: []Touchpoint{
					{Name: "Weekly check-in", Hours: 1, Cadence: CadenceWeekly},
					{Name: "Executive business review", Hours: 8, Cadence: CadenceQuarterly},
					{Name: "Success plan refresh", Hours: 4, Cadence: CadenceSemiannual},
					{Name: "Onboarding programme", Hours: 30, Cadence: CadenceOneTime},
				},
				Inbound: []InboundActivity{{Name: "Escalations", PerAccountPerMonth: 1.5, Hours: 1.5}},
			}},
			{Name: "Mid-Market", Accounts: 240, ARR: 6_000_000, Playbook: Playbook{
				Touchpoints: []Touchpoint{
					{Name: "Monthly check-in", Hours: 1, Cadence: CadenceMonthly},
					{Name: "Quarterly business review", Hours: 3, Cadence: CadenceQuarterly},
					{Name: "Kick-off", Hours: 6, Cadence: CadenceOneTime},
				},
				Inbound: []InboundActivity{{Name: "Product questions", PerAccountPerMonth: 1, Hours: 0.5}},
			}},
			{Name: "SMB", Accounts: 900, ARR: 4_500_000, CustomerLifetimeMonths: capFloat(24), Playbook: Playbook{
				Touchpoints: []Touchpoint{
					{Name: "Health review", Hours: 0.5, PerYear: capFloat(3)},
					{Name: "Group onboarding seat", Hours: 1, Cadence: CadenceOneTime},
				},
				Inbound: []InboundActivity{{Name: "Requests", PerAccountPerMonth: 0.3, Hours: 0.5}},
			}},
		},
	}
}

// BenchmarkComputeCapacity measures the workload computation of a
// three-segment playbook, validation and assumptions included: the domain's
// share of a ComputeCapacity call.
func BenchmarkComputeCapacity(b *testing.B) {
	req := benchCapacityRequest()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ComputeCapacity(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForecastCapacity measures 120 months of examples/forecast.yaml:
// growth, churn, a planned hire, CSM attrition, a linear ramp and a cost
// profile.
func BenchmarkForecastCapacity(b *testing.B) {
	months := int32(120)
	ramp, hire := int32(3), int32(2)
	req := ForecastRequest{
		StartMonth: "2027-01", HorizonMonths: months, Accounts: 260, ARR: 9_100_000, CSMCount: 6,
		PlannedHireMonths: []string{"2027-04"},
		Growth: Growth{NewAccountsPerMonth: 9, MonthlyLogoChurnRate: capFloat(0.01),
			MonthlyExpansionRate: capFloat(0.005), NewAccountARR: capFloat(32_000)},
		TouchModel: TouchModelHigh, Complexity: ComplexityModerate,
		Timeline: Timeline{TimeToHireMonths: &hire, RampMonths: &ramp, RampCurve: RampCurveLinear,
			AnnualCSMAttritionRate: capFloat(0.12)},
		HireCost: &HireRequest{BaseSalary: 100_000, LoadedCostMultiplier: capFloat(1.5), RecruitingFeeShare: capFloat(0.15)},
	}
	today, err := ParseMonth("2026-12")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ForecastCapacity(req, today); err != nil {
			b.Fatal(err)
		}
	}
}
