package planner

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
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
	// Rebalance asks csplan plan to rebalance the book too (rebalance.go);
	// nil when the plan has no rebalance section.
	Rebalance *RebalanceSpec `yaml:"rebalance"`
	// SizingPolicy is playbook_first (the default) or most_constrained.
	SizingPolicy SizingPolicy `yaml:"sizing_policy"`

	// path is the file the plan was read from ("" for Parse without a
	// name); relative paths in the plan are relative to its directory.
	path string
	// lines maps a key path (segments[1].team.csms) to its line, and
	// files to the file it is in when that is a base's (or "--set").
	lines map[string]int
	files map[string]string
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
	// TechTouchAlternative moves some of this segment's accounts to tech
	// touch instead of hiring.
	TechTouchAlternative *TechTouchAlternative `yaml:"tech_touch_alternative"`
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
	// Where it falls in a book with dates: even (default), start or
	// renewal (capacity.AccountHours).
	Anchor       Anchor `yaml:"anchor"`
	SpreadMonths *int   `yaml:"spread_months"`
	MonthsBefore *int   `yaml:"months_before"`
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
	// How the export is read (book.go): which header holds which field,
	// its delimiter and decimal separator, which row of a repeated id
	// counts, and how many bad rows may be skipped.
	Columns          map[string]string `yaml:"columns"`
	Delimiter        string            `yaml:"delimiter"`
	DecimalSeparator string            `yaml:"decimal_separator"`
	Duplicates       string            `yaml:"duplicates"`
	MaxBadRows       int               `yaml:"max_bad_rows"`
	// CustomerStages (or ExcludeStages) keep prospects and trials out
	// of the plan; the service applies them and counts what they leave
	// out.
	CustomerStages []string `yaml:"customer_stages"`
	ExcludeStages  []string `yaml:"exclude_stages"`
	// CSMs name the team for the calendar's per-CSM load (optional):
	// owners not listed get a full CSM's capacity.
	CSMs []BookCSM `yaml:"csms"`
}

// BookCSM is one CSM of book.csms.
type BookCSM struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Segment       string   `yaml:"segment"`
	CapacityShare *float64 `yaml:"capacity_share"`
	CapacityHours *float64 `yaml:"capacity_hours"`
	// Attributes such as region or language, which rebalance.match_attributes
	// matches against the accounts' columns.
	Attributes map[string]string `yaml:"attributes"`
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
	// Segment names the segment at plan level (default: the segment of
	// the earliest requisition); a segment's own alternative sets none.
	Segment                   *string `yaml:"segment"`
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
	// CSMsPerManager models managers (unset: none); ManagerLoadedCost is
	// a manager's annual loaded cost; OtherCSCostPerYear is CS operations
	// and tools.
	CSMsPerManager     *float64 `yaml:"csms_per_manager"`
	ManagerLoadedCost  *float64 `yaml:"manager_loaded_cost"`
	OtherCSCostPerYear *float64 `yaml:"other_cs_cost_per_year"`
	// CostScope is fully_loaded (the default) or csm_payroll.
	CostScope CostScope `yaml:"cost_scope"`
	// FiscalYearStartMonth is 1-12 (default 1).
	FiscalYearStartMonth *int `yaml:"fiscal_year_start_month"`
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

// SizingPolicy is playbook_first or most_constrained.
type SizingPolicy csplanv1.SizingPolicy

// CostScope is fully_loaded or csm_payroll.
type CostScope csplanv1.CostScope

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

// Anchor is a touchpoint's anchor: even, start or renewal.
type Anchor int32

func (a *Anchor) UnmarshalYAML(n *yaml.Node) error {
	v, err := enumValue(n, "touchpoint anchor", "TOUCHPOINT_ANCHOR_", csplanv1.TouchpointAnchor_value)
	*a = Anchor(v)
	return err
}

