package capacity

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// CSMTime describes one CSM's month. A nil field takes its documented
// default.
type CSMTime struct {
	// WeeklyHours defaults to 40.
	WeeklyHours *float64
	// TimeOffDaysPerYear (PTO and holidays) defaults to 25 (assumption).
	TimeOffDaysPerYear *float64
	// CustomerFacingShare defaults to 2/3 (seed 002) where no
	// InternalActivities are given; giving both is an error.
	CustomerFacingShare *float64
	// InternalActivities are subtracted from the month instead of the share.
	InternalActivities []InternalActivity
	// TargetUtilization of customer-facing time defaults to 1.0.
	TargetUtilization *float64
}

// InternalActivity is company time in a CSM's month: meetings, email, 1:1s.
type InternalActivity struct {
	Name          string
	HoursPerMonth float64
}

// Touchpoint is one step of the customer journey: recurring at a cadence or
// PerYear times a year, or once per account (CadenceOneTime).
type Touchpoint struct {
	Name    string
	Hours   float64
	Cadence Cadence
	PerYear *float64
	// Anchor, SpreadMonths and MonthsBefore place it in the months of a
	// book with dates (calendar.go); without dates it is spread evenly,
	// and a RENEWAL one happens once per term (once a year at 12 months).
	Anchor       TouchpointAnchor
	SpreadMonths *int32
	MonthsBefore *int32
}

// oneTime reports whether t happens once per account; a RENEWAL
// touchpoint recurs with each renewal, whatever its cadence says.
func (t Touchpoint) oneTime() bool { return t.Cadence == CadenceOneTime && t.Anchor != AnchorRenewal }

// InboundActivity is reactive work: requests an account raises per month.
type InboundActivity struct {
	Name               string
	PerAccountPerMonth float64
	Hours              float64
}

// Playbook is the engagement model of a segment.
type Playbook struct {
	Touchpoints []Touchpoint
	Inbound     []InboundActivity
}

// Segment is a group of accounts served with one playbook.
type Segment struct {
	Name     string
	Accounts int32
	ARR      float64
	Playbook Playbook
	// NewAccountsPerMonth smooths one-time touchpoints across the base;
	// without it they are amortised over CustomerLifetimeMonths.
	NewAccountsPerMonth *float64
	// CustomerLifetimeMonths defaults to 36 (assumption).
	CustomerLifetimeMonths *float64
}

// CapacityRequest asks for a bottom-up capacity plan.
type CapacityRequest struct {
	CSMTime  CSMTime
	Segments []Segment
}

// CapacityPlan is the bottom-up answer.
type CapacityPlan struct {
	AvailableHoursPerCSMMonth float64
	Segments                  []SegmentCapacity
	TotalCSMFTE               float64
	TotalCSMHeadcount         int32
	TotalARR                  float64
	ARRPerCSM                 float64
	Assumptions               []Assumption
}

// SegmentCapacity is the plan for one segment.
type SegmentCapacity struct {
	Name                 string
	HoursPerAccountMonth float64
	Breakdown            []HoursItem
	// AccountsPerCSM is whole: the floor of available hours over hours per
	// account.
	AccountsPerCSM float64
	CSMFTE         float64
	CSMHeadcount   int32
	ARRPerCSM      float64
}

// HoursItem is one touchpoint's or inbound activity's share of the hours
// per account per month.
type HoursItem struct {
	Name                 string
	HoursPerAccountMonth float64
}

// Bounds on the size of a capacity request. They keep one request from
// tying up the service and catch data pasted into the wrong field; a
// request past them is rejected with the field that is too long.
const (
	// MaxSegments bounds the segments of one ComputeCapacity request.
	MaxSegments = 1000
	// MaxTouchpoints bounds the touchpoints of one playbook.
	MaxTouchpoints = 200
	// MaxInboundActivities bounds the inbound activities of one playbook.
	MaxInboundActivities = 200
	// MaxInternalActivities bounds the internal activities of a CSM's month.
	MaxInternalActivities = 200
	// MaxWeeklyHours is the number of hours in a week.
	MaxWeeklyHours = 168
	// MaxTimeOffDaysPerYear is every working day of a year (52 weeks of 5
	// days); time off must stay below it so that some time is left to work.
	MaxTimeOffDaysPerYear = 260
)

// Defaults of a CSM's month (section 1 of the design).
const (
	DefaultWeeklyHours            = 40.0
	DefaultTimeOffDaysPerYear     = 25.0
	DefaultCustomerFacingShare    = 2.0 / 3.0
	DefaultTargetUtilization      = 1.0
	DefaultCustomerLifetimeMonths = 36.0
)

