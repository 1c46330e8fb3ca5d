package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// assignBatch is how many accounts one stream message carries: about
// 100 KB, far from the 4 MiB message limit.
const assignBatch = 1000

// progressAccounts is how often, in accounts, progress is shown on a
// terminal.
const progressAccounts = 50_000

// runSegmentAssign streams a CRM export to StreamSegmentAccounts: the rules
// first, then the accounts batch by batch as the CSV is read, so that a
// book of any size is never held in memory.
func runSegmentAssign(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("segment assign", e)
	var cf clientFlags
	cf.registerStream(fs, e)
	var bf bookFlags
	bf.register(fs)
	rulesFile := fs.String("rules", "", "segment rules, YAML or JSON (a SegmentRules message: segments, csmTime)")
	batch := fs.Int("batch", assignBatch, "accounts per stream message")
	files, err := parseArgsAnywhere(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("segment assign takes one CSV file of accounts (- for stdin), got %d", len(files))
	}
	if *rulesFile == "" {
		return usagef("--rules FILE is required (a YAML file of segment rules; see examples/rules.yaml)")
	}
	if *batch < 1 {
		return usagef("--batch must be 1 or more, got %d", *batch)
	}
	if err := cf.validate(); err != nil {
		return err
	}
	rules := &csplanv1.SegmentRules{}
	if err := readRequest(e, *rulesFile, rules); err != nil {
		return err
	}
	read, err := bf.options()
	if err != nil {
		return err
	}
	accounts, closeBook, err := openBook(e, files[0], read)
	if err != nil {
		return err
	}
	defer closeBook()
	defer func() { reportSkipped(e.stderr, accounts.File(), accounts.Skipped()) }()
	if err := checkRuleColumns(*rulesFile, rules, accounts); err != nil {
		return err
	}
	return call(ctx, cf, e, rules,
		func(ctx context.Context, c *client.Client, rules *csplanv1.SegmentRules) (*csplanv1.StreamSegmentAccountsResponse, error) {
			return streamAccounts(ctx, c, rules, accounts, *batch, newStreamProgress(e.stderr))
		}, printSegmentation)
}

// openBook opens the accounts CSV named on the command line (- for stdin)
// and reads its header; the returned func closes it.
func openBook(e env, file string, opts accountcsv.Options) (*accountcsv.Reader, func(), error) {
	in, name, closeIn, err := openAccountsFile(e, file)
	if err != nil {
		return nil, nil, err
	}
	accounts, err := accountcsv.NewReaderWith(in, name, opts)
	if err != nil {
		closeIn()
		return nil, nil, err
	}
	return accounts, closeIn, nil
}

// streamAccounts sends the rules and every batch the reader gives, and
// returns the server's summary. A bad CSV cell ends the call with the
// reader's error, which names the file, line and column.
func streamAccounts(ctx context.Context, c *client.Client, rules *csplanv1.SegmentRules, r *accountcsv.Reader, batch int, p *streamProgress) (*csplanv1.StreamSegmentAccountsResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.Segmentation.StreamSegmentAccounts(ctx)
	if err != nil {
		return nil, err
	}
	send := func(m *csplanv1.StreamSegmentAccountsRequest) bool {
		// io.EOF means the server has answered already, an error most
		// likely: CloseAndRecv returns it.
		return stream.Send(m) == nil
	}
	if send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{Rules: rules}}) {
		for {
			accounts, err := r.Next(batch)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				p.done()
				return nil, err
			}
			if !send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}) {
				break
			}
			p.show(r.Rows())
		}
	}
	p.done()
	return stream.CloseAndRecv()
}

// parseArgsAnywhere parses flags that may come before or after the
// positional arguments (csplan segment assign accounts.csv --batch 500)
// and returns the positional ones.
func parseArgsAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageFrom(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// openAccountsFile opens a file, or stdin for "-".
func openAccountsFile(e env, path string) (io.Reader, string, func(), error) {
	if path == "-" {
		return e.stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, err
	}
	return f, path, func() { f.Close() }, nil
}

// streamProgress shows how many accounts were sent, on a terminal only: piped
// or captured output stays clean.
type streamProgress struct {
	w     io.Writer
	next  int
	shown bool
}

func newStreamProgress(w io.Writer) *streamProgress {
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return &streamProgress{w: w, next: progressAccounts}
		}
	}
	return nil
}

func (p *streamProgress) show(rows int) {
	if p == nil || rows < p.next {
		return
	}
	fmt.Fprintf(p.w, "\rsent %s accounts", thousands(int64(rows)))
	p.next, p.shown = rows+progressAccounts, true
}

