package accountcsv_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/csplan/csplan/accountcsv"
)

// FuzzReader feeds arbitrary files to the reader: it must never panic, and
// whatever it accepts must be an account a segmenter can use.
func FuzzReader(f *testing.F) {
	f.Add("id,name,arr,stage,health,complexity,region\nA-1,\"Acme, Inc.\",\"$1,200,000\",Adoption,82,complex,EMEA\n")
	f.Add("arr\n85k\n1.2M\n\n")
	f.Add("\ufeffAccount ID,ARR\n,100\n")
	f.Add("id,arr\nA,\"100\n")
	f.Add("id,arr,ARR\n")
	f.Fuzz(func(t *testing.T, data string) {
		r, err := accountcsv.NewReader(strings.NewReader(data), "fuzz.csv")
		if err != nil {
			checkError(t, err)
			return
		}
		accounts, err := r.ReadAll()
		if err != nil {
			checkError(t, err)
			return
		}
		for _, a := range accounts {
			if a.GetId() == "" || math.IsNaN(a.GetArr()) || math.IsInf(a.GetArr(), 0) || a.GetArr() < 0 {
				t.Fatalf("accepted an unusable account %v", a)
			}
		}
	})
}

func checkError(t *testing.T, err error) {
	var ce *accountcsv.Error
	if errors.As(err, &ce) && ce.Line < 1 {
		t.Fatalf("error without a line: %v", err)
	}
}