// Sources of the section 1 defaults, echoed in assumptions.
const (
	sourceWeeklyHours      = "default: a 40-hour week"
	sourceTimeOff          = "assumption"
	sourceCustomerFacing   = "seed 002"
	sourceUtilization      = "default: all customer-facing time is planned"
	sourceCustomerLifetime = "assumption"
)

// occurrencesPerYear maps a recurring cadence to how often it happens in a
// year; ONE_TIME and UNSPECIFIED are absent on purpose.
var occurrencesPerYear = map[Cadence]float64{
	CadenceWeekly:     52,
	CadenceBiweekly:   26,
	CadenceMonthly:    12,
	CadenceQuarterly:  4,
	CadenceSemiannual: 2,
	CadenceAnnual:     1,
}

// AvailableHours returns the customer hours one CSM has in a month:
// weekly_hours * (52 - time_off_days/5) / 12 working hours, less explicit
// internal activities or times the customer-facing share, times the target
// utilization. prefix is the request path of the CsmTime ("csm_time"); every
// error names its fields under it, and all bad fields are reported at once.
// The assumptions list every input with its value and source.
func AvailableHours(t CSMTime, prefix string) (float64, []Assumption, error) {
	v := validateCSMTime(t, prefix)
	if !v.empty() {
		return 0, nil, v.err()
	}
	var as assumptions
	weekly := as.float(path(prefix, "weekly_hours"), t.WeeklyHours, DefaultWeeklyHours, sourceWeeklyHours)
	timeOff := as.float(path(prefix, "time_off_days_per_year"), t.TimeOffDaysPerYear, DefaultTimeOffDaysPerYear, sourceTimeOff)
	working := weekly * (52 - timeOff/5) / 12

	var customer float64
	if len(t.InternalActivities) > 0 {
		internal := internalHours(t.InternalActivities)
		customer = working - internal
		if !above(customer, 0) {
			v.add(path(prefix, "internal_activities"), "internal activities take %s of the %s working hours a month, leaving no time for customers", formatHours(internal), formatHours(working))
			return 0, nil, v.err()
		}
	} else {
		share := as.float(path(prefix, "customer_facing_share"), t.CustomerFacingShare, DefaultCustomerFacingShare, sourceCustomerFacing)
		customer = working * share
	}
	utilization := as.float(path(prefix, "target_utilization"), t.TargetUtilization, DefaultTargetUtilization, sourceUtilization)
	return customer * utilization, as, nil
}

// validateCSMTime checks every field of t, so that one answer lists them all.
func validateCSMTime(t CSMTime, prefix string) violations {
	var v violations
	if w := t.WeeklyHours; w != nil && (!finite(*w) || *w <= 0 || *w > MaxWeeklyHours) {
		v.add(path(prefix, "weekly_hours"), "must be above 0 and at most %d (the hours in a week), got %s", MaxWeeklyHours, formatFloat(*w))
	}
	if d := t.TimeOffDaysPerYear; d != nil && (!finite(*d) || *d < 0 || *d >= MaxTimeOffDaysPerYear) {
		v.add(path(prefix, "time_off_days_per_year"), "must be 0 or more and below %d (the working days in a year), got %s", MaxTimeOffDaysPerYear, formatFloat(*d))
	}
	if s := t.CustomerFacingShare; s != nil {
		switch {
		case len(t.InternalActivities) > 0:
			v.add(path(prefix, "customer_facing_share"), "give either internal_activities or customer_facing_share, not both: the share stands in for the activities")
		case !finite(*s) || *s <= 0 || *s > 1:
			v.add(path(prefix, "customer_facing_share"), "is a share: give a fraction above 0 and at most 1 (0.67, not 67), got %s", formatFloat(*s))
		}
	}
	if u := t.TargetUtilization; u != nil && (!finite(*u) || *u <= 0 || *u > 1) {
		v.add(path(prefix, "target_utilization"), "is a share of customer-facing time: give a fraction above 0 and at most 1 (0.85, not 85), got %s", formatFloat(*u))
	}
	if n := len(t.InternalActivities); n > MaxInternalActivities {
		v.add(path(prefix, "internal_activities"), "has %d entries, more than the %d allowed: group them into broader activities", n, MaxInternalActivities)
		return v
	}
	activities := path(prefix, "internal_activities")
	for i, a := range t.InternalActivities {
		p := index(activities, i)
		if strings.TrimSpace(a.Name) == "" {
			v.add(path(p, "name"), "name the activity (for example \"team meetings\")")
		}
		v.checkLengthAt(p, "name", a.Name)
		if !finite(a.HoursPerMonth) || a.HoursPerMonth < 0 {
			v.add(path(p, "hours_per_month"), "must be 0 or more hours a month, got %s", formatFloat(a.HoursPerMonth))
		}
	}
	return v
}

