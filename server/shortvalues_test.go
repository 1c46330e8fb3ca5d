package server

import (
	"strings"
	"testing"
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
	} {
		if got := shortValues(tc.in); got != tc.want {
			t.Errorf("shortValues(%.80q) = %.100q, want %.100q", tc.in, got, tc.want)
		}
	}
}
