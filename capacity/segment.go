package capacity

import (
	"fmt"
	"slices"
	"strings"
)

// Account is one customer as a CRM exports it.
type Account struct {
	ID   string
	Name string
	ARR  float64
	// Stage is the lifecycle stage in the company's own words.
	Stage string
	// HealthScore is on the company's own scale; nil when unknown.
	HealthScore *float64
	// Complexity defaults to MODERATE when unspecified.
	Complexity         Complexity
	ExpansionPotential float64
	// Attributes are any other CRM fields: industry, region, plan...
	Attributes map[string]string
	// AttributeList holds the attributes as distinct key/value pairs
	// instead, for decoders that meet accounts by the million and would
	// rather not build a map for each. It is read only when Attributes is
	// nil; a key must appear once.
	AttributeList []Attribute
	// The book's calendar (dates.go): the owning CSM as the CRM writes
	// it, the contract's start and next renewal ("YYYY-MM-DD" or
	// "YYYY-MM"), its term in months (nil: 12) and the account's own
	// workload in hours a month (nil: its playbook's).
	Owner              string
	StartDate          string
	RenewalDate        string
	ContractTermMonths *int32
	MonthlyHours       *float64

	// months are the dates' months as ValidateAccount read them, for the
	// analysis that reads the account next (accountMonths).
	months accountMonths
}

// Attribute is one entry of Account.AttributeList.
type Attribute struct{ Key, Value string }

// attributeCount is the number of attributes a carries.
func (a *Account) attributeCount() int {
	if a.Attributes != nil {
		return len(a.Attributes)
	}
	return len(a.AttributeList)
}

// attributeMap returns a's attributes as a map, for the paths that are
// not hot (error reports).
func (a *Account) attributeMap() map[string]string {
	if a.Attributes != nil || len(a.AttributeList) == 0 {
		return a.Attributes
	}
	m := make(map[string]string, len(a.AttributeList))
	for _, e := range a.AttributeList {
		m[e.Key] = e.Value
	}
	return m
}

// SegmentRule defines a segment. An account belongs to the first rule whose
// every given criterion it meets; a rule without criteria takes every
// account that reaches it.
type SegmentRule struct {
	Name string
	// TouchModel defaults to HIGH.
	TouchModel TouchModel
	// MinARR is inclusive, MaxARR exclusive.
	MinARR *float64
	MaxARR *float64
	// Stages accepted, compared case-insensitively after trimming spaces;
	// any stage when empty.
	Stages []string
	// MinHealth and MaxHealth are inclusive; an account without a health
	// score matches no rule that sets either.
	MinHealth *float64
	MaxHealth *float64
	// Complexities accepted; any when empty. An account's unspecified
	// complexity counts as MODERATE.
	Complexities []Complexity
	// Attributes maps an attribute to the values it may take. Keys and
	// values are compared case-insensitively after trimming spaces.
	Attributes map[string][]string
	// AccountsPerCSM is the coverage ratio. Without it and without a
	// playbook, the touch model's ideal max applies; giving both is an
	// error.
	AccountsPerCSM *float64
	// Playbook, when not nil, sizes the segment bottom-up (section 1).
	Playbook *Playbook
	// CustomerLifetimeMonths amortises the playbook's one-time touchpoints;
	// default 36 (assumption).
	CustomerLifetimeMonths *float64
}

// SegmentRules are the ordered rules of a segmentation and the CSM time
// that playbook segments are sized with.
type SegmentRules struct {
	Segments []SegmentRule
	CSMTime  CSMTime
	// Customers leaves prospects and trials out (customers.go).
	Customers Customers
	// CustomersFields name Customers' lists in errors
	// ("customer_stages", "exclude_stages" when empty).
	CustomersFields [2]string
}

// SegmentationResult summarises each segment of a book.
type SegmentationResult struct {
	// Segments has one summary per rule, in rule order, empty ones
	// included.
	Segments []SegmentSummary
	// Unassigned holds the accounts no rule matched; its touch model is
	// unspecified and its CSM fields are 0.
	Unassigned    SegmentSummary
	TotalAccounts int32
	TotalARR      float64
	Assumptions   []Assumption
	// Excluded holds the accounts Customers left out: they are in no
	// segment and not in the totals.
	Excluded SegmentSummary
}

