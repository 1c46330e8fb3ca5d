package accountcsv_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/csplan/csplan/accountcsv"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

func readAll(t *testing.T, in string, opts accountcsv.Options) (*accountcsv.Reader, []*csplanv1.Account, error) {
	t.Helper()
	r, err := accountcsv.NewReaderWith(strings.NewReader(in), "export.csv", opts)
	if err != nil {
		return nil, nil, err
	}
	got, err := r.ReadAll()
	return r, got, err
}

// TestCRMHeaders: exports of each CRM are read without a mapping.
func TestCRMHeaders(t *testing.T) {
	for name, header := range map[string]string{
		"salesforce": "Account ID,Account Name,ARR__c,Lifecycle_Stage__c,Health_Score__c,Billing Country",
		"hubspot":    "Record ID,Company name,Annual recurring revenue,Lifecycle Stage,Health score,Country/Region",
		"gainsight":  "GSID,Company Name,ARR,Stage,Overall Score,Region",
		"churnzero":  "Account External ID,Account Name,ARR (USD),Customer Stage,Customer Health Score,Region",
	} {
		_, got, err := readAll(t, header+"\nA-1,Acme,\"$120,000\",Adoption,80,EMEA\n", accountcsv.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a := got[0]
		if a.GetId() != "A-1" || a.GetName() != "Acme" || a.GetArr() != 120_000 || a.GetStage() != "Adoption" || a.GetHealthScore() != 80 || len(a.GetAttributes()) != 1 {
			t.Errorf("%s: read %v", name, a)
		}
	}
}

func TestColumnMapping(t *testing.T) {
	in := "Kundennummer;Firma;Jahresumsatz (EUR);Phase;Vertriebsregion;ARR\n" +
		"K-1;Müller GmbH;\"3.400,00 €\";Adoption;DACH;99\n"
	opts := accountcsv.Options{DecimalSeparator: ',', Columns: map[string]string{
		"id": "Kundennummer", "name": "firma", "arr": "Jahresumsatz (EUR)", "stage": "Phase", "region": "Vertriebsregion"}}
	r, got, err := readAll(t, in, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.Delimiter() != ';' {
		t.Errorf("delimiter %q, want ';' from the header line", r.Delimiter())
	}
	a := got[0]
	// The mapped column holds arr; the header "ARR" the mapping passed over
	// is an attribute, under its own header.
	if a.GetId() != "K-1" || a.GetName() != "Müller GmbH" || a.GetArr() != 3400 || a.GetStage() != "Adoption" ||
		a.GetAttributes()["region"] != "DACH" || a.GetAttributes()["ARR"] != "99" {
		t.Errorf("read %v", a)
	}

	for _, tc := range []struct {
		name, header string
		columns      map[string]string
		says         string
	}{
		{"missing header", "id,arr", map[string]string{"arr": "ARR (USD)"}, `columns.arr names the header "ARR (USD)", which the file does not have; its headers are ["id" "arr"]`},
		{"two fields, one header", "id,arr,x", map[string]string{"arr": "x", "region": "x"}, `columns.arr and columns.region both name the header "x"`},
		{"two aliases", "ARR,Annual Recurring Revenue", nil, `the headers "ARR" (column 1) and "Annual Recurring Revenue" (column 2) both read as arr`},
		{"no arr", "id,Umsatz", nil, `no arr column among ["id" "Umsatz"]: name it with columns.arr`},
		{"same header twice", "id,arr,Region,region", nil, `appears twice (columns 3 and 4)`},
	} {
		_, _, err := readAll(t, tc.header+"\n", accountcsv.Options{Columns: tc.columns})
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.says)
		}
	}
}

func TestDelimiters(t *testing.T) {
	for in, want := range map[string]rune{
		"id,arr\nA,1\n": ',', "id;arr\nA;1\n": ';', "id\tarr\nA\t1\n": '\t', `"a;b",arr` + "\nA,1\n": ',', "arr\n1\n": ',',
	} {
		r, got, err := readAll(t, in, accountcsv.Options{})
		if err != nil || r.Delimiter() != want || len(got) != 1 || got[0].GetArr() != 1 {
			t.Errorf("%q: delimiter %q, %v, %v; want %q", in, r.Delimiter(), got, err, want)
		}
	}
	if _, _, err := readAll(t, "id,arr\n", accountcsv.Options{Delimiter: '|'}); err == nil || !strings.Contains(err.Error(), "use ',', ';' or a tab") {
		t.Errorf("delimiter '|': %v", err)
	}
}