func (p *streamProgress) done() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func printSegmentation(w io.Writer, r *csplanv1.StreamSegmentAccountsResponse) {
	fmt.Fprintf(w, "Book: %s accounts, %s ARR\n", thousands(int64(r.GetTotalAccounts())), money(r.GetTotalArr()))
	if x := r.GetExcluded(); x.GetAccounts() > 0 {
		fmt.Fprintf(w, "Left out as not customers (customerStages, excludeStages): %s accounts, %s ARR, not in the book above\n",
			thousands(int64(x.GetAccounts())), money(x.GetArr()))
	}
	fmt.Fprintln(w)
	tw := table(w)
	row(tw, "SEGMENT", "TOUCH", "ACCOUNTS", "ARR", "MEAN", "MEDIAN", "P90", "% ACCOUNTS", "% ARR", "ACCOUNTS/CSM", "FTE", "CSMS")
	var fte float64
	var csms int32
	for _, s := range r.GetSegments() {
		row(tw, s.GetName(), enumLabel(s.GetTouchModel().String(), "TOUCH_MODEL_"), thousands(int64(s.GetAccounts())), money(s.GetArr()),
			money(s.GetArrMean()), money(s.GetArrMedian()), money(s.GetArrP90()), pct(s.GetAccountShare()), pct(s.GetArrShare()),
			num(s.GetAccountsPerCsm(), 1), num(s.GetCsmFte(), 2), fmt.Sprint(s.GetCsmHeadcount()))
		fte += s.GetCsmFte()
		csms += s.GetCsmHeadcount()
	}
	u := r.GetUnassigned()
	row(tw, u.GetName(), "-", thousands(int64(u.GetAccounts())), money(u.GetArr()), money(u.GetArrMean()), money(u.GetArrMedian()),
		money(u.GetArrP90()), pct(u.GetAccountShare()), pct(u.GetArrShare()), "-", "-", "-")
	row(tw, "TOTAL", "", thousands(int64(r.GetTotalAccounts())), money(r.GetTotalArr()), "", "", "", "", "", "", num(fte, 2), fmt.Sprint(csms))
	tw.Flush()
	switch n := u.GetAccounts(); {
	case n == 1:
		fmt.Fprintln(w, "\n1 account matches no rule: add a rule for it or widen one.")
	case n > 1:
		fmt.Fprintf(w, "\n%s accounts match no rule: add a rule for them or widen one.\n", thousands(int64(n)))
	}
	if r.GetTotalAccounts() > 0 {
		for _, seg := range r.GetSegments() {
			if seg.GetAccounts() == 0 {
				fmt.Fprintf(w, "Warning: the rule %s matches none of the book's %s accounts: check its criteria (a stage, an attribute value or an ARR bound no account has), or remove it.\n",
					seg.GetName(), thousands(int64(r.GetTotalAccounts())))
			}
		}
	}
	printStageMix(w, append(slices.Clone(r.GetSegments()), u))
	printAssumptions(w, r.GetAssumptions())
}

// stageColumns bounds the stages the mix shows side by side; the rest are
// added up under "other".
const stageColumns = 7