// SegmentSummary describes the accounts of one segment.
type SegmentSummary struct {
	Name       string
	TouchModel TouchModel
	Accounts   int32
	ARR        float64
	ARRMean    float64
	// ARRMedian and ARRP90 interpolate linearly between closest ranks, as
	// spreadsheet PERCENTILE.INC does.
	ARRMedian    float64
	ARRP90       float64
	AccountShare float64
	ARRShare     float64
	// StageCounts lists the stages, most accounts first, then by name.
	StageCounts []StageCount
	// AccountsPerCSM is the coverage ratio used; for a playbook segment the
	// floor of available hours over hours per account.
	AccountsPerCSM float64
	CSMFTE         float64
	CSMHeadcount   int32
}

// StageCount is the number of accounts in one lifecycle stage; Stage is
// spelt as first met in the book.
type StageCount struct {
	Stage    string
	Accounts int32
}

// UnassignedSegment names the accounts no rule matched, in summaries and
// assignments; no rule may take the name.
const UnassignedSegment = "unassigned"

// OtherStages counts the accounts of stages met after MaxStages distinct
// ones, so that a book with a free-text stage column cannot grow the
// summary without bound.
const OtherStages = "(other stages)"

// Bounds on a segmentation. They keep one request from tying up the
// service and catch data pasted into the wrong field.
const (
	// MaxSegmentRules bounds the rules of one segmentation.
	MaxSegmentRules = 100
	// MaxRuleValues bounds the stages, complexities or values of one
	// attribute a rule lists.
	MaxRuleValues = 1000
	// MaxRuleAttributes bounds the attribute criteria of one rule.
	MaxRuleAttributes = 50
	// MaxAccountAttributes bounds the attributes of one account.
	MaxAccountAttributes = 100
	// MaxStages bounds the distinct stages a summary tells apart.
	MaxStages = 1000
	// MinAccountsPerCSM is the smallest coverage ratio: 100 CSMs on one
	// account. It keeps every headcount of a book within a count.
	MinAccountsPerCSM = 0.01
	// MaxBookAccounts bounds the accounts one Segmenter takes; callers
	// stop adding past it. With MinAccountsPerCSM it keeps headcounts
	// within int32.
	MaxBookAccounts = 20_000_000
)

// sourceIdealMax cites the ideal accounts max that stands in for a
// missing coverage ratio.
func sourceIdealMax(m TouchModel) string {
	if m == TouchModelHigh {
		return "seeds 000/001: the ideal accounts per CSM of " + m.String()
	}
	return "assumption: the ideal accounts per CSM of " + m.String()
}

// ValidateAccount checks one account. list and i give its path in the
// request ("accounts", 3 names accounts[3].arr); the path is only written
// when something is wrong, so that checking a valid account allocates
// nothing.
func ValidateAccount(a *Account, list string, i int) error {
	if strings.TrimSpace(a.ID) != "" && finite(a.ARR) && a.ARR >= 0 && a.ARR <= MaxAmount &&
		(a.HealthScore == nil || finite(*a.HealthScore)) && a.Complexity.Valid() &&
		finite(a.ExpansionPotential) && a.ExpansionPotential >= 0 && a.ExpansionPotential <= MaxAmount && a.attributeCount() <= MaxAccountAttributes &&
		textFits(a) && calendarFits(a) {
		return nil
	}
	var v violations
	p := index(list, i)
	if strings.TrimSpace(a.ID) == "" {
		v.add(path(p, "id"), "give the account's id (its CRM id), so that results can name it")
	}
	if !finite(a.ARR) || a.ARR < 0 || a.ARR > MaxAmount {
		v.add(path(p, "arr"), "must be 0 to %s in whole currency units, got %s", formatFloat(MaxAmount), formatFloat(a.ARR))
	}
	if h := a.HealthScore; h != nil && !finite(*h) {
		v.add(path(p, "health_score"), "must be a number, got %s; leave it unset when unknown", formatFloat(*h))
	}
	if !a.Complexity.Valid() {
		v.add(path(p, "complexity"), "%d is not a complexity: use PRODUCT_COMPLEXITY_SIMPLE, PRODUCT_COMPLEXITY_MODERATE or PRODUCT_COMPLEXITY_COMPLEX", int32(a.Complexity))
	}
	if !finite(a.ExpansionPotential) || a.ExpansionPotential < 0 || a.ExpansionPotential > MaxAmount {
		v.add(path(p, "expansion_potential"), "must be 0 to %s in whole currency units, got %s", formatFloat(MaxAmount), formatFloat(a.ExpansionPotential))
	}
	if n := a.attributeCount(); n > MaxAccountAttributes {
		v.add(path(p, "attributes"), "has %d attributes, more than the %d allowed: send only the ones rules use", n, MaxAccountAttributes)
	}
	v.checkLength(path(p, "id"), a.ID)
	v.checkLength(path(p, "name"), a.Name)
	v.checkLength(path(p, "stage"), a.Stage)
	validateCalendar(&v, a, p)
	attrs := a.attributeMap()
	for _, k := range sortedKeys(attrs) {
		ap := fmt.Sprintf("%s[%q]", path(p, "attributes"), k)
		v.checkLength(ap, k)
		v.checkLength(ap, attrs[k])
	}
	return v.err()
}

