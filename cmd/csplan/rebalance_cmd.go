package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report"
)

// movesHeader is the CRM bulk-update file's header: the columns a CRM's
// import maps onto the account's id and its owner field.
var movesHeader = []string{"Account ID", "Current Owner", "New Owner"}

// rebalanceFlags are the band, the weight and the guardrails on the
// command line: each one given overrides the plan's rebalance section.
type rebalanceFlags struct {
	bandMin, bandMax float64
	weight           string
	maxMoves         int
	frontier         int
	asOf             string
}

func (r *rebalanceFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&r.bandMin, "band-min", 0, "the band's minimum, a fraction of each CSM's capacity (default: the plan's rebalance.min_utilization, else the service's, 0.8)")
	fs.Float64Var(&r.bandMax, "band-max", 0, "the band's maximum (default: the plan's rebalance.max_utilization, else the service's, 1.0)")
	fs.StringVar(&r.weight, "weight", "", "what a move costs: accounts, hours or arr (default: the plan's rebalance.disruption_weight, else accounts)")
	fs.IntVar(&r.maxMoves, "max-moves", 0, "move at most this many accounts (default: the plan's rebalance.max_moves, else no cap)")
	fs.IntVar(&r.frontier, "frontier", 0, "also solve this many bands, 1 to 20, tightening the maximum towards the team's mean (default: the plan's rebalance.frontier_points, else none)")
	fs.StringVar(&r.asOf, "as-of", "", `the day the renewal freeze counts from, "YYYY-MM-DD" (default: the plan's rebalance.as_of_date, else today)`)
}

// applyTo sets the flags given on the command line over the plan's
// settings. Ranges are the service's to check, so that its error names the
// field; the CLI checks only what a flag's type cannot hold.
func (r *rebalanceFlags) applyTo(fs *flag.FlagSet, s *csplanv1.RebalanceSettings) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "band-min":
			if s.Band == nil {
				s.Band = &csplanv1.UtilizationBand{}
			}
			s.Band.MinUtilization = proto.Float64(r.bandMin)
		case "band-max":
			if s.Band == nil {
				s.Band = &csplanv1.UtilizationBand{}
			}
			s.Band.MaxUtilization = proto.Float64(r.bandMax)
		case "weight":
			w, werr := planner.ParseDisruptionWeight(r.weight)
			if werr != nil {
				err = usagef("--weight: %v", werr)
			}
			s.DisruptionWeight = w
		case "max-moves":
			if r.maxMoves < math.MinInt32 || r.maxMoves > math.MaxInt32 {
				err = usagef("--max-moves %d is not a number of moves", r.maxMoves)
			}
			s.MaxMoves = proto.Int32(int32(r.maxMoves))
		case "frontier":
			if r.frontier < math.MinInt32 || r.frontier > math.MaxInt32 {
				err = usagef("--frontier %d is not a number of bands", r.frontier)
			}
			s.FrontierPoints = int32(r.frontier)
		case "as-of":
			s.AsOfDate = r.asOf
		}
	})
	return err
}

func runBookRebalance(ctx context.Context, args []string, e env) error {
	return runRebalance(ctx, "rebalance", args, e)
}

func runBookDepart(ctx context.Context, args []string, e env) error {
	return runRebalance(ctx, "depart", args, e)
}