// printStageMix writes accounts per stage and segment, the book's most
// common stages first.
func printStageMix(w io.Writer, segs []*csplanv1.SegmentSummary) {
	totals := map[string]int64{}
	for _, s := range segs {
		for _, c := range s.GetStageCounts() {
			totals[c.GetStage()] += int64(c.GetAccounts())
		}
	}
	if len(totals) == 0 {
		return
	}
	stages := make([]string, 0, len(totals))
	for s := range totals {
		stages = append(stages, s)
	}
	slices.SortFunc(stages, func(a, b string) int {
		if c := cmp.Compare(totals[b], totals[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	shown, other := stages, false
	if len(stages) > stageColumns {
		shown, other = stages[:stageColumns], true
	}

	fmt.Fprintln(w, "\nStage mix (accounts)")
	tw := table(w)
	header := []string{"  SEGMENT"}
	for _, s := range shown {
		header = append(header, stageLabel(s))
	}
	if other {
		header = append(header, "OTHER")
	}
	row(tw, header...)
	for _, s := range segs {
		byStage := map[string]int64{}
		var rest int64
		for _, c := range s.GetStageCounts() {
			byStage[c.GetStage()] = int64(c.GetAccounts())
			rest += int64(c.GetAccounts())
		}
		cells := []string{"  " + s.GetName()}
		for _, st := range shown {
			cells = append(cells, thousands(byStage[st]))
			rest -= byStage[st]
		}
		if other {
			cells = append(cells, thousands(rest))
		}
		row(tw, cells...)
	}
	tw.Flush()
}

func stageLabel(s string) string {
	if s == "" {
		return "(NO STAGE)"
	}
	return strings.ToUpper(s)
}

// thousands writes a whole number with thousands separators: 12,345.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// runCoverage plans coverage: csplan coverage plan -f FILE.yaml.
func runCoverage(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "plan" {
		if len(args) == 0 {
			return usagef("coverage needs a subcommand: plan")
		}
		return usagef("unknown coverage subcommand %q: use plan", args[0])
	}
	return callWithFile(ctx, "coverage plan", args[1:], e, &csplanv1.PlanCoverageRequest{},
		func(ctx context.Context, c *client.Client, req *csplanv1.PlanCoverageRequest) (*csplanv1.PlanCoverageResponse, error) {
			return c.Segmentation.PlanCoverage(ctx, req)
		}, printCoverage)
}

func printCoverage(w io.Writer, r *csplanv1.PlanCoverageResponse) {
	as := r.GetAssumptions()
	fmt.Fprintf(w, "Revenue: %s   CSM loaded cost: %s a year\n\n", moneyOf(as, "revenue"), moneyOf(as, "csm_loaded_cost"))
	tw := table(w)
	row(tw, "SEGMENT", "ACCOUNTS/CSM", "FTE", "CSMS", "COST", "% REVENUE")
	var fte float64
	for _, s := range r.GetSegments() {
		row(tw, s.GetName(), num(s.GetAccountsPerCsm(), 1), num(s.GetCsmFte(), 2), fmt.Sprint(s.GetCsmHeadcount()), money(s.GetCost()), pct(s.GetCostShare()))
		fte += s.GetCsmFte()
	}
	row(tw, "TOTAL", "", num(fte, 2), fmt.Sprint(r.GetTotalCsmHeadcount()), money(r.GetTotalCost()), pct(r.GetCostShare()))
	tw.Flush()

	band := "the " + shareOf(as, "min_cost_share") + " - " + shareOf(as, "max_cost_share") + " band"
	switch r.GetBand() {
	case csplanv1.CostBand_COST_BAND_BELOW:
		fmt.Fprintf(w, "\nCS cost is %s of revenue: BELOW %s; coverage may be too thin.\n", pct(r.GetCostShare()), band)
	case csplanv1.CostBand_COST_BAND_WITHIN:
		fmt.Fprintf(w, "\nCS cost is %s of revenue: WITHIN %s.\n", pct(r.GetCostShare()), band)
	default:
		fmt.Fprintf(w, "\nCS cost is %s of revenue: ABOVE %s (seed 003). Ways out:\n", pct(r.GetCostShare()), band)
	}
	for i, o := range r.GetOptions() {
		fmt.Fprintf(w, "\n%d. %s\n   %s\n", i+1, enumLabel(o.GetKind().String(), "OPTION_KIND_"), o.GetDescription())
		fmt.Fprintf(w, "   Cost %s of revenue, %s over budget", pct(o.GetCostShare()), money(o.GetExtraCost()))
		if o.GetKind() == csplanv1.OptionKind_OPTION_KIND_REDUCE_COVERAGE {
			fmt.Fprintf(w, ", accounts per CSM x%s", num(o.GetCoverageFactor(), 3))
		}
		fmt.Fprintln(w)
		if len(o.GetMovedSegments()) > 0 {
			fmt.Fprintf(w, "   Moved to tech touch: %s\n", strings.Join(o.GetMovedSegments(), ", "))
		}
		tw := table(w)
		row(tw, "   SEGMENT", "ACCOUNTS/CSM", "CSMS", "COST")
		for _, s := range o.GetSegments() {
			row(tw, "   "+s.GetName(), num(s.GetAccountsPerCsm(), 1), fmt.Sprint(s.GetCsmHeadcount()), money(s.GetCost()))
		}
		tw.Flush()
	}
	printAssumptions(w, as)
}

// assumedFloat reads a value the answer was computed from: the
// response carries revenue and the band only among its assumptions.
func assumedFloat(as []*csplanv1.Assumption, name string) (float64, bool) {
	for _, a := range as {
		if a.GetName() == name {
			x, err := strconv.ParseFloat(a.GetValue(), 64)
			return x, err == nil
		}
	}
	return 0, false
}

func moneyOf(as []*csplanv1.Assumption, name string) string {
	if x, ok := assumedFloat(as, name); ok {
		return money(x)
	}
	return "-"
}

func shareOf(as []*csplanv1.Assumption, name string) string {
	if x, ok := assumedFloat(as, name); ok {
		return pct(x)
	}
	return "-"
}

// checkRuleColumns refuses a rule on an attribute the CSV has no column
// for: it could match no account, and nothing would say why.
func checkRuleColumns(rulesFile string, rules *csplanv1.SegmentRules, rd *accountcsv.Reader) error {
	var problems []string
	for i, s := range rules.GetSegments() {
		for _, key := range slices.Sorted(maps.Keys(s.GetAttributes())) {
			if !rd.HasAttribute(key) {
				problems = append(problems, fmt.Sprintf("%s: segments[%d].attributes.%s: %s has no column %q: its headers are %q (map another header to it with --column %s=HEADER)",
					rulesFile, i, key, rd.File(), key, rd.Headers(), key))
			}
		}
	}
	if len(problems) > 0 {
		return fileError{errors.New(strings.Join(problems, "\n"))}
	}
	return nil
}
