package server

import (
	"fmt"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// largeSegmentResponse is the largest unary answer: a book at the unary
// limit with every account's assignment.
func largeSegmentResponse() *csplanv1.SegmentAccountsResponse {
	names := []string{"Strategic", "Regulated Mid-Market", "Mid-Market", "SMB"}
	resp := &csplanv1.SegmentAccountsResponse{TotalAccounts: DefaultMaxUnaryAccounts, TotalArr: 412_345_678}
	for i, name := range names {
		resp.Segments = append(resp.Segments, &csplanv1.SegmentSummary{
			Name: name, TouchModel: csplanv1.TouchModel(i%3 + 1), Accounts: 2500, Arr: 1e8,
			ArrMean: 40_000, ArrMedian: 31_000, ArrP90: 120_000, AccountShare: 0.25, ArrShare: 0.25,
			StageCounts:    []*csplanv1.StageCount{{Stage: "Adoption", Accounts: 1500}, {Stage: "Renewal", Accounts: 1000}},
			AccountsPerCsm: 40, CsmFte: 62.5, CsmHeadcount: 63,
		})
	}
	resp.Unassigned = &csplanv1.SegmentSummary{Name: "unassigned"}
	for i := range DefaultMaxUnaryAccounts {
		resp.Assignments = append(resp.Assignments, &csplanv1.Assignment{
			AccountId: fmt.Sprintf("ACC-%07d", i), Segment: names[i%len(names)],
		})
	}
	resp.Assumptions = []*csplanv1.Assumption{{Name: "segments[3].accounts_per_csm", Value: "ideal max of TECH touch"}}
	return resp
}

// BenchmarkJSONMarshalLargeResponse measures the gateway's JSON encoding
// of a 10,000-account SegmentAccounts answer, the largest a unary REST
// call returns: "gateway" is what the gateway runs (pbjson), "protojson"
// the encoder it replaces, which writes the same bytes.
func BenchmarkJSONMarshalLargeResponse(b *testing.B) {
	resp := largeSegmentResponse()
	for _, c := range []struct {
		name string
		m    runtime.Marshaler
	}{{"gateway", unaryJSON{jsonMarshaler()}}, {"protojson", jsonMarshaler()}} {
		b.Run(c.name, func(b *testing.B) {
			out, err := c.m.Marshal(resp)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.m.Marshal(resp); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
