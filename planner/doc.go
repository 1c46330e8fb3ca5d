// Package planner is the plan file: YAML that describes a company once
// (plan.go), read into the contract's Plan (proto.go) and run through
// PlanningService with the accounts CSV streamed to it (run.go), or set
// against another plan through ComparePlans (compare.go). Every figure is
// the service's; a field it refuses comes back at its line of the file.
//
// planner imports client, accountcsv (the CRM CSV reader) and the
// generated contract, never server: the same plan runs against a remote
// server or against services started in-process. Rendering lives in the
// report packages beside it.
package planner
