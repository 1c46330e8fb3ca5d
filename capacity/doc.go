// Package capacity is csplan's domain: the bottom-up workload model of a
// CSM's month, the three-factor evaluation of a team against benchmarks,
// the month-by-month forecast with hiring triggers, segmentation of a book
// with its revenue tiers, coverage and its cost against revenue, and the
// cost of a hire with the decision to make it.
//
// It is plain Go. It must not import gRPC, the generated contract or any
// other csplan package, so that it can be used and tested on its own. It owns
// input validation: every error names the offending field by its path in the
// contract's terms (segments[1].playbook.touchpoints[0].hours), and a request
// with several bad fields reports all of them at once.
package capacity
