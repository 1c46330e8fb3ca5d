package planner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// Plan is one company described once: its CSMs' time, its segments with
// their rules, touch models, playbooks or coverage ratios and teams, its
// book, growth, hiring timeline and cost, finances and signals. The YAML
// keys are the snake_case names in the yaml tags; examples/README.md
// documents each one.
type Plan struct {
	// Company names the company in the report.
	Company string `yaml:"company"`
	// Currency is a display code (default USD).
	Currency string `yaml:"currency"`
	// StartMonth is month 0, "YYYY-MM" (default: the current month, UTC).
	StartMonth string `yaml:"start_month"`
	// HorizonMonths is the forecast's length (default 12, 1-120).
	HorizonMonths int `yaml:"horizon_months"`
	// TouchModel is the company-wide evaluation's touch model (default:
	// the touch model of the segment with the most ARR).
	TouchModel TouchModel `yaml:"touch_model"`
	// Complexity is the product's complexity, for every segment that does
	// not set its own (default moderate).
	Complexity Complexity `yaml:"complexity"`

	CSMTime      CSMTime          `yaml:"csm_time"`
	Segments     []Segment        `yaml:"segments"`
	Book         BookSpec         `yaml:"book"`
	Growth       Growth           `yaml:"growth"`
	Hiring       HiringSpec       `yaml:"hiring"`
	Finance      Finance          `yaml:"finance"`
	Signals      Signals          `yaml:"signals"`
	Segmentation SegmentationSpec `yaml:"segmentation"`

	// path is the file the plan was read from ("" for Parse without a
	// name); relative paths in the plan are relative to its directory.
	path string
	// lines maps a key path (segments[1].team.csms) to its line.
	lines map[string]int
}

// CSMTime is one CSM's time (design section 1); unset fields take the
// service's defaults.
type CSMTime struct {
	WeeklyHours         *float64           `yaml:"weekly_hours"`
	TimeOffDaysPerYear  *float64           `yaml:"time_off_days_per_year"`
	CustomerFacingShare *float64           `yaml:"customer_facing_share"`
	InternalActivities  []InternalActivity `yaml:"internal_activities"`
	TargetUtilization   *float64           `yaml:"target_utilization"`
}

// InternalActivity is internal time, in hours per CSM per month.
type InternalActivity struct {
	Name          string  `yaml:"name"`
	HoursPerMonth float64 `yaml:"hours_per_month"`
}

// Segment is one segment: how accounts fall into it, how they are served,
// who serves them today and how it grows.
type Segment struct {
	Name       string     `yaml:"name"`
	TouchModel TouchModel `yaml:"touch_model"`
	Complexity Complexity `yaml:"complexity"`
	// Match is the segment's rule for the accounts CSV (first match wins;
	// an empty rule takes every account left).
	Match Match `yaml:"match"`
	// Playbook is the customer journey the bottom-up model prices; or
	// AccountsPerCSM, a coverage ratio; with neither, the touch model's
	// ideal maximum applies.
	Playbook       *Playbook `yaml:"playbook"`
	AccountsPerCSM *float64  `yaml:"accounts_per_csm"`
	// CustomerLifetimeMonths amortises one-time touchpoints (default 36).
	CustomerLifetimeMonths *float64 `yaml:"customer_lifetime_months"`
	// Accounts and ARR are the segment's book when the plan has no
	// accounts CSV.
	Accounts *int     `yaml:"accounts"`
	ARR      *float64 `yaml:"arr"`
	Team     Team     `yaml:"team"`
	// Growth overrides the plan's growth for this segment, field by field.
	Growth     *Growth       `yaml:"growth"`
	Thresholds ThresholdSpec `yaml:"thresholds"`
}

// Match is a segment rule (design section 4).
type Match struct {
	MinARR       *float64            `yaml:"min_arr"`
	MaxARR       *float64            `yaml:"max_arr"`
	Stages       []string            `yaml:"stages"`
	MinHealth    *float64            `yaml:"min_health"`
	MaxHealth    *float64            `yaml:"max_health"`
	Complexities []Complexity        `yaml:"complexities"`
	Attributes   map[string][]string `yaml:"attributes"`
}

// Playbook is an engagement playbook (design section 1).
type Playbook struct {
	Touchpoints []Touchpoint      `yaml:"touchpoints"`
	Inbound     []InboundActivity `yaml:"inbound"`
}