func TestDuplicates(t *testing.T) {
	in := "id,arr\nA,1\nB,2\nA,3\n"
	_, _, err := readAll(t, in, accountcsv.Options{})
	var e *accountcsv.Error
	if !errors.As(err, &e) || e.Line != 4 || !strings.Contains(e.Reason, `id "A" is also on line 2`) {
		t.Fatalf("a duplicate id: %v", err)
	}
	r, got, err := readAll(t, in, accountcsv.Options{Duplicates: accountcsv.DuplicatesFirst})
	if err != nil || len(got) != 2 || got[0].GetArr() != 1 || len(r.Skipped()) != 1 || r.Skipped()[0].Line != 4 || !r.Skipped()[0].Duplicate {
		t.Errorf("first: %v %v %v", got, r.Skipped(), err)
	}
	r, got, err = readAll(t, in, accountcsv.Options{Duplicates: accountcsv.DuplicatesLast})
	if err != nil || len(got) != 2 || got[0].GetId() != "B" || got[1].GetArr() != 3 || len(r.Skipped()) != 1 || r.Skipped()[0].Line != 2 || r.Rows() != 2 {
		t.Errorf("last: %v %v %v", got, r.Skipped(), err)
	}
}

func TestBadRows(t *testing.T) {
	in := "id,arr,health\nA,1,50\nB,-4,50\nC,2,x\nD,3\nE,4,60\n"
	if _, _, err := readAll(t, in, accountcsv.Options{}); err == nil || !strings.Contains(err.Error(), "export.csv:3: column \"arr\"") {
		t.Errorf("a bad row without max_bad_rows: %v", err)
	}
	r, got, err := readAll(t, in, accountcsv.Options{MaxBadRows: 3})
	if err != nil || len(got) != 2 || got[1].GetId() != "E" {
		t.Fatalf("three bad rows allowed: %v %v", got, err)
	}
	var lines []int
	for _, s := range r.Skipped() {
		lines = append(lines, s.Line)
	}
	if len(lines) != 3 || lines[0] != 3 || lines[1] != 4 || lines[2] != 5 {
		t.Errorf("skipped lines %v, want [3 4 5]", lines)
	}
	_, _, err = readAll(t, in, accountcsv.Options{MaxBadRows: 2})
	if err == nil || !strings.Contains(err.Error(), "export.csv:5:") || !strings.Contains(err.Error(), "one bad row more than the 2 max_bad_rows allows") {
		t.Errorf("past max_bad_rows: %v", err)
	}
}

// TestCalendarColumns: owners, dates, terms and hours are read from the
// usual headers, and a date or term that is not one names its cell.
func TestCalendarColumns(t *testing.T) {
	in := "Account ID,ARR,Account Owner,Contract Start Date,Renewal Date,Contract Term,Monthly Hours\n" +
		"A-1,100,Dana Reyes,2025-03-15,2026-03,24,6.5\n" +
		"A-2,200,,,,,\n"
	_, got, err := readAll(t, in, accountcsv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := got[0], got[1]
	if a.GetOwner() != "Dana Reyes" || a.GetStartDate() != "2025-03-15" || a.GetRenewalDate() != "2026-03" || a.GetContractTermMonths() != 24 || a.GetMonthlyHours() != 6.5 || len(a.GetAttributes()) != 0 {
		t.Errorf("read %v", a)
	}
	if b.GetOwner() != "" || b.ContractTermMonths != nil || b.MonthlyHours != nil || b.GetStartDate() != "" {
		t.Errorf("empty cells read as %v", b)
	}
	for cell, says := range map[string]string{
		"A-3,1,x,03/15/2025,,,": `column "Contract Start Date": "03/15/2025" is not a date: write it as YYYY-MM-DD`,
		"A-3,1,x,2025-02-30,,,": `"2025-02-30" is not a date: 2025-02 has 28 days`,
		"A-3,1,x,,,0,":          `column "Contract Term": "0" is not a term`,
		"A-3,1,x,,,,-2":         `column "Monthly Hours": "-2" is not hours a month`,
	} {
		_, _, err := readAll(t, "Account ID,ARR,Account Owner,Contract Start Date,Renewal Date,Contract Term,Monthly Hours\n"+cell+"\n", accountcsv.Options{})
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want %q", cell, err, says)
		}
	}
}
