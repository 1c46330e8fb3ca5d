package planning

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/csplan/csplan/capacity"
)

// checker collects every bad field of a plan, by its path in the plan
// file, so that one answer lists them all.
type checker struct{ list []*capacity.FieldError }

func (c *checker) fail(field, format string, args ...any) {
	c.list = append(c.list, &capacity.FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
}

// merge takes a capacity error's fields under prefix.
func (c *checker) merge(err error, prefix string) {
	if err == nil {
		return
	}
	if ve, ok := err.(*capacity.ValidationError); ok {
		for _, fe := range ve.Violations {
			f := fe.Field
			if !strings.HasPrefix(f, prefix) {
				f = strings.TrimSuffix(prefix+f, ".")
			}
			c.list = append(c.list, &capacity.FieldError{Field: f, Reason: fe.Reason})
		}
		return
	}
	c.list = append(c.list, &capacity.FieldError{Field: strings.TrimSuffix(prefix, "."), Reason: err.Error()})
}

func (c *checker) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return &capacity.ValidationError{Violations: c.list}
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

func (c *checker) nonNeg(field string, x *float64) {
	if x != nil && (bad(*x) || *x < 0 || *x > capacity.MaxAmount) {
		c.fail(field, "must be 0 or more, got %s", num(*x))
	}
}

func (c *checker) positive(field string, x *float64) {
	if x != nil && (bad(*x) || *x <= 0 || *x > capacity.MaxAmount) {
		c.fail(field, "must be above 0, got %s", num(*x))
	}
}

func (c *checker) share(field string, x *float64) {
	if x != nil && (bad(*x) || *x < 0 || *x > 1) {
		c.fail(field, "must be a fraction between 0 and 1 (0.25, not 25), got %s", num(*x))
	}
}

// monthlyRate: [0, 0.5], or (-0.5, 0.5] where a contraction is allowed.
// A rate of 1 or more is read as a percentage given by mistake.
func (c *checker) monthlyRate(field string, p *float64, negativeAllowed bool) {
	if p == nil {
		return
	}
	switch x := *p; {
	case bad(x) || math.Abs(x) >= 1:
		c.fail(field, "rates are fractions: 1%% a month is 0.01, got %s", num(x))
	case x > 0.5:
		c.fail(field, "%s is above 50%% a month: rates are fractions (0.05 is 5%%)", num(x))
	case x < 0 && !negativeAllowed:
		c.fail(field, "must be 0 or more, got %s", num(x))
	case x <= -0.5:
		c.fail(field, "%s is a contraction of 50%% a month or more: give a fraction above -0.5 (-0.01 is 1%% less a month)", num(x))
	}
}

func (c *checker) growth(prefix string, g Growth) {
	c.nonNeg(prefix+"new_accounts_per_month", g.NewAccountsPerMonth)
	c.monthlyRate(prefix+"monthly_logo_churn_rate", g.MonthlyLogoChurnRate, false)
	c.monthlyRate(prefix+"monthly_expansion_rate", g.MonthlyExpansionRate, true)
	c.nonNeg(prefix+"new_account_arr", g.NewAccountARR)
}

// Validate checks what the plan itself says, before any account is read;
// Run checks the rest (the CSM's time, the hire, the playbooks) under the
// same paths. today is month 0 of a plan without a start month.
func Validate(p Plan, withAccounts bool, today capacity.Month) error {
	return validate(p, withAccounts, startMonth(p, today))
}

// startMonth is month 0: the plan's, or today's when it gives none (or
// gives one validate refuses).
func startMonth(p Plan, today capacity.Month) capacity.Month {
	if m, err := capacity.ParseMonth(p.StartMonth); p.StartMonth != "" && err == nil {
		return m
	}
	return today
}

func validate(p Plan, withAccounts bool, start capacity.Month) error {
	c := &checker{}
	if p.StartMonth != "" {
		if _, err := capacity.ParseMonth(p.StartMonth); err != nil {
			c.fail("start_month", "%s", err)
		}
	}
	if p.HorizonMonths < 0 || p.HorizonMonths > maxHorizonMonths {
		c.fail("horizon_months", "must be between 1 and %d months, got %d", maxHorizonMonths, p.HorizonMonths)
	}
	c.segments(p, withAccounts, start)
	if !withAccounts && (len(p.Customers.Stages) > 0 || len(p.Customers.Exclude) > 0) {
		field := "book.customer_stages"
		if len(p.Customers.Stages) == 0 {
			field = "book.exclude_stages"
		}
		c.fail(field, "says which of the book's accounts are customers, but the plan has no accounts: send them (or set book.accounts_csv in the CLI), or give each segment's customer totals")
	}
	c.growth("growth.", p.Growth)

	h := p.Hiring
	if b := h.Cost.BaseSalary; bad(b) || b <= 0 {
		c.fail("hiring.base_salary", "a CSM's base salary is needed to price hires and coverage, got %s", num(b))
	}
	if a := h.AnnualAttrition; a != nil {
		switch x := *a; {
		case bad(x) || x < 0:
			c.fail("hiring.annual_csm_attrition_rate", "must be a fraction of the team a year, 0 or more, got %s", num(x))
		case x > 1:
			c.fail("hiring.annual_csm_attrition_rate", "rates are fractions: 15%% a year is 0.15, got %s", num(x))
		case x == 1:
			c.fail("hiring.annual_csm_attrition_rate", "must be below 1 (1 would lose the whole team within a year), got 1")
		}
	}
	if t := h.TechTouch; t != nil {
		c.techTouch("hiring.tech_touch_alternative.", t.TechTouchAlternative)
		if t.Segment != nil && indexOf(p.Segments, *t.Segment) < 0 {
			c.fail("hiring.tech_touch_alternative.segment", "%q is not a segment of the plan (one of %s)", *t.Segment, segmentNames(p.Segments))
		}
	}

	f := p.Finance
	c.nonNeg("finance.revenue", f.Revenue)
	c.share("finance.min_cost_share", f.MinCostShare)
	c.share("finance.max_cost_share", f.MaxCostShare)
	if f.MinCostShare != nil && f.MaxCostShare != nil && *f.MinCostShare > *f.MaxCostShare {
		c.fail("finance.min_cost_share", "%s is above finance.max_cost_share (%s)", num(*f.MinCostShare), num(*f.MaxCostShare))
	}
	c.share("finance.gross_margin", f.GrossMargin)
	c.nonNeg("finance.cash", f.Cash)
	c.nonNeg("finance.monthly_burn", f.MonthlyBurn)
	if f.Cash != nil && (f.MonthlyBurn == nil || *f.MonthlyBurn <= 0) {
		c.fail("finance.monthly_burn", "must be above 0 when finance.cash is given")
	}
	c.nonNeg("finance.current_cs_cost", f.CurrentCSCost)
	c.positive("finance.tech_touch_accounts_per_csm", f.TechTouchAccountsPerCSM)
	c.positive("finance.csms_per_manager", f.CSMsPerManager)
	c.nonNeg("finance.manager_loaded_cost", f.ManagerLoadedCost)
	c.nonNeg("finance.other_cs_cost_per_year", f.OtherCSCostPerYear)
	if m := f.FiscalYearStartMonth; m != nil && (*m < 1 || *m > 12) {
		c.fail("finance.fiscal_year_start_month", "must be a month number, 1 (January) to 12, got %d", *m)
	}
	if f.Scope < 0 || f.Scope > CostScopeCSMPayroll {
		c.fail("finance.cost_scope", "%d is not a cost scope (fully_loaded or csm_payroll)", f.Scope)
	}

	sg := p.Signals
	c.share("signals.churn_rate", sg.ChurnRate)
	c.share("signals.previous_churn_rate", sg.PreviousChurnRate)
	c.nonNeg("signals.csm_weekly_hours", sg.CSMWeeklyHours)
	c.share("signals.touchpoint_completion_rate", sg.TouchpointCompletionRate)
	c.share("signals.accounts_without_recent_contact_share", sg.AccountsWithoutRecentContactShare)

	if t := p.SuggestTiers; t != 0 {
		if t < 2 || t > 8 {
			c.fail("segmentation.suggest_tiers", "must be between 2 and 8 (or 0 for none), got %d", t)
		} else if !withAccounts {
			c.fail("segmentation.suggest_tiers", "suggesting tiers needs the accounts: send them with the plan")
		}
	}
	if p.Policy < 0 || p.Policy > capacity.SizingPolicyMostConstrained {
		c.fail("sizing_policy", "%d is not a sizing policy (playbook_first or most_constrained)", p.Policy)
	}
	return c.err()
}

func (c *checker) segments(p Plan, withAccounts bool, start capacity.Month) {
	if len(p.Segments) == 0 {
		c.fail("segments", "the plan needs at least one segment")
	}
	if len(p.Segments) > capacity.MaxSegments {
		c.fail("segments", "has %d segments, more than the %d a plan takes", len(p.Segments), capacity.MaxSegments)
		return
	}
	seen := map[string]int{}
	for i, s := range p.Segments {
		k := fmt.Sprintf("segments[%d].", i)
		if strings.TrimSpace(s.Name) == "" {
			c.fail(k+"name", "every segment needs a name")
		} else if j, dup := seen[strings.ToLower(s.Name)]; dup {
			c.fail(k+"name", "%q is also the name of segments[%d]", s.Name, j)
		} else {
			seen[strings.ToLower(s.Name)] = i
		}
		if s.Playbook != nil && s.AccountsPerCSM != nil {
			c.fail(k+"accounts_per_csm", "give a playbook or accounts_per_csm, not both")
		}
		c.positive(k+"accounts_per_csm", s.AccountsPerCSM)
		if l := s.CustomerLifetimeMonths; l != nil && (bad(*l) || *l < 1 || *l > 1200) {
			c.fail(k+"customer_lifetime_months", "must be between 1 and 1200 months, got %s", num(*l))
		}
		if s.CSMs < 0 {
			c.fail(k+"team.csms", "must be 0 or more, got %d", s.CSMs)
		}
		for j, m := range s.PlannedHires {
			f := fmt.Sprintf("%steam.planned_hires[%d]", k, j)
			pm, err := capacity.ParseMonth(m)
			switch {
			case err != nil:
				c.fail(f, "%s", err)
			case pm <= start:
				c.fail(f, "%s is not after the start month %s: a hire who starts by then belongs in team.csms", m, start)
			}
		}
		if withAccounts {
			if s.Accounts != nil {
				c.fail(k+"accounts", "the book comes from the accounts sent: remove the segment's own accounts")
			}
			if s.ARR != nil {
				c.fail(k+"arr", "the book comes from the accounts sent: remove the segment's own arr")
			}
		} else {
			if s.Accounts == nil {
				c.fail(k+"accounts", "without accounts (sent in the request, or read from the plan file's book.accounts_csv) every segment gives its accounts and arr")
			} else if *s.Accounts < 0 {
				c.fail(k+"accounts", "must be 0 or more, got %d", *s.Accounts)
			}
			if s.ARR == nil {
				c.fail(k+"arr", "without accounts (sent in the request, or read from the plan file's book.accounts_csv) every segment gives its accounts and arr")
			} else {
				c.nonNeg(k+"arr", s.ARR)
			}
		}
		c.growth(k+"growth.", s.Growth)
		t := s.Thresholds
		c.positive(k+"thresholds.review_accounts_per_csm", t.ReviewAccountsPerCSM)
		c.positive(k+"thresholds.hire_accounts_per_csm", t.HireAccountsPerCSM)
		c.positive(k+"thresholds.critical_accounts_per_csm", t.CriticalAccountsPerCSM)
		c.positive(k+"thresholds.arr_per_csm", t.ARRPerCSM)
		if s.TechTouch != nil {
			c.techTouch(k+"tech_touch_alternative.", *s.TechTouch)
		}
	}
}

func (c *checker) techTouch(prefix string, a capacity.TechTouchAlternative) {
	if a.AccountsMoved < 0 {
		c.fail(prefix+"accounts_moved", "must be 0 or more, got %d", a.AccountsMoved)
	}
	c.nonNeg(prefix+"hours_saved_per_account_month", &a.HoursSavedPerAccountMonth)
	c.nonNeg(prefix+"platform_cost_per_year", &a.PlatformCostPerYear)
}

func indexOf(ss []Segment, name string) int {
	for i, s := range ss {
		if s.Name == name {
			return i
		}
	}
	return -1
}

func segmentNames(ss []Segment) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = strconv.Quote(s.Name)
	}
	return strings.Join(names, ", ")
}
