package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// results collects every round of every workload.
type results struct {
	unary                  map[string][]unaryRound
	streamGRPC, streamREST []streamResult
	// planGRPC is RunPlan over StreamRunPlan of the same book.
	planGRPC []streamResult
	// bookGRPC is StreamAnalyzeBook of a book with owners and dates.
	bookGRPC []streamResult
	// rebalance is StreamRebalanceBook of a large book and RebalanceBook
	// of a small one.
	rebalance     []rebalanceRound
	suggest, sort []time.Duration
}

func newResults() *results { return &results{unary: map[string][]unaryRound{}} }

// progress goes to stderr, so that stdout holds the tables alone.
func (r *results) progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// spread is min, median and max over the rounds.
type spread struct{ min, med, max float64 }

func spreadOf(v []float64) spread {
	s := slices.Sorted(slices.Values(v))
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return spread{s[0], med, s[len(s)-1]}
}

// cpuRatio is, round by round, the CPU per request of a over that of b.
func (r *results) cpuRatio(a, b string) spread {
	var v []float64
	for i := range r.unary[a] {
		v = append(v, float64(r.unary[a][i].cpuPerReq)/float64(r.unary[b][i].cpuPerReq))
	}
	return spreadOf(v)
}

func (r *results) cpuMedian(name string) time.Duration {
	var v []float64
	for _, u := range r.unary[name] {
		v = append(v, float64(u.cpuPerReq))
	}
	return time.Duration(spreadOf(v).med)
}

// row is one line of the main table; met compares the median with the
// target.
type row struct {
	workload, metric, value, baseline string
	ratio                             spread
	ratioFmt                          string
	target                            string
	met                               bool
}

func (r *results) rows() []row {
	us := func(d time.Duration) string { return fmt.Sprintf("%.1f us", float64(d)/1e3) }
	cpuRow := func(name, base, baseLabel string, max float64) row {
		s := r.cpuRatio(name, base)
		return row{name, "server CPU/request", us(r.cpuMedian(name)), baseLabel + " " + us(r.cpuMedian(base)),
			s, "%.2fx", fmt.Sprintf("<= %.1fx", max), s.med <= max}
	}
	// Groups that -only left out have no rounds and no rows.
	var rows []row
	if len(r.unary) > 0 {
		rows = append(rows,
			cpuRow(computeGRPC, health, "health Check", 1.2),
			cpuRow(computeREST, computeGRPC, "gRPC", 1.8),
			cpuRow(computeREST, bareHTTP, "bare net/http", 3.5))
	}
	if len(r.streamGRPC) > 0 {
		rows = append(rows, streamRows("StreamSegmentAccounts gRPC", r.streamGRPC, 4_000_000)...)
		rows = append(rows, streamRows("StreamSegmentAccounts NDJSON REST", r.streamREST, 600_000)...)
	}
	if len(r.planGRPC) > 0 {
		rows = append(rows, r.planRows()...)
	}
	if len(r.bookGRPC) > 0 {
		rows = append(rows, r.bookRows()...)
	}
	if len(r.rebalance) > 0 {
		rows = append(rows, r.rebalanceRows()...)
	}
	if len(r.suggest) > 0 {
		var tr []float64
		for i := range r.suggest {
			tr = append(tr, float64(r.suggest[i])/float64(r.sort[i]))
		}
		ts := spreadOf(tr)
		rows = append(rows, row{"SuggestSegments, 8 tiers (in process)", "time vs slices.Sort",
			medianDuration(r.suggest).Round(time.Millisecond).String(), "slices.Sort " + medianDuration(r.sort).Round(time.Millisecond).String(),
			ts, "%.2fx", "<= 4x", ts.med <= 4})
	}
	if len(r.unary) > 0 {
		rows = append(rows, cpuRow(forecastGRPC, health, "health Check", 1.5))
	}
	return rows
}

func streamRows(name string, rs []streamResult, minRate float64) []row {
	var rate, grow []float64
	for _, s := range rs {
		rate = append(rate, s.perSecond())
		grow = append(grow, float64(s.rssGrow)/(1<<20))
	}
	rt, gr := spreadOf(rate), spreadOf(grow)
	how := "peak RSS growth"
	if len(rs) > 0 {
		how += " (" + rs[0].rssHow + ")"
	}
	return []row{
		{name, "accounts/s", fmt.Sprintf("%.0f", rt.med), "-", rt, "%.0f", fmt.Sprintf(">= %.0f", minRate), rt.med >= minRate},
		{name, how, fmt.Sprintf("%.1f MiB", gr.med), "-", gr, "%.1f MiB", "<= 48 MiB", gr.max <= 48},
	}
}

func medianDuration(d []time.Duration) time.Duration {
	v := make([]float64, len(d))
	for i, x := range d {
		v[i] = float64(x)
	}
	return time.Duration(spreadOf(v).med)
}

func (r *results) print(w io.Writer, o options) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "workload\tmetric\tvalue (median)\tbaseline (median)\tmin / median / max\ttarget\tmet?")
	for _, x := range r.rows() {
		f := x.ratioFmt
		met := "yes"
		if !x.met {
			met = "NO"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t"+f+" / "+f+" / "+f+"\t%s\t%s\n",
			x.workload, x.metric, x.value, x.baseline, x.ratio.min, x.ratio.med, x.ratio.max, x.target, met)
	}
	tw.Flush()
	if len(r.unary) == 0 {
		return
	}
	fmt.Fprintf(w, "\nlatency at %d requests/s (median over rounds; server CPU per request from /proc/<pid>/stat):\n", o.rate)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "workload\trequests/round\tachieved/s\tCPU/request\tp50\tp99\tresponse bytes")
	for _, name := range unaryOrder {
		rs := r.unary[name]
		var n, rate, p50, p99 []float64
		for _, u := range rs {
			n, rate = append(n, float64(u.requests)), append(rate, u.achieved)
			p50, p99 = append(p50, float64(u.p50)), append(p99, float64(u.p99))
		}
		bytesIn := "-"
		if b := rs[0].bytesIn; b > 0 {
			bytesIn = fmt.Sprintf("%.0f", b)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.1f us\t%v\t%v\t%s\n", name, spreadOf(n).med, spreadOf(rate).med, float64(r.cpuMedian(name))/1e3,
			time.Duration(spreadOf(p50).med).Round(time.Microsecond), time.Duration(spreadOf(p99).med).Round(time.Microsecond), bytesIn)
	}
	tw.Flush()
	fmt.Fprintln(w, "\n"+strings.TrimSpace(`
"met?" judges the median ratio (the peak RSS rows: the largest growth).
SuggestSegments is timed in this process: capacity.TierSuggester (the
accumulator StreamSuggestSegments feeds) against slices.Sort of the same
values, interleaved.`))
}
