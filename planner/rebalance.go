package planner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// RebalanceSpec is the plan's rebalance section: the band every CSM's
// hours should fall in, what a move costs, and the guardrails
// (BookService.RebalanceBook). Unset keys take the service's defaults.
type RebalanceSpec struct {
	// MinUtilization and MaxUtilization are the band, a CSM's hours over
	// its capacity (default 0.8 and 1.0).
	MinUtilization *float64 `yaml:"min_utilization"`
	MaxUtilization *float64 `yaml:"max_utilization"`
	// DisruptionWeight is what one moved account costs: accounts (the
	// default), hours or arr.
	DisruptionWeight DisruptionWeight `yaml:"disruption_weight"`
	// FreezeDaysBeforeRenewal keeps an account whose next renewal falls
	// within that many days after AsOfDate (default 60).
	FreezeDaysBeforeRenewal *int `yaml:"freeze_days_before_renewal"`
	// AsOfDate is "YYYY-MM-DD" (default: the current day, UTC).
	AsOfDate         string   `yaml:"as_of_date"`
	LockedAccountIDs []string `yaml:"locked_account_ids"`
	// KeepSegment moves an account only to a CSM of its own segment
	// (default true).
	KeepSegment *bool `yaml:"keep_segment"`
	// MatchAttributes are keys (region, language) on which an account and
	// its new CSM must agree: book.csms[].attributes and the accounts'
	// columns.
	MatchAttributes []string `yaml:"match_attributes"`
	MaxMoves        *int     `yaml:"max_moves"`
	// DepartingCSMIDs is the departure drill: these CSMs give up every
	// account and receive none.
	DepartingCSMIDs []string `yaml:"departing_csm_ids"`
	// FrontierPoints asks for that many bands of the trade-off curve.
	FrontierPoints int `yaml:"frontier_points"`
}

// DisruptionWeight is accounts, hours or arr.
type DisruptionWeight csplanv1.DisruptionWeight

func (d *DisruptionWeight) UnmarshalYAML(n *yaml.Node) error {
	v, err := enumValue(n, "disruption weight", "DISRUPTION_WEIGHT_", csplanv1.DisruptionWeight_value)
	*d = DisruptionWeight(v)
	return err
}

func (d DisruptionWeight) proto() csplanv1.DisruptionWeight { return csplanv1.DisruptionWeight(d) }

// ParseDisruptionWeight reads a weight as a flag gives it: accounts,
// hours or arr (or the contract's names).
func ParseDisruptionWeight(s string) (csplanv1.DisruptionWeight, error) {
	var d DisruptionWeight
	err := d.UnmarshalYAML(&yaml.Node{Kind: yaml.ScalarNode, Value: s, Line: 1})
	if err != nil {
		_, msg, _ := strings.Cut(err.Error(), ": ")
		return 0, errors.New(msg)
	}
	return d.proto(), nil
}

// HasRebalance reports whether the plan has a rebalance section (an empty
// one asks for the service's defaults).
func (p *Plan) HasRebalance() bool { return p.Rebalance != nil || p.lines["rebalance"] > 0 }

// RebalanceSettings is the plan as RebalanceBook reads it: the fields of
// BookSettings as BookSettings gives them, the timeline of hiring's
// time_to_hire_months and ramp_months (for the departure drill's
// backfill), and the band and guardrails of the rebalance section (none
// when the plan has none). horizon_months is left at 0, the service's
// default of 12 months from start_month; the caller may set it.
func (p *Plan) RebalanceSettings() *csplanv1.RebalanceSettings {
	b := p.BookSettings()
	out := &csplanv1.RebalanceSettings{
		CsmTime: b.GetCsmTime(), Segments: b.GetSegments(), Csms: b.GetCsms(), StartMonth: b.GetStartMonth(),
		HorizonMonths: b.GetHorizonMonths(), CustomerStages: b.GetCustomerStages(), ExcludeStages: b.GetExcludeStages(),
		Timeline: &csplanv1.Timeline{TimeToHireMonths: int32p(p.Hiring.TimeToHireMonths), RampMonths: int32p(p.Hiring.RampMonths)},
	}
	r := p.Rebalance
	if r == nil {
		return out
	}
	if r.MinUtilization != nil || r.MaxUtilization != nil {
		out.Band = &csplanv1.UtilizationBand{MinUtilization: r.MinUtilization, MaxUtilization: r.MaxUtilization}
	}
	out.DisruptionWeight = r.DisruptionWeight.proto()
	out.FreezeDaysBeforeRenewal = int32p(r.FreezeDaysBeforeRenewal)
	out.AsOfDate = r.AsOfDate
	out.LockedAccountIds = r.LockedAccountIDs
	if r.KeepSegment != nil {
		out.KeepSegment = proto.Bool(*r.KeepSegment)
	}
	out.MatchAttributes = r.MatchAttributes
	out.MaxMoves = int32p(r.MaxMoves)
	out.DepartingCsmIds = r.DepartingCSMIDs
	out.FrontierPoints = int32(r.FrontierPoints)
	return out
}

