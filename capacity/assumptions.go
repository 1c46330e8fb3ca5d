package capacity

import "strconv"

// Assumption records one input a result was computed from: a value the
// request gave, or the default that stood in for a missing one.
type Assumption struct {
	// Name is the request field path the value stands for.
	Name string
	// Value is written as JSON carries it: 0.25, TOUCH_MODEL_HIGH, 2027-01.
	Value string
	// Source is "request", or the default's source ("seed 004",
	// "assumption").
	Source string
}

// SourceRequest marks an assumption whose value the caller gave.
const SourceRequest = "request"

// assumptions collects the inputs of a computation in request order.
type assumptions []Assumption

// float records a double field: the given value when set, else the default.
func (a *assumptions) float(name string, given *float64, def float64, source string) float64 {
	if given != nil {
		*a = append(*a, Assumption{Name: name, Value: formatFloat(*given), Source: SourceRequest})
		return *given
	}
	*a = append(*a, Assumption{Name: name, Value: formatFloat(def), Source: source})
	return def
}

// int records an integer field: the given value when set, else the default.
func (a *assumptions) int(name string, given *int32, def int32, source string) int32 {
	if given != nil {
		*a = append(*a, Assumption{Name: name, Value: strconv.Itoa(int(*given)), Source: SourceRequest})
		return *given
	}
	*a = append(*a, Assumption{Name: name, Value: strconv.Itoa(int(def)), Source: source})
	return def
}

// add records a value of any other kind (enums, months) already resolved.
func (a *assumptions) add(name, value, source string) {
	*a = append(*a, Assumption{Name: name, Value: value, Source: source})
}
