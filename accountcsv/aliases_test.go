package accountcsv

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestREADMEListsTheAliases: the README's table of headers is the one the
// reader uses, field by field.
func TestREADMEListsTheAliases(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "| field | headers read as it")
	if !ok {
		t.Fatal("the README has no table of headers")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	documented := map[string][]string{}
	for _, line := range strings.Split(table, "\n")[2:] {
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		field := strings.Trim(strings.Fields(cells[1])[0], "`")
		for _, h := range strings.Split(cells[2], ",") {
			documented[field] = append(documented[field], normalizeHeader(h))
		}
	}
	for _, field := range Fields {
		var want []string
		for _, h := range Aliases[field] {
			want = append(want, normalizeHeader(h))
		}
		got := documented[field]
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the README lists %q, the reader reads %q", field, got, want)
		}
	}
}
