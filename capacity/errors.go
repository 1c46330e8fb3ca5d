package capacity

import (
	"fmt"
	"strconv"
	"strings"
)

// FieldError says that one request field is invalid, and why.
type FieldError struct {
	// Field is the field's path in the contract's snake_case terms, for
	// example "segments[1].playbook.touchpoints[0].hours".
	Field string
	// Reason is a sentence a person can act on.
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// ValidationError lists every invalid field of one request.
type ValidationError struct {
	Violations []*FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.Error()
	}
	return "invalid request: " + strings.Join(parts, "; ")
}

// violations collects field errors while a request is validated, so that a
// caller learns about every bad field in one round trip.
type violations struct {
	list []*FieldError
}

func (v *violations) add(field, format string, args ...any) {
	v.list = append(v.list, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
}

// merge appends the violations of err when it is a *ValidationError and
// reports whether it was one (or nil).
func (v *violations) merge(err error) {
	if err == nil {
		return
	}
	if ve, ok := err.(*ValidationError); ok {
		v.list = append(v.list, ve.Violations...)
		return
	}
	v.list = append(v.list, &FieldError{Field: "", Reason: err.Error()})
}

func (v *violations) err() error {
	if len(v.list) == 0 {
		return nil
	}
	return &ValidationError{Violations: v.list}
}

func (v *violations) empty() bool { return len(v.list) == 0 }

// path joins a prefix and a field name with a dot, leaving out an empty prefix.
func path(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// index formats an element of a repeated field: index("segments", 1) is
// "segments[1]".
func index(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

// segmentPaths are "segments[i]" and "segments[i].playbook" for the first
// segments, formatted once: they name a plan's assumptions, and formatting
// them on every call would cost two allocations a segment.
var segmentPaths = func() (t [32][2]string) {
	for i := range t {
		t[i][0] = index("segments", i)
		t[i][1] = path(t[i][0], "playbook")
	}
	return t
}()

// segmentPath returns "segments[i]" and "segments[i].playbook".
func segmentPath(i int) (segment, playbook string) {
	if i < len(segmentPaths) {
		return segmentPaths[i][0], segmentPaths[i][1]
	}
	segment = index("segments", i)
	return segment, path(segment, "playbook")
}

// MaxTextLength bounds every name, id, stage and attribute key or value in
// a request, in bytes: enough for any real name, and small enough that text
// pasted into the wrong field is caught.
const MaxTextLength = 256

// checkLength reports field when s is longer than MaxTextLength.
func (v *violations) checkLength(field, s string) {
	if len(s) > MaxTextLength {
		v.add(field, "is %d bytes long, more than the %d allowed", len(s), MaxTextLength)
	}
}

// checkLengthAt is checkLength for prefix.field, joined only when s is too
// long: valid requests are the common case and should not pay for paths.
func (v *violations) checkLengthAt(prefix, field, s string) {
	if len(s) > MaxTextLength {
		v.checkLength(path(prefix, field), s)
	}
}
