package server

import (
	"fmt"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan/capacity"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/bookwire"
)

// benchBookCSMs is the team of the benchmarked book, as in `go run ./bench`.
const benchBookCSMs = 2000

// benchBookSettings are the settings of the harness's StreamAnalyzeBook
// workload: three segments by ARR whose playbooks have a touchpoint of
// every anchor and inbound work, 2,000 CSMs and 24 months.
func benchBookSettings() *csplanv1.StreamAnalyzeBookRequest {
	f := func(x float64) *float64 { return &x }
	i := func(x int32) *int32 { return &x }
	const (
		even    = csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_EVEN
		start   = csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_START
		renewal = csplanv1.TouchpointAnchor_TOUCHPOINT_ANCHOR_RENEWAL
	)
	s := &csplanv1.BookSettings{
		CsmTime:    &csplanv1.CsmTime{WeeklyHours: f(40), TimeOffDaysPerYear: f(25), TargetUtilization: f(0.85)},
		StartMonth: "2027-01", HorizonMonths: 24,
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
	for c := range benchBookCSMs {
		s.Csms = append(s.Csms, &csplanv1.BookCsm{Id: "CSM-" + strconv.Itoa(10_000+c), Name: "CSM " + strconv.Itoa(c)})
	}
	return &csplanv1.StreamAnalyzeBookRequest{Payload: &csplanv1.StreamAnalyzeBookRequest_Settings{Settings: s}}
}

// benchBookBatch is the batch of accounts from, n of them, with owners
// spread over the team, dates and, on one in four, a term.
func benchBookBatch(from, n int) *csplanv1.StreamAnalyzeBookRequest {
	industries := []string{"Software", "Financial Services", "Healthcare", "Retail"}
	stages := []string{"Onboarding", "Adoption", "Renewal", "At Risk"}
	date := func(m, day int) string { return fmt.Sprintf("%04d-%02d-%02d", m/12, m%12+1, day) }
	batch := &csplanv1.AccountBatch{Accounts: make([]*csplanv1.Account, n)}
	for k := range batch.Accounts {
		i := from + k
		h := uint64(i) * 0x9E3779B97F4A7C15
		start, day, term := 2021*12+6+int(h>>32%84), 1+int(h>>16%28), 12
		health := float64(i % 100)
		a := &csplanv1.Account{
			Id:          "ACC-" + strconv.Itoa(10_000_000+i),
			Name:        "Account " + strconv.Itoa(i),
			Arr:         float64(1000 + (i*7919)%299_000),
			Stage:       stages[i%len(stages)],
			HealthScore: &health,
			Attributes:  map[string]string{"region": "EMEA", "industry": industries[i%len(industries)]},
			Owner:       "CSM-" + strconv.Itoa(10_000+i*1543%benchBookCSMs),
		}
		if i%4 == 0 {
			term = []int{12, 24, 36}[i/4%3]
			t := int32(term)
			a.ContractTermMonths = &t
		}
		renewal := start + term
		for renewal < 2026*12+11 {
			renewal += term
		}
		a.StartDate, a.RenewalDate = date(start, day), date(renewal, day)
		batch.Accounts[k] = a
	}
	return &csplanv1.StreamAnalyzeBookRequest{Payload: &csplanv1.StreamAnalyzeBookRequest_Batch{Batch: batch}}
}

// benchBookWire encodes the settings and b.N accounts, every one its own,
// in batches of benchBatch.
func benchBookWire(b *testing.B) [][]byte {
	head, err := proto.Marshal(benchBookSettings())
	if err != nil {
		b.Fatal(err)
	}
	msgs := [][]byte{head}
	for from := 0; from < b.N; from += benchBatch {
		m, err := proto.Marshal(benchBookBatch(from, min(benchBatch, b.N-from)))
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// BenchmarkStreamAnalyzeBook measures the server's book-analysis stream
// per account (run with -benchtime=1000000x for a book of 10^6):
// "per-account" is the frame's decoding, validation and the analyzer's
// Add, the steady-state path that must allocate nothing per account;
// "handler" the whole call, the analysis at its end included.
func BenchmarkStreamAnalyzeBook(b *testing.B) {
	svc := &bookService{logger: slog.New(slog.DiscardHandler), now: time.Now, maxUnaryAccounts: DefaultMaxUnaryAccounts, maxStreamAccounts: DefaultMaxStreamAccounts}
	b.Run("per-account", func(b *testing.B) {
		msgs := benchBookWire(b)
		an, err := capacity.NewBookAnalyzer(bookSettingsFromProto(benchBookSettings().GetSettings()), 0)
		if err != nil {
			b.Fatal(err)
		}
		f := bookwire.New(&csplanv1.StreamAnalyzeBookRequest{})
		var acct capacity.Account
		b.ReportAllocs()
		b.ResetTimer()
		for _, m := range msgs[1:] {
			if err := proto.Unmarshal(m, f); err != nil {
				b.Fatal(err)
			}
			for j := range f.Len() {
				f.Account(j, &acct)
				if err := capacity.ValidateAccount(&acct, "batch.accounts", j); err != nil {
					b.Fatal(err)
				}
				an.Add(&acct)
			}
		}
	})
	b.Run("handler", func(b *testing.B) {
		w := &wireStream[*csplanv1.StreamAnalyzeBookRequest, *csplanv1.StreamAnalyzeBookResponse]{
			ctx: b.Context(), msgs: benchBookWire(b), newReq: func() *csplanv1.StreamAnalyzeBookRequest { return new(csplanv1.StreamAnalyzeBookRequest) }}
		b.ReportAllocs()
		b.ResetTimer()
		if err := svc.StreamAnalyzeBook(w); err != nil {
			b.Fatal(err)
		}
	})
}
