// Package overload says in which months a CSM of a book analysis is over
// capacity, by the rule the analysis counts months_over_capacity with
// (capacity.OverCapacity: hours above capacity), so that a report's
// sentences, utilization strips and heat map name exactly the months the
// service counted. It selects months; it computes no figure.
//
// overload imports the generated contract and capacity, for the rule
// alone.
package overload

import (
	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// Over reports whether c's hours in month i are above its capacity; a
// month the answer has no hours for is not.
func Over(c *csplanv1.BookCsmLoad, i int) bool {
	hs := c.GetHours()
	return i >= 0 && i < len(hs) && capacity.OverCapacity(hs[i], c.GetCapacityHours())
}

// Months returns the indexes of the months in which c is over capacity,
// in order.
func Months(c *csplanv1.BookCsmLoad) []int {
	var out []int
	for i := range c.GetHours() {
		if Over(c, i) {
			out = append(out, i)
		}
	}
	return out
}

// Name is how a report names a CSM: "Ana (ana)", or the id alone when the
// CSM has no other name.
func Name(c *csplanv1.BookCsmLoad) string {
	if n := c.GetName(); n != "" && n != c.GetId() {
		return n + " (" + c.GetId() + ")"
	}
	return c.GetId()
}

// Above reports whether hours are above a capacity, by the same rule: a
// rebalanced CSM's load coloured as the heat map colours a month.
func Above(hours, capacityHours float64) bool { return capacity.OverCapacity(hours, capacityHours) }
