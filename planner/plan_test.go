package planner

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// minimal is the smallest valid plan: one inline segment and a salary.
const minimal = `
segments:
  - name: Core
    accounts: 100
    arr: 2000000
hiring:
  base_salary: 100000
`

func TestParseExamples(t *testing.T) {
	for _, name := range []string{"meridian/plan.yaml", "sprout/plan.yaml", "sprout/whatif.yaml"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "examples", "plans", name)
			p, err := Load(path)
			if err != nil {
				t.Fatalf("Load(%s): %v", path, err)
			}
			if got, want := p.AccountsPath(), filepath.Join(filepath.Dir(path), "accounts.csv"); got != want {
				t.Errorf("AccountsPath() = %q, want %q", got, want)
			}
		})
	}
}

// TestParseSections reads a plan that sets every section and checks each
// value lands where the analysis reads it.
func TestParseSections(t *testing.T) {
	src := `
company: Acme
currency: EUR
start_month: "2027-03"
horizon_months: 24
touch_model: TOUCH_MODEL_LOW
complexity: Complex
csm_time:
  weekly_hours: 38
  time_off_days_per_year: 30
  internal_activities: [{ name: Meetings, hours_per_month: 12 }]
  target_utilization: 0.9
book: { accounts_csv: book.csv }
segments:
  - name: Big
    touch_model: high
    complexity: simple
    match:
      min_arr: 50000
      max_arr: 1000000
      stages: [Adoption, Renewal]
      min_health: 40
      max_health: 100
      complexities: [complex, moderate]
      attributes: { region: [EMEA, NA] }
    playbook:
      touchpoints:
        - { name: Check-in, hours: 1, cadence: biweekly }
        - { name: Review, hours: 2, per_year: 6 }
      inbound: [{ name: Tickets, per_account_per_month: 2, hours: 0.5 }]
    customer_lifetime_months: 48
    team: { csms: 3, planned_hires: ["2027-06"] }
    growth: { new_accounts_per_month: 2, monthly_logo_churn_rate: 0, new_account_arr: 80000 }
    thresholds: { review_accounts_per_csm: 20, hire_accounts_per_csm: 25, critical_accounts_per_csm: 35, arr_per_csm: 3000000 }
  - name: Rest
    touch_model: tech
    accounts_per_csm: 800
    team: { csms: 1 }
growth: { new_accounts_per_month: 10, monthly_logo_churn_rate: 0.01, monthly_expansion_rate: -0.002 }
hiring:
  time_to_hire_months: 3
  ramp_months: 4
  ramp_curve: linear
  annual_csm_attrition_rate: 0.1
  base_salary: 90000
  itemized: { benefits_share: 0.25, tools_per_year: 5000 }
  recruiting_fee_share: 0.2
  sign_on_bonus: 3000
  trainer_hours: 20
  trainer_hourly_cost: 60
  hours_per_account_month: 3
  tech_touch_alternative: { accounts_moved: 50, hours_saved_per_account_month: 1, platform_cost_per_year: 20000 }
finance: { revenue: 9000000, min_cost_share: 0.1, max_cost_share: 0.2, gross_margin: 0.75, cash: 1000000, monthly_burn: 100000, current_cs_cost: 500000, tech_touch_accounts_per_csm: 1500 }
signals: { churn_rate: 0.02, previous_churn_rate: 0.01, csm_weekly_hours: 50, touchpoint_completion_rate: 0.7, accounts_without_recent_contact_share: 0.3 }
segmentation: { suggest_tiers: 3 }
`
	p, err := Parse([]byte(src), "dir/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := func(x float64) *float64 { return &x }
	i := func(x int) *int { return &x }
	want := &Plan{
		Company: "Acme", Currency: "EUR", StartMonth: "2027-03", HorizonMonths: 24,
		TouchModel: TouchModel(csplanv1.TouchModel_TOUCH_MODEL_LOW), Complexity: Complexity(csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_COMPLEX),
		CSMTime: CSMTime{WeeklyHours: f(38), TimeOffDaysPerYear: f(30), InternalActivities: []InternalActivity{{"Meetings", 12}}, TargetUtilization: f(0.9)},
		Book:    BookSpec{AccountsCSV: "book.csv"},
		Segments: []Segment{{
			Name: "Big", TouchModel: TouchModel(csplanv1.TouchModel_TOUCH_MODEL_HIGH), Complexity: Complexity(csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_SIMPLE),
			Match: Match{MinARR: f(50000), MaxARR: f(1e6), Stages: []string{"Adoption", "Renewal"}, MinHealth: f(40), MaxHealth: f(100),
				Complexities: []Complexity{Complexity(csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_COMPLEX), Complexity(csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_MODERATE)},
				Attributes:   map[string][]string{"region": {"EMEA", "NA"}}},
			Playbook: &Playbook{
				Touchpoints: []Touchpoint{{Name: "Check-in", Hours: 1, Cadence: Cadence(csplanv1.Cadence_CADENCE_BIWEEKLY)}, {Name: "Review", Hours: 2, PerYear: f(6)}},
				Inbound:     []InboundActivity{{"Tickets", 2, 0.5}},
			},
			CustomerLifetimeMonths: f(48),
			Team:                   Team{CSMs: 3, PlannedHires: []string{"2027-06"}},
			Growth:                 &Growth{NewAccountsPerMonth: f(2), MonthlyLogoChurnRate: f(0), NewAccountARR: f(80000)},
			Thresholds:             ThresholdSpec{f(20), f(25), f(35), f(3e6)},
		}, {
			Name: "Rest", TouchModel: TouchModel(csplanv1.TouchModel_TOUCH_MODEL_TECH), AccountsPerCSM: f(800), Team: Team{CSMs: 1},
		}},
		Growth: Growth{NewAccountsPerMonth: f(10), MonthlyLogoChurnRate: f(0.01), MonthlyExpansionRate: f(-0.002)},
		Hiring: HiringSpec{TimeToHireMonths: i(3), RampMonths: i(4), RampCurve: RampCurve(csplanv1.RampCurve_RAMP_CURVE_LINEAR), AnnualCSMAttritionRate: f(0.1),
			BaseSalary: 90000, Itemized: &ItemizedCost{BenefitsShare: f(0.25), ToolsPerYear: 5000}, RecruitingFeeShare: f(0.2), SignOnBonus: 3000,
			TrainerHours: 20, TrainerHourlyCost: f(60), HoursPerAccountMonth: f(3),
			TechTouchAlternative: &TechTouchAlternative{AccountsMoved: 50, HoursSavedPerAccountMonth: 1, PlatformCostPerYear: 20000}},
		Finance: Finance{Revenue: f(9e6), MinCostShare: f(0.1), MaxCostShare: f(0.2), GrossMargin: f(0.75), Cash: f(1e6), MonthlyBurn: f(1e5),
			CurrentCSCost: f(5e5), TechTouchAccountsPerCSM: f(1500)},
		Signals:      Signals{f(0.02), f(0.01), f(50), f(0.7), f(0.3)},
		Segmentation: SegmentationSpec{SuggestTiers: 3},
	}
	if diff := cmp.Diff(want, p, cmp.AllowUnexported(Plan{}), cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".lines" || p.Last().String() == ".path"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
	if got, want := p.AccountsPath(), filepath.Join("dir", "book.csv"); got != want {
		t.Errorf("AccountsPath() = %q, want %q", got, want)
	}
	if got := p.Line("segments[0].team.csms"); got != 32 {
		t.Errorf("Line(segments[0].team.csms) = %d, want 32", got)
	}
}

// TestParseDefaults: what a plan leaves out stays unset, for the services'
// documented defaults (the analysis fills start month and horizon).
func TestParseDefaults(t *testing.T) {
	p, err := Parse([]byte(minimal), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.StartMonth != "" || p.HorizonMonths != 0 || p.TouchModel != 0 || p.Complexity != 0 || p.Currency != "" {
		t.Errorf("defaults not left unset: %+v", p)
	}
	if p.CSMTime.WeeklyHours != nil || p.Hiring.RampMonths != nil || p.Finance.MaxCostShare != nil || p.Growth.NewAccountsPerMonth != nil {
		t.Errorf("optional values set without being given: %+v", p)
	}
	if p.AccountsPath() != "" {
		t.Errorf("AccountsPath() = %q for an inline book", p.AccountsPath())
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		// want are substrings of the error: the key and its line.
		want []string
		// keys are the PlanError keys, when validation finds them.
		keys []string
	}{
		{"unknown top-level key", minimal + "segmnts: []\n", []string{"plan.yaml", "line 8", `unknown key "segmnts"`}, nil},
		{"unknown nested key", strings.Replace(minimal, "arr: 2000000", "arr: 2000000\n    team: { csm: 3 }", 1), []string{"line 6", `unknown key "csm"`}, nil},
		{"bad enum", strings.Replace(minimal, "arr: 2000000", "arr: 2000000\n    touch_model: medium", 1), []string{"line 6", `"medium" is not a touch model`, "high, low, tech"}, nil},
		{"wrong type", strings.Replace(minimal, "accounts: 100", "accounts: many", 1), []string{"line 4", `"many"`}, nil},
		{"empty", "", []string{"empty"}, nil},
		{"csv and inline", "book: { accounts_csv: a.csv }\nsegments: [{ name: A, accounts: 1, arr: 1 }]\nhiring: { base_salary: 1 }\n",
			[]string{"remove the inline accounts"}, []string{"segments[0].accounts", "segments[0].arr"}},
		{"tiers without accounts", minimal + "segmentation: { suggest_tiers: 3 }\n", []string{"suggest_tiers", "set book.accounts_csv"}, []string{"segmentation.suggest_tiers"}},
		{"reading keys without a csv", minimal + "book: { decimal_separator: \",\" }\n", []string{"plan.yaml:8: book.decimal_separator: says how to read book.accounts_csv"}, []string{"book.decimal_separator"}},
		{"bad delimiter", "book:\n  accounts_csv: a.csv\n  delimiter: \"|\"\nsegments: [{ name: A }]\nhiring: { base_salary: 1 }\n",
			[]string{"plan.yaml:3: book.delimiter:", `"|" is not a delimiter`}, []string{"book.delimiter"}},
		{"bad duplicates", "book:\n  accounts_csv: a.csv\n  duplicates: newest\nsegments: [{ name: A }]\nhiring: { base_salary: 1 }\n",
			[]string{"plan.yaml:3: book.duplicates:", `"newest" is not a policy: use first`}, []string{"book.duplicates"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), "plan.yaml")
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tc.keys == nil {
				return
			}
			var pe PlanErrors
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not PlanErrors", err)
			}
			var keys []string
			for _, e := range pe {
				keys = append(keys, e.Key)
			}
			if diff := cmp.Diff(tc.keys, keys); diff != "" {
				t.Errorf("error keys (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEnumSpellings(t *testing.T) {
	for _, s := range []string{"high", "HIGH", "TOUCH_MODEL_HIGH", " High "} {
		p, err := Parse([]byte(strings.Replace(minimal, "arr: 2000000", "arr: 2000000\n    touch_model: \""+s+"\"", 1)), "plan.yaml")
		if err != nil {
			t.Fatalf("touch_model %q: %v", s, err)
		}
		if got := p.Segments[0].TouchModel.proto(); got != csplanv1.TouchModel_TOUCH_MODEL_HIGH {
			t.Errorf("touch_model %q = %v, want TOUCH_MODEL_HIGH", s, got)
		}
	}
	p, err := Parse([]byte(strings.Replace(minimal, "arr: 2000000", "arr: 2000000\n    playbook: { touchpoints: [{ name: k, hours: 4, cadence: one-time }] }", 1)), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Segments[0].Playbook.Touchpoints[0].Cadence.proto(); got != csplanv1.Cadence_CADENCE_ONE_TIME {
		t.Errorf("cadence one-time = %v", got)
	}
}

// TestOneConvention: a plan written as a request file is written (keys in
// lowerCamelCase, full enum names, an attribute's values as {values: ...},
// amounts with a currency and a suffix) reads as the same plan as the
// snake_case one; an unknown key is still refused at its line.
func TestOneConvention(t *testing.T) {
	snake := "company: Acme\nstart_month: \"2027-01\"\nsegments:\n" +
		"  - name: EMEA\n    touch_model: low\n    match: { min_arr: 20000, attributes: { region: [EMEA, UK] } }\n    accounts_per_csm: 60\n    team: { csms: 2 }\n" +
		"hiring: { base_salary: 100000, ramp_months: 3 }\nfinance: { cash: 2500000 }\n"
	camel := "company: Acme\nstartMonth: \"2027-01\"\nsegments:\n" +
		"  - name: EMEA\n    touchModel: TOUCH_MODEL_LOW\n    match: { minArr: \"$20k\", attributes: { region: { values: [EMEA, UK] } } }\n    accountsPerCsm: 60\n    team: { csms: 2 }\n" +
		"hiring: { baseSalary: \"$100,000\", rampMonths: 3 }\nfinance: { cash: 2.5M }\n"
	want, err := Parse([]byte(snake), "snake.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse([]byte(camel), "camel.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Proto(), got.Proto(), protocmp.Transform()); diff != "" {
		t.Errorf("the camelCase plan reads differently (-snake +camel):\n%s", diff)
	}
	if got.Line("segments[0].match.min_arr") != 6 {
		t.Errorf("min_arr is on line %d, want 6", got.Line("segments[0].match.min_arr"))
	}
	_, err = Parse([]byte(strings.Replace(camel, "accountsPerCsm", "accountsPerCms", 1)), "camel.yaml")
	if err == nil || !strings.Contains(err.Error(), `line 7: unknown key "accountsPerCms"`) {
		t.Errorf("a misspelt camelCase key: %v", err)
	}
	// An attribute's own name is the user's: it is never rewritten.
	p, err := Parse([]byte(strings.Replace(snake, "region:", "billingRegion:", 1)), "plan.yaml")
	if err != nil || p.Segments[0].Match.Attributes["billingRegion"] == nil {
		t.Errorf("the attribute billingRegion: %v, %v", err, p.Segments[0].Match.Attributes)
	}
}

// TestTouchpointAnchors: a plan's touchpoints take their anchor and its
// fields, in either convention.
func TestTouchpointAnchors(t *testing.T) {
	src := strings.Replace(minimal, "arr: 2000000", "arr: 2000000\n    playbook:\n      touchpoints:\n"+
		"        - { name: Renewal prep, hours: 3, anchor: renewal, months_before: 2 }\n"+
		"        - { name: Onboarding, hours: 8, cadence: one_time, anchor: TOUCHPOINT_ANCHOR_START, spreadMonths: 3 }", 1)
	p, err := Parse([]byte(src), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tps := p.Proto().GetSegments()[0].GetPlaybook().GetTouchpoints()
	if tps[0].GetAnchor() != csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_RENEWAL || tps[0].GetMonthsBefore() != 2 ||
		tps[1].GetAnchor() != csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_START || tps[1].GetSpreadMonths() != 3 {
		t.Errorf("touchpoints %v", tps)
	}
}
