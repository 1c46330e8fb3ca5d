package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// suggestBatch is how many accounts one stream message carries. Only ARR
// travels, about 11 bytes an account.
const suggestBatch = 10_000

// runSegmentSuggest streams the ARR of a CRM export to
// StreamSuggestSegments, batch by batch as the CSV is read, and prints the
// suggested revenue tiers.
func runSegmentSuggest(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("segment suggest", e)
	var cf clientFlags
	cf.registerStream(fs, e)
	var bf bookFlags
	bf.register(fs)
	tiers := fs.Int("tiers", 0, "number of tiers, 2 to 8 (default: the server's, 3)")
	batch := fs.Int("batch", suggestBatch, "accounts per stream message")
	files, err := parseArgsAnywhere(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("segment suggest takes one CSV file of accounts (- for stdin), got %d", len(files))
	}
	if *batch < 1 {
		return usagef("--batch must be 1 or more, got %d", *batch)
	}
	// The server checks the range and names the field; an int32 must
	// carry the value there intact.
	if *tiers < math.MinInt32 || *tiers > math.MaxInt32 {
		return usagef("--tiers must be 2 to 8, got %d", *tiers)
	}
	if err := cf.validate(); err != nil {
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
	settings := &csplanv1.SuggestSettings{Tiers: int32(*tiers)}
	return call(ctx, cf, e, settings,
		func(ctx context.Context, c *client.Client, settings *csplanv1.SuggestSettings) (*csplanv1.StreamSuggestSegmentsResponse, error) {
			return streamARR(ctx, c, settings.GetTiers(), accounts, *batch, newStreamProgress(e.stderr))
		}, printTiers)
}

// streamARR sends the settings and every batch the reader gives, each
// account stripped to its ARR (the only field the server reads), and
// returns the server's answer. A bad CSV cell ends the call with the
// reader's error, which names the file, line and column.
func streamARR(ctx context.Context, c *client.Client, tiers int32, r *accountcsv.Reader, batch int, p *streamProgress) (*csplanv1.StreamSuggestSegmentsResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.Segmentation.StreamSuggestSegments(ctx)
	if err != nil {
		return nil, err
	}
	send := func(m *csplanv1.StreamSuggestSegmentsRequest) bool {
		// io.EOF means the server has answered already, an error most
		// likely: CloseAndRecv returns it.
		return stream.Send(m) == nil
	}
	settings := &csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Settings{Settings: &csplanv1.SuggestSettings{Tiers: tiers}}}
	if send(settings) {
		for {
			accounts, err := r.Next(batch)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				p.done()
				return nil, err
			}
			for _, a := range accounts {
				arr := a.GetArr()
				a.Reset()
				a.Arr = arr
			}
			if !send(&csplanv1.StreamSuggestSegmentsRequest{Payload: &csplanv1.StreamSuggestSegmentsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}) {
				break
			}
			p.show(r.Rows())
		}
	}
	p.done()
	return stream.CloseAndRecv()
}

func printTiers(w io.Writer, r *csplanv1.StreamSuggestSegmentsResponse) {
	accounts := int64(r.GetZeroArrAccounts())
	var arr float64
	for _, t := range r.GetTiers() {
		accounts += int64(t.GetAccounts())
		arr += t.GetArr()
	}
	fmt.Fprintf(w, "Book: %s accounts, %s ARR", thousands(accounts), money(arr))
	switch n := r.GetZeroArrAccounts(); {
	case n == 1:
		fmt.Fprint(w, " (1 account without ARR, in no tier)")
	case n > 1:
		fmt.Fprintf(w, " (%s accounts without ARR, in no tier)", thousands(int64(n)))
	}
	fmt.Fprint(w, "\n\n")

	if len(r.GetTiers()) == 0 {
		fmt.Fprintln(w, "No account has ARR: there is nothing to tier.")
		printAssumptions(w, r.GetAssumptions())
		return
	}
	tw := table(w)
	row(tw, "TIER", "ARR RANGE", "SUGGESTED MIN ARR", "ACCOUNTS", "ARR", "% ARR")
	for _, t := range r.GetTiers() {
		from := "-"
		if t.GetSuggestedMinArr() > 0 {
			from = exactMoney(t.GetSuggestedMinArr())
		}
		row(tw, t.GetName(), exactMoney(t.GetMinArr())+" - "+exactMoney(t.GetMaxArr()), from,
			thousands(int64(t.GetAccounts())), money(t.GetArr()), pct(t.GetArrShare()))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nGoodness of variance fit: %s (share of the variance of log10 ARR the tiers explain; 1 is a perfect split)\n",
		num(r.GetGoodnessOfVarianceFit(), 3))
	fmt.Fprintf(w, "Concentration: the top 10%% of accounts (%s) hold %s of ARR, the top 20%% (%s) hold %s.\n",
		thousands((accounts+9)/10), pct(r.GetTop10PercentArrShare()), thousands((accounts+4)/5), pct(r.GetTop20PercentArrShare()))
	fmt.Fprintln(w, "\nAs segment rules, each tier starts at its suggested min ARR (minArr, inclusive).")
	printAssumptions(w, r.GetAssumptions())
}

// exactMoney writes an amount as it is, with thousands separators:
// $320,000, $7,600, $100.5. Tiers abut and their boundaries are meant to be
// copied into rules, so neither is abbreviated.
func exactMoney(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return "$" + s
	}
	if frac != "" {
		return "$" + thousands(n) + "." + frac
	}
	return "$" + thousands(n)
}