// runRebalance streams a book to StreamRebalanceBook with the settings a
// plan file gives (book analyze's, the hiring timeline and the rebalance
// section), the flags over them, and prints the moves and each CSM before
// and after; --out writes the moves as the CRM bulk-update file. As
// "depart" its arguments are the leaving CSMs: the departure drill.
func runRebalance(ctx context.Context, name string, args []string, e env) error {
	fs := newFlagSet("book "+name, e)
	var cf clientFlags
	cf.registerStream(fs, e)
	fs.Lookup("o").Usage = "output: table (aligned text for a terminal), json (the service's answer) or html (a page with each CSM's utilization before and after, coloured)"
	file := fs.String("f", "", "plan file, YAML: book analyze's keys, hiring.time_to_hire_months and ramp_months, and its rebalance section")
	start := fs.String("start-month", "", `the first month, "YYYY-MM" (default: the plan's start_month, else the current month)`)
	horizon := fs.Int("horizon", 0, "months analyzed, 1 to 36: each account counts its mean hours over them, and the drill looks at them (default: the service's, 12)")
	out := fs.String("out", "", "write the CRM bulk-update file (Account ID,Current Owner,New Owner: one row per move) to this file; the report still goes to stdout")
	batch := fs.Int("batch", assignBatch, "accounts per stream message")
	var bf bookFlags
	bf.register(fs)
	var rf rebalanceFlags
	rf.register(fs)
	positional, err := parseArgsAnywhere(fs, args)
	if err != nil {
		return err
	}
	usage := "csplan book rebalance -f PLAN.yaml [ACCOUNTS.csv]"
	if name == "depart" {
		usage = "csplan book depart CSM-ID [CSM-ID...] -f PLAN.yaml [ACCOUNTS.csv]"
	}
	var files, leavers []string
	for _, a := range positional {
		if name == "depart" && !isAccountsFile(a) {
			leavers = append(leavers, a)
		} else {
			files = append(files, a)
		}
	}
	switch {
	case *file == "":
		return usagef("book %s needs a plan file: %s", name, usage)
	case name == "depart" && len(leavers) == 0:
		return usagef("book depart needs the leaving CSMs' ids: %s", usage)
	case len(files) > 1:
		return usagef("book %s takes at most one CSV file of accounts (- for stdin), got %q", name, files)
	case *out == "-":
		return usagef("--out names the file for the CRM bulk-update CSV; the report goes to stdout")
	case *batch < 1:
		return usagef("--batch must be 1 or more, got %d", *batch)
	case *horizon < math.MinInt32 || *horizon > math.MaxInt32:
		return usagef("--horizon %d is not a number of months", *horizon)
	}
	switch cf.output {
	case "table", "json", "html":
	default:
		return usagef("-o: %q is not table, json or html", cf.output)
	}
	if (cf.cert == "") != (cf.key == "") {
		return usagef("give both --cert and --key")
	}
	p, err := planner.Load(*file)
	if err != nil {
		return err
	}
	csvPath := p.AccountsPath()
	if len(files) == 1 {
		csvPath = files[0]
	}
	if csvPath == "" {
		return usagef("book %s needs the accounts: give ACCOUNTS.csv, or set book.accounts_csv in %s", name, p.Path())
	}
	read, err := bf.overlay(fs, p.ReadOptions())
	if err != nil {
		return err
	}
	settings := p.RebalanceSettings()
	if *start != "" {
		settings.StartMonth = *start
	}
	settings.HorizonMonths = int32(*horizon)
	if err := rf.applyTo(fs, settings); err != nil {
		return err
	}
	if name == "depart" {
		settings.DepartingCsmIds = leavers
	}

	accounts, closeBook, err := openBook(e, csvPath, read)
	if err != nil {
		return err
	}
	defer closeBook()
	if err := p.CheckColumns(accounts); err != nil {
		return err
	}
	c, release, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer release()
	callCtx, cancel := cf.callContext(ctx)
	defer cancel()
	resp, err := streamRebalance(callCtx, c, settings, accounts, *batch, newStreamProgress(e.stderr))
	if err != nil {
		return err
	}
	reportSkipped(e.stderr, accounts.File(), accounts.Skipped())
	if *out != "" {
		if err := writeMoves(e, *out, resp.GetResult()); err != nil {
			return err
		}
	}
	return writeOutput(e, "", func(w io.Writer) error {
		if cf.output == "json" {
			return printJSON(w, resp)
		}
		return report.RenderRebalance(w, cf.output, report.Rebalance{Company: p.Company, Currency: p.Currency,
			Weight: settings.GetDisruptionWeight(), Departing: settings.GetDepartingCsmIds(),
			StartMonth: settings.GetStartMonth(), HorizonMonths: settings.GetHorizonMonths(), Result: resp.GetResult()})
	})
}

// isAccountsFile tells book depart's accounts file from a CSM's id: "-"
// (stdin), or a name ending in .csv, .tsv or .txt.
func isAccountsFile(arg string) bool {
	if arg == "-" {
		return true
	}
	lower := strings.ToLower(arg)
	return strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".tsv") || strings.HasSuffix(lower, ".txt")
}

// streamRebalance sends the settings, then every batch the reader gives,
// and returns the rebalancing. A bad CSV cell ends the call with the
// reader's error, which names the file, line and column.
func streamRebalance(ctx context.Context, c *client.Client, settings *csplanv1.RebalanceSettings, r *accountcsv.Reader, batch int, p *streamProgress) (*csplanv1.StreamRebalanceBookResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.Book.StreamRebalanceBook(ctx)
	if err != nil {
		return nil, err
	}
	err = sendBatches(r, batch, p, func() error {
		return stream.Send(&csplanv1.StreamRebalanceBookRequest{Payload: &csplanv1.StreamRebalanceBookRequest_Settings{Settings: settings}})
	}, func(accounts []*csplanv1.Account) error {
		return stream.Send(&csplanv1.StreamRebalanceBookRequest{Payload: &csplanv1.StreamRebalanceBookRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}})
	})
	if err != nil {
		return nil, err
	}
	return stream.CloseAndRecv()
}

// writeMoves writes the CRM bulk-update file: the header, then a row per
// move (RFC 4180: CRLF line ends, fields quoted where they need it), and
// says on stderr where; an infeasible answer's moves are written as the
// service gave them, with a warning.
func writeMoves(e env, path string, res *csplanv1.RebalanceResult) error {
	moves := res.GetMoves()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	w.Write(movesHeader)
	for _, m := range moves {
		w.Write([]string{m.GetAccountId(), m.GetFromCsm(), m.GetToCsm()})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	what := fmt.Sprintf("%d moves", len(moves))
	if len(moves) == 1 {
		what = "1 move"
	}
	fmt.Fprintf(e.stderr, "wrote %s: %s, the CRM bulk-update file\n", path, what)
	if !res.GetFeasible() && len(moves) > 0 {
		fmt.Fprintf(e.stderr, "warning: the book is infeasible: these moves do not bring every CSM within the band (see the summary)\n")
	}
	return nil
}
