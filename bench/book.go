package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// The analyzed book: bookCSMs CSMs own the accounts, and the window is
// bookHorizon months from bookStart.
const (
	bookCSMs    = 2000
	bookStart   = "2027-01"
	bookHorizon = 24
	// bookMinRate is the target: accounts per second of the server's CPU.
	bookMinRate = 2_000_000
)

// bookSettings are three segments by ARR whose playbooks have a
// touchpoint of every anchor (EVEN, START recurring and one-time spread
// over the first months, RENEWAL months before each renewal) and inbound
// work, and the team of bookCSMs CSMs that owns the book (two in each
// hundred half time).
func bookSettings() *csplanv1.BookSettings {
	f := func(x float64) *float64 { return &x }
	i := func(x int32) *int32 { return &x }
	const (
		even    = csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_EVEN
		start   = csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_START
		renewal = csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_RENEWAL
	)
	s := &csplanv1.BookSettings{
		CsmTime:    &csplanv1.CsmTime{WeeklyHours: f(40), TimeOffDaysPerYear: f(25), TargetUtilization: f(0.85)},
		StartMonth: bookStart, HorizonMonths: bookHorizon,
		Segments: []*csplanv1.SegmentRule{
			{Name: "Enterprise", MinArr: f(200_000), Playbook: &csplanv1.Playbook{
				Touchpoints: []*csplanv1.Touchpoint{
					{Name: "Monthly check-in", Hours: 1, Cadence: csplanv1.Cadence_CADENCE_MONTHLY, Anchor: start},
					{Name: "Quarterly business review", Hours: 4, Cadence: csplanv1.Cadence_CADENCE_QUARTERLY, Anchor: start},
					{Name: "Onboarding programme", Hours: 24, Cadence: csplanv1.Cadence_CADENCE_ONE_TIME, Anchor: start, SpreadMonths: i(3)},
					{Name: "Renewal preparation", Hours: 6, Anchor: renewal, MonthsBefore: i(3)},
					{Name: "Executive sponsor call", Hours: 2, Cadence: csplanv1.Cadence_CADENCE_SEMIANNUAL, Anchor: even},
				},
				Inbound: []*csplanv1.InboundActivity{{Name: "Escalations", PerAccountPerMonth: 0.5, Hours: 1.5}}}},
			{Name: "Mid-Market", MinArr: f(30_000), CustomerLifetimeMonths: f(30), Playbook: &csplanv1.Playbook{
				Touchpoints: []*csplanv1.Touchpoint{
					{Name: "Quarterly review", Hours: 2, Cadence: csplanv1.Cadence_CADENCE_QUARTERLY, Anchor: start},
					{Name: "Kick-off", Hours: 8, Cadence: csplanv1.Cadence_CADENCE_ONE_TIME, Anchor: start, SpreadMonths: i(2)},
					{Name: "Renewal call", Hours: 2, Anchor: renewal, MonthsBefore: i(1)},
					{Name: "Health check", Hours: 0.5, Cadence: csplanv1.Cadence_CADENCE_MONTHLY, Anchor: even},
				},
				Inbound: []*csplanv1.InboundActivity{{Name: "Product questions", PerAccountPerMonth: 0.4, Hours: 0.5}}}},
			{Name: "SMB", MinArr: f(1), CustomerLifetimeMonths: f(24), Playbook: &csplanv1.Playbook{
				Touchpoints: []*csplanv1.Touchpoint{
					{Name: "Group onboarding seat", Hours: 1, Cadence: csplanv1.Cadence_CADENCE_ONE_TIME, Anchor: start, SpreadMonths: i(1)},
					{Name: "Welcome pack", Hours: 0.5, Cadence: csplanv1.Cadence_CADENCE_ONE_TIME, Anchor: even},
					{Name: "Renewal reminder", Hours: 0.5, Anchor: renewal, MonthsBefore: i(1)},
					{Name: "Health review", Hours: 0.5, PerYear: f(2), Anchor: even},
				},
				Inbound: []*csplanv1.InboundActivity{{Name: "Requests", PerAccountPerMonth: 0.2, Hours: 0.5}}}},
		},
	}
	for c := range bookCSMs {
		csm := &csplanv1.BookCsm{Id: bookOwner(c), Name: "CSM " + strconv.Itoa(c)}
		if c%50 == 7 {
			csm.CapacityShare = f(0.5)
		}
		s.Csms = append(s.Csms, csm)
	}
	return s
}

