// Command genaccounts writes examples/accounts.csv: a CRM export of 4,000
// accounts of a believable B2B software company, the same on every run.
//
//	go run ./examples/genaccounts > examples/accounts.csv
//
// With -company it writes the books of the example plans instead:
//
//	go run ./examples/genaccounts -company meridian > examples/plans/meridian/accounts.csv
//	go run ./examples/genaccounts -company sprout > examples/plans/sprout/accounts.csv
//
// ARR is log-normal within three clear tiers (enterprise around $220K,
// mid-market around $40K, SMB around $6K) plus a few free trials at $0, so
// that tier suggestion has boundaries to find and segmentation has
// unmatched accounts to report.
//
// The books of the example plans also carry what a Salesforce export holds
// for the calendar: each account's owner, its contract start, its next
// renewal and its term (see book.go). Those columns come from random
// numbers of their own, so every other column is the same with or without
// them.
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
)

// company is one book to write: its size, its tiers and the seed of its
// random numbers.
type company struct {
	accounts     int
	seed1, seed2 uint64
	tiers        []tier
	// book, when set, adds the owner and contract columns.
	book *book
}

// companies are the books genaccounts can write, by -company name.
var companies = map[string]company{
	"northwind": {accounts: 4000, seed1: 2026, seed2: 4, tiers: tiers},
	"meridian":  {accounts: 6000, seed1: 2027, seed2: 8, tiers: meridianTiers, book: &meridianBook},
	"sprout":    {accounts: 160, seed1: 2027, seed2: 4, tiers: sproutTiers, book: &sproutBook},
}

// tier is one population of accounts: its share of the book and the
// log-normal ARR distribution (median and sigma of the natural log).
type tier struct {
	share     float64
	medianARR float64
	sigma     float64
	// round is the step ARR is quoted in.
	round       float64
	plans       []weighted
	complexity  []weighted
	stageWeight []weighted
}

type weighted struct {
	value  string
	weight float64
}

var tiers = []tier{
	{
		share: 0.04, medianARR: 220_000, sigma: 0.45, round: 500,
		plans:       []weighted{{"Enterprise", 1}},
		complexity:  []weighted{{"complex", 0.55}, {"moderate", 0.45}},
		stageWeight: []weighted{{"Onboarding", 0.08}, {"Adoption", 0.30}, {"Expansion", 0.25}, {"Renewal", 0.30}, {"At Risk", 0.07}},
	},
	{
		share: 0.24, medianARR: 40_000, sigma: 0.40, round: 100,
		plans:       []weighted{{"Growth", 0.85}, {"Enterprise", 0.15}},
		complexity:  []weighted{{"complex", 0.15}, {"moderate", 0.65}, {"simple", 0.20}},
		stageWeight: []weighted{{"Onboarding", 0.10}, {"Adoption", 0.38}, {"Expansion", 0.17}, {"Renewal", 0.27}, {"At Risk", 0.08}},
	},
	{
		share: 0.70, medianARR: 6_000, sigma: 0.55, round: 10,
		plans:       []weighted{{"Starter", 0.9}, {"Growth", 0.1}},
		complexity:  []weighted{{"moderate", 0.30}, {"simple", 0.70}},
		stageWeight: []weighted{{"Onboarding", 0.14}, {"Adoption", 0.45}, {"Expansion", 0.06}, {"Renewal", 0.25}, {"At Risk", 0.10}},
	},
	{
		share: 0.02, round: 1,
		plans:       []weighted{{"Trial", 1}},
		complexity:  []weighted{{"simple", 1}},
		stageWeight: []weighted{{"Trial", 1}},
	},
}

// meridianTiers are Meridian Cloud's book (examples/plans/meridian): a
// B2B SaaS company with enterprise, mid-market, SMB and a long tail of
// small self-serve accounts, plus free trials.
var meridianTiers = []tier{
	{
		share: 0.02, medianARR: 160_000, sigma: 0.5, round: 500,
		plans:       []weighted{{"Enterprise", 1}},
		complexity:  []weighted{{"complex", 0.6}, {"moderate", 0.4}},
		stageWeight: []weighted{{"Onboarding", 0.08}, {"Adoption", 0.30}, {"Expansion", 0.25}, {"Renewal", 0.30}, {"At Risk", 0.07}},
	},
	{
		share: 0.10, medianARR: 32_000, sigma: 0.45, round: 100,
		plans:       []weighted{{"Business", 0.8}, {"Enterprise", 0.2}},
		complexity:  []weighted{{"complex", 0.15}, {"moderate", 0.65}, {"simple", 0.20}},
		stageWeight: []weighted{{"Onboarding", 0.10}, {"Adoption", 0.38}, {"Expansion", 0.17}, {"Renewal", 0.27}, {"At Risk", 0.08}},
	},
	{
		share: 0.30, medianARR: 5_000, sigma: 0.5, round: 10,
		plans:       []weighted{{"Team", 0.85}, {"Business", 0.15}},
		complexity:  []weighted{{"moderate", 0.35}, {"simple", 0.65}},
		stageWeight: []weighted{{"Onboarding", 0.14}, {"Adoption", 0.45}, {"Expansion", 0.06}, {"Renewal", 0.25}, {"At Risk", 0.10}},
	},
	{
		share: 0.56, medianARR: 900, sigma: 0.6, round: 10,
		plans:       []weighted{{"Starter", 1}},
		complexity:  []weighted{{"simple", 1}},
		stageWeight: []weighted{{"Onboarding", 0.15}, {"Adoption", 0.50}, {"Renewal", 0.25}, {"At Risk", 0.10}},
	},
	{
		share: 0.02, round: 1,
		plans:       []weighted{{"Trial", 1}},
		complexity:  []weighted{{"simple", 1}},
		stageWeight: []weighted{{"Trial", 1}},
	},
}

