package accountcsv

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// currencyCodes are the ISO 4217 codes an amount may carry before or after
// its number ("USD 300", "300 EUR").
var currencyCodes = []string{"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY", "CNY", "INR", "SEK", "NOK", "DKK", "PLN", "CZK", "BRL", "MXN", "SGD", "HKD", "ZAR"}

// currencySymbols are the symbols an amount may carry, longest first so
// that "US$" is taken whole.
var currencySymbols = []string{"US$", "A$", "C$", "NZ$", "R$", "HK$", "S$", "$", "€", "£", "¥", "₹", "kr", "zł", "Kč"}

// ParseAmount reads a money amount as CRM exports write it, with decimal
// as the decimal separator ('.' or ','): "1200000", "$1,200,000.50",
// "€ 85k", "1.2M", "USD 300", and with ',' "3.400,00 €" or "1 200,50". A
// blank cell is 0. It never guesses: digit groups must be of three, a
// separator that cannot be the chosen one's grouping is an error that says
// which reading was probably meant, and a negative amount, "-5" or
// accounting's "(1,200)", is an error (ARR and expansion are 0 or more).
func ParseAmount(s string, decimal rune) (float64, error) {
	if decimal != ',' {
		decimal = '.'
	}
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	negative := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		negative, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	s = stripCurrency(s)
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		negative, s = true, strings.TrimSpace(strings.TrimLeft(s, "-−"))
	}
	s = stripCurrency(s)
	mult := 1.0
	upper := strings.ToUpper(s)
	for _, suf := range []struct {
		text string
		mult float64
	}{{"MM", 1e6}, {"BN", 1e9}, {"K", 1e3}, {"M", 1e6}, {"B", 1e9}} {
		if strings.HasSuffix(upper, suf.text) {
			mult, s = suf.mult, strings.TrimSpace(s[:len(s)-len(suf.text)])
			break
		}
	}
	number, err := plainNumber(s, decimal)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount: %v", orig, err)
	}
	v, perr := strconv.ParseFloat(number, 64)
	if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not an amount (write it like 1200000, $1,200,000 or 1.2M)", orig)
	}
	if negative && v != 0 {
		return 0, fmt.Errorf("%q is negative: ARR and expansion are 0 or more", orig)
	}
	return v * mult, nil
}

// stripCurrency takes one currency symbol or code off either end of s.
func stripCurrency(s string) string {
	upper := strings.ToUpper(s)
	for _, c := range currencyCodes {
		switch {
		case strings.HasPrefix(upper, c):
			return strings.TrimSpace(s[len(c):])
		case strings.HasSuffix(upper, c):
			return strings.TrimSpace(s[:len(s)-len(c)])
		}
	}
	for _, c := range currencySymbols {
		switch {
		case strings.HasPrefix(s, c):
			return strings.TrimSpace(s[len(c):])
		case strings.HasSuffix(s, c):
			return strings.TrimSpace(s[:len(s)-len(c)])
		}
	}
	return s
}

// plainNumber turns a grouped number into the form strconv reads: the
// grouping taken out, the decimal separator made '.'. With '.' as the
// decimal separator ',' (and spaces, apostrophes) group digits; with ','
// it is '.' (and spaces, apostrophes). Groups after the first are of three
// digits, and only the last separator of its kind may be the decimal one.
func plainNumber(s string, decimal rune) (string, error) {
	n, err := readNumber(s, decimal)
	if err == errOtherConvention {
		other := otherSeparator(decimal)
		reading := s
		if m, err := readNumber(s, other); err == nil {
			reading = m
		}
		return "", fmt.Errorf("it reads as %s with %q as the decimal separator, but this file's is %q (set decimal_separator, or --decimal-separator, to %q)",
			reading, other, decimal, other)
	}
	return n, err
}

var errOtherConvention = fmt.Errorf("written with the other decimal separator")

func otherSeparator(decimal rune) rune {
	if decimal == ',' {
		return '.'
	}
	return ','
}

func isGrouping(r, other rune) bool { return r == other || r == '\'' || unicode.IsSpace(r) }

func readNumber(s string, decimal rune) (string, error) {
	other := otherSeparator(decimal)
	intPart, frac, hasFrac := s, "", false
	if i := strings.LastIndex(s, string(decimal)); i >= 0 {
		intPart, frac, hasFrac = s[:i], s[i+1:], true
	}
	if strings.ContainsRune(frac, other) {
		// "3.400,00" read with '.': the ',' sits after the decimal point.
		return "", errOtherConvention
	}
	if strings.ContainsRune(intPart, decimal) {
		return "", fmt.Errorf("%q, the decimal separator, appears more than once (if it groups digits here, set decimal_separator to %q)", decimal, other)
	}
	for _, r := range frac {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("%q is not a digit, after the decimal separator", r)
		}
	}
	if intPart == "" {
		if frac == "" {
			return "", fmt.Errorf("no digits")
		}
		intPart = "0"
	}
	var groups []string
	start, prevSep := 0, true
	for i, r := range intPart {
		sep := isGrouping(r, other)
		if sep && prevSep {
			return "", fmt.Errorf("a separator without digits on both sides")
		}
		if sep {
			groups, start = append(groups, intPart[start:i]), i+utf8.RuneLen(r)
		}
		prevSep = sep
	}
	if prevSep {
		return "", fmt.Errorf("a separator without digits on both sides")
	}
	groups = append(groups, intPart[start:])
	for i, g := range groups {
		for _, r := range g {
			if r < '0' || r > '9' {
				return "", fmt.Errorf("%q is not a digit, a separator or a currency", r)
			}
		}
		if (i > 0 && len(g) != 3) || (i == 0 && len(groups) > 1 && len(g) > 3) {
			hint := ""
			if len(groups) == 2 && !hasFrac {
				hint = fmt.Sprintf(" (if %q is the decimal separator here, set decimal_separator to %q)", other, other)
			}
			return "", fmt.Errorf("its digits are grouped as %s: groups after the first have three digits%s", strings.Join(groups, string(other)), hint)
		}
	}
	out := strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out, nil
}
