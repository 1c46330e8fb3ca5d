package capacity

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// refParseMonth and refParseDate are ParseMonth and ParseDate as they
// were before their fast paths, without the errors' wording.
func refParseMonth(s string) (Month, bool) {
	if len(s) != 7 || s[4] != '-' || !digits(s[:4]) || !digits(s[5:]) {
		return 0, false
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	if y < 1000 || m < 1 || m > 12 {
		return 0, false
	}
	return Month(y*12 + m - 1), true
}

func refParseDate(s string) (Month, bool) {
	switch {
	case len(s) == 7:
		return refParseMonth(s)
	case len(s) == 10 && s[7] == '-' && digits(s[8:]):
		m, ok := refParseMonth(s[:7])
		day := int(s[8]-'0')*10 + int(s[9]-'0')
		return m, ok && day >= 1 && day <= daysIn(m)
	}
	return 0, false
}

// TestDateMonthIsParseDate: the dates and months read without errors,
// and ParseDate and ParseMonth, accept what they accepted before their
// fast paths, as the same month, and nothing else.
func TestDateMonthIsParseDate(t *testing.T) {
	var inputs []string
	for _, y := range []int{999, 1000, 1900, 2000, 2023, 2024, 2100, 9999} {
		for m := 0; m <= 13; m++ {
			inputs = append(inputs, fmt.Sprintf("%04d-%02d", y, m))
			for d := 0; d <= 32; d++ {
				inputs = append(inputs, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "0123456789-/ :é\x00\xff"
	for range 200_000 {
		b := []byte("2027-03-15")[:[]int{7, 10, 6, 9, 11}[r.IntN(5)]%11]
		for range 1 + r.IntN(3) {
			if len(b) > 0 {
				b[r.IntN(len(b))] = alphabet[r.IntN(len(alphabet))]
			}
		}
		inputs = append(inputs, string(b))
	}
	for _, s := range inputs {
		want, wantOK := refParseDate(s)
		got, ok := dateMonth(s)
		parsed, err := ParseDate(s)
		if ok != wantOK || ok && got != want || (err == nil) != wantOK || wantOK && parsed != want {
			t.Fatalf("%q: dateMonth %v, %v; ParseDate %v, %v; want %v, %v", s, got, ok, parsed, err, want, wantOK)
		}
		wantM, wantMOK := refParseMonth(s)
		gotM, okM := monthOf(s)
		parsedM, errM := ParseMonth(s)
		if okM != wantMOK || okM && gotM != wantM || (errM == nil) != wantMOK || wantMOK && parsedM != wantM {
			t.Fatalf("%q: monthOf %v, %v; ParseMonth %v, %v; want %v, %v", s, gotM, okM, parsedM, errM, wantM, wantMOK)
		}
	}
}
