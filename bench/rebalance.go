package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// The rebalanced books: a large one streamed, a small one in one call.
const (
	rebalanceAccounts = 100_000
	rebalanceCSMs     = 500
	// rebalanceMaxCPU is the large book's target: server CPU per call.
	rebalanceMaxCPU = 2 * time.Second
	// rebalanceMaxGap is its target: disruption over the proven bound, less 1.
	rebalanceMaxGap = 0.01
	// smallCalls are the RebalanceBook calls of one round: enough that
	// /proc's clock ticks (10 ms) resolve the CPU per call.
	smallCalls = 200
	// smallMaxCPU is the small book's target: server CPU per call.
	smallMaxCPU = 100 * time.Millisecond
)

// rebalanceSegments are the large book's segments: rules by ARR without
// playbooks (every account carries its monthly_hours), each with its ARR
// range so that an account falls in its owner's segment.
var rebalanceSegments = []struct {
	name   string
	minARR float64
}{{"Enterprise", 200_000}, {"Mid-Market", 50_000}, {"SMB", 10_000}, {"Scale", 1_000}}

// rebalanceBand is both books' band, 80% to 100%.
func rebalanceBand() *csplanv1.UtilizationBand {
	lo, hi := 0.8, 1.0
	return &csplanv1.UtilizationBand{MinUtilization: &lo, MaxUtilization: &hi}
}

// largeRebalance is the large book's settings and accounts: rebalanceCSMs
// CSMs of 100 to 140 hours a month, in four segments in turn, and
// rebalanceAccounts accounts with log-normal monthly hours that total 90%
// of the team's capacity. Owners are drawn in proportion to weights of
// 0.75 to 1.25 times each CSM's capacity, so that about a third of the
// CSMs are above 100%. No account has a renewal date: none is frozen.
func largeRebalance() (*csplanv1.RebalanceSettings, []*csplanv1.Account) {
	rng := rand.New(rand.NewPCG(2027, 1))
	s := &csplanv1.RebalanceSettings{Band: rebalanceBand(), AsOfDate: "2027-01-04", StartMonth: "2027-01"}
	for _, g := range rebalanceSegments {
		min := g.minARR
		s.Segments = append(s.Segments, &csplanv1.SegmentRule{Name: g.name, MinArr: &min})
	}
	weights := make([]float64, rebalanceCSMs)
	var capacity, wsum float64
	for c := range rebalanceCSMs {
		h := float64(100 + rng.IntN(41))
		s.Csms = append(s.Csms, &csplanv1.BookCsm{Id: rebalanceOwner(c), CapacityHours: &h,
			Segment: rebalanceSegments[c%len(rebalanceSegments)].name})
		capacity += h
		weights[c] = h * (0.75 + 0.5*rng.Float64())
		wsum += weights[c]
	}
	cum := make([]float64, rebalanceCSMs)
	acc := 0.0
	for c, w := range weights {
		acc += w / wsum
		cum[c] = acc
	}
	mean := 0.9 * capacity / rebalanceAccounts
	accounts := make([]*csplanv1.Account, 0, rebalanceAccounts)
	for i := range rebalanceAccounts {
		u := rng.Float64()
		owner := 0
		for owner < rebalanceCSMs-1 && cum[owner] < u {
			owner++
		}
		// exp(0.6 z - 0.18) has mean 1: the hours average mean.
		h := mean * math.Exp(0.6*rng.NormFloat64()-0.18)
		arr := math.Round(rebalanceSegments[owner%len(rebalanceSegments)].minARR * (1 + 0.5*rng.Float64()))
		accounts = append(accounts, &csplanv1.Account{Id: "RB-" + strconv.Itoa(1_000_000+i),
			Owner: rebalanceOwner(owner), Arr: arr, MonthlyHours: &h})
	}
	return s, accounts
}

// rebalanceOwner is the id of CSM c.
func rebalanceOwner(c int) string { return "CSM-" + strconv.Itoa(1000+c) }