// bookOwner is the id of CSM c.
func bookOwner(c int) string { return "CSM-" + strconv.Itoa(10_000+c) }

// bookAccount is account(i) with an owner (spread evenly over the team),
// a start date between 2021-07 and 2028-06, the next renewal on or after
// 2026-12 (the book's export, a term at a time from the start) and, on one
// account in four, a contract term of 12, 24 or 36 months (the others
// renew yearly, the default).
func bookAccount(i int) *csplanv1.Account {
	a := account(i)
	a.Owner = bookOwner(i * 1543 % bookCSMs) // 1543 is prime to 2000: each CSM owns n/2000
	h := uint64(i) * 0x9E3779B97F4A7C15
	startMonth := 2021*12 + 6 + int(h>>32%84) // 2021-07 .. 2028-06
	day := 1 + int(h>>16%28)
	term := 12
	if i%4 == 0 {
		term = []int{12, 24, 36}[i/4%3]
		t := int32(term)
		a.ContractTermMonths = &t
	}
	renewal := startMonth + term
	for renewal < 2026*12+11 {
		renewal += term
	}
	a.StartDate, a.RenewalDate = date(startMonth, day), date(renewal, day)
	return a
}

// date writes month m (counted from year 0) and day as YYYY-MM-DD.
func date(m, day int) string {
	return fmt.Sprintf("%04d-%02d-%02d", m/12, m%12+1, day)
}

// wireAnalyzeBook is the encoded book-analysis stream: the settings, then
// batches of streamBatch accounts, encoded before the clock starts.
func wireAnalyzeBook(n int) ([][]byte, error) {
	head, err := proto.Marshal(&csplanv1.StreamAnalyzeBookRequest{
		Payload: &csplanv1.StreamAnalyzeBookRequest_Settings{Settings: bookSettings()}})
	if err != nil {
		return nil, err
	}
	msgs := [][]byte{head}
	for start := 0; start < n; start += streamBatch {
		batch := &csplanv1.AccountBatch{}
		for i := start; i < min(n, start+streamBatch); i++ {
			batch.Accounts = append(batch.Accounts, bookAccount(i))
		}
		b, err := proto.Marshal(&csplanv1.StreamAnalyzeBookRequest{
			Payload: &csplanv1.StreamAnalyzeBookRequest_Batch{Batch: batch}})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, b)
	}
	return msgs, nil
}

// analyzeBookGRPC sends the book over one StreamAnalyzeBook call and
// checks the analysis: every account counted under a CSM of the
// settings, the book's ARR, every account with its dates.
func analyzeBookGRPC(ctx context.Context, s *served, msgs [][]byte, n int) (streamResult, error) {
	conn, err := grpc.NewClient(s.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64<<20)))
	if err != nil {
		return streamResult{}, err
	}
	defer conn.Close()
	desc := &grpc.StreamDesc{StreamName: "StreamAnalyzeBook", ClientStreams: true}
	r, resp, err := timed(s, func() (*csplanv1.StreamAnalyzeBookResponse, error) {
		st, err := conn.NewStream(ctx, desc, csplanv1.BookService_StreamAnalyzeBook_FullMethodName, grpc.ForceCodec(rawCodec{}))
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if err := st.SendMsg(m); err != nil {
				return nil, fmt.Errorf("send: %w", err)
			}
		}
		if err := st.CloseSend(); err != nil {
			return nil, err
		}
		resp := new(csplanv1.StreamAnalyzeBookResponse)
		return resp, st.RecvMsg(resp)
	})
	if err != nil {
		return streamResult{}, err
	}
	if err := checkBook(resp.GetResult(), n); err != nil {
		return streamResult{}, err
	}
	r.accounts = n
	return r, nil
}

