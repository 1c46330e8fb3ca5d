package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"maps"
	"math"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/planner"
	"github.com/csplan/csplan/report"
)

func runBook(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usagef("book needs a subcommand: analyze, rebalance or depart")
	}
	switch args[0] {
	case "analyze":
		return runBookAnalyze(ctx, args[1:], e)
	case "rebalance":
		return runBookRebalance(ctx, args[1:], e)
	case "depart":
		return runBookDepart(ctx, args[1:], e)
	default:
		return usagef("unknown book subcommand %q: use analyze, rebalance or depart", args[0])
	}
}

// runBookAnalyze streams a book to StreamAnalyzeBook with the settings a
// plan file gives (csm_time, its segments, book.csms, start_month) and
// prints each CSM's load month by month, each segment's need and the
// renewal calendar.
func runBookAnalyze(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("book analyze", e)
	var cf clientFlags
	cf.registerStream(fs, e)
	fs.Lookup("o").Usage = "output: table (aligned text for a terminal), json (the service's answer) or html (a page with the heat map)"
	file := fs.String("f", "", "plan file, YAML: its csm_time, segments, book.csms, start_month and book.* reading keys")
	start := fs.String("start-month", "", `the first month, "YYYY-MM" (default: the plan's start_month, else the current month)`)
	horizon := fs.Int("horizon", 0, "months analyzed, 1 to 36 (default: the service's, 12)")
	out := fs.String("out", "", "write the output to this file instead of stdout")
	batch := fs.Int("batch", assignBatch, "accounts per stream message")
	var bf bookFlags
	bf.register(fs)
	files, err := parseArgsAnywhere(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *file == "":
		return usagef("book analyze needs a plan file: csplan book analyze -f PLAN.yaml [ACCOUNTS.csv]")
	case len(files) > 1:
		return usagef("book analyze takes at most one CSV file of accounts (- for stdin), got %q", files)
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
	csv := p.AccountsPath()
	if len(files) == 1 {
		csv = files[0]
	}
	if csv == "" {
		return usagef("book analyze needs the accounts: give ACCOUNTS.csv, or set book.accounts_csv in %s", p.Path())
	}
	read, err := bf.overlay(fs, p.ReadOptions())
	if err != nil {
		return err
	}
	settings := p.BookSettings()
	if *start != "" {
		settings.StartMonth = *start
	}
	settings.HorizonMonths = int32(*horizon)

	accounts, closeBook, err := openBook(e, csv, read)
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
	resp, err := streamBook(callCtx, c, settings, accounts, *batch, newStreamProgress(e.stderr))
	if err != nil {
		return err
	}
	reportSkipped(e.stderr, accounts.File(), accounts.Skipped())
	return writeOutput(e, *out, func(w io.Writer) error {
		if cf.output == "json" {
			return printJSON(w, resp)
		}
		return report.RenderBook(w, cf.output, report.Book{Company: p.Company, Currency: p.Currency, Analysis: resp.GetResult()})
	})
}

// streamBook sends the settings, then every batch the reader gives, and
// returns the analysis. A bad CSV cell ends the call with the reader's
// error, which names the file, line and column.
func streamBook(ctx context.Context, c *client.Client, settings *csplanv1.BookSettings, r *accountcsv.Reader, batch int, p *streamProgress) (*csplanv1.StreamAnalyzeBookResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.Book.StreamAnalyzeBook(ctx)
	if err != nil {
		return nil, err
	}
	err = sendBatches(r, batch, p, func() error {
		return stream.Send(&csplanv1.StreamAnalyzeBookRequest{Payload: &csplanv1.StreamAnalyzeBookRequest_Settings{Settings: settings}})
	}, func(accounts []*csplanv1.Account) error {
		return stream.Send(&csplanv1.StreamAnalyzeBookRequest{Payload: &csplanv1.StreamAnalyzeBookRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}})
	})
	if err != nil {
		return nil, err
	}
	return stream.CloseAndRecv()
}

// sendBatches sends a book stream's head, then every batch the reader
// gives, showing progress. io.EOF from a send means the server has
// answered already, an error most likely: the caller's CloseAndRecv
// returns it. A bad CSV cell ends the call with the reader's error.
func sendBatches(r *accountcsv.Reader, batch int, p *streamProgress, head func() error, send func([]*csplanv1.Account) error) error {
	defer p.done()
	ok := head() == nil
	for ok {
		accounts, err := r.Next(batch)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		ok = send(accounts) == nil
		p.show(r.Rows())
	}
	return nil
}

// overlay is how to read a CSV: the plan's book.* reading keys (base),
// with the flags given on the command line over them.
func (b *bookFlags) overlay(fs *flag.FlagSet, base accountcsv.Options) (accountcsv.Options, error) {
	given, err := b.options()
	if err != nil {
		return base, err
	}
	out := base
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "column":
			out.Columns = maps.Clone(base.Columns)
			if out.Columns == nil {
				out.Columns = map[string]string{}
			}
			maps.Copy(out.Columns, given.Columns)
		case "delimiter":
			out.Delimiter = given.Delimiter
		case "decimal-separator":
			out.DecimalSeparator = given.DecimalSeparator
		case "duplicates":
			out.Duplicates = given.Duplicates
		case "max-bad-rows":
			out.MaxBadRows = given.MaxBadRows
		}
	})
	return out, nil
}
