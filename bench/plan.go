package main

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// benchPlan is streamRules as a plan for a book of n accounts: the same
// segments, matched alike, each team about the size its share of the book
// needs, with growth, churn, attrition and a hire profile, so that the
// whole plan runs on the streamed book.
func benchPlan(n int) *csplanv1.Plan {
	p := &csplanv1.Plan{Company: "Bench Co", StartMonth: "2027-01", HorizonMonths: 12,
		Growth: &csplanv1.PlanGrowth{NewAccountsPerMonth: proto.Float64(float64(n) / 200), MonthlyLogoChurnRate: proto.Float64(0.005)},
		Hiring: &csplanv1.PlanHiring{BaseSalary: 100_000, AnnualCsmAttritionRate: proto.Float64(0.05)}}
	// The book's shares of each segment: ARR is spread evenly over $1K to
	// $300K and industries evenly over four, two of them regulated.
	shares := []float64{150.0 / 299, 65.0 / 299, 65.0 / 299, 19.0 / 299}
	for i, r := range streamRules().GetSegments() {
		m := &csplanv1.PlanMatch{MinArr: r.MinArr, Attributes: r.GetAttributes()}
		ratio := r.GetAccountsPerCsm()
		if ratio == 0 {
			ratio = 1000 // the tech-touch ideal maximum
		}
		p.Segments = append(p.Segments, &csplanv1.PlanSegment{Name: r.GetName(), TouchModel: r.GetTouchModel(), Match: m,
			AccountsPerCsm: r.AccountsPerCsm, Team: &csplanv1.PlanTeam{Csms: int32(shares[i] * float64(n) / ratio)}})
	}
	return p
}

// planGRPC sends the book over one StreamRunPlan call: the plan, then the
// very batches StreamSegmentAccounts got (a batch is field 2 of both
// requests, so its bytes are the same).
func planGRPC(ctx context.Context, s *served, msgs [][]byte, n int) (streamResult, error) {
	head, err := proto.Marshal(&csplanv1.StreamRunPlanRequest{Payload: &csplanv1.StreamRunPlanRequest_Plan{Plan: benchPlan(n)}})
	if err != nil {
		return streamResult{}, err
	}
	conn, err := grpc.NewClient(s.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64<<20)))
	if err != nil {
		return streamResult{}, err
	}
	defer conn.Close()
	desc := &grpc.StreamDesc{StreamName: "StreamRunPlan", ClientStreams: true}
	r, resp, err := timed(s, func() (*csplanv1.StreamRunPlanResponse, error) {
		st, err := conn.NewStream(ctx, desc, csplanv1.PlanningService_StreamRunPlan_FullMethodName, grpc.ForceCodec(rawCodec{}))
		if err != nil {
			return nil, err
		}
		for i, m := range msgs {
			if i == 0 {
				m = head
			}
			if err := st.SendMsg(m); err != nil {
				return nil, fmt.Errorf("send: %w", err)
			}
		}
		if err := st.CloseSend(); err != nil {
			return nil, err
		}
		resp := new(csplanv1.StreamRunPlanResponse)
		return resp, st.RecvMsg(resp)
	})
	if err != nil {
		return streamResult{}, err
	}
	if got := int(resp.GetResult().GetSegmentation().GetTotalAccounts()); got != n {
		return streamResult{}, fmt.Errorf("the plan counted %d accounts, want %d", got, n)
	}
	r.accounts = n
	return r, nil
}

// planRows compare the server CPU of a plan run on the streamed book with
// that of the segmentation stream of the same book, round by round.
func (r *results) planRows() []row {
	var ratio, grow, cpu, base []float64
	for i, p := range r.planGRPC {
		ratio = append(ratio, float64(p.cpu)/float64(r.streamGRPC[i].cpu))
		grow = append(grow, float64(p.rssGrow)/(1<<20))
		cpu, base = append(cpu, float64(p.cpu)), append(base, float64(r.streamGRPC[i].cpu))
	}
	rt, gr := spreadOf(ratio), spreadOf(grow)
	ms := func(v []float64) string { return time.Duration(spreadOf(v).med).Round(time.Millisecond).String() }
	how := "peak RSS growth (" + r.planGRPC[0].rssHow + ")"
	return []row{
		{"RunPlan over StreamRunPlan gRPC", "server CPU/book", ms(cpu), "StreamSegmentAccounts " + ms(base), rt, "%.2fx", "<= 2.0x", rt.med <= 2},
		{"RunPlan over StreamRunPlan gRPC", how, fmt.Sprintf("%.1f MiB", gr.med), "-", gr, "%.1f MiB", "<= 48 MiB", gr.max <= 48},
	}
}
