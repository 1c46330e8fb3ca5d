package capacity

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPercentileInc(t *testing.T) {
	oneToTen := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		name   string
		sorted []float64
		p      float64
		want   float64
	}{
		{"empty", nil, 0.5, 0},
		{"one value", []float64{7}, 0.9, 7},
		// rank 0.5 x 3 = 1.5: halfway between 2 and 3.
		{"median of four", []float64{1, 2, 3, 4}, 0.5, 2.5},
		// rank 0.9 x 3 = 2.7: 3 + 0.7 x (4 - 3).
		{"p90 of four", []float64{1, 2, 3, 4}, 0.9, 3.7},
		// Excel: PERCENTILE.INC({1..10}, 0.9) = 9.1.
		{"p90 of ten", oneToTen, 0.9, 9.1},
		{"median of ten", oneToTen, 0.5, 5.5},
		{"max", oneToTen, 1, 10},
		{"min", oneToTen, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PercentileInc(tt.sorted, tt.p); !capNear(got, tt.want) {
				t.Errorf("PercentileInc(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func health(x float64) *float64 { return &x }

// matchRules exercises every criterion, in an order where each rule can
// only catch what the earlier ones left.
func matchRules() SegmentRules {
	return SegmentRules{Segments: []SegmentRule{
		{Name: "Enterprise", MinARR: capFloat(100_000)},
		{Name: "At risk", MaxHealth: capFloat(40)},
		{Name: "EMEA adoption", Stages: []string{"Adoption", " expansion "}, Attributes: map[string][]string{" region ": {"EMEA"}}},
		{Name: "Complex", Complexities: []Complexity{ComplexityComplex}},
		{Name: "SMB", MinARR: capFloat(1), MaxARR: capFloat(100_000)},
		{Name: "Moderate", Complexities: []Complexity{ComplexityModerate}},
	}}
}

func TestSegmenterMatch(t *testing.T) {
	s, err := NewSegmenter(matchRules())
	if err != nil {
		t.Fatalf("NewSegmenter: %v", err)
	}
	tests := []struct {
		name string
		a    Account
		want int
	}{
		{"min_arr is inclusive", Account{ARR: 100_000}, 0},
		{"max_health is inclusive", Account{ARR: 99_999.99, HealthScore: health(40)}, 1},
		{"just over max_health", Account{ARR: 99_999.99, HealthScore: health(40.5)}, 4},
		{"no health score matches no health rule", Account{ARR: 5_000}, 4},
		{"stage and attribute value ignore case and spaces", Account{ARR: 50_000, Stage: "ADOPTION ", Attributes: map[string]string{"region": " emea "}}, 2},
		{"attribute key ignores case", Account{ARR: 50_000, Stage: "Expansion", Attributes: map[string]string{"Region": "EMEA"}}, 2},
		{"stage outside the list", Account{ARR: 50_000, Stage: "Renewal", Attributes: map[string]string{"region": "EMEA"}, Complexity: ComplexityComplex}, 3},
		{"attribute missing", Account{ARR: 50_000, Stage: "Adoption", Complexity: ComplexityComplex}, 3},
		{"unspecified complexity counts as moderate", Account{ARR: 0}, 5},
		{"no rule", Account{ARR: 0, Complexity: ComplexitySimple}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Match(&tt.a); got != tt.want {
				t.Errorf("Match(%+v) = %d (%s), want %d (%s)", tt.a, got, s.SegmentName(got), tt.want, s.SegmentName(tt.want))
			}
		})
	}
}

func TestMaxARRIsExclusive(t *testing.T) {
	s, err := NewSegmenter(SegmentRules{Segments: []SegmentRule{{Name: "Small", MaxARR: capFloat(1000)}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		arr  float64
		want int
	}{{999.99, 0}, {1000, -1}, {0, 0}} {
		if got := s.Match(&Account{ARR: tc.arr}); got != tc.want {
			t.Errorf("Match(arr %v) = %d, want %d", tc.arr, got, tc.want)
		}
	}
}

// TestValueSet checks that the map a long list builds answers as
// strings.EqualFold on trimmed values does, including for non-ASCII
// letters that fold to ASCII ones.
func TestValueSet(t *testing.T) {
	long := []string{"Onboarding", "Adoption", "Renewal", "Expansion", "At Risk", "Churned", "Trial", "Paused", "Pilot", " k "}
	short := long[:3]
	for _, list := range [][]string{long, short} {
		set := newValueSet(list)
		if (set.folded != nil) != (len(list) > valueSetLinearMax) {
			t.Errorf("list of %d: map built = %v", len(list), set.folded != nil)
		}
		for _, v := range []string{"renewal", " RENEWAL ", "renewals", "", "at risk", "\u212a", "K", "onboardinG", strings.Repeat("a", 100)} {
			want := false
			for _, x := range list {
				want = want || strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(v))
			}
			if got := set.has(v); got != want {
				t.Errorf("list of %d: has(%q) = %v, want %v", len(list), v, got, want)
			}
		}
	}
}

func TestSegmenterSummary(t *testing.T) {
	rules := SegmentRules{Segments: []SegmentRule{
		{Name: "Enterprise", MinARR: capFloat(100_000), AccountsPerCSM: capFloat(10)},
		{Name: "Mid-Market", MinARR: capFloat(10_000), TouchModel: TouchModelLow},
		{Name: "SMB", MinARR: capFloat(1), TouchModel: TouchModelTech, Playbook: &Playbook{
			Touchpoints: []Touchpoint{{Name: "monthly check-in", Hours: 1, Cadence: CadenceMonthly}},
		}},
	}}
	book := []Account{
		{ID: "e1", ARR: 100_000, Stage: "Renewal"},
		{ID: "e2", ARR: 600_000, Stage: "renewal "},
		{ID: "e3", ARR: 200_000, Stage: "Adoption"},
		{ID: "m1", ARR: 30_000, Stage: "Onboarding"},
		{ID: "m2", ARR: 10_000, Stage: "Adoption"},
		{ID: "s1", ARR: 9_999, Stage: "ADOPTION"},
		{ID: "s2", ARR: 500, Stage: "Adoption"},
		{ID: "s3", ARR: 1_500, Stage: "Onboarding"},
		{ID: "u1", ARR: 0},
	}
	s, err := NewSegmenter(rules)
	if err != nil {
		t.Fatalf("NewSegmenter: %v", err)
	}
	var got []string
	for i := range book {
		if err := ValidateAccount(&book[i], "accounts", i); err != nil {
			t.Fatal(err)
		}
		got = append(got, s.SegmentName(s.Add(&book[i])))
	}
	wantNames := []string{"Enterprise", "Enterprise", "Enterprise", "Mid-Market", "Mid-Market", "SMB", "SMB", "SMB", "unassigned"}
	if diff := cmp.Diff(wantNames, got); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}

	// Default CSM time: 40 h x (52 - 25/5) / 12 x 2/3 = 104.44 customer
	// hours; the SMB journey takes 1 h per account per month.
	available := 40 * (52 - 25.0/5) / 12 * 2 / 3
	total := 951_999.0
	want := SegmentationResult{
		Segments: []SegmentSummary{
			{
				Name: "Enterprise", TouchModel: TouchModelHigh, Accounts: 3, ARR: 900_000, ARRMean: 300_000,
				// p90: rank 1.8, 200,000 + 0.8 x 400,000.
				ARRMedian: 200_000, ARRP90: 520_000, AccountShare: 3.0 / 9, ARRShare: 900_000 / total,
				StageCounts:    []StageCount{{"Renewal", 2}, {"Adoption", 1}},
				AccountsPerCSM: 10, CSMFTE: 0.3, CSMHeadcount: 1,
			},
			{
				Name: "Mid-Market", TouchModel: TouchModelLow, Accounts: 2, ARR: 40_000, ARRMean: 20_000,
				ARRMedian: 20_000, ARRP90: 28_000, AccountShare: 2.0 / 9, ARRShare: 40_000 / total,
				StageCounts:    []StageCount{{"Adoption", 1}, {"Onboarding", 1}},
				AccountsPerCSM: 125, CSMFTE: 2.0 / 125, CSMHeadcount: 1,
			},
			{
				Name: "SMB", TouchModel: TouchModelTech, Accounts: 3, ARR: 11_999, ARRMean: 11_999.0 / 3,
				// p90: rank 1.8, 1,500 + 0.8 x 8,499.
				ARRMedian: 1_500, ARRP90: 8_299.2, AccountShare: 3.0 / 9, ARRShare: 11_999 / total,
				// Stages are spelt as first met in the book, not the segment.
				StageCounts:    []StageCount{{"Adoption", 2}, {"Onboarding", 1}},
				AccountsPerCSM: 104, CSMFTE: 3 / available, CSMHeadcount: 1,
			},
		},
		Unassigned: SegmentSummary{
			Name: "unassigned", Accounts: 1, AccountShare: 1.0 / 9,
			StageCounts: []StageCount{{"", 1}},
		},
		TotalAccounts: 9,
		TotalARR:      total,
		Excluded:      SegmentSummary{Name: ExcludedSegment, StageCounts: []StageCount{}},
		Assumptions: []Assumption{
			{Name: "csm_time.weekly_hours", Value: "40", Source: sourceWeeklyHours},
			{Name: "csm_time.time_off_days_per_year", Value: "25", Source: sourceTimeOff},
			{Name: "csm_time.customer_facing_share", Value: formatFloat(2.0 / 3), Source: sourceCustomerFacing},
			{Name: "csm_time.target_utilization", Value: "1", Source: sourceUtilization},
			{Name: "segments[0].touch_model", Value: "TOUCH_MODEL_HIGH", Source: sourceDefaultTouchModel},
			{Name: "segments[0].accounts_per_csm", Value: "10", Source: SourceRequest},
			{Name: "segments[1].accounts_per_csm", Value: "125", Source: "assumption: the ideal accounts per CSM of TOUCH_MODEL_LOW"},
		},
	}
	if diff := cmp.Diff(want, s.Result(), capFloatCmp); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
}

func TestSegmenterEmptyBook(t *testing.T) {
	s, err := NewSegmenter(SegmentRules{Segments: []SegmentRule{{Name: "All", TouchModel: TouchModelTech}}})
	if err != nil {
		t.Fatal(err)
	}
	want := SegmentationResult{
		Segments:   []SegmentSummary{{Name: "All", TouchModel: TouchModelTech, StageCounts: []StageCount{}, AccountsPerCSM: 1000}},
		Unassigned: SegmentSummary{Name: UnassignedSegment, StageCounts: []StageCount{}},
		Assumptions: []Assumption{
			{Name: "segments[0].accounts_per_csm", Value: "1000", Source: "assumption: the ideal accounts per CSM of TOUCH_MODEL_TECH"},
		},
		Excluded: SegmentSummary{Name: ExcludedSegment, StageCounts: []StageCount{}},
	}
	if diff := cmp.Diff(want, s.Result()); diff != "" {
		t.Errorf("Result of an empty book (-want +got):\n%s", diff)
	}
}

// TestSegmenterHeadcount checks FTE and headcount against the worked check
// of section 1: 200 accounts on a 3.611 h journey need 6.91 FTE, 7 CSMs,
// and one CSM carries 28 of them.
func TestSegmenterHeadcount(t *testing.T) {
	pb := workedPlaybook()
	s, err := NewSegmenter(SegmentRules{
		Segments: []SegmentRule{{Name: "Core", Playbook: &pb}},
		CSMTime:  CSMTime{WeeklyHours: capFloat(40), TimeOffDaysPerYear: capFloat(25)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		s.Add(&Account{ID: fmt.Sprint(i), ARR: 25_000})
	}
	got := s.Result().Segments[0]
	if got.AccountsPerCSM != 28 || got.CSMHeadcount != 7 || !capNear(got.CSMFTE, 200*3.6111111111111111/104.44444444444444) {
		t.Errorf("Core: %v accounts per CSM, %v FTE, %d CSMs; want 28, 6.915, 7", got.AccountsPerCSM, got.CSMFTE, got.CSMHeadcount)
	}
	var lifetime bool
	for _, a := range s.Result().Assumptions {
		lifetime = lifetime || a.Name == "segments[0].customer_lifetime_months" && a.Value == "36"
	}
	if !lifetime {
		t.Errorf("assumptions %v lack the 36-month lifetime the kick-off is amortised over", s.Result().Assumptions)
	}
}

// TestStagesPastTheLimit checks that a free-text stage column cannot grow
// the summary past MaxStages: later stages are counted together.
func TestStagesPastTheLimit(t *testing.T) {
	s, err := NewSegmenter(SegmentRules{Segments: []SegmentRule{{Name: "All"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range MaxStages + 5 {
		s.Add(&Account{ID: "a", Stage: fmt.Sprintf("stage %d", i)})
	}
	s.Add(&Account{ID: "b", Stage: "STAGE 0"})
	got := s.Result().Segments[0].StageCounts
	if len(got) != MaxStages+1 {
		t.Fatalf("got %d stages, want %d and the others together", len(got), MaxStages+1)
	}
	if got[0] != (StageCount{OtherStages, 5}) || got[1] != (StageCount{"stage 0", 2}) {
		t.Errorf("first stages = %v, want the 5 others, then stage 0 twice", got[:2])
	}
}

func TestNewSegmenterValidation(t *testing.T) {
	many := make([]SegmentRule, MaxSegmentRules+1)
	for i := range many {
		many[i].Name = fmt.Sprint("s", i)
	}
	tests := []struct {
		name  string
		rules SegmentRules
		want  []string
	}{
		{"no rules", SegmentRules{}, []string{"segments"}},
		{"too many rules", SegmentRules{Segments: many}, []string{"segments"}},
		{"names", SegmentRules{Segments: []SegmentRule{{Name: " "}, {Name: "Enterprise"}, {Name: " enterprise"}, {Name: "Unassigned"}}},
			[]string{"segments[0].name", "segments[2].name", "segments[3].name"}},
		{"arr range inverted", SegmentRules{Segments: []SegmentRule{{Name: "A", MinARR: capFloat(200), MaxARR: capFloat(100)}}}, []string{"segments[0].min_arr"}},
		{"empty arr range", SegmentRules{Segments: []SegmentRule{{Name: "A", MinARR: capFloat(100), MaxARR: capFloat(100)}}}, []string{"segments[0].min_arr"}},
		{"bad arr bounds", SegmentRules{Segments: []SegmentRule{{Name: "A", MinARR: capFloat(-1), MaxARR: capFloat(math.NaN())}}},
			[]string{"segments[0].max_arr", "segments[0].min_arr"}},
		{"health range inverted", SegmentRules{Segments: []SegmentRule{{Name: "A", MinHealth: capFloat(80), MaxHealth: capFloat(20)}}}, []string{"segments[0].min_health"}},
		{"health not a number", SegmentRules{Segments: []SegmentRule{{Name: "A", MaxHealth: capFloat(math.Inf(1))}}}, []string{"segments[0].max_health"}},
		{"ratio and playbook", SegmentRules{Segments: []SegmentRule{{Name: "A", AccountsPerCSM: capFloat(5), Playbook: &Playbook{}}}}, []string{"segments[0].accounts_per_csm"}},
		{"ratio zero", SegmentRules{Segments: []SegmentRule{{Name: "A", AccountsPerCSM: capFloat(0)}}}, []string{"segments[0].accounts_per_csm"}},
		{"ratio NaN", SegmentRules{Segments: []SegmentRule{{Name: "A", AccountsPerCSM: capFloat(math.NaN())}}}, []string{"segments[0].accounts_per_csm"}},
		{"unknown touch model", SegmentRules{Segments: []SegmentRule{{Name: "A", TouchModel: 7}}}, []string{"segments[0].touch_model"}},
		{"complexities", SegmentRules{Segments: []SegmentRule{{Name: "A", Complexities: []Complexity{ComplexitySimple, ComplexityUnspecified, 9}}}},
			[]string{"segments[0].complexities[1]", "segments[0].complexities[2]"}},
		{"blank stage", SegmentRules{Segments: []SegmentRule{{Name: "A", Stages: []string{"Adoption", "  "}}}}, []string{"segments[0].stages[1]"}},
		{"attributes", SegmentRules{Segments: []SegmentRule{{Name: "A", Attributes: map[string][]string{
			"":        {"x"},
			"region":  {},
			"plan":    {"Growth", " "},
			"Country": {"DE"},
			"country": {"FR"},
		}}}}, []string{`segments[0].attributes[""]`, `segments[0].attributes["country"]`, `segments[0].attributes["plan"].values[1]`, `segments[0].attributes["region"].values`}},
		{"empty playbook", SegmentRules{Segments: []SegmentRule{{Name: "A", Playbook: &Playbook{}}}}, []string{"segments[0].playbook"}},
		{"bad touchpoint", SegmentRules{Segments: []SegmentRule{{Name: "A", Playbook: &Playbook{Touchpoints: []Touchpoint{{Name: "x", Hours: -1, Cadence: CadenceMonthly}}}}}},
			[]string{"segments[0].playbook.touchpoints[0].hours"}},
		{"playbook needs more than 100 CSMs an account", SegmentRules{Segments: []SegmentRule{{Name: "A", Playbook: &Playbook{Touchpoints: []Touchpoint{{Name: "x", Hours: 5000, Cadence: CadenceWeekly}}}}}},
			[]string{"segments[0].playbook"}},
		{"bad csm_time without a playbook", SegmentRules{Segments: []SegmentRule{{Name: "A"}}, CSMTime: CSMTime{WeeklyHours: capFloat(-1)}}, []string{"csm_time.weekly_hours"}},
		{"every bad field at once", SegmentRules{
			Segments: []SegmentRule{
				{Name: "A", MinARR: capFloat(10), MaxARR: capFloat(5), AccountsPerCSM: capFloat(-2)},
				{Name: "a", TouchModel: -1, MinHealth: capFloat(2), MaxHealth: capFloat(1)},
			},
			CSMTime: CSMTime{CustomerFacingShare: capFloat(2)},
		}, []string{"csm_time.customer_facing_share", "segments[0].accounts_per_csm", "segments[0].min_arr", "segments[1].min_health", "segments[1].name", "segments[1].touch_model"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSegmenter(tt.rules)
			if diff := cmp.Diff(sortedFields(tt.want...), violationFields(t, err)); diff != "" {
				t.Errorf("NewSegmenter violations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateAccount(t *testing.T) {
	attrs := map[string]string{}
	for i := range MaxAccountAttributes + 1 {
		attrs[fmt.Sprint("k", i)] = "v"
	}
	tests := []struct {
		name string
		a    Account
		want []string
	}{
		{"no id", Account{ID: " "}, []string{"accounts[3].id"}},
		{"negative arr", Account{ID: "a", ARR: -1}, []string{"accounts[3].arr"}},
		{"NaN arr", Account{ID: "a", ARR: math.NaN()}, []string{"accounts[3].arr"}},
		{"infinite health", Account{ID: "a", HealthScore: health(math.Inf(-1))}, []string{"accounts[3].health_score"}},
		{"unknown complexity", Account{ID: "a", Complexity: 4}, []string{"accounts[3].complexity"}},
		{"negative expansion", Account{ID: "a", ExpansionPotential: -5}, []string{"accounts[3].expansion_potential"}},
		{"too many attributes", Account{ID: "a", Attributes: attrs}, []string{"accounts[3].attributes"}},
		{"all at once", Account{ARR: math.Inf(1), Complexity: -1}, []string{"accounts[3].arr", "accounts[3].complexity", "accounts[3].id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateAccount(&tt.a, "accounts", 3)
			if diff := cmp.Diff(sortedFields(tt.want...), violationFields(t, err)); diff != "" {
				t.Errorf("ValidateAccount violations (-want +got):\n%s", diff)
			}
		})
	}
	ok := Account{ID: "a", ARR: 0, HealthScore: health(-3), Complexity: ComplexityComplex}
	if err := ValidateAccount(&ok, "accounts", 0); err != nil {
		t.Errorf("ValidateAccount(%+v) = %v, want nil (scores are on the company's own scale)", ok, err)
	}
}

// TestAddAllocatesNothing checks the promise the stream path relies on:
// matching and validating an account allocate nothing, and counting one
// only grows the ARR kept for quantiles.
func TestAddAllocatesNothing(t *testing.T) {
	rules := matchRules()
	long := make([]string, 20)
	for i := range long {
		long[i] = fmt.Sprint("Stage ", i)
	}
	rules.Segments = append(rules.Segments, SegmentRule{Name: "Long list", Stages: long})
	s, err := NewSegmenter(rules)
	if err != nil {
		t.Fatal(err)
	}
	a := &Account{ID: "ACC-1", ARR: 50_000, Stage: "stage 7", HealthScore: health(70), Complexity: ComplexitySimple,
		Attributes: map[string]string{"Region": "APAC", "industry": "Retail"}}
	s.Add(a)
	if n := testing.AllocsPerRun(1000, func() { s.Match(a) }); n != 0 {
		t.Errorf("Match allocates %v times per account, want 0", n)
	}
	if n := testing.AllocsPerRun(1000, func() { _ = ValidateAccount(a, "accounts", 12) }); n != 0 {
		t.Errorf("ValidateAccount allocates %v times per valid account, want 0", n)
	}
	if n := testing.AllocsPerRun(1000, func() { s.Add(a) }); n != 0 {
		t.Errorf("Add allocates %v times per account on average, want 0 (amortised growth only)", n)
	}
}

// FuzzSegmenterMatch compares the matcher with a plain reading of the
// rules: strings.EqualFold on trimmed values, bounds as documented.
func FuzzSegmenterMatch(f *testing.F) {
	f.Add("Adoption", "emea", 50_000.0, 40.0, true, int32(2), "adoption", "EMEA", 10_000.0, 100_000.0)
	f.Add("\u212a", "ſ", 0.0, 0.0, false, int32(0), "k", "S", 0.0, 1.0)
	f.Fuzz(func(t *testing.T, stage, region string, arr, h float64, hasHealth bool, cx int32, ruleStage, ruleRegion string, minARR, maxARR float64) {
		// Long lists take the map path, short ones the scan.
		long := []string{ruleStage}
		for i := range valueSetLinearMax {
			long = append(long, fmt.Sprint("pad ", i))
		}
		rules := SegmentRules{Segments: []SegmentRule{
			{Name: "ARR", MinARR: &minARR, MaxARR: &maxARR},
			{Name: "Long", Stages: long, MaxHealth: capFloat(50)},
			{Name: "Short", Stages: []string{ruleStage}, Attributes: map[string][]string{"Region": {ruleRegion}}},
			{Name: "Moderate", Complexities: []Complexity{ComplexityModerate}},
		}}
		s, err := NewSegmenter(rules)
		if err != nil {
			return
		}
		a := &Account{ID: "a", ARR: arr, Stage: stage, Complexity: Complexity(cx), Attributes: map[string]string{"region": region}}
		if hasHealth {
			a.HealthScore = &h
		}
		if ValidateAccount(a, "accounts", 0) != nil {
			return
		}
		fold := func(x, y string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(y)) }
		want := -1
		switch {
		case arr >= minARR && arr < maxARR:
			want = 0
		case hasHealth && h <= 50 && slices.ContainsFunc(long, func(x string) bool { return fold(x, stage) }):
			want = 1
		case fold(ruleStage, stage) && fold(ruleRegion, region):
			want = 2
		case a.Complexity == ComplexityModerate || a.Complexity == ComplexityUnspecified:
			want = 3
		}
		if got := s.Add(a); got != want {
			t.Fatalf("Add(%+v) = %d, want %d", a, got, want)
		}
		r := s.Result()
		if n := r.Unassigned.Accounts + r.Segments[0].Accounts + r.Segments[1].Accounts + r.Segments[2].Accounts + r.Segments[3].Accounts; n != 1 {
			t.Fatalf("segments count %d accounts, want 1", n)
		}
	})
}

// TestAttributeListMatchesMap holds the list form of an account's
// attributes to the map form: the same segment and the same violations.
func TestAttributeListMatchesMap(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	seg, err := NewSegmenter(SegmentRules{Segments: []SegmentRule{
		{Name: "Regulated", MinARR: f(10), Attributes: map[string][]string{"industry": {"Finance", "Health"}}},
		{Name: "EMEA", Attributes: map[string][]string{"Region": {"emea"}}},
		{Name: "Rest"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", MaxTextLength+1)
	for i, attrs := range []map[string]string{
		nil,
		{"industry": "Finance"},
		{"industry": " health "},
		{"Industry ": "Finance"},
		{"region": "EMEA"},
		{"region": "EMEA", "industry": "Retail"},
		{"industry": long},
		{long: "Finance"},
	} {
		byMap := Account{ID: "a", ARR: 20, Attributes: attrs}
		byList := Account{ID: "a", ARR: 20}
		for k, v := range attrs {
			byList.AttributeList = append(byList.AttributeList, Attribute{Key: k, Value: v})
		}
		if got, want := seg.Match(&byList), seg.Match(&byMap); got != want {
			t.Errorf("case %d: the list matches segment %d, the map %d", i, got, want)
		}
		errMap, errList := ValidateAccount(&byMap, "accounts", 0), ValidateAccount(&byList, "accounts", 0)
		if fmt.Sprint(errList) != fmt.Sprint(errMap) {
			t.Errorf("case %d: the list gives %v, the map %v", i, errList, errMap)
		}
	}
}

// TestSegmenterCustomers: accounts outside the customer stages are left
// out of every segment and the totals, counted in Excluded; the two ways
// of saying it agree, and giving both, or an empty stage, is refused.
func TestSegmenterCustomers(t *testing.T) {
	book := []Account{
		{ID: "1", ARR: 100, Stage: "Customer"}, {ID: "2", ARR: 50, Stage: " customer "}, {ID: "3", ARR: 0, Stage: "Prospect"},
		{ID: "4", ARR: 10, Stage: "Trial"}, {ID: "5", ARR: 40, Stage: "Churn risk"},
	}
	rules := []SegmentRule{{Name: "All", TouchModel: TouchModelTech}}
	for _, c := range []Customers{{Stages: []string{"customer", "CHURN RISK"}}, {Exclude: []string{"prospect", "trial"}}} {
		s, err := NewSegmenter(SegmentRules{Segments: rules, Customers: c})
		if err != nil {
			t.Fatal(err)
		}
		var excludedIdx int
		for i := range book {
			if got := s.Add(&book[i]); got == ExcludedIndex {
				excludedIdx++
			}
		}
		r := s.Result()
		if r.TotalAccounts != 3 || r.TotalARR != 190 || r.Segments[0].Accounts != 3 || excludedIdx != 2 {
			t.Errorf("%+v: totals %d, %v; segment %d; %d excluded by Add", c, r.TotalAccounts, r.TotalARR, r.Segments[0].Accounts, excludedIdx)
		}
		if e := r.Excluded; e.Accounts != 2 || e.ARR != 10 || e.AccountShare != 2.0/5 || e.ARRShare != 10.0/200 || len(e.StageCounts) != 2 {
			t.Errorf("%+v: excluded %+v", c, e)
		}
		if s.SegmentName(ExcludedIndex) != ExcludedSegment {
			t.Errorf("SegmentName(ExcludedIndex) = %q", s.SegmentName(ExcludedIndex))
		}
	}
	_, err := NewSegmenter(SegmentRules{Segments: rules, Customers: Customers{Stages: []string{"A", " "}, Exclude: []string{"B"}},
		CustomersFields: [2]string{"plan.book.customer_stages", "plan.book.exclude_stages"}})
	for _, want := range []string{"plan.book.exclude_stages: give plan.book.customer_stages or plan.book.exclude_stages, not both", "plan.book.customer_stages[1]: is empty"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad customers: %v, want %q", err, want)
		}
	}
}
