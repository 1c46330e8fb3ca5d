package capacity

import "strings"

// ExcludedSegment names the accounts a book's customer stages leave out,
// and Segmenter.Add returns ExcludedIndex for them.
const (
	ExcludedSegment = "excluded"
	ExcludedIndex   = -2
)

// Customers says which accounts of a book are customers, by stage: a CRM
// export holds prospects and trials beside them, and counting those would
// staff accounts that pay nothing. Stages compare as segment rules compare
// them, case and outer spaces aside.
type Customers struct {
	// Stages are the customer stages; empty means every stage is one.
	Stages []string
	// Exclude are the stages that are not customers, the other way to
	// say it.
	Exclude []string
}

// validate names a bad list under prefix ("", "rules.", "plan.book.").
func (c Customers) validate(v *violations, stagesField, excludeField string) {
	if len(c.Stages) > 0 && len(c.Exclude) > 0 {
		v.add(excludeField, "give %s or %s, not both: one says which stages are customers, the other which are not", stagesField, excludeField)
	}
	for field, list := range map[string][]string{stagesField: c.Stages, excludeField: c.Exclude} {
		for i, s := range list {
			if strings.TrimSpace(s) == "" {
				v.add(index(field, i), "is empty: give a stage name as the CRM writes it (for example Customer or Churned)")
			}
		}
	}
}

// customer reports whether an account of stage is a customer.
func (c Customers) customer(stage string) bool {
	switch {
	case len(c.Stages) > 0:
		return containsFold(c.Stages, stage)
	case len(c.Exclude) > 0:
		return !containsFold(c.Exclude, stage)
	}
	return true
}

func containsFold(list []string, s string) bool {
	s = strings.TrimSpace(s)
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}