// Touchpoint is a recurring or one-time touchpoint: a cadence or per_year.
type Touchpoint struct {
	Name    string   `yaml:"name"`
	Hours   float64  `yaml:"hours"`
	Cadence Cadence  `yaml:"cadence"`
	PerYear *float64 `yaml:"per_year"`
}

// InboundActivity is work the customers start.
type InboundActivity struct {
	Name               string  `yaml:"name"`
	PerAccountPerMonth float64 `yaml:"per_account_per_month"`
	Hours              float64 `yaml:"hours"`
}

// Team is a segment's CSMs today and the hires already planned.
type Team struct {
	CSMs int `yaml:"csms"`
	// PlannedHires are start months ("YYYY-MM") of hires already agreed.
	PlannedHires []string `yaml:"planned_hires"`
}

// Growth is how the book moves month by month.
type Growth struct {
	// NewAccountsPerMonth at plan level is split across the segments by
	// their share of accounts, unless a segment sets its own.
	NewAccountsPerMonth  *float64 `yaml:"new_accounts_per_month"`
	MonthlyLogoChurnRate *float64 `yaml:"monthly_logo_churn_rate"`
	MonthlyExpansionRate *float64 `yaml:"monthly_expansion_rate"`
	// NewAccountARR defaults to the segment's mean ARR.
	NewAccountARR *float64 `yaml:"new_account_arr"`
}

// ThresholdSpec is a segment's forecast thresholds, per effective CSM.
type ThresholdSpec struct {
	ReviewAccountsPerCSM   *float64 `yaml:"review_accounts_per_csm"`
	HireAccountsPerCSM     *float64 `yaml:"hire_accounts_per_csm"`
	CriticalAccountsPerCSM *float64 `yaml:"critical_accounts_per_csm"`
	ARRPerCSM              *float64 `yaml:"arr_per_csm"`
}

// BookSpec says where the accounts are.
type BookSpec struct {
	// AccountsCSV is a CRM export (see accountcsv), relative to the plan
	// file. Without it each segment gives accounts and arr.
	AccountsCSV string `yaml:"accounts_csv"`
}

// HiringSpec is the hiring timeline and the cost profile of one CSM.
type HiringSpec struct {
	TimeToHireMonths       *int      `yaml:"time_to_hire_months"`
	RampMonths             *int      `yaml:"ramp_months"`
	RampCurve              RampCurve `yaml:"ramp_curve"`
	AnnualCSMAttritionRate *float64  `yaml:"annual_csm_attrition_rate"`

	BaseSalary           float64       `yaml:"base_salary"`
	LoadedCostMultiplier *float64      `yaml:"loaded_cost_multiplier"`
	Itemized             *ItemizedCost `yaml:"itemized"`
	RecruitingFeeShare   *float64      `yaml:"recruiting_fee_share"`
	SignOnBonus          float64       `yaml:"sign_on_bonus"`
	TrainerHours         float64       `yaml:"trainer_hours"`
	TrainerHourlyCost    *float64      `yaml:"trainer_hourly_cost"`
	HoursPerAccountMonth *float64      `yaml:"hours_per_account_month"`

	TechTouchAlternative *TechTouchAlternative `yaml:"tech_touch_alternative"`
}

// ItemizedCost prices the loaded cost item by item.
type ItemizedCost struct {
	BenefitsShare   *float64 `yaml:"benefits_share"`
	PayrollTaxShare *float64 `yaml:"payroll_tax_share"`
	ToolsPerYear    float64  `yaml:"tools_per_year"`
	OtherPerYear    float64  `yaml:"other_per_year"`
}

// TechTouchAlternative is the tech-touch investment to compare a hire with.
type TechTouchAlternative struct {
	AccountsMoved             int     `yaml:"accounts_moved"`
	HoursSavedPerAccountMonth float64 `yaml:"hours_saved_per_account_month"`
	PlatformCostPerYear       float64 `yaml:"platform_cost_per_year"`
}

// Finance is revenue, the cost band and the cash position.
type Finance struct {
	// Revenue defaults to the book's ARR.
	Revenue                 *float64 `yaml:"revenue"`
	MinCostShare            *float64 `yaml:"min_cost_share"`
	MaxCostShare            *float64 `yaml:"max_cost_share"`
	GrossMargin             *float64 `yaml:"gross_margin"`
	Cash                    *float64 `yaml:"cash"`
	MonthlyBurn             *float64 `yaml:"monthly_burn"`
	CurrentCSCost           *float64 `yaml:"current_cs_cost"`
	TechTouchAccountsPerCSM *float64 `yaml:"tech_touch_accounts_per_csm"`
}

