//go:build soak

package soak

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

var (
	duration = flag.Duration("soak-duration", 15*time.Second, "how long to drive the server")
	workers  = flag.Int("soak-workers", 8, "concurrent clients")
)

const token = "soak-token-000001"

// firstRequest is the soak server's --first-request-timeout: short, so
// that idle connections are seen to close within the soak.
const firstRequest = time.Second

// proc is a csplan server process.
type proc struct {
	cmd                *exec.Cmd
	grpcAddr, httpAddr string
	logs               *logLines
	done               chan struct{} // closed once the process has ended
	waitErr            error         // Wait's result, once done
}

func startServer(t *testing.T, args ...string) *proc {
	t.Helper()
	bin := buildServer(t)
	args = append([]string{"serve", "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0",
		"--log-format", "json", "--max-body-bytes", "65536", "--shutdown-timeout", "5s"}, args...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CSPLAN_AUTH_TOKENS="+token)
	// The log goes to a file, not a pipe: a test busy attacking the server
	// must not slow it down by reading its log late.
	logFile, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, logs: &logLines{file: logFile.Name()}, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		<-p.done
	})
	// The server logs its addresses when it starts.
	re := regexp.MustCompile(`"grpc":"([^"]+)".*"http":"([^"]+)"`)
	for start := time.Now(); p.grpcAddr == ""; time.Sleep(20 * time.Millisecond) {
		for _, line := range p.logs.all() {
			if m := re.FindStringSubmatch(line); m != nil {
				p.grpcAddr, p.httpAddr = m[1], m[2]
			}
		}
		select {
		case <-p.done:
			t.Fatalf("the server exited at start: %v\n%s", p.waitErr, strings.Join(p.logs.all(), "\n"))
		default:
		}
		if time.Since(start) > 30*time.Second {
			t.Fatal("server did not report its addresses")
		}
	}
	return p
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildServer builds cmd/csplan once for all the tests of the package.
func buildServer(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "csplan-soak")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "csplan")
		if out, err := exec.Command("go", "build", "-o", binPath, "../cmd/csplan").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// logLines reads the server's log.
type logLines struct{ file string }

func (l *logLines) all() []string {
	b, _ := os.ReadFile(l.file)
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// rssBytes reads the process's resident set size.
func (p *proc) rssBytes(t *testing.T) int64 { return p.status(t, "VmRSS:") }

// peakRSSBytes reads the process's peak resident set size since the last
// resetPeakRSS.
func (p *proc) peakRSSBytes(t *testing.T) int64 { return p.status(t, "VmHWM:") }

// resetPeakRSS starts the peak over from the present size.
func (p *proc) resetPeakRSS(t *testing.T) {
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.cmd.Process.Pid), []byte("5"), 0); err != nil {
		t.Fatalf("reset the peak RSS: %v", err)
	}
}

func (p *proc) status(t *testing.T, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/<pid>/status", field)
	return 0
}

// metric reads one sample of /metrics by its exact name and labels, as
// the exposition format prints them; 0 when absent.
func (p *proc) metric(t *testing.T, sample string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + p.httpAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			n, _ := strconv.ParseFloat(v, 64)
			return n
		}
	}
	return 0
}

// goroutines reads the server's goroutine count from /metrics.
func (p *proc) goroutines(t *testing.T) int {
	n := int(p.metric(t, "go_goroutines"))
	if n == 0 {
		t.Fatal("no go_goroutines in /metrics")
	}
	return n
}

// tally counts outcomes by traffic class and by gRPC code or HTTP status.
type tally struct {
	mu       sync.Mutex
	requests map[string]int
	outcomes map[string]int
	failures []string
}

func (ta *tally) record(class, outcome string, ok bool, detail string) {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	ta.requests[class]++
	ta.outcomes[outcome]++
	if !ok && len(ta.failures) < 20 {
		ta.failures = append(ta.failures, class+": "+detail)
	}
}