// textFits reports whether every text of a is within MaxTextLength; it is
// the allocation-free check of the common case.
func textFits(a *Account) bool {
	if len(a.ID) > MaxTextLength || len(a.Name) > MaxTextLength || len(a.Stage) > MaxTextLength {
		return false
	}
	if a.Attributes == nil { // a list, or none: no map to walk
		for _, e := range a.AttributeList {
			if len(e.Key) > MaxTextLength || len(e.Value) > MaxTextLength {
				return false
			}
		}
		return true
	}
	for k, val := range a.Attributes {
		if len(k) > MaxTextLength || len(val) > MaxTextLength {
			return false
		}
	}
	return true
}

// Segmenter assigns accounts to segments one at a time and summarises them
// at the end, so that a book of any size streams through it: it keeps the
// counts and sums of each segment, the stages it has met, and the ARR of
// each account (8 bytes) for exact quantiles, never the accounts.
//
// A Segmenter is not safe for concurrent use.
type Segmenter struct {
	rules []compiledRule
	// segs holds one accumulator per rule and, last, the unassigned one.
	segs        []segmentAcc
	stages      stageDict
	accounts    int64
	arr         float64
	assumptions []Assumption
	customers   Customers
	excluded    segmentAcc
}

// compiledRule is a validated rule with its criteria normalised once, so
// that matching an account allocates nothing.
type compiledRule struct {
	name                 string
	touchModel           TouchModel
	hasMinARR, hasMaxARR bool
	minARR, maxARR       float64
	hasMinH, hasMaxH     bool
	minHealth, maxHealth float64
	stages               valueSet
	// complexities is a bit set over Complexity values; 0 accepts any.
	complexities uint8
	attributes   []attributeCriterion
	staff        staffing
}

type attributeCriterion struct {
	key    string
	values valueSet
}

type segmentAcc struct {
	accounts int64
	arr      float64
	values   arrValues
	// stageCounts is indexed by the stage dictionary's ids.
	stageCounts []int64
}

// NewSegmenter validates rules and returns a Segmenter for them. Every bad
// field is reported at once in a *ValidationError, named by its path in
// the request ("segments[1].min_arr").
func NewSegmenter(rules SegmentRules) (*Segmenter, error) {
	var v violations
	switch n := len(rules.Segments); {
	case n == 0:
		v.add("segments", "give at least one segment rule")
		return nil, v.err()
	case n > MaxSegmentRules:
		v.add("segments", "has %d rules, more than the %d allowed", n, MaxSegmentRules)
		return nil, v.err()
	}
	validateNames(&v, len(rules.Segments), func(i int) string { return rules.Segments[i].Name })
	fields := rules.CustomersFields
	if fields[0] == "" {
		fields = [2]string{"customer_stages", "exclude_stages"}
	}
	rules.Customers.validate(&v, fields[0], fields[1])

	// Customer hours are checked whether or not a playbook needs them: a
	// bad csm_time is a mistake either way.
	available, timeAs, err := AvailableHours(rules.CSMTime, "csm_time")
	v.merge(err)

	s := &Segmenter{
		rules:     make([]compiledRule, len(rules.Segments)),
		segs:      make([]segmentAcc, len(rules.Segments)+1),
		customers: rules.Customers,
	}
	var as, ruleAs assumptions
	usedTime := false
	for i, r := range rules.Segments {
		p := index("segments", i)
		validateRuleCriteria(&v, r, p)
		staff, ok := resolveStaffing(&v, &ruleAs, staffingInput{
			touchModel: r.TouchModel, ratio: r.AccountsPerCSM, playbook: r.Playbook, lifetime: r.CustomerLifetimeMonths, available: available, reportsModel: true,
		}, p, err == nil)
		if !ok {
			continue
		}
		usedTime = usedTime || staff.playbook
		s.rules[i] = compileRule(r, staff)
	}
	if !v.empty() {
		return nil, v.err()
	}
	if usedTime {
		as = append(as, timeAs...)
	}
	s.assumptions = append(as, ruleAs...)
	s.stages = newStageDict()
	return s, nil
}

