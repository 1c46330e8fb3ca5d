package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/logbuf"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// openStream starts a REST assignment stream that sends its rules and then
// nothing more; the answer comes on the returned channel.
func openStream(t *testing.T, baseURL string, firstLine bool) (<-chan *http.Response, *io.PipeWriter) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, baseURL+"/v1/segments:assignStream", pr)
	if err != nil {
		t.Fatal(err)
	}
	answer := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("stream: %v", err)
			close(answer)
			return
		}
		answer <- resp
	}()
	if firstLine {
		pw.Write([]byte(`{"rules":{"segments":[{"name":"All"}]}}` + "\n"))
	}
	t.Cleanup(func() { pw.Close() })
	return answer, pw
}

// statusOf reads an error answer's status JSON.
func statusOf(t *testing.T, resp *http.Response) (code int, message string) {
	t.Helper()
	if resp == nil {
		t.Fatal("no answer")
	}
	defer resp.Body.Close()
	var st struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatalf("answer %d has no status JSON: %v", resp.StatusCode, err)
	}
	return st.Code, st.Message
}

// TestRESTStreamCutByDeadlineGetsStatus: a stream still open at its
// deadline ends with 504 and a status that names the flag.
func TestRESTStreamCutByDeadlineGetsStatus(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{StreamTimeout: 500 * time.Millisecond})
	answer, _ := openStream(t, srv.URL, true)
	select {
	case resp := <-answer:
		code, msg := statusOf(t, resp)
		if resp.StatusCode != http.StatusGatewayTimeout || code != int(codes.DeadlineExceeded) || !strings.Contains(msg, "--stream-timeout") {
			t.Errorf("cut stream = %d %d %q, want 504 DEADLINE_EXCEEDED naming --stream-timeout", resp.StatusCode, code, msg)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no answer to a stream past its deadline")
	}
}

// TestRESTStreamCutByShutdownGetsStatus: a stream still open when the
// shutdown timeout runs out ends with 503 UNAVAILABLE, and Serve returns.
func TestRESTStreamCutByShutdownGetsStatus(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{ShutdownTimeout: time.Second})
	answer, _ := openStream(t, srv.URL, true)
	time.Sleep(100 * time.Millisecond) // the stream is in
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop() }()
	select {
	case resp := <-answer:
		code, msg := statusOf(t, resp)
		if resp.StatusCode != http.StatusServiceUnavailable || code != int(codes.Unavailable) || !strings.Contains(msg, "shutting down") {
			t.Errorf("stream cut by shutdown = %d %d %q, want 503 UNAVAILABLE", resp.StatusCode, code, msg)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no answer to a stream cut by shutdown")
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
}

// TestFirstMessageDeadline: a REST stream or a gRPC stream that sends
// nothing after its headers is ended at the first-request deadline with a
// status naming the flag.
func TestFirstMessageDeadline(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{FirstRequestTimeout: 300 * time.Millisecond})
	answer, _ := openStream(t, srv.URL, false)
	select {
	case resp := <-answer:
		code, msg := statusOf(t, resp)
		if code != int(codes.DeadlineExceeded) || !strings.Contains(msg, "--first-request-timeout") {
			t.Errorf("REST stream without a line = %d %d %q, want DEADLINE_EXCEEDED naming --first-request-timeout", resp.StatusCode, code, msg)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no answer to a REST stream without a first line")
	}

	// gRPC answers a call whose context ended with its own message; the
	// log names the flag.
	conn := srv.Conn()
	stream, err := csplanv1.NewSegmentationServiceClient(conn).StreamSegmentAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var resp csplanv1.StreamSegmentAccountsResponse
	err = stream.RecvMsg(&resp) // the client sends nothing, and waits
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("gRPC stream without a message = %v, want DEADLINE_EXCEEDED", err)
	}
	// A unary call whose message never comes: its headers, then nothing.
	cs, err := conn.NewStream(context.Background(), &grpc.StreamDesc{ClientStreams: true}, csplanv1.CapacityService_GetBenchmarks_FullMethodName)
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.RecvMsg(&csplanv1.GetBenchmarksResponse{}); status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("unary call without its message = %v, want DEADLINE_EXCEEDED", err)
	}
}

// TestCallBounds: past --max-streams calls in flight, the next is refused
// at once on both transports, with the time to wait.
func TestCallBounds(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{MaxStreams: 1})
	conn := srv.Conn()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	held, err := csplanv1.NewSegmentationServiceClient(conn).StreamSegmentAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	held.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{
		Rules: &csplanv1.SegmentRules{Segments: []*csplanv1.SegmentRule{{Name: "All"}}}}})
	time.Sleep(100 * time.Millisecond)
	_, err = csplanv1.NewCapacityServiceClient(conn).GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{})
	if st := status.Convert(err); st.Code() != codes.ResourceExhausted || !strings.Contains(st.Message(), "--max-streams") {
		t.Errorf("a call past --max-streams = %v, want RESOURCE_EXHAUSTED naming the flag", err)
	}
	resp, body := httpDo(t, http.DefaultClient, http.MethodGet, srv.URL+"/v1/benchmarks", "", nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" || !strings.Contains(body, "--max-streams") {
		t.Errorf("a REST call past --max-streams = %d %q (Retry-After %q), want 429 naming the flag", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	// Health stays open: probes are answered whatever the load.
	resp, _ = httpDo(t, http.DefaultClient, http.MethodGet, srv.URL+"/healthz", "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz at the bound = %d, want 200", resp.StatusCode)
	}
	cancel()
	time.Sleep(100 * time.Millisecond) // the held stream's slot is freed
	if _, err := csplanv1.NewCapacityServiceClient(conn).GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Errorf("a call once the stream ended = %v, want served", err)
	}
}