func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped with -short")
	}
	p := startServer(t, "--first-request-timeout", firstRequest.String())
	conn, err := grpc.NewClient(p.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	authed := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)
	// Warm up, then take the baseline.
	for i := 0; i < 20; i++ {
		validGRPC(authed, conn, rand.New(rand.NewPCG(1, uint64(i))))
	}
	baseGoroutines, baseRSS := p.goroutines(t), p.rssBytes(t)

	ta := &tally{requests: map[string]int{}, outcomes: map[string]int{}}
	stop := time.Now().Add(*duration)
	var wg sync.WaitGroup
	var seq atomic.Uint64
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			hc := &http.Client{Timeout: 20 * time.Second}
			for time.Now().Before(stop) {
				seq.Add(1)
				switch rng.IntN(12) {
				case 0, 1:
					ok, outcome, detail := validGRPC(authed, conn, rng)
					ta.record("valid gRPC", outcome, ok, detail)
				case 2:
					ok, outcome, detail := validREST(hc, p.httpAddr, rng)
					ta.record("valid REST", outcome, ok, detail)
				case 3:
					ok, outcome, detail := malformedREST(hc, p.httpAddr, rng)
					ta.record("malformed REST", outcome, ok, detail)
				case 4:
					ok, outcome, detail := oversizedREST(hc, p.httpAddr)
					ta.record("oversized REST", outcome, ok, detail)
				case 5:
					ok, outcome, detail := unauthenticated(conn, hc, p.httpAddr, rng)
					ta.record("unauthenticated", outcome, ok, detail)
				case 6:
					ok, outcome, detail := cutStream(authed, conn, rng)
					ta.record("stream cut half way", outcome, ok, detail)
				case 7:
					ok, outcome, detail := slowClient(p.httpAddr)
					ta.record("slow client", outcome, ok, detail)
				case 8:
					ok, outcome, detail := wrongTokenBigStream(p.httpAddr)
					ta.record("wrong-token big stream", outcome, ok, detail)
				case 9:
					ok, outcome, detail := malformedWrongToken(conn, p.httpAddr, rng)
					ta.record("malformed, wrong token", outcome, ok, detail)
				case 10:
					// Watched in the background: it takes the deadline.
					wg.Add(1)
					go func() {
						defer wg.Done()
						ok, outcome, detail := idleConnection(p.grpcAddr)
						ta.record("idle gRPC connection", outcome, ok, detail)
					}()
				case 11:
					ok, outcome, detail := guessFlood(authed, conn, hc, p.httpAddr)
					ta.record("guess flood", outcome, ok, detail)
				}
			}
		}(w)
	}
	wg.Wait()

	// Let the server settle: cut streams and closed connections unwind.
	var endGoroutines int
	for i := 0; i < 50; i++ {
		if endGoroutines = p.goroutines(t); endGoroutines <= baseGoroutines+10 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	endRSS := p.rssBytes(t)
	health, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{})

	t.Logf("soak: %s with %d workers, %d requests", *duration, *workers, seq.Load())
	for _, k := range sortedKeys(ta.requests) {
		t.Logf("  %-22s %7d", k, ta.requests[k])
	}
	t.Logf("outcomes:")
	for _, k := range sortedKeys(ta.outcomes) {
		t.Logf("  %-22s %7d", k, ta.outcomes[k])
	}
	t.Logf("goroutines before/after: %d / %d; RSS before/after: %.1f / %.1f MiB", baseGoroutines, endGoroutines, mib(baseRSS), mib(endRSS))

	for _, f := range ta.failures {
		t.Errorf("wrong answer: %s", f)
	}
	if err != nil || health.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health after the soak = %v, %v; want SERVING", health, err)
	}
	if endGoroutines > baseGoroutines+10 {
		t.Errorf("goroutines grew from %d to %d", baseGoroutines, endGoroutines)
	}
	if endRSS > 2*baseRSS+64<<20 {
		t.Errorf("RSS grew from %.1f to %.1f MiB", mib(baseRSS), mib(endRSS))
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// capacityRequest is a random but valid one-segment plan, with the answer
// it must get: accounts per CSM and headcount computed here by hand.
func capacityRequest(rng *rand.Rand) (req *csplanv1.ComputeCapacityRequest, wantAccountsPerCSM float64, wantHeadcount int32) {
	hours := 0.5 + float64(rng.IntN(8))          // per monthly touchpoint
	accounts := int32(1 + rng.IntN(2000))        // in the segment
	available := 40 * (52 - 25.0/5) / 12 * 2 / 3 // the defaults: 104.44 h
	req = &csplanv1.ComputeCapacityRequest{Segments: []*csplanv1.CapacitySegment{{
		Name: "S", Accounts: accounts, Arr: float64(accounts) * 20_000,
		Playbook: &csplanv1.Playbook{Touchpoints: []*csplanv1.Touchpoint{{Name: "Check-in", Hours: hours, Cadence: csplanv1.Cadence_CADENCE_MONTHLY}}},
	}}}
	fte := float64(accounts) * hours / available
	return req, math.Floor(available/hours + 1e-9), int32(math.Ceil(fte - 1e-9))
}

func validGRPC(ctx context.Context, conn *grpc.ClientConn, rng *rand.Rand) (bool, string, string) {
	req, wantPer, wantHead := capacityRequest(rng)
	resp, err := csplanv1.NewCapacityServiceClient(conn).ComputeCapacity(ctx, req)
	if err != nil {
		return false, "grpc " + status.Code(err).String(), err.Error()
	}
	seg := resp.GetSegments()[0]
	if seg.GetAccountsPerCsm() != wantPer || seg.GetCsmHeadcount() != wantHead {
		return false, "grpc OK (wrong)", fmt.Sprintf("got %v/%d, want %v/%d", seg.GetAccountsPerCsm(), seg.GetCsmHeadcount(), wantPer, wantHead)
	}
	return true, "grpc OK", ""
}

func post(hc *http.Client, url, body string, auth bool) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

func validREST(hc *http.Client, addr string, rng *rand.Rand) (bool, string, string) {
	// Seed 004: $4M over 5 CSMs is $0.8M per CSM.
	csms := 1 + rng.IntN(20)
	code, body, err := post(hc, "http://"+addr+"/v1/capacity:evaluate", fmt.Sprintf(`{"csmCount":%d,"accounts":100,"arr":4000000}`, csms), true)
	if err != nil {
		return false, "http error", err.Error()
	}
	want := fmt.Sprintf(`"arrPerCsm":%s`, strconv.FormatFloat(4_000_000/float64(csms), 'f', -1, 64))
	if code != http.StatusOK || !strings.Contains(body, want) {
		return false, "http " + strconv.Itoa(code), fmt.Sprintf("%d CSMs: %.200s, want %s", csms, body, want)
	}
	return true, "http 200", ""
}

var malformed = []string{
	`{"csmCount":`, `not json`, `{"acounts":5}`, `{"csmCount":-1}`, `{"arr":"NaN","csmCount":1}`,
	`{"segments":[{"name":"A","accounts":1,"playbook":{"touchpoints":[{"name":"x","hours":1}]}}]}`,
	`{"startMonth":"2027-13"}`, `{"horizonMonths":121}`, `[1,2,3]`, `{"csmCount":1e99}`,
}

var malformedRoutes = []string{"/v1/capacity:evaluate", "/v1/capacity:evaluate", "/v1/capacity:evaluate", "/v1/capacity:evaluate",
	"/v1/capacity:evaluate", "/v1/capacity:compute", "/v1/capacity:forecast", "/v1/capacity:forecast", "/v1/capacity:compute", "/v1/capacity:evaluate"}

func malformedREST(hc *http.Client, addr string, rng *rand.Rand) (bool, string, string) {
	i := rng.IntN(len(malformed))
	code, body, err := post(hc, "http://"+addr+malformedRoutes[i], malformed[i], true)
	if err != nil {
		return false, "http error", err.Error()
	}
	return code == http.StatusBadRequest, "http " + strconv.Itoa(code), fmt.Sprintf("%s: %d %.200s", malformed[i], code, body)
}

func oversizedREST(hc *http.Client, addr string) (bool, string, string) {
	body := `{"segments":[{"name":"` + strings.Repeat("x", 100<<10) + `"}]}`
	code, _, err := post(hc, "http://"+addr+"/v1/capacity:compute", body, true)
	if err != nil {
		return false, "http error", err.Error()
	}
	return code >= 400 && code < 500, "http " + strconv.Itoa(code), fmt.Sprintf("oversized body got %d", code)
}

// unauthenticated calls without a token. The soak makes more failed
// guesses from one address than the brake allows, so 429 and
// RESOURCE_EXHAUSTED are right answers too.
func unauthenticated(conn *grpc.ClientConn, hc *http.Client, addr string, rng *rand.Rand) (bool, string, string) {
	if rng.IntN(2) == 0 {
		_, err := csplanv1.NewCapacityServiceClient(conn).GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{})
		c := status.Code(err)
		return refusedGRPC(c), "grpc " + c.String(), fmt.Sprintf("got %v", err)
	}
	code, _, err := post(hc, "http://"+addr+"/v1/capacity:evaluate", `{"csmCount":1}`, false)
	if err != nil {
		return false, "http error", err.Error()
	}
	return refusedHTTP(code), "http " + strconv.Itoa(code), fmt.Sprintf("got %d", code)
}

