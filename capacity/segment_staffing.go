package capacity

// staffingInput is what sizes a segment: a coverage ratio, a playbook, or
// neither (the touch model's ideal max).
type staffingInput struct {
	touchModel TouchModel
	ratio      *float64
	playbook   *Playbook
	lifetime   *float64
	available  float64
	// reportsModel says the touch model is part of the answer, so that its
	// default is echoed even where a ratio or playbook sizes the segment.
	reportsModel bool
}

// staffing is a segment's resolved coverage model.
type staffing struct {
	touchModel TouchModel
	playbook   bool
	hours      float64
	available  float64
	// ratio is the unrounded accounts per CSM: given, available / hours,
	// or the ideal max.
	ratio float64
}

// fte returns the CSMs a segment of n accounts needs, as a fraction.
func (s staffing) fte(n float64) float64 {
	if s.playbook {
		return n * s.hours / s.available
	}
	return n / s.ratio
}

// resolveStaffing validates a segment's ratio or playbook at path p and
// records the defaults it took. availableOK says whether available hours
// could be computed; a playbook needs them.
func resolveStaffing(v *violations, as *assumptions, in staffingInput, p string, availableOK bool) (staffing, bool) {
	model := in.touchModel
	if !model.Valid() {
		v.add(path(p, "touch_model"), "%d is not a touch model: use TOUCH_MODEL_HIGH, TOUCH_MODEL_LOW or TOUCH_MODEL_TECH", int32(model))
	}
	defaulted := model == TouchModelUnspecified
	if defaulted {
		model = TouchModelHigh
	}
	if defaulted && in.reportsModel {
		as.add(path(p, "touch_model"), model.String(), sourceDefaultTouchModel)
	}
	out := staffing{touchModel: model}
	switch {
	case in.ratio != nil && in.playbook != nil:
		v.add(path(p, "accounts_per_csm"), "give either accounts_per_csm or a playbook, not both: the playbook derives the ratio")
		return out, false
	case in.ratio != nil:
		if r := *in.ratio; !finite(r) || r < MinAccountsPerCSM {
			v.add(path(p, "accounts_per_csm"), "must be at least %s accounts per CSM (seed 003's example is 5), got %s", formatFloat(MinAccountsPerCSM), formatFloat(r))
			return out, false
		}
		out.ratio = as.float(path(p, "accounts_per_csm"), in.ratio, 0, SourceRequest)
	case in.playbook != nil:
		hours, _, pbAs, err := HoursPerAccount(*in.playbook, 0, nil, in.lifetime, path(p, "playbook"))
		if err != nil {
			v.merge(err)
			return out, false
		}
		if !availableOK {
			return out, false
		}
		if ratio := in.available / hours; ratio < MinAccountsPerCSM {
			v.add(path(p, "playbook"), "takes %s hours per account a month, so one account needs more than %s CSMs: check the hours and frequencies", formatHours(hours), formatFloat(1/MinAccountsPerCSM))
			return out, false
		}
		*as = append(*as, pbAs...)
		out.playbook, out.hours, out.available, out.ratio = true, hours, in.available, in.available/hours
	default:
		if !model.Valid() {
			return out, false
		}
		if defaulted && !in.reportsModel {
			as.add(path(p, "touch_model"), model.String(), sourceDefaultTouchModel)
		}
		bench := DefaultBenchmarks()
		out.ratio = bench.TouchModel(model).IdealAccountsMax
		as.add(path(p, "accounts_per_csm"), formatFloat(out.ratio), sourceIdealMax(model))
	}
	return out, model.Valid()
}