// validateNames checks that n names are present, unique
// (case-insensitively, ignoring surrounding spaces) and not the name of the
// unassigned accounts.
func validateNames(v *violations, n int, name func(int) string) {
	seen := make(map[string]int, n)
	for i := range n {
		p := path(index("segments", i), "name")
		key := strings.ToLower(strings.TrimSpace(name(i)))
		switch j, dup := seen[key]; {
		case key == "":
			v.add(p, "name the segment (for example \"Enterprise\")")
		case key == UnassignedSegment:
			v.add(p, "%q names the accounts no rule matches: choose another name", name(i))
		case dup:
			v.add(p, "%q duplicates segments[%d].name: give each segment its own name", name(i), j)
		default:
			v.checkLength(p, name(i))
			seen[key] = i
		}
	}
}

// validateRuleCriteria checks the matching criteria of rule r at path p.
func validateRuleCriteria(v *violations, r SegmentRule, p string) {
	minOK := r.MinARR == nil || (finite(*r.MinARR) && *r.MinARR >= 0)
	maxOK := r.MaxARR == nil || (finite(*r.MaxARR) && *r.MaxARR > 0)
	if !minOK {
		v.add(path(p, "min_arr"), "must be 0 or more in whole currency units, got %s", formatFloat(*r.MinARR))
	}
	if !maxOK {
		v.add(path(p, "max_arr"), "must be above 0 in whole currency units, got %s", formatFloat(*r.MaxARR))
	}
	if minOK && maxOK && r.MinARR != nil && r.MaxARR != nil && *r.MinARR >= *r.MaxARR {
		v.add(path(p, "min_arr"), "%s is not below max_arr %s: min_arr is inclusive and max_arr exclusive, so no account could match", formatFloat(*r.MinARR), formatFloat(*r.MaxARR))
	}
	hMinOK := r.MinHealth == nil || finite(*r.MinHealth)
	hMaxOK := r.MaxHealth == nil || finite(*r.MaxHealth)
	if !hMinOK {
		v.add(path(p, "min_health"), "must be a number, got %s", formatFloat(*r.MinHealth))
	}
	if !hMaxOK {
		v.add(path(p, "max_health"), "must be a number, got %s", formatFloat(*r.MaxHealth))
	}
	if hMinOK && hMaxOK && r.MinHealth != nil && r.MaxHealth != nil && *r.MinHealth > *r.MaxHealth {
		v.add(path(p, "min_health"), "%s is above max_health %s: both are inclusive, so no account could match", formatFloat(*r.MinHealth), formatFloat(*r.MaxHealth))
	}
	checkValues(v, r.Stages, path(p, "stages"), "stage")
	if n := len(r.Complexities); n > MaxRuleValues {
		v.add(path(p, "complexities"), "has %d entries, more than the %d allowed", n, MaxRuleValues)
	} else {
		for j, c := range r.Complexities {
			if c == ComplexityUnspecified || !c.Valid() {
				v.add(index(path(p, "complexities"), j), "%s is not a complexity to match: use PRODUCT_COMPLEXITY_SIMPLE, PRODUCT_COMPLEXITY_MODERATE or PRODUCT_COMPLEXITY_COMPLEX (accounts without one count as MODERATE)", c)
			}
		}
	}
	if n := len(r.Attributes); n > MaxRuleAttributes {
		v.add(path(p, "attributes"), "has %d attributes, more than the %d allowed", n, MaxRuleAttributes)
		return
	}
	seen := make(map[string]string, len(r.Attributes))
	for _, key := range sortedKeys(r.Attributes) {
		ap := fmt.Sprintf("%s[%q]", path(p, "attributes"), key)
		folded := strings.ToLower(strings.TrimSpace(key))
		if folded == "" {
			v.add(ap, "name the attribute (a CRM column such as \"region\")")
			continue
		}
		v.checkLength(ap, key)
		if other, dup := seen[folded]; dup {
			v.add(ap, "duplicates the attribute %q: attribute names are compared case-insensitively, give it once", other)
			continue
		}
		seen[folded] = key
		values := r.Attributes[key]
		if len(values) == 0 {
			v.add(path(ap, "values"), "list the values the attribute may take")
			continue
		}
		checkValues(v, values, path(ap, "values"), "value")
	}
}