// Signals are seed 000's indicators, for the company-wide evaluation.
type Signals struct {
	ChurnRate                         *float64 `yaml:"churn_rate"`
	PreviousChurnRate                 *float64 `yaml:"previous_churn_rate"`
	CSMWeeklyHours                    *float64 `yaml:"csm_weekly_hours"`
	TouchpointCompletionRate          *float64 `yaml:"touchpoint_completion_rate"`
	AccountsWithoutRecentContactShare *float64 `yaml:"accounts_without_recent_contact_share"`
}

// SegmentationSpec asks for more than the assignment.
type SegmentationSpec struct {
	// SuggestTiers, 2-8, asks SuggestSegments where the revenue
	// thresholds of the book lie (0: not asked; needs an accounts CSV).
	SuggestTiers int `yaml:"suggest_tiers"`
}

// Enumerations are written in the plan as short lower-case names (high,
// monthly); the contract's names (TOUCH_MODEL_HIGH) are accepted too.

// TouchModel is high, low or tech.
type TouchModel csplanv1.TouchModel

// Complexity is simple, moderate or complex.
type Complexity csplanv1.ProductComplexity

// Cadence is weekly, biweekly, monthly, quarterly, semiannual, annual or
// one_time.
type Cadence csplanv1.Cadence

// RampCurve is zero or linear.
type RampCurve csplanv1.RampCurve

func (t *TouchModel) UnmarshalYAML(n *yaml.Node) error {
	v, err := enumValue(n, "touch model", "TOUCH_MODEL_", csplanv1.TouchModel_value)
	*t = TouchModel(v)
	return err
}

func (c *Complexity) UnmarshalYAML(n *yaml.Node) error {
	v, err := enumValue(n, "complexity", "PRODUCT_COMPLEXITY_", csplanv1.ProductComplexity_value)
	*c = Complexity(v)
	return err
}

func (c *Cadence) UnmarshalYAML(n *yaml.Node) error {
	v, err := enumValue(n, "cadence", "CADENCE_", csplanv1.Cadence_value)
	*c = Cadence(v)
	return err
}

func (r *RampCurve) UnmarshalYAML(n *yaml.Node) error {
	v, err := enumValue(n, "ramp curve", "RAMP_CURVE_", csplanv1.RampCurve_value)
	*r = RampCurve(v)
	return err
}

func (t TouchModel) proto() csplanv1.TouchModel        { return csplanv1.TouchModel(t) }
func (c Complexity) proto() csplanv1.ProductComplexity { return csplanv1.ProductComplexity(c) }
func (c Cadence) proto() csplanv1.Cadence              { return csplanv1.Cadence(c) }
func (r RampCurve) proto() csplanv1.RampCurve          { return csplanv1.RampCurve(r) }

// enumValue reads "high", "HIGH" or "TOUCH_MODEL_HIGH".
func enumValue(n *yaml.Node, what, prefix string, values map[string]int32) (int32, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("line %d: a %s is a name, not a list or map", n.Line, what)
	}
	s := strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(n.Value, "-", "_")))
	if s == "" {
		return 0, nil
	}
	if v, ok := values[prefix+s]; ok && v != 0 {
		return v, nil
	}
	if v, ok := values[s]; ok && v != 0 && strings.HasPrefix(s, prefix) {
		return v, nil
	}
	var names []string
	for k, v := range values {
		if v != 0 {
			names = append(names, strings.ToLower(strings.TrimPrefix(k, prefix)))
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		return int(values[prefix+strings.ToUpper(a)] - values[prefix+strings.ToUpper(b)])
	})
	return 0, fmt.Errorf("line %d: %q is not a %s (one of %s)", n.Line, n.Value, what, strings.Join(names, ", "))
}

// Load reads and validates the plan file at path.
func Load(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// Parse reads and validates a plan; name is the file it came from, for
// errors and for resolving relative paths. Unknown keys, values of the
// wrong type and values out of range are errors naming the key and its
// line.
func Parse(data []byte, name string) (*Plan, error) {
	p := &Plan{path: name}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", name, cleanYAMLError(err))
	}
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		return nil, fmt.Errorf("%s: the plan is empty", name)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, cleanYAMLError(err))
	}
	p.lines = map[string]int{}
	keyLines(&root, "", p.lines)
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Path returns the file the plan was read from.
func (p *Plan) Path() string { return p.path }

