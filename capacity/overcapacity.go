package capacity

// OverCapacity reports whether a month's hours are above a capacity, the
// test behind BookCSMResult.MonthsOverCapacity: beyond the tolerance that
// absorbs floating-point noise, so that a month exactly at its capacity is
// not over it, and any hours at all are over a capacity of 0. Reports use
// it to name the months they count.
func OverCapacity(hours, capacity float64) bool { return above(hours, capacity) }