func internalHours(activities []InternalActivity) float64 {
	var sum float64
	for _, a := range activities {
		sum += a.HoursPerMonth
	}
	return sum
}

// HoursPerAccount returns the hours one account of a segment needs per
// month under playbook pb, with one breakdown item per touchpoint and inbound
// activity in playbook order. Recurring touchpoints cost hours * per_year /
// 12; one-time touchpoints are smoothed across the base, over
// newAccountsPerMonth / accounts where both are known and accounts > 0, else
// amortised over customerLifetimeMonths (default 36); inbound activities
// cost per_account_per_month * hours.
//
// prefix is the request path of the playbook ("segments[0].playbook").
// new_accounts_per_month and customer_lifetime_months are taken to sit
// beside the playbook, so their errors and assumptions are named there
// ("segments[0].customer_lifetime_months"); an assumption is recorded only
// when a one-time touchpoint used the value. accounts is not validated here
// (the caller owns its path); 0 or fewer means there is no base to smooth
// over.
func HoursPerAccount(pb Playbook, accounts int32, newAccountsPerMonth, customerLifetimeMonths *float64, prefix string) (float64, []HoursItem, []Assumption, error) {
	newPath := func() string { return sibling(prefix, "new_accounts_per_month") }
	lifetimePath := func() string { return sibling(prefix, "customer_lifetime_months") }
	v := validatePlaybook(pb, prefix)
	if n := newAccountsPerMonth; n != nil && (!finite(*n) || *n < 0) {
		v.add(newPath(), "must be 0 or more accounts a month, got %s", formatFloat(*n))
	}
	if l := customerLifetimeMonths; l != nil && (!finite(*l) || *l <= 0) {
		v.add(lifetimePath(), "must be above 0 months, got %s", formatFloat(*l))
	}
	if !v.empty() {
		return 0, nil, nil, v.err()
	}

	// The share of a one-time touchpoint each account carries per month.
	var as assumptions
	var oneTimeShare float64
	if hasOneTime(pb) {
		if newAccountsPerMonth != nil && accounts > 0 {
			oneTimeShare = as.float(newPath(), newAccountsPerMonth, 0, SourceRequest) / float64(accounts)
		} else {
			oneTimeShare = 1 / as.float(lifetimePath(), customerLifetimeMonths, DefaultCustomerLifetimeMonths, sourceCustomerLifetime)
		}
	}

	items := make([]HoursItem, 0, len(pb.Touchpoints)+len(pb.Inbound))
	var total float64
	for _, t := range pb.Touchpoints {
		h := t.Hours * oneTimeShare
		if !t.oneTime() {
			h = t.Hours * perYear(t) / 12
		}
		items = append(items, HoursItem{Name: t.Name, HoursPerAccountMonth: h})
		total += h
	}
	for _, in := range pb.Inbound {
		h := in.PerAccountPerMonth * in.Hours
		items = append(items, HoursItem{Name: in.Name, HoursPerAccountMonth: h})
		total += h
	}
	switch {
	case !finite(total):
		v.add(prefix, "the playbook's hours per account per month are too large to count: check the hours and frequencies")
	case !above(total, 0):
		v.add(prefix, "the playbook adds up to 0 hours per account per month: give touchpoints or inbound activities that take time")
	}
	if !v.empty() {
		return 0, nil, nil, v.err()
	}
	return total, items, as, nil
}