// Rebalance streams the plan's accounts CSV to StreamRebalanceBook with
// the plan's RebalanceSettings, and returns the service's answer. A
// field the service refuses comes back as a PlanError at the plan key
// it comes from (rebalance.max_utilization for settings.band.max_utilization).
// Rows skipped while reading are not passed to opts.Skipped: Run has
// passed them already, for the same file.
func Rebalance(ctx context.Context, c *client.Client, p *Plan, opts Options) (*csplanv1.RebalanceResult, error) {
	res, err := rebalance(ctx, c, p, opts)
	return res, p.explainRebalance(err)
}

func rebalance(ctx context.Context, c *client.Client, p *Plan, opts Options) (*csplanv1.RebalanceResult, error) {
	if p.AccountsPath() == "" {
		return nil, fmt.Errorf("%s: rebalancing needs the accounts: set book.accounts_csv", p.Path())
	}
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
	st, err := c.Book.StreamRebalanceBook(ctx)
	if err != nil {
		return nil, err
	}
	settings := p.RebalanceSettings()
	ok := st.Send(&csplanv1.StreamRebalanceBookRequest{Payload: &csplanv1.StreamRebalanceBookRequest_Settings{Settings: settings}}) == nil
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
		ok = st.Send(&csplanv1.StreamRebalanceBookRequest{Payload: &csplanv1.StreamRebalanceBookRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: accounts}}}) == nil
		progress(rd.Rows())
	}
	progress(-1)
	resp, err := st.CloseAndRecv()
	return resp.GetResult(), err
}

// RebalanceKey is the plan key a field of RebalanceSettings comes from:
// band.min_utilization is rebalance.min_utilization, timeline.ramp_months
// hiring.ramp_months, csms[1].id book.csms[1].id; "" for a field no key
// gives.
func RebalanceKey(field string) string {
	head, rest, _ := strings.Cut(field, ".")
	name, index, _ := strings.Cut(head, "[")
	if index != "" {
		index = "[" + index
	}
	tail := func(key string) string {
		if rest != "" {
			return key + index + "." + rest
		}
		return key + index
	}
	switch name {
	case "band":
		if rest == "min_utilization" || rest == "max_utilization" {
			return "rebalance." + rest
		}
		return "rebalance"
	case "timeline":
		if rest == "" {
			return "hiring"
		}
		return "hiring." + rest
	case "csms", "customer_stages", "exclude_stages":
		return tail("book." + name)
	case "csm_time", "segments", "start_month":
		return tail(name)
	case "disruption_weight", "freeze_days_before_renewal", "as_of_date", "locked_account_ids", "keep_segment",
		"match_attributes", "max_moves", "departing_csm_ids", "frontier_points":
		return tail("rebalance." + name)
	}
	return ""
}

// explainRebalance puts the service's refusal of settings fields on the
// plan's lines; any other error is returned as it is.
func (p *Plan) explainRebalance(err error) error {
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
			f, ok := strings.CutPrefix(v.GetField(), "settings.")
			key := RebalanceKey(f)
			if !ok || key == "" {
				return err
			}
			out = append(out, &PlanError{File: p.fileOf(key), Line: p.lineOf(key), Key: key, Reason: v.GetDescription()})
		}
	}
	if len(out) == 0 {
		return err
	}
	return out
}