// logRecord is one line of the JSON log.
type logRecord map[string]any

func logLines(t *testing.T, buf *logbuf.Buffer) []logRecord {
	t.Helper()
	var recs []logRecord
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var r logRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		recs = append(recs, r)
	}
	return recs
}

// TestRejectionsAreCountedAndLogged: requests refused before any service
// sees them are counted by route and reason and logged once at INFO, with
// only a short prefix of a bad value.
func TestRejectionsAreCountedAndLogged(t *testing.T) {
	var logs logbuf.Buffer
	reg := prometheus.NewRegistry()
	srv := servertest.NewServer(t, server.Config{
		Logger:       slog.New(slog.NewJSONHandler(&logs, nil)),
		Registry:     reg,
		MaxBodyBytes: 1 << 10,
	})
	base := srv.URL
	huge := strings.Repeat("7", 900)
	for _, tc := range []struct{ name, path, contentType, body, reason string }{
		{"JSON syntax", "/v1/capacity:evaluate", "application/json", `{"csmCount":`, "malformed"},
		{"bad number", "/v1/capacity:evaluate", "application/json", `{"csmCount":` + huge + `x}`, "malformed"},
		{"too large", "/v1/capacity:compute", "application/json", `{"segments":[{"name":"` + strings.Repeat("x", 2<<10) + `"}]}`, "too_large"},
		{"trailing data as NDJSON", "/v1/capacity:evaluate", "application/x-ndjson", `{"csmCount":1}` + "\n" + `{"csmCount":2}`, "malformed"},
		{"stream line", "/v1/segments:assignStream", "application/x-ndjson", `{"rules":` + "\n", "malformed"},
	} {
		resp, body := httpDo(t, http.DefaultClient, http.MethodPost, base+tc.path, tc.body, map[string]string{"Content-Type": tc.contentType})
		if resp.StatusCode != http.StatusBadRequest && !(tc.reason == "too_large" && resp.StatusCode < 500 && resp.StatusCode >= 400) {
			t.Errorf("%s: %d %.200s, want 400", tc.name, resp.StatusCode, body)
		}
		if len(body) > 400 || strings.Contains(body, huge[:100]) {
			t.Errorf("%s: the answer quotes the bad value at length: %.300s", tc.name, body)
		}
		want := 1.0
		if tc.reason == "malformed" && tc.path == "/v1/capacity:evaluate" {
			want = 0 // counted together below
		}
		if got := rejections(t, reg, "rest", tc.path, tc.reason); want == 1 && got != 1 {
			t.Errorf("%s: counted %v, want 1", tc.name, got)
		}
	}
	if got := rejections(t, reg, "rest", "/v1/capacity:evaluate", "malformed"); got != 3 {
		t.Errorf("malformed /v1/capacity:evaluate counted %v, want 3", got)
	}

	// gRPC: a message past the size bound, and a method that does not exist.
	conn := srv.Conn()
	big := &csplanv1.ComputeCapacityRequest{Segments: []*csplanv1.CapacitySegment{{Name: strings.Repeat("x", 5<<20)}}}
	_, err := csplanv1.NewCapacityServiceClient(conn).ComputeCapacity(context.Background(), big, grpc.MaxCallSendMsgSize(8<<20))
	if status.Code(err) != codes.ResourceExhausted {
		t.Errorf("a 5 MiB gRPC message = %v, want RESOURCE_EXHAUSTED", err)
	}
	// gRPC writes the status of a message past the bound before the
	// server's own code sees the error and counts it: wait for the count.
	if got := eventually(func() float64 {
		return rejections(t, reg, "grpc", csplanv1.CapacityService_ComputeCapacity_FullMethodName, "too_large")
	}, 1); got != 1 {
		t.Errorf("oversized gRPC messages counted %v, want 1", got)
	}
	err = conn.Invoke(context.Background(), "/csplan.v1.CapacityService/Guess"+strings.Repeat("x", 200), &csplanv1.GetBenchmarksRequest{}, &csplanv1.GetBenchmarksResponse{})
	if st := status.Convert(err); st.Code() != codes.Unimplemented || len(st.Message()) > 200 {
		t.Errorf("an unknown method = %v, want UNIMPLEMENTED with a short message", err)
	}
	if got := rejections(t, reg, "grpc", "unknown", "unknown_method"); got != 1 {
		t.Errorf("unknown methods counted %v, want 1 under the route \"unknown\"", got)
	}

	// One INFO line a rejection, none at ERROR; a line is written just
	// after its count, so wait for the seventh.
	eventually(func() float64 {
		n := 0
		for _, r := range logLines(t, &logs) {
			if r["msg"] == "request rejected" {
				n++
			}
		}
		return float64(n)
	}, 7)
	rejected := 0
	for _, r := range logLines(t, &logs) {
		if r["level"] == "ERROR" {
			t.Errorf("an ERROR line for a caller's mistake: %v", r)
		}
		if r["msg"] == "request rejected" {
			rejected++
			if r["level"] != "INFO" {
				t.Errorf("a rejection logged at %v, want INFO: %v", r["level"], r)
			}
			if m, _ := r["message"].(string); len(m) > 300 {
				t.Errorf("a rejection's log quotes %d characters: %.100s", len(m), m)
			}
		}
	}
	if rejected != 7 {
		t.Errorf("%d rejections logged, want 7 (one each)", rejected)
	}
}

