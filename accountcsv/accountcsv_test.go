package accountcsv_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/csplan/csplan/accountcsv"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

func f64(x float64) *float64 { return &x }

func TestReadCRMExport(t *testing.T) {
	in := "\ufeffAccount ID,Account Name,ARR,Lifecycle Stage,Health Score,Complexity,Region,Plan\n" +
		`A-1,"Acme, Inc.","$1,200,000",Adoption,82,complex,EMEA,Enterprise` + "\n" +
		"A-2,Globex,85k,Onboarding,,simple,,Growth\n" +
		"\n" +
		`A-3,Initech,"€ 1.5M",renewal,61.5,,NA,"Plan ""Pro"""` + "\n"
	r, err := accountcsv.NewReader(strings.NewReader(in), "crm.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []*csplanv1.Account{
		{Id: "A-1", Name: "Acme, Inc.", Arr: 1_200_000, Stage: "Adoption", HealthScore: f64(82),
			Complexity: csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_COMPLEX, Attributes: map[string]string{"Region": "EMEA", "Plan": "Enterprise"}},
		{Id: "A-2", Name: "Globex", Arr: 85_000, Stage: "Onboarding",
			Complexity: csplanv1.ProductComplexity_PRODUCT_COMPLEXITY_SIMPLE, Attributes: map[string]string{"Plan": "Growth"}},
		{Id: "A-3", Name: "Initech", Arr: 1_500_000, Stage: "renewal", HealthScore: f64(61.5),
			Attributes: map[string]string{"Region": "NA", "Plan": `Plan "Pro"`}},
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("ReadAll (-want +got):\n%s", diff)
	}
	if r.Rows() != 3 {
		t.Errorf("Rows() = %d, want 3 (blank lines skipped)", r.Rows())
	}
}

func TestBatches(t *testing.T) {
	var b strings.Builder
	b.WriteString("arr\n")
	for i := 0; i < 25; i++ {
		b.WriteString("100\n")
	}
	r, err := accountcsv.NewReader(strings.NewReader(b.String()), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for {
		batch, err := r.Next(10)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(batch))
	}
	if diff := cmp.Diff([]int{10, 10, 5}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
}

func TestAccountWithoutIDIsNamedByLine(t *testing.T) {
	r, err := accountcsv.NewReader(strings.NewReader("arr,stage\n10,a\n20,b\n"), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got[1].GetId() != "line 3" {
		t.Errorf("second account's id = %q, want %q", got[1].GetId(), "line 3")
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, in   string
		wantLine   int
		wantColumn string
	}{
		{"empty file", "", 1, ""},
		{"no arr column", "id,name\n1,a\n", 1, ""},
		{"duplicate column", "id,arr,ARR\n", 1, "ARR"},
		{"blank header", "id,,arr\n", 1, ""},
		{"non-numeric ARR", "id,arr\nA,100\nB,lots\n", 3, "arr"},
		{"negative ARR", "id,arr\nA,-100\n", 2, "arr"},
		{"bad health", "id,arr,health\nA,100,good\n", 2, "health"},
		{"bad complexity", "id,arr,complexity\nA,100,extreme\n", 2, "complexity"},
		{"missing id", "id,arr\n,100\n", 2, "id"},
		{"short row", "id,arr,stage\nA,100\n", 2, ""},
		{"stray quote", "id,arr\nA,\"100\n", 2, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := accountcsv.NewReader(strings.NewReader(tc.in), "book.csv")
			if err == nil {
				_, err = r.ReadAll()
			}
			var ce *accountcsv.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error = %v, want an *accountcsv.Error", err)
			}
			if ce.Line != tc.wantLine || ce.Column != tc.wantColumn || ce.File != "book.csv" {
				t.Errorf("error at %s:%d column %q, want book.csv:%d column %q (%v)", ce.File, ce.Line, ce.Column, tc.wantLine, tc.wantColumn, err)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in      string
		decimal rune
		want    float64
	}{
		{"", '.', 0}, {"0", '.', 0}, {"1200000", '.', 1_200_000}, {"$1,200,000", '.', 1_200_000}, {"$1,200,000.50", '.', 1_200_000.5},
		{"€ 85k", '.', 85_000}, {"1.2M", '.', 1_200_000}, {"2.5mm", '.', 2_500_000}, {"USD 300", '.', 300}, {"£1 000", '.', 1000},
		{"12'500", '.', 12_500}, {"300 EUR", '.', 300}, {"US$ 1,000", '.', 1000}, {".5", '.', 0.5}, {"(0)", '.', 0}, {"1.5bn", '.', 1.5e9},
		{"3.400,00", ',', 3400}, {"€ 3.400,00", ',', 3400}, {"3.400,00 €", ',', 3400}, {"1 200,50", ',', 1200.5}, {"1,2M", ',', 1_200_000},
		{"85", ',', 85}, {"1.234.567", ',', 1_234_567}, {"CHF 12'500,50", ',', 12_500.5},
	} {
		got, err := accountcsv.ParseAmount(tc.in, tc.decimal)
		if err != nil || got != tc.want {
			t.Errorf("ParseAmount(%q, %q) = %v, %v; want %v", tc.in, tc.decimal, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in      string
		decimal rune
		says    string
	}{
		{"abc", '.', "not a digit"}, {"NaN", '.', "not a digit"}, {"Inf", '.', "not a digit"}, {"-5", '.', "negative"}, {"(1,200)", '.', "negative"},
		{"1e400", '.', "not a digit"}, {"0x10", '.', "not a digit"}, {"$", '.', "no digits"}, {"1.2.3", '.', "more than once"},
		// The silent misreading this refuses: "€ 3.400,00" is not 3.4.
		{"€ 3.400,00", '.', "reads as 3400.00 with ',' as the decimal separator"},
		{"1,5", '.', "if ',' is the decimal separator here"}, {"1,2345", '.', "three digits"}, {"12,34,567", '.', "three digits"},
		{"1.5", ',', "if '.' is the decimal separator here"}, {"1,200.50", ',', "reads as 1200.50 with '.' as the decimal separator"},
		{"1,,000", '.', "without digits"}, {",100", '.', "without digits"},
	} {
		got, err := accountcsv.ParseAmount(tc.in, tc.decimal)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("ParseAmount(%q, %q) = %v, %v; want an error saying %q", tc.in, tc.decimal, got, err, tc.says)
		}
	}
}