func (a Anchor) proto() csplanv1.TouchpointAnchor { return csplanv1.TouchpointAnchor(a) }

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

func (p *SizingPolicy) UnmarshalYAML(n *yaml.Node) error {
	v, err := enumValue(n, "sizing policy", "SIZING_POLICY_", csplanv1.SizingPolicy_value)
	*p = SizingPolicy(v)
	return err
}

func (c *CostScope) UnmarshalYAML(n *yaml.Node) error {
	v, err := enumValue(n, "cost scope", "COST_SCOPE_", csplanv1.CostScope_value)
	*c = CostScope(v)
	return err
}

func (p SizingPolicy) proto() csplanv1.SizingPolicy    { return csplanv1.SizingPolicy(p) }
func (c CostScope) proto() csplanv1.CostScope          { return csplanv1.CostScope(c) }
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
// A file with `base: other.yaml` holds only the keys it changes (see
// LoadWith).
func Load(path string) (*Plan, error) { return LoadWith(path, nil) }

// Parse reads and validates a plan; name is the file it came from, for
// errors and for resolving relative paths. Unknown keys, values of the
// wrong type and values out of range are errors naming the key and its
// line.
func Parse(data []byte, name string) (*Plan, error) {
	p := &Plan{path: name}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &SyntaxError{File: name, Err: cleanYAMLError(err)}
	}
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		return nil, &SyntaxError{File: name, Err: errors.New("the plan is empty")}
	}
	if unknown := normalize(&root, reflect.TypeFor[Plan]()); len(unknown) > 0 {
		return nil, &SyntaxError{File: name, Err: errors.New(strings.Join(unknown, "; "))}
	}
	if err := root.Decode(p); err != nil {
		return nil, &SyntaxError{File: name, Err: cleanYAMLError(err)}
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
	dir := p.fileOf("book.accounts_csv")
	if f == "" || filepath.IsAbs(f) || dir == "" {
		return f
	}
	return filepath.Join(filepath.Dir(dir), f)
}

// fileOf is the file a key path is written in: the plan's own, or the base
// that gave it.
func (p *Plan) fileOf(key string) string {
	for k := key; k != ""; {
		if f, ok := p.files[k]; ok {
			return f
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return p.path
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

// SyntaxError is a plan file that is not a plan: not YAML, an unknown
// key, a value of the wrong kind. Its text names the line.
type SyntaxError struct {
	File string
	Err  error
}

func (e *SyntaxError) Error() string { return e.File + ": " + e.Err.Error() }
func (e *SyntaxError) Unwrap() error { return e.Err }

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
	line := c.p.lineOf(key)
	c.errs = append(c.errs, &PlanError{File: c.p.fileOf(key), Line: line, Key: key, Reason: fmt.Sprintf(format, args...)})
}

// validate checks what only the plan file can say: where its book comes
// from. Every value's range is the service's to check (PlanningService
// names the field, Run puts it on its line), so that the CLI and any
// other client get one set of rules.
func (p *Plan) validate() error {
	c := &checker{p: p}
	inline := p.Book.AccountsCSV == ""
	for i, s := range p.Segments {
		k := fmt.Sprintf("segments[%d]", i)
		if inline {
			continue
		}
		if s.Accounts != nil {
			c.fail(k+".accounts", "the book comes from book.accounts_csv: remove the inline accounts")
		}
		if s.ARR != nil {
			c.fail(k+".arr", "the book comes from book.accounts_csv: remove the inline arr")
		}
	}
	if t := p.Segmentation.SuggestTiers; t != 0 && inline {
		c.fail("segmentation.suggest_tiers", "suggesting tiers needs the accounts: set book.accounts_csv")
	}
	p.checkBook(c, inline)
	if len(c.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(c.errs, func(a, b *PlanError) int { return a.Line - b.Line })
	return c.errs
}

// Line returns the line of a key path in the plan (0 when absent).
func (p *Plan) Line(key string) int { return p.lines[key] }
