package planner

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/csplan/csplan/accountcsv"
	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// DefaultBatch is how many accounts one stream message carries.
const DefaultBatch = 1000

// Options tune Run. The zero value is ready to use.
type Options struct {
	// Batch is accounts per stream message (default DefaultBatch).
	Batch int
	// Progress, when set, is called after each batch streamed with the
	// accounts read so far, and with -1 when the stream is done.
	Progress func(accounts int)
	// CallTimeout bounds a unary call (0: the client's own default).
	// Streams are bounded only by ctx.
	CallTimeout time.Duration
	// Skipped, when set, is given the rows of each accounts CSV that were
	// skipped (book.max_bad_rows, book.duplicates) once it is read.
	Skipped func(file string, rows []*accountcsv.Error)
}

func (o Options) skipped(file string, rows []*accountcsv.Error) {
	if o.Skipped != nil && len(rows) > 0 {
		o.Skipped(file, rows)
	}
}

// Run runs the plan through PlanningService: RunPlan when the segments
// give their own totals, StreamRunPlan with the accounts CSV read batch by
// batch otherwise. Every figure of the answer is the service's. A field
// the service refuses comes back as a PlanError with the plan file's line.
func Run(ctx context.Context, c *client.Client, p *Plan, opts Options) (*csplanv1.PlanResult, error) {
	res, err := run(ctx, c, p, opts)
	return res, p.explain(err)
}

func run(ctx context.Context, c *client.Client, p *Plan, opts Options) (*csplanv1.PlanResult, error) {
	plan := p.Proto()
	if p.Book.AccountsCSV == "" {
		if opts.CallTimeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, opts.CallTimeout)
			defer cancel()
		}
		resp, err := c.Planning.RunPlan(ctx, &csplanv1.RunPlanRequest{Plan: plan})
		return resp.GetResult(), err
	}
	return stream(ctx, c, p, plan, opts)
}

// stream sends the plan, then the CSV in batches.
func stream(ctx context.Context, c *client.Client, p *Plan, plan *csplanv1.Plan, opts Options) (*csplanv1.PlanResult, error) {
	batch := opts.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	progress := func(n int) {
		if opts.Progress != nil {
			opts.Progress(n)
		}
	}
	rd, closeFile, err := openAccounts(p.AccountsPath(), p.ReadOptions())
	if err != nil {
		return nil, err
	}
	defer closeFile()
	if err := p.checkAttributes(rd); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := c.Planning.StreamRunPlan(ctx)
	if err != nil {
		return nil, err
	}
	ok := st.Send(&csplanv1.StreamRunPlanRequest{Payload: &csplanv1.StreamRunPlanRequest_Plan{Plan: plan}}) == nil
	for ok {
		accounts, err := rd.Next(batch)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			progress(-1)
			return nil, err
		}
		// io.EOF from Send means the server has answered already, with an
		// error most likely: CloseAndRecv returns it.
		ok = st.Send(&csplanv1.StreamRunPlanRequest{Payload: &csplanv1.StreamRunPlanRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}) == nil
		progress(rd.Rows())
	}
	progress(-1)
	resp, err := st.CloseAndRecv()
	if err == nil {
		opts.skipped(p.AccountsPath(), rd.Skipped())
	}
	return resp.GetResult(), err
}

// explain turns the service's refusal of plan fields into PlanErrors at
// the plan file's lines; any other error is returned as it is.
func (p *Plan) explain(err error) error { return explainSides(err, p, nil) }

// explainSides is explain for a comparison: "base." fields are the first
// plan's, "what_if." fields the second's.
func explainSides(err error, p, whatIf *Plan) error {
	st, ok := status.FromError(err)
	if err == nil || !ok || st.Code() != codes.InvalidArgument {
		return err
	}
	var out PlanErrors
	for _, d := range st.Details() {
		br, ok := d.(*errdetails.BadRequest)
		if !ok {
			continue
		}
		for _, v := range br.GetFieldViolations() {
			side, key := p, ""
			switch f := v.GetField(); {
			case strings.HasPrefix(f, "plan."):
				key = strings.TrimPrefix(f, "plan.")
			case strings.HasPrefix(f, "base."):
				key = strings.TrimPrefix(f, "base.")
			case strings.HasPrefix(f, "what_if.") && whatIf != nil:
				side, key = whatIf, strings.TrimPrefix(f, "what_if.")
			default:
				return err
			}
			out = append(out, &PlanError{File: side.fileOf(key), Line: side.lineOf(key), Key: key, Reason: v.GetDescription()})
		}
	}
	if len(out) == 0 {
		return err
	}
	return out
}

// lineOf is the line of a key path, or of its nearest parent the file
// gives (0 when none, and for a value --set gave).
func (p *Plan) lineOf(key string) int {
	if p.fileOf(key) == "--set" {
		return 0
	}
	for k := key; k != ""; {
		if line := p.lines[k]; line > 0 {
			return line
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}