// AccountsPath resolves book.accounts_csv against the plan's directory
// ("" when the book is inline).
func (p *Plan) AccountsPath() string {
	f := p.Book.AccountsCSV
	if f == "" || filepath.IsAbs(f) || p.path == "" {
		return f
	}
	return filepath.Join(filepath.Dir(p.path), f)
}

var (
	notFoundRE = regexp.MustCompile(`field (\S+) not found in type \S+`)
	typeRE     = regexp.MustCompile(`cannot unmarshal !!(\w+) ` + "`" + `([^` + "`" + `]*)` + "`" + ` into \S+`)
)

// cleanYAMLError rewrites the decoder's messages in the plan's terms:
// "line 7: unknown key "segmnts"" rather than Go type names.
func cleanYAMLError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		m = notFoundRE.ReplaceAllString(m, `unknown key "$1"`)
		m = typeRE.ReplaceAllString(m, `"$2" is not the right type here (a $1)`)
		msgs[i] = m
	}
	return errors.New(strings.Join(msgs, "; "))
}

// keyLines records the line of every key path in n.
func keyLines(n *yaml.Node, path string, lines map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			keyLines(c, path, lines)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			lines[p] = k.Line
			keyLines(v, p, lines)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			lines[p] = c.Line
			keyLines(c, p, lines)
		}
	}
}

// PlanError is a plan value that is out of range: Key is its path in the
// plan (segments[1].team.csms), Line its line (0 when the key is absent).
type PlanError struct {
	File   string
	Line   int
	Key    string
	Reason string
}

func (e *PlanError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Key, e.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Key, e.Reason)
}

// PlanErrors is every problem found in a plan, in file order.
type PlanErrors []*PlanError

