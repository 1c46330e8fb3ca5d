package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneExitCodePerKindOfMistake: a mistake in a plan exits 67 with its
// file and line whether the CLI finds it (a key, a reading option) or the
// service does (a value's range); usage is 2 and a missing file 1.
func TestOneExitCodePerKindOfMistake(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("book.csv", "id,arr\nA,100\n")
	base := "company: X\nsegments:\n  - { name: All, accounts: 10, arr: 100000, team: { csms: 1 } }\nhiring: { base_salary: 100000 }\n"
	for _, tc := range []struct {
		name, plan, want string
		code             int
	}{
		{"unknown key, by the CLI", base + "growht: {}\n", `line 5: unknown key "growht"`, 67},
		{"reading option, by the CLI", "book: { accounts_csv: book.csv, decimal_separator: \";\" }\nsegments: [{ name: All }]\nhiring: { base_salary: 1 }\n",
			`:1: book.decimal_separator: ";" is not a decimal separator`, 67},
		{"a rate, by the service", base + "growth: { monthly_logo_churn_rate: 2 }\n", ":5: growth.monthly_logo_churn_rate: rates are fractions", 67},
	} {
		_, stderr, code := runCLI(t, "", "plan", "-f", write(strings.ReplaceAll(tc.name, " ", "_")+".yaml", tc.plan))
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, %q; want %d and %q", tc.name, code, stderr, tc.code, tc.want)
		}
	}
	if _, _, code := runCLI(t, "", "plan", "-f", filepath.Join(dir, "nope.yaml")); code != 1 {
		t.Errorf("a missing plan file exited %d, want 1", code)
	}
	if _, _, code := runCLI(t, "", "plan", "--frob"); code != 2 {
		t.Errorf("an unknown flag exited %d, want 2", code)
	}
}