// checkValues checks a list of strings to match: bounded and none blank.
func checkValues(v *violations, values []string, p, what string) {
	if n := len(values); n > MaxRuleValues {
		v.add(p, "has %d entries, more than the %d allowed", n, MaxRuleValues)
		return
	}
	for j, s := range values {
		if strings.TrimSpace(s) == "" {
			v.add(index(p, j), "is blank: give the %s to match or leave it out", what)
		}
		v.checkLength(index(p, j), s)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func compileRule(r SegmentRule, staff staffing) compiledRule {
	c := compiledRule{
		name:       r.Name,
		touchModel: staff.touchModel,
		stages:     newValueSet(r.Stages),
		staff:      staff,
	}
	if r.MinARR != nil {
		c.hasMinARR, c.minARR = true, *r.MinARR
	}
	if r.MaxARR != nil {
		c.hasMaxARR, c.maxARR = true, *r.MaxARR
	}
	if r.MinHealth != nil {
		c.hasMinH, c.minHealth = true, *r.MinHealth
	}
	if r.MaxHealth != nil {
		c.hasMaxH, c.maxHealth = true, *r.MaxHealth
	}
	for _, cx := range r.Complexities {
		c.complexities |= 1 << uint(cx)
	}
	for _, key := range sortedKeys(r.Attributes) {
		c.attributes = append(c.attributes, attributeCriterion{key: strings.TrimSpace(key), values: newValueSet(r.Attributes[key])})
	}
	return c
}

// Match returns the index of the first rule a matches, or -1, without
// counting the account.
func (s *Segmenter) Match(a *Account) int {
	for i := range s.rules {
		if s.rules[i].matches(a) {
			return i
		}
	}
	return -1
}

// Add counts a in the first segment it matches and returns that segment's
// index, or -1 when it is unassigned. a must be valid (ValidateAccount) and
// may be reused by the caller once Add returns. Callers stop at
// MaxBookAccounts.
func (s *Segmenter) Add(a *Account) int {
	if !s.customers.customer(a.Stage) {
		s.accumulate(&s.excluded, a)
		return ExcludedIndex
	}
	i := s.Match(a)
	acc := &s.segs[len(s.segs)-1]
	if i >= 0 {
		acc = &s.segs[i]
	}
	s.accumulate(acc, a)
	s.accounts++
	s.arr += a.ARR
	return i
}

// accumulate counts a in acc.
func (s *Segmenter) accumulate(acc *segmentAcc, a *Account) {
	acc.accounts++
	acc.arr += a.ARR
	acc.values.add(a.ARR)
	id := s.stages.id(a.Stage)
	if id >= len(acc.stageCounts) {
		acc.stageCounts = slices.Grow(acc.stageCounts, id+1-len(acc.stageCounts))[:id+1]
	}
	acc.stageCounts[id]++
}

// Accounts returns the number of accounts added so far.
func (s *Segmenter) Accounts() int64 { return s.accounts }

// SegmentName returns the name of segment i as Add returned it:
// UnassignedSegment for -1.
func (s *Segmenter) SegmentName(i int) string {
	if i == ExcludedIndex {
		return ExcludedSegment
	}
	if i < 0 || i >= len(s.rules) {
		return UnassignedSegment
	}
	return s.rules[i].name
}