// validatePlaybook checks every touchpoint and inbound activity of pb.
// Field paths are joined only for a violation: valid playbooks, the common
// case, should not pay for them.
func validatePlaybook(pb Playbook, prefix string) violations {
	var v violations
	if n := len(pb.Touchpoints); n > MaxTouchpoints {
		v.add(path(prefix, "touchpoints"), "has %d touchpoints, more than the %d allowed", n, MaxTouchpoints)
	} else {
		for i, t := range pb.Touchpoints {
			validateTouchpoint(&v, t, func(field string) string { return path(index(path(prefix, "touchpoints"), i), field) })
		}
	}
	if n := len(pb.Inbound); n > MaxInboundActivities {
		v.add(path(prefix, "inbound"), "has %d inbound activities, more than the %d allowed", n, MaxInboundActivities)
	} else {
		for i, in := range pb.Inbound {
			at := func(field string) string { return path(index(path(prefix, "inbound"), i), field) }
			if strings.TrimSpace(in.Name) == "" {
				v.add(at("name"), "name the inbound activity (for example \"support escalations\")")
			}
			if len(in.Name) > MaxTextLength {
				v.checkLength(at("name"), in.Name)
			}
			if !finite(in.PerAccountPerMonth) || in.PerAccountPerMonth < 0 {
				v.add(at("per_account_per_month"), "must be 0 or more per account a month, got %s", formatFloat(in.PerAccountPerMonth))
			}
			if !finite(in.Hours) || in.Hours < 0 {
				v.add(at("hours"), "must be 0 or more hours, got %s", formatFloat(in.Hours))
			}
		}
	}
	return v
}

// validateTouchpoint checks t; at names one of its fields.
func validateTouchpoint(v *violations, t Touchpoint, at func(field string) string) {
	if strings.TrimSpace(t.Name) == "" {
		v.add(at("name"), "name the touchpoint (for example \"quarterly business review\")")
	}
	if len(t.Name) > MaxTextLength {
		v.checkLength(at("name"), t.Name)
	}
	if !finite(t.Hours) || t.Hours < 0 {
		v.add(at("hours"), "must be 0 or more hours per occurrence, got %s", formatFloat(t.Hours))
	}
	validateAnchor(v, t, at)
	if t.Anchor == AnchorRenewal {
		return // once per renewal: the cadence is not read
	}
	switch {
	case !t.Cadence.Valid():
		v.add(at("cadence"), "%d is not a cadence: use CADENCE_WEEKLY, CADENCE_BIWEEKLY, CADENCE_MONTHLY, CADENCE_QUARTERLY, CADENCE_SEMIANNUAL, CADENCE_ANNUAL or CADENCE_ONE_TIME", int32(t.Cadence))
	case t.Cadence == CadenceUnspecified && t.PerYear == nil:
		v.add(at("cadence"), "give a cadence or per_year: how often the touchpoint happens")
	case t.Cadence != CadenceUnspecified && t.PerYear != nil:
		v.add(at("per_year"), "give either a cadence or per_year, not both (cadence is %s)", t.Cadence)
	case t.PerYear != nil && (!finite(*t.PerYear) || *t.PerYear <= 0):
		v.add(at("per_year"), "must be above 0 times a year, got %s", formatFloat(*t.PerYear))
	}
}

// perYear is how often a validated recurring touchpoint happens in a year:
// a RENEWAL one once per term, a year without the account's own term.
func perYear(t Touchpoint) float64 {
	if t.Anchor == AnchorRenewal {
		return 12.0 / DefaultContractTermMonths
	}
	if t.PerYear != nil {
		return *t.PerYear
	}
	return occurrencesPerYear[t.Cadence]
}

func hasOneTime(pb Playbook) bool {
	for _, t := range pb.Touchpoints {
		if t.oneTime() {
			return true
		}
	}
	return false
}

// sibling names a field beside the last element of prefix:
// sibling("segments[0].playbook", "customer_lifetime_months") is
// "segments[0].customer_lifetime_months".
func sibling(prefix, field string) string {
	if i := strings.LastIndex(prefix, "."); i >= 0 {
		return prefix[:i+1] + field
	}
	return field
}