// smallRebalance is 40 accounts over 5 CSMs of 100 hours, 8 each, loaded
// 120%, 110%, 95%, 65% and 75%: 93% of the team's capacity, two CSMs
// above the band and one below it, solved exactly.
func smallRebalance() (*csplanv1.RebalanceBookRequest, error) {
	rng := rand.New(rand.NewPCG(5, 3))
	req := &csplanv1.RebalanceBookRequest{Settings: &csplanv1.RebalanceSettings{
		Band: rebalanceBand(), AsOfDate: "2027-01-04", StartMonth: "2027-01"}}
	load := []float64{1.2, 1.1, 0.95, 0.65, 0.75}
	var total float64
	for c, l := range load {
		capacity := 100.0
		req.Settings.Csms = append(req.Settings.Csms, &csplanv1.BookCsm{Id: "csm-" + strconv.Itoa(c), CapacityHours: &capacity})
		// Eight shares of 0.5 to 1.5, scaled to the CSM's load.
		shares := make([]float64, 8)
		var sum float64
		for k := range shares {
			shares[k] = 0.5 + rng.Float64()
			sum += shares[k]
		}
		for k, sh := range shares {
			h := math.Round(100*l*capacity*sh/sum) / 100
			total += h
			req.Accounts = append(req.Accounts, &csplanv1.Account{Id: fmt.Sprintf("a-%d-%d", c, k),
				Owner: "csm-" + strconv.Itoa(c), Arr: math.Round(1000 * h), MonthlyHours: &h})
		}
	}
	if total < 0.8*500 || total > 500 {
		return nil, fmt.Errorf("the small book has %.2f hours, want 400 to 500", total)
	}
	return req, nil
}

// wireRebalance is the encoded rebalancing stream: the settings, then
// batches of streamBatch accounts, encoded before the clock starts.
func wireRebalance(s *csplanv1.RebalanceSettings, accounts []*csplanv1.Account) ([][]byte, error) {
	head, err := proto.Marshal(&csplanv1.StreamRebalanceBookRequest{
		Payload: &csplanv1.StreamRebalanceBookRequest_Settings{Settings: s}})
	if err != nil {
		return nil, err
	}
	msgs := [][]byte{head}
	for start := 0; start < len(accounts); start += streamBatch {
		b, err := proto.Marshal(&csplanv1.StreamRebalanceBookRequest{Payload: &csplanv1.StreamRebalanceBookRequest_Batch{
			Batch: &csplanv1.AccountBatch{Accounts: accounts[start:min(len(accounts), start+streamBatch)]}}})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, b)
	}
	return msgs, nil
}

// rebalanceRound is one round of the group: the large book's server CPU
// and gap, and the small book's server CPU per call.
type rebalanceRound struct {
	large     streamResult
	gap       float64
	moves     int
	smallCall time.Duration
}

func dialBook(s *served) (*grpc.ClientConn, error) {
	return grpc.NewClient(s.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(256<<20)))
}

// rebalanceLargeGRPC sends the large book over one StreamRebalanceBook
// call and checks the answer: feasible, every CSM within the band, a
// proven bound; it returns the gap to the bound.
func rebalanceLargeGRPC(ctx context.Context, s *served, msgs [][]byte) (streamResult, *csplanv1.RebalanceResult, error) {
	conn, err := dialBook(s)
	if err != nil {
		return streamResult{}, nil, err
	}
	defer conn.Close()
	desc := &grpc.StreamDesc{StreamName: "StreamRebalanceBook", ClientStreams: true}
	r, resp, err := timed(s, func() (*csplanv1.StreamRebalanceBookResponse, error) {
		st, err := conn.NewStream(ctx, desc, csplanv1.BookService_StreamRebalanceBook_FullMethodName, grpc.ForceCodec(rawCodec{}))
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
		resp := new(csplanv1.StreamRebalanceBookResponse)
		return resp, st.RecvMsg(resp)
	})
	if err != nil {
		return streamResult{}, nil, err
	}
	res := resp.GetResult()
	if err := checkRebalance(res, rebalanceCSMs); err != nil {
		return streamResult{}, nil, err
	}
	if res.GetLowerBound() <= 0 {
		return streamResult{}, nil, fmt.Errorf("lower bound %v, want a positive one", res.GetLowerBound())
	}
	r.accounts = rebalanceAccounts
	return r, res, nil
}

// checkRebalance checks a rebalanced book of n CSMs: feasible, every CSM
// banded and within 80% to 100% after the moves.
func checkRebalance(res *csplanv1.RebalanceResult, n int) error {
	if !res.GetFeasible() {
		return fmt.Errorf("infeasible: %s", res.GetInfeasibility().GetReason())
	}
	if len(res.GetCsms()) != n || res.GetUnbandedCsms() != 0 {
		return fmt.Errorf("%d CSMs (%d unbanded), want %d all banded", len(res.GetCsms()), res.GetUnbandedCsms(), n)
	}
	for _, c := range res.GetCsms() {
		if u := c.GetUtilizationAfter(); u < 0.8-1e-9 || u > 1+1e-9 {
			return fmt.Errorf("CSM %s at %.4f after the moves, outside the band", c.GetId(), u)
		}
	}
	if len(res.GetMoves()) == 0 {
		return fmt.Errorf("no moves, want some")
	}
	return nil
}

