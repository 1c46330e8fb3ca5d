package rebalance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/csplan/csplan/capacity"
)

// BookMove is one account changing CSM.
type BookMove struct {
	AccountID, From, To string
	Hours, ARR          float64
	Reason              string
}

// BookCSM is one CSM before and after.
type BookCSM struct {
	ID                                  string
	Capacity                            float64
	HoursBefore, HoursAfter             float64
	UtilizationBefore, UtilizationAfter float64
	AccountsBefore, AccountsAfter       int
	Departing, Unbanded                 bool
}

// Drill is a departure's months over the band until a backfill is ramped.
type Drill struct {
	MonthsOver      []capacity.Month
	PeakUtilization float64
	BackfillRamped  capacity.Month
}

// BookResult is the rebalanced book.
type BookResult struct {
	Moves                  []BookMove
	CSMs                   []BookCSM
	Disruption, LowerBound float64
	Optimal, Feasible      bool
	Reason                 string
	// FTEShort is the hours short over one CSM's available hours at the
	// band's maximum.
	FTEShort  float64
	Frontier  []FrontierPoint
	Departure *Drill
	Unowned   int
	// Unbanded counts the CSMs left as they are: their accounts take no
	// hours in the book (BookCSM.Unbanded names them).
	Unbanded    int
	Assumptions []capacity.Assumption
}

// Result rebalances the book read. Ids in departing_csm_ids and
// locked_account_ids that name no CSM or account are errors, by name.
func (b *Builder) Result() (BookResult, error) {
	an := b.an.Result()
	at := indexOf(an.CSMs)
	var errs []*capacity.FieldError
	for i, id := range b.s.Departing {
		if _, ok := at[strings.TrimSpace(id)]; !ok {
			errs = append(errs, &capacity.FieldError{Field: fmt.Sprintf("departing_csm_ids[%d]", i),
				Reason: fmt.Sprintf("%q is no CSM of the settings and owns no account of the book: give an id as the owner column writes it", id)})
		}
	}
	known := make(map[string]bool, len(b.accounts))
	for _, a := range b.accounts {
		known[a.id] = true
	}
	for i, id := range b.s.Locked {
		if !known[strings.TrimSpace(id)] {
			errs = append(errs, &capacity.FieldError{Field: fmt.Sprintf("locked_account_ids[%d]", i),
				Reason: fmt.Sprintf("%q is no owned account of the book: give an account id as the export writes it", id)})
		}
	}
	if len(errs) > 0 {
		return BookResult{}, &capacity.ValidationError{Violations: errs}
	}

	segs := b.csmSegments(an.CSMs, at)
	p := Problem{MinUtilization: b.lo, MaxUtilization: b.hi, Weight: b.s.Weight}
	if b.s.MaxMoves != nil {
		p.MaxMoves = int(*b.s.MaxMoves)
	}
	unbanded := 0
	for i, c := range an.CSMs {
		attrs := b.csmAttrs(c.CSM)
		csm := CSM{ID: c.CSM.ID, Capacity: c.CapacityHours, Departing: b.depart[c.CSM.ID], Group: b.groupOf(segs[i], attrs),
			GroupName: groupName(b.keep, segs[i], b.s.MatchAttributes, attrs)}
		// A CSM whose accounts the book gives no hours (a segment sized by
		// a ratio, not a playbook) is left as is: its load says nothing.
		if !csm.Departing && c.Accounts > 0 && !slices.ContainsFunc(c.Hours, func(h float64) bool { return h > 0 }) {
			csm.Unbanded = true
			unbanded++
		}
		p.CSMs = append(p.CSMs, csm)
	}
	for _, a := range b.accounts {
		p.Accounts = append(p.Accounts, Account{ID: a.id, Owner: at[a.owner], Hours: a.hours, ARR: a.arr, Fixed: a.fixed, Monthly: a.monthly,
			Group: b.groupOf(segmentName(b.s.Book.Segments, a.segment), a.attrs)})
	}
	sol, err := Solve(p)
	if err != nil {
		return BookResult{}, err
	}
	out := BookResult{Unowned: b.unowned, Assumptions: append(b.assumed, an.Assumptions...), Unbanded: unbanded}
	if n := b.s.FrontierPoints; n > 0 {
		pts, sols, err := Frontier(p, int(n))
		if err != nil {
			return BookResult{}, err
		}
		out.Frontier, sol = pts, sols[0] // one answer for the given band
	}
	out.Disruption, out.LowerBound, out.Optimal, out.Feasible = sol.Disruption, sol.LowerBound, sol.Optimal, sol.Feasible
	out.Reason = sol.Reason
	if sol.ShortHours > 0 && an.AvailableHoursPerCSMMonth > 0 {
		out.FTEShort = sol.ShortHours / (an.AvailableHoursPerCSMMonth * b.hi)
	}
	out.CSMs = b.csmsBeforeAfter(p, sol)
	for _, m := range sol.Moves {
		a := &p.Accounts[m.Account]
		out.Moves = append(out.Moves, BookMove{AccountID: a.ID, From: p.CSMs[m.From].ID, To: p.CSMs[m.To].ID, Hours: a.Hours, ARR: a.ARR,
			Reason: moveReason(p, out.CSMs, m)})
	}
	if b.drill {
		tth := int(cmp32(b.s.TimeToHireMonths, capacity.DefaultTimeToHireMonths))
		ramp := int(cmp32(b.s.RampMonths, capacity.DefaultRampMonths))
		d := Departure(p, sol, tth+ramp)
		drill := &Drill{PeakUtilization: d.PeakUtilization, BackfillRamped: b.an.Start().Add(tth + ramp)}
		for _, t := range d.MonthsOver {
			drill.MonthsOver = append(drill.MonthsOver, b.an.Start().Add(t))
		}
		out.Departure = drill
	}
	return out, nil
}