// sproutTiers are Sprout Analytics' book (examples/plans/sprout): a
// startup near seed 004's $4M ARR, with larger "scale" customers and a
// core of smaller ones.
var sproutTiers = []tier{
	{
		share: 0.25, medianARR: 50_000, sigma: 0.35, round: 500,
		plans:       []weighted{{"Scale", 1}},
		complexity:  []weighted{{"complex", 0.4}, {"moderate", 0.6}},
		stageWeight: []weighted{{"Onboarding", 0.12}, {"Adoption", 0.35}, {"Expansion", 0.20}, {"Renewal", 0.25}, {"At Risk", 0.08}},
	},
	{
		share: 0.75, medianARR: 18_000, sigma: 0.4, round: 100,
		plans:       []weighted{{"Core", 1}},
		complexity:  []weighted{{"moderate", 0.6}, {"simple", 0.4}},
		stageWeight: []weighted{{"Onboarding", 0.15}, {"Adoption", 0.40}, {"Expansion", 0.10}, {"Renewal", 0.25}, {"At Risk", 0.10}},
	},
}

var (
	regions    = []weighted{{"NA", 0.50}, {"EMEA", 0.30}, {"APAC", 0.15}, {"LATAM", 0.05}}
	industries = []weighted{{"Software", 0.30}, {"Financial Services", 0.15}, {"Healthcare", 0.12}, {"Retail", 0.13}, {"Manufacturing", 0.12}, {"Education", 0.08}, {"Media", 0.10}}
	prefixes   = []string{"Acme", "Bluefin", "Northwind", "Cobalt", "Summit", "Lumen", "Harbor", "Juniper", "Granite", "Vertex", "Aurora", "Pioneer", "Redwood", "Silverline", "Tidal", "Orchid", "Keystone", "Meridian", "Quartz", "Beacon", "Falcon", "Evergreen", "Nimbus", "Ironclad", "Sparrow", "Atlas", "Crescent", "Solstice", "Kestrel", "Harvest"}
	suffixes   = []string{"Analytics", "Logistics", "Health", "Labs", "Systems", "Retail", "Capital", "Foods", "Media", "Works", "Energy", "Robotics", "Learning", "Partners", "Freight", "Bank", "Clinics", "Apparel", "Software", "Foundry"}
)

func main() {
	name := flag.String("company", "northwind", "book to write: northwind (examples/accounts.csv), meridian or sprout")
	flag.Parse()
	c, ok := companies[*name]
	if !ok {
		fmt.Fprintf(os.Stderr, "genaccounts: unknown -company %q: use northwind, meridian or sprout\n", *name)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	if err := write(w, c); err != nil {
		fmt.Fprintln(os.Stderr, "genaccounts:", err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genaccounts:", err)
		os.Exit(1)
	}
}

func write(w *bufio.Writer, c company) error {
	rng := rand.New(rand.NewPCG(c.seed1, c.seed2))
	tiers := c.tiers
	cw := csv.NewWriter(w)
	header := []string{"id", "name", "arr", "stage", "health", "complexity", "region", "industry", "plan"}
	var owners *ownerDraw
	if c.book != nil {
		header = append(header, bookHeader...)
		owners = newOwnerDraw(c.book)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	shares := make([]weighted, len(tiers))
	for i, t := range tiers {
		shares[i] = weighted{strconv.Itoa(i), t.share}
	}
	for i := 1; i <= c.accounts; i++ {
		ti, _ := strconv.Atoi(pick(rng, shares))
		t := tiers[ti]
		arr := 0.0
		if t.medianARR > 0 {
			arr = math.Round(t.medianARR*math.Exp(t.sigma*rng.NormFloat64())/t.round) * t.round
		}
		stage := pick(rng, t.stageWeight)
		if rng.Float64() < 0.01 {
			// CRMs hold the odd hand-typed stage in another case.
			stage = lower(stage)
		}
		rec := []string{
			fmt.Sprintf("ACC-%05d", i),
			prefixes[rng.IntN(len(prefixes))] + " " + suffixes[rng.IntN(len(suffixes))],
			strconv.FormatFloat(arr, 'f', -1, 64),
			stage,
			health(rng, stage),
			pick(rng, t.complexity),
			pick(rng, regions),
			pick(rng, industries),
			pick(rng, t.plans),
		}
		if owners != nil {
			rec = append(rec, owners.columns(arr, stage)...)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// health is a score out of 100, lower for accounts at risk; one in twenty
// accounts has none yet.
func health(rng *rand.Rand, stage string) string {
	if rng.Float64() < 0.05 {
		return ""
	}
	mean := 72.0
	switch lower(stage) {
	case "at risk":
		mean = 35
	case "onboarding", "trial":
		mean = 60
	}
	h := math.Round(mean + 12*rng.NormFloat64())
	return strconv.Itoa(int(math.Max(1, math.Min(100, h))))
}

func pick(rng *rand.Rand, ws []weighted) string {
	var total float64
	for _, w := range ws {
		total += w.weight
	}
	x := rng.Float64() * total
	for _, w := range ws {
		if x < w.weight {
			return w.value
		}
		x -= w.weight
	}
	return ws[len(ws)-1].value
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