// rebalanceSmallGRPC makes smallCalls RebalanceBook calls of the small
// book, checking each answer optimal, and returns the server's CPU per
// call (timed over all of them: /proc counts CPU in clock ticks) and the
// moves of the answer.
func rebalanceSmallGRPC(ctx context.Context, s *served, req []byte) (time.Duration, int, error) {
	conn, err := dialBook(s)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	moves := 0
	r, _, err := timed(s, func() (struct{}, error) {
		for range smallCalls {
			resp := new(csplanv1.RebalanceBookResponse)
			if err := conn.Invoke(ctx, csplanv1.BookService_RebalanceBook_FullMethodName, req, resp, grpc.ForceCodec(rawCodec{})); err != nil {
				return struct{}{}, err
			}
			res := resp.GetResult()
			if err := checkRebalance(res, 5); err != nil {
				return struct{}{}, err
			}
			if !res.GetOptimal() {
				return struct{}{}, fmt.Errorf("not optimal: disruption %v, bound %v", res.GetDisruption(), res.GetLowerBound())
			}
			moves = len(res.GetMoves())
		}
		return struct{}{}, nil
	})
	return r.cpu / smallCalls, moves, err
}

// runRebalance rebalances the large book and the small one, round after
// round.
func runRebalance(ctx context.Context, o options, s *served, res *results) error {
	msgs, err := wireRebalance(largeRebalance())
	if err != nil {
		return err
	}
	small, err := smallRebalance()
	if err != nil {
		return err
	}
	req, err := proto.Marshal(small)
	if err != nil {
		return err
	}
	for r := range o.rounds {
		large, out, err := rebalanceLargeGRPC(ctx, s, msgs)
		if err != nil {
			return fmt.Errorf("StreamRebalanceBook gRPC: %w", err)
		}
		per, smallMoves, err := rebalanceSmallGRPC(ctx, s, req)
		if err != nil {
			return fmt.Errorf("RebalanceBook gRPC: %w", err)
		}
		round := rebalanceRound{large: large, gap: out.GetDisruption()/out.GetLowerBound() - 1, moves: len(out.GetMoves()), smallCall: per}
		res.rebalance = append(res.rebalance, round)
		res.progress("round %d/%d of the rebalancing done: large book %v of CPU (%v elapsed), %d moves, gap %.3f%%; small book %v of CPU per call, %d moves",
			r+1, o.rounds, large.cpu, large.elapsed.Round(time.Millisecond), round.moves, 100*round.gap, per, smallMoves)
	}
	return nil
}

// rebalanceRows report the rebalanced books: the large one's server CPU
// and gap to the bound, the small one's server CPU per call.
func (r *results) rebalanceRows() []row {
	var cpu, gap, small []float64
	for _, x := range r.rebalance {
		cpu = append(cpu, x.large.cpu.Seconds())
		gap = append(gap, 100*x.gap)
		small = append(small, float64(x.smallCall)/1e6)
	}
	c, g, sm := spreadOf(cpu), spreadOf(gap), spreadOf(small)
	const large = "StreamRebalanceBook gRPC"
	return []row{
		{large, "server CPU/book", fmt.Sprintf("%.2f s", c.med), "-", c, "%.2f s", fmt.Sprintf("<= %.0f s", rebalanceMaxCPU.Seconds()), c.med <= rebalanceMaxCPU.Seconds()},
		{large, "gap to the lower bound", fmt.Sprintf("%.3f%%", g.med), "-", g, "%.3f%%", fmt.Sprintf("<= %.0f%%", 100*rebalanceMaxGap), g.med <= 100*rebalanceMaxGap},
		{"RebalanceBook gRPC", "server CPU/call", fmt.Sprintf("%.2f ms", sm.med), "-", sm, "%.2f ms", fmt.Sprintf("<= %d ms", smallMaxCPU.Milliseconds()), sm.med <= float64(smallMaxCPU.Milliseconds())},
	}
}