// ComputeCapacity sizes each segment bottom-up: the customer hours a CSM has
// in a month (AvailableHours) over the hours an account needs under the
// segment's playbook (HoursPerAccount). Every bad field of the request is
// reported at once in a *ValidationError.
func ComputeCapacity(req CapacityRequest) (CapacityPlan, error) {
	var v violations
	available, as, err := AvailableHours(req.CSMTime, "csm_time")
	v.merge(err)
	if !validateSegmentList(&v, req.Segments) {
		return CapacityPlan{}, v.err()
	}

	plan := CapacityPlan{AvailableHoursPerCSMMonth: available, Segments: make([]SegmentCapacity, 0, len(req.Segments))}
	var totalHeadcount int64
	for i, s := range req.Segments {
		p, playbook := segmentPath(i)
		validateSegment(&v, s, p)
		hours, items, segAs, err := HoursPerAccount(s.Playbook, s.Accounts, s.NewAccountsPerMonth, s.CustomerLifetimeMonths, playbook)
		v.merge(err)
		as = append(as, segAs...)
		if !v.empty() {
			// Keep validating the other segments, but compute nothing more.
			continue
		}
		sc, ok := segmentCapacity(s, hours, items, available)
		if !ok || totalHeadcount+int64(sc.CSMHeadcount) > math.MaxInt32 {
			v.add(path(p, "accounts"), "%d accounts need more CSMs than a plan can count (%d): check the accounts and the playbook's hours", s.Accounts, math.MaxInt32)
			continue
		}
		totalHeadcount += int64(sc.CSMHeadcount)
		plan.Segments = append(plan.Segments, sc)
		plan.TotalCSMFTE += sc.CSMFTE
		plan.TotalARR += s.ARR
	}
	if !v.empty() {
		return CapacityPlan{}, v.err()
	}
	plan.TotalCSMHeadcount = int32(totalHeadcount)
	plan.ARRPerCSM = ratio(plan.TotalARR, plan.TotalCSMFTE)
	plan.Assumptions = as
	return plan, nil
}

// validateSegmentList checks the number of segments and that their names
// are present and unique (case-insensitively, ignoring surrounding spaces:
// two spellings of one name would be one segment to a person). It reports
// whether the segments are worth looking at one by one.
func validateSegmentList(v *violations, segments []Segment) bool {
	switch n := len(segments); {
	case n == 0:
		v.add("segments", "give at least one segment to size")
		return false
	case n > MaxSegments:
		v.add("segments", "has %d segments, more than the %d allowed", n, MaxSegments)
		return false
	}
	// A few ASCII names, the common case, are compared pair by pair, which
	// for ASCII means the same as comparing their lower-cased forms; other
	// lists are lower-cased into a map.
	var seen map[string]int
	firstSeen := func(i int, name string) (int, bool) {
		if seen != nil {
			j, ok := seen[strings.ToLower(name)]
			return j, ok
		}
		for j := range i {
			if other := strings.TrimSpace(segments[j].Name); other != "" && strings.EqualFold(other, name) {
				return j, true
			}
		}
		return 0, false
	}
	if len(segments) > pairwiseNames || !asciiNames(segments) {
		seen = make(map[string]int, len(segments))
	}
	for i, s := range segments {
		name := strings.TrimSpace(s.Name)
		if name == "" {
			v.add(path(index("segments", i), "name"), "name the segment (for example \"Enterprise\")")
			continue
		}
		if j, ok := firstSeen(i, name); ok {
			v.add(path(index("segments", i), "name"), "%q duplicates segments[%d].name: give each segment its own name", s.Name, j)
			continue
		}
		if len(s.Name) > MaxTextLength {
			v.checkLength(path(index("segments", i), "name"), s.Name)
		}
		if seen != nil {
			seen[strings.ToLower(name)] = i
		}
	}
	return true
}

// pairwiseNames is the most segment names compared pair by pair.
const pairwiseNames = 16

func asciiNames(segments []Segment) bool {
	for _, s := range segments {
		for i := range len(s.Name) {
			if s.Name[i] >= utf8.RuneSelf {
				return false
			}
		}
	}
	return true
}

// validateSegment checks a segment's own scalar fields; HoursPerAccount
// checks its playbook and smoothing fields.
func validateSegment(v *violations, s Segment, p string) {
	if s.Accounts < 0 {
		v.add(path(p, "accounts"), "must be 0 or more, got %d", s.Accounts)
	}
	if !amountOK(s.ARR) {
		checkAmount(v, path(p, "arr"), s.ARR)
	}
}

// segmentCapacity applies the section 1 results to one validated segment.
// It reports false when the headcount does not fit a count (int32).
func segmentCapacity(s Segment, hours float64, items []HoursItem, available float64) (SegmentCapacity, bool) {
	fte := float64(s.Accounts) * hours / available
	headcount := ceilTol(fte)
	if !finite(fte) || headcount > math.MaxInt32 {
		return SegmentCapacity{}, false
	}
	return SegmentCapacity{
		Name:                 s.Name,
		HoursPerAccountMonth: hours,
		Breakdown:            items,
		AccountsPerCSM:       floorTol(available / hours),
		CSMFTE:               fte,
		CSMHeadcount:         int32(headcount),
		ARRPerCSM:            ratio(s.ARR, fte),
	}, true
}

// formatHours writes hours for a message: 156.67.
func formatHours(h float64) string { return fmt.Sprintf("%.2f", h) }