func cmp32(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

func (b *Builder) csmsBeforeAfter(p Problem, sol Solution) []BookCSM {
	out := make([]BookCSM, len(p.CSMs))
	for i, c := range p.CSMs {
		out[i] = BookCSM{ID: c.ID, Capacity: c.Capacity, Departing: c.Departing, Unbanded: c.Unbanded}
	}
	for a, acc := range p.Accounts {
		out[acc.Owner].HoursBefore += acc.Hours
		out[acc.Owner].AccountsBefore++
		out[sol.Owner[a]].HoursAfter += acc.Hours
		out[sol.Owner[a]].AccountsAfter++
	}
	for i := range out {
		if c := out[i].Capacity; c > 0 {
			out[i].UtilizationBefore, out[i].UtilizationAfter = out[i].HoursBefore/c, out[i].HoursAfter/c
		}
	}
	return out
}

// moveReason says why the move: its CSM departs, is above the band, or
// its new CSM was below it.
func moveReason(p Problem, csms []BookCSM, m Move) string {
	from, to := csms[m.From], csms[m.To]
	switch {
	case from.Departing:
		return fmt.Sprintf("%s departs", from.ID)
	case from.UtilizationBefore > p.MaxUtilization+tolerance:
		return fmt.Sprintf("%s is above the band (%.0f%% of capacity)", from.ID, 100*from.UtilizationBefore)
	case to.UtilizationBefore < p.MinUtilization-tolerance:
		return fmt.Sprintf("%s is below the band (%.0f%% of capacity)", to.ID, 100*to.UtilizationBefore)
	}
	return "rebalancing"
}

// groupName is a group as a reader names it: "Mid-Market, region emea".
func groupName(keep bool, segment string, keys, values []string) string {
	var parts []string
	if keep && segment != "" {
		parts = append(parts, segment)
	}
	for i, k := range keys {
		if i < len(values) && values[i] != "" {
			parts = append(parts, strings.TrimSpace(k)+" "+values[i])
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ")
}