// checkBook checks an analysis of the generated book of n accounts.
func checkBook(a *csplanv1.BookAnalysis, n int) error {
	var accounts int64
	var arr float64
	for _, c := range a.GetCsms() {
		accounts += int64(c.GetAccounts())
		arr += c.GetArr()
		if len(c.GetHours()) != bookHorizon {
			return fmt.Errorf("CSM %s has %d months, want %d", c.GetId(), len(c.GetHours()), bookHorizon)
		}
	}
	var renewals int64
	for _, m := range a.GetRenewals() {
		renewals += int64(m.GetAccounts())
	}
	switch want := bookARR(n); {
	case len(a.GetMonths()) != bookHorizon:
		return fmt.Errorf("the analysis has %d months, want %d", len(a.GetMonths()), bookHorizon)
	case len(a.GetCsms()) != bookCSMs || len(a.GetUnknownOwners()) > 0:
		return fmt.Errorf("the analysis has %d CSMs (unknown owners %.80v), want the %d of the settings", len(a.GetCsms()), a.GetUnknownOwners(), bookCSMs)
	case accounts != int64(n) || a.GetUnownedAccounts() != 0:
		return fmt.Errorf("the CSMs own %d accounts (%d unowned), want %d", accounts, a.GetUnownedAccounts(), n)
	case math.Abs(arr-want) > 1e-6*want:
		return fmt.Errorf("the CSMs own ARR %.0f, want %.0f", arr, want)
	case a.GetAccountsWithoutDates() != 0:
		return fmt.Errorf("%d accounts without dates, want none", a.GetAccountsWithoutDates())
	case len(a.GetSegments()) != 3 || renewals == 0:
		return fmt.Errorf("the analysis has %d segments and %d renewals in the window, want 3 and some", len(a.GetSegments()), renewals)
	}
	return nil
}

// perCPUSecond is the stream's accounts per second of the server's CPU.
func (r streamResult) perCPUSecond() float64 { return float64(r.accounts) / r.cpu.Seconds() }

// runBook sends the analyzed book round after round.
func runBook(ctx context.Context, o options, s *served, res *results) error {
	msgs, err := wireAnalyzeBook(o.accounts)
	if err != nil {
		return err
	}
	for r := range o.rounds {
		b, err := analyzeBookGRPC(ctx, s, msgs, o.accounts)
		if err != nil {
			return fmt.Errorf("StreamAnalyzeBook gRPC: %w", err)
		}
		res.bookGRPC = append(res.bookGRPC, b)
		res.progress("round %d/%d of the book analysis done: %.0f accounts/server-CPU s (%v of CPU), peak RSS growth %.1f MiB",
			r+1, o.rounds, b.perCPUSecond(), b.cpu, float64(b.rssGrow)/(1<<20))
	}
	return nil
}

// bookRows report the analyzed book: accounts per second of the server's
// CPU, and its peak RSS growth.
func (r *results) bookRows() []row {
	const name = "StreamAnalyzeBook gRPC"
	var rate, grow []float64
	for _, b := range r.bookGRPC {
		rate = append(rate, b.perCPUSecond())
		grow = append(grow, float64(b.rssGrow)/(1<<20))
	}
	rt, gr := spreadOf(rate), spreadOf(grow)
	how := "peak RSS growth (" + r.bookGRPC[0].rssHow + ")"
	return []row{
		{name, "accounts/server-CPU s", fmt.Sprintf("%.0f", rt.med), "-", rt, "%.0f", fmt.Sprintf(">= %d", bookMinRate), rt.med >= bookMinRate},
		{name, how, fmt.Sprintf("%.1f MiB", gr.med), "-", gr, "%.1f MiB", "<= 48 MiB", gr.max <= 48},
	}
}

// profileBook analyzes the book over gRPC, again and again, while the
// server records a CPU profile.
func profileBook(ctx context.Context, o options, s *served) error {
	msgs, err := wireAnalyzeBook(o.accounts)
	if err != nil {
		return err
	}
	path := filepath.Join(o.profile, "7-StreamAnalyzeBook-gRPC.cpu.pprof")
	got := make(chan error, 1)
	go func() { got <- s.cpuProfile(ctx, 3, path) }()
	for {
		select {
		case err := <-got:
			if err != nil {
				return fmt.Errorf("profile of the book analysis: %w", err)
			}
			fmt.Fprintln(os.Stderr, "CPU profile of StreamAnalyzeBook gRPC:", path)
			return nil
		default:
		}
		if _, err := analyzeBookGRPC(ctx, s, msgs, o.accounts); err != nil {
			return err
		}
	}
}