// eventually polls get until it gives want, for at most five seconds, and
// returns what it gave last: for counts made just after a caller has its
// answer.
func eventually(get func() float64, want float64) float64 {
	got := get()
	for deadline := time.Now().Add(5 * time.Second); got != want && time.Now().Before(deadline); got = get() {
		time.Sleep(20 * time.Millisecond)
	}
	return got
}

// rejections is csplan_rejected_requests_total for one label set.
func rejections(t *testing.T, reg *prometheus.Registry, transport, route, reason string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	v := 0.0
	for _, mf := range mfs {
		if mf.GetName() != "csplan_rejected_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["transport"] == transport && labels["route"] == route && labels["reason"] == reason {
				v = m.GetCounter().GetValue()
			}
		}
	}
	return v
}

// TestBoundsInMetrics: every bound is reported, with its configured value.
func TestBoundsInMetrics(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{MaxStreams: 77, DrainDelay: 500 * time.Millisecond})
	_, body := httpDo(t, http.DefaultClient, http.MethodGet, srv.URL+"/metrics", "", nil)
	for _, want := range []string{
		`csplan_limit{limit="max_streams"} 77`,
		`csplan_limit{limit="max_connections_per_listener"} 1024`,
		`csplan_limit{limit="max_streams_per_connection"} 256`,
		`csplan_limit{limit="first_request_timeout"} 10`,
		`csplan_limit{limit="auth_failure_burst"} 100`,
		`csplan_limit{limit="auth_failure_rate"} 10`,
		`csplan_limit{limit="drain_delay"} 0.5`,
		`csplan_connections_open{listener="rest"} 1`,
		`csplan_connections_open{listener="grpc"} 0`,
		`csplan_connections_expired_total{listener="grpc"} 0`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestTokenRules: tokens too short to resist guessing, or digests of the
// wrong length, are refused at load with their line (or entry) number.
func TestTokenRules(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"# ok\nlong-enough-token-1\nshort\n", "line 3: a token of 5 characters is too short"},
		{"sha256:abc\n", "line 1: sha256: must be followed by 64 hex digits"},
		{"long-enough-token-1 acme\n", "line 1: a token has no spaces"},
	} {
		_, err := server.ParseTokens(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseTokens(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := server.ParseTokenList("long-enough-token-1,x"); err == nil || !strings.Contains(err.Error(), "entry 2: a token of 1 characters") {
		t.Errorf("ParseTokenList with a 1-character entry = %v, want entry 2 named", err)
	}
	if _, err := server.ParseTokens(strings.NewReader("sha256:" + strings.Repeat("ab", 32) + "\n")); err != nil {
		t.Errorf("a 64-digit digest = %v, want accepted", err)
	}
}

// TestBadValuesQuotedInPart: a service's answer to a huge bad value quotes
// only its start, on both transports.
func TestBadValuesQuotedInPart(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	month := "2027-" + strings.Repeat("1", 1<<20)
	_, err := csplanv1.NewCapacityServiceClient(srv.Conn()).ForecastCapacity(context.Background(),
		&csplanv1.ForecastCapacityRequest{StartMonth: month, HorizonMonths: 12, CsmCount: 1})
	if st := status.Convert(err); st.Code() != codes.InvalidArgument || len(st.Message()) > 300 || !strings.Contains(st.Message(), "2027-111") {
		t.Errorf("a 1 MiB month over gRPC = %v (%d characters), want INVALID_ARGUMENT quoting its start", st.Code(), len(st.Message()))
	}
	resp, body := httpDo(t, http.DefaultClient, http.MethodPost, srv.URL+"/v1/capacity:forecast",
		`{"startMonth":"`+month[:100_000]+`","horizonMonths":12,"csmCount":1}`, nil)
	if resp.StatusCode != http.StatusBadRequest || len(body) > 1000 {
		t.Errorf("a 100 kB month over REST = %d, %d bytes, want 400 quoting its start", resp.StatusCode, len(body))
	}
}
