package planner

import (
	"github.com/csplan/csplan/accountcsv"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// BookSettings is the plan as BookService reads it: csm_time, each segment
// as a rule (its match, touch model, playbook, ratio and customer
// lifetime, in the plan's order), book.csms as the team and start_month.
// horizon_months is left at 0, the service's default; the caller sets it.
// book.customer_stages and book.exclude_stages leave prospects and trials
// out, as in the plan.
func (p *Plan) BookSettings() *csplanv1.BookSettings {
	out := &csplanv1.BookSettings{CsmTime: csmTime(p.CSMTime), Csms: BookCSMs(p.Book.CSMs), StartMonth: p.StartMonth,
		CustomerStages: p.Book.CustomerStages, ExcludeStages: p.Book.ExcludeStages}
	for i := range p.Segments {
		s := segment(&p.Segments[i])
		m := s.GetMatch()
		out.Segments = append(out.Segments, &csplanv1.SegmentRule{
			Name: s.GetName(), TouchModel: s.GetTouchModel(),
			MinArr: m.MinArr, MaxArr: m.MaxArr, Stages: m.GetStages(), MinHealth: m.MinHealth, MaxHealth: m.MaxHealth,
			Complexities: m.GetComplexities(), Attributes: m.GetAttributes(),
			AccountsPerCsm: s.AccountsPerCsm, Playbook: s.GetPlaybook(), CustomerLifetimeMonths: s.CustomerLifetimeMonths,
		})
	}
	return out
}

// CheckColumns refuses a segment whose match names an attribute the
// accounts CSV has no column for, at the plan's line: such a rule could
// match no account, and nothing would say why.
func (p *Plan) CheckColumns(rd *accountcsv.Reader) error { return p.checkAttributes(rd) }