func (es PlanErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

type checker struct {
	p    *Plan
	errs PlanErrors
}

func (c *checker) fail(key, format string, args ...any) {
	line := c.p.lines[key]
	for k := key; line == 0 && k != ""; {
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
		line = c.p.lines[k]
	}
	c.errs = append(c.errs, &PlanError{File: c.p.path, Line: line, Key: key, Reason: fmt.Sprintf(format, args...)})
}

func (c *checker) nonNeg(key string, x *float64) {
	if x != nil {
		c.finite(key, *x, 0, math.Inf(1), "must be 0 or more")
	}
}

func (c *checker) share(key string, x *float64) {
	if x != nil {
		c.finite(key, *x, 0, 1, "must be a fraction between 0 and 1 (0.25, not 25)")
	}
}

func (c *checker) finite(key string, x, lo, hi float64, reason string) {
	if math.IsNaN(x) || math.IsInf(x, 0) || x < lo || x > hi {
		c.fail(key, "%s, got %v", reason, x)
	}
}

var monthRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

func (c *checker) month(key, m string) {
	if !monthRE.MatchString(m) {
		c.fail(key, "%q is not a month written YYYY-MM", m)
	}
}

func (p *Plan) validate() error {
	c := &checker{p: p}
	if p.StartMonth != "" {
		c.month("start_month", p.StartMonth)
	}
	if p.HorizonMonths < 0 || p.HorizonMonths > 120 {
		c.fail("horizon_months", "must be between 1 and 120 months, got %d", p.HorizonMonths)
	}
	ct := p.CSMTime
	if ct.WeeklyHours != nil {
		c.finite("csm_time.weekly_hours", *ct.WeeklyHours, 1, 168, "must be between 1 and 168 hours")
	}
	c.nonNeg("csm_time.time_off_days_per_year", ct.TimeOffDaysPerYear)
	c.share("csm_time.customer_facing_share", ct.CustomerFacingShare)
	c.share("csm_time.target_utilization", ct.TargetUtilization)
	for i, a := range ct.InternalActivities {
		c.nonNeg(fmt.Sprintf("csm_time.internal_activities[%d].hours_per_month", i), &a.HoursPerMonth)
	}

	if len(p.Segments) == 0 {
		c.fail("segments", "the plan needs at least one segment")
	}
	inline := p.Book.AccountsCSV == ""
	seen := map[string]int{}
	for i, s := range p.Segments {
		k := fmt.Sprintf("segments[%d]", i)
		if strings.TrimSpace(s.Name) == "" {
			c.fail(k+".name", "every segment needs a name")
		} else if j, dup := seen[strings.ToLower(s.Name)]; dup {
			c.fail(k+".name", "%q is also the name of segments[%d]", s.Name, j)
		} else {
			seen[strings.ToLower(s.Name)] = i
		}
		if s.Playbook != nil && s.AccountsPerCSM != nil {
			c.fail(k+".accounts_per_csm", "give a playbook or accounts_per_csm, not both")
		}
		if s.AccountsPerCSM != nil {
			c.finite(k+".accounts_per_csm", *s.AccountsPerCSM, 1e-9, 1e6, "must be above 0")
		}
		if s.Playbook != nil && len(s.Playbook.Touchpoints)+len(s.Playbook.Inbound) == 0 {
			c.fail(k+".playbook", "a playbook needs touchpoints or inbound activities")
		}
		if s.CustomerLifetimeMonths != nil {
			c.finite(k+".customer_lifetime_months", *s.CustomerLifetimeMonths, 1, 1200, "must be between 1 and 1200 months")
		}
		if s.Team.CSMs < 0 {
			c.fail(k+".team.csms", "must be 0 or more, got %d", s.Team.CSMs)
		}
		for j, m := range s.Team.PlannedHires {
			c.month(fmt.Sprintf("%s.team.planned_hires[%d]", k, j), m)
		}
		if inline {
			if s.Accounts == nil {
				c.fail(k+".accounts", "without book.accounts_csv every segment gives its accounts and arr")
			} else if *s.Accounts < 0 {
				c.fail(k+".accounts", "must be 0 or more, got %d", *s.Accounts)
			}
			if s.ARR == nil {
				c.fail(k+".arr", "without book.accounts_csv every segment gives its accounts and arr")
			} else {
				c.nonNeg(k+".arr", s.ARR)
			}
		} else {
			if s.Accounts != nil {
				c.fail(k+".accounts", "the book comes from book.accounts_csv: remove the inline accounts")
			}
			if s.ARR != nil {
				c.fail(k+".arr", "the book comes from book.accounts_csv: remove the inline arr")
			}
		}
		if s.Growth != nil {
			c.growth(k+".growth", *s.Growth)
		}
		t := s.Thresholds
		for _, x := range []struct {
			key string
			v   *float64
		}{{"review_accounts_per_csm", t.ReviewAccountsPerCSM}, {"hire_accounts_per_csm", t.HireAccountsPerCSM}, {"critical_accounts_per_csm", t.CriticalAccountsPerCSM}, {"arr_per_csm", t.ARRPerCSM}} {
			if x.v != nil {
				c.finite(k+".thresholds."+x.key, *x.v, 1e-9, math.Inf(1), "must be above 0")
			}
		}
	}
	c.growth("growth", p.Growth)

	h := p.Hiring
	if h.BaseSalary <= 0 || math.IsNaN(h.BaseSalary) || math.IsInf(h.BaseSalary, 0) {
		c.fail("hiring.base_salary", "a CSM's base salary is needed to price hires and coverage")
	}
	if h.TimeToHireMonths != nil && (*h.TimeToHireMonths < 0 || *h.TimeToHireMonths > 24) {
		c.fail("hiring.time_to_hire_months", "must be between 0 and 24, got %d", *h.TimeToHireMonths)
	}
	if h.RampMonths != nil && (*h.RampMonths < 0 || *h.RampMonths > 24) {
		c.fail("hiring.ramp_months", "must be between 0 and 24, got %d", *h.RampMonths)
	}
	c.annualRate("hiring.annual_csm_attrition_rate", h.AnnualCSMAttritionRate)
	if h.LoadedCostMultiplier != nil && h.Itemized != nil {
		c.fail("hiring.itemized", "give loaded_cost_multiplier or itemized, not both")
	}
	c.share("hiring.recruiting_fee_share", h.RecruitingFeeShare)
	c.nonNeg("hiring.sign_on_bonus", &h.SignOnBonus)
	c.nonNeg("hiring.trainer_hours", &h.TrainerHours)
	if a := h.TechTouchAlternative; a != nil {
		if a.AccountsMoved < 0 {
			c.fail("hiring.tech_touch_alternative.accounts_moved", "must be 0 or more, got %d", a.AccountsMoved)
		}
		c.nonNeg("hiring.tech_touch_alternative.hours_saved_per_account_month", &a.HoursSavedPerAccountMonth)
		c.nonNeg("hiring.tech_touch_alternative.platform_cost_per_year", &a.PlatformCostPerYear)
	}

	f := p.Finance
	c.nonNeg("finance.revenue", f.Revenue)
	c.share("finance.min_cost_share", f.MinCostShare)
	c.share("finance.max_cost_share", f.MaxCostShare)
	if f.MinCostShare != nil && f.MaxCostShare != nil && *f.MinCostShare > *f.MaxCostShare {
		c.fail("finance.min_cost_share", "is above finance.max_cost_share")
	}
	c.share("finance.gross_margin", f.GrossMargin)
	c.nonNeg("finance.cash", f.Cash)
	c.nonNeg("finance.monthly_burn", f.MonthlyBurn)
	if f.Cash != nil && (f.MonthlyBurn == nil || *f.MonthlyBurn <= 0) {
		c.fail("finance.monthly_burn", "must be above 0 when finance.cash is given")
	}
	c.nonNeg("finance.current_cs_cost", f.CurrentCSCost)
	if f.TechTouchAccountsPerCSM != nil {
		c.finite("finance.tech_touch_accounts_per_csm", *f.TechTouchAccountsPerCSM, 1e-9, math.Inf(1), "must be above 0")
	}

	sg := p.Signals
	c.share("signals.churn_rate", sg.ChurnRate)
	c.share("signals.previous_churn_rate", sg.PreviousChurnRate)
	c.nonNeg("signals.csm_weekly_hours", sg.CSMWeeklyHours)
	c.share("signals.touchpoint_completion_rate", sg.TouchpointCompletionRate)
	c.share("signals.accounts_without_recent_contact_share", sg.AccountsWithoutRecentContactShare)

	if t := p.Segmentation.SuggestTiers; t != 0 {
		if t < 2 || t > 8 {
			c.fail("segmentation.suggest_tiers", "must be between 2 and 8 (or 0 for none), got %d", t)
		} else if inline {
			c.fail("segmentation.suggest_tiers", "suggesting tiers needs the accounts: set book.accounts_csv")
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(c.errs, func(a, b *PlanError) int { return a.Line - b.Line })
	return c.errs
}

// The rate bounds below are the forecast's (capacity.ForecastCapacity),
// checked here too so that the plan file's line can be named; they go when
// the plan is validated by the service with its lines mapped.

func (c *checker) growth(k string, g Growth) {
	c.nonNeg(k+".new_accounts_per_month", g.NewAccountsPerMonth)
	c.monthlyRate(k+".monthly_logo_churn_rate", g.MonthlyLogoChurnRate, false)
	c.monthlyRate(k+".monthly_expansion_rate", g.MonthlyExpansionRate, true)
	c.nonNeg(k+".new_account_arr", g.NewAccountARR)
}

// monthlyRate: [0, 0.5], or (-0.5, 0.5] when it may be negative.
func (c *checker) monthlyRate(key string, p *float64, negativeAllowed bool) {
	if p == nil {
		return
	}
	switch x := *p; {
	case math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1:
		c.fail(key, "rates are fractions: 1%% a month is 0.01, got %v", x)
	case x > 0.5:
		c.fail(key, "%v is above 50%% a month: rates are fractions (0.05 is 5%%)", x)
	case x < 0 && !negativeAllowed:
		c.fail(key, "must be 0 or more, got %v", x)
	case x <= -0.5:
		c.fail(key, "%v is a contraction of 50%% a month or more: give a fraction above -0.5 (-0.01 is 1%% less a month)", x)
	}
}

// annualRate: [0, 1).
func (c *checker) annualRate(key string, p *float64) {
	if p == nil {
		return
	}
	switch x := *p; {
	case math.IsNaN(x) || math.IsInf(x, 0) || x < 0:
		c.fail(key, "must be a fraction of the team a year, 0 or more, got %v", x)
	case x > 1:
		c.fail(key, "rates are fractions: 15%% a year is 0.15, got %v", x)
	case x == 1:
		c.fail(key, "must be below 1 (1 would lose the whole team within a year), got 1")
	}
}

// Line returns the line of a key path in the plan (0 when absent).
func (p *Plan) Line(key string) int { return p.lines[key] }