func refusedGRPC(c codes.Code) bool {
	return c == codes.Unauthenticated || c == codes.ResourceExhausted
}
func refusedHTTP(code int) bool {
	return code == http.StatusUnauthorized || code == http.StatusTooManyRequests
}

// cutStream opens an assignment stream, sends the rules and a batch, and
// abandons it: the server must free what the stream held.
func cutStream(ctx context.Context, conn *grpc.ClientConn, rng *rand.Rand) (bool, string, string) {
	ctx, cancel := context.WithCancel(ctx)
	stream, err := csplanv1.NewSegmentationServiceClient(conn).StreamSegmentAccounts(ctx)
	if err != nil {
		cancel()
		return false, "grpc " + status.Code(err).String(), err.Error()
	}
	stream.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Rules{
		Rules: &csplanv1.SegmentRules{Segments: []*csplanv1.SegmentRule{{Name: "All"}}}}})
	batch := make([]*csplanv1.Account, 500)
	for i := range batch {
		batch[i] = &csplanv1.Account{Id: strconv.Itoa(i), Arr: float64(rng.IntN(100_000))}
	}
	stream.Send(&csplanv1.StreamSegmentAccountsRequest{Payload: &csplanv1.StreamSegmentAccountsRequest_Batch{Batch: &csplanv1.AccountBatch{Accounts: batch}}})
	cancel()
	return true, "stream cancelled", ""
}

// slowClient sends half a request body, dawdles, and goes away.
func slowClient(addr string) (bool, string, string) {
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/capacity:evaluate", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	go func() {
		pw.Write([]byte(`{"csmCount":`))
		<-ctx.Done()
		pw.CloseWithError(io.ErrUnexpectedEOF)
	}()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err == nil {
		resp.Body.Close()
		return resp.StatusCode >= 400 && resp.StatusCode < 500, "http " + strconv.Itoa(resp.StatusCode), "slow client answered " + strconv.Itoa(resp.StatusCode)
	}
	return true, "client gave up", ""
}
