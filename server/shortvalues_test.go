package server

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestShortValues(t *testing.T) {
	long := strings.Repeat("9", 65)
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"short message", "short message"},
		{strings.Repeat("a", 64), strings.Repeat("a", 64)},
		{"bad " + long + " here", "bad " + long[:64] + "… here"},
		{strings.Repeat("é", 70), strings.Repeat("é", 64) + "…"},
		{"x\xffy", "x\uFFFDy"},
		{"two " + long + " and " + long, "two " + long[:64] + "… and " + long[:64] + "…"},
		{strings.Repeat("ab ", 400), strings.Repeat("ab ", 341) + "a…"},
	} {
		if got := shortValues(tc.in); got != tc.want {
			t.Errorf("shortValues(%.80q) = %.100q, want %.100q", tc.in, got, tc.want)
		}
	}
}

// TestShortValuesBounded: whatever the message, what is kept is valid
// UTF-8 and at most maxMessageBytes and an ellipsis.
func TestShortValuesBounded(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("AAAA ", 20_000), strings.Repeat("é ", 5_000), strings.Repeat("\xff", 9_000), strings.Repeat("x", 1<<20),
	} {
		got := shortValues(in)
		if len(got) > maxMessageBytes+len("…") || !utf8.ValidString(got) {
			t.Errorf("shortValues of %d bytes (%.20q) = %d bytes, valid UTF-8 %v", len(in), in, len(got), utf8.ValidString(got))
		}
	}
}
