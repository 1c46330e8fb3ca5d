//go:build soak

package soak

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/testcerts"
)

// The attacks the server must withstand, each run against a real server
// process over its real listeners.

const wrongToken = "wrong-token-000000"

// rawRequest sends an HTTP/1.1 request head with the given headers over a
// fresh connection and, in the background, body; it returns the
// connection and a reader of the response.
func rawRequest(t *testing.T, addr, path string, headers map[string]string, body func(io.Writer)) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	// A small send buffer: the attacker's bytes wait in its own kernel,
	// not copied by the megabyte into buffers the server never reads,
	// which on a small machine would only time the attacker.
	c.(*net.TCPConn).SetWriteBuffer(64 << 10)
	var head strings.Builder
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: csplan\r\n", path)
	for k, v := range headers {
		fmt.Fprintf(&head, "%s: %s\r\n", k, v)
	}
	head.WriteString("\r\n")
	if _, err := io.WriteString(c, head.String()); err != nil {
		t.Fatal(err)
	}
	if body != nil {
		go body(c)
	}
	return c, bufio.NewReader(c)
}

// TestWrongTokenStreamsHoldNoMemory: 200 connections with a wrong token,
// each sending the rules line of a stream and an unfinished 3.9 MiB line,
// all held at once. The server answers each with 401 within a second,
// without reading the body, and its peak RSS barely moves.
func TestWrongTokenStreamsHoldNoMemory(t *testing.T) {
	// The brake would answer most of 200 guesses from one address with 429:
	// this test is about memory, so the brake is out of the way.
	p := startServer(t, "--auth-failure-burst", "1000")
	time.Sleep(200 * time.Millisecond)
	p.resetPeakRSS(t)
	base := p.peakRSSBytes(t)

	const conns = 200
	// 3.9 MB, and no newline; one slice for all, so that the attacker
	// does not spend the machine copying it.
	line := bytes.Repeat([]byte("x"), 3_900_000)
	var wg sync.WaitGroup
	var late, wrong atomic.Int64
	var held []net.Conn
	var waits []time.Duration
	var mu sync.Mutex
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			c, r := rawRequest(t, p.httpAddr, "/v1/segments:assignStream", map[string]string{
				"Authorization": "Bearer " + wrongToken, "Content-Type": "application/x-ndjson", "Content-Length": "8000000",
			}, func(w io.Writer) {
				io.WriteString(w, `{"rules":{"segments":[{"name":"All"}]}}`+"\n"+`{"batch":{"accounts":[{"id":"`)
				w.Write(line)
			})
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			resp, err := http.ReadResponse(r, nil)
			if err != nil || resp.StatusCode != http.StatusUnauthorized {
				wrong.Add(1)
				return
			}
			took := time.Since(start)
			mu.Lock()
			waits = append(waits, took)
			mu.Unlock()
			if took > time.Second {
				late.Add(1)
			}
		}()
	}
	wg.Wait()
	peak := p.peakRSSBytes(t)
	slices.Sort(waits)
	if len(waits) > 0 {
		t.Logf("401 after: median %v, p90 %v, p98 %v, slowest %v", waits[len(waits)/2], waits[len(waits)*9/10], waits[len(waits)*98/100], waits[len(waits)-1])
	}
	for _, c := range held {
		c.Close()
	}
	if wrong.Load() > 0 {
		t.Errorf("%d of %d connections got no 401", wrong.Load(), conns)
	}
	if late.Load() > 0 {
		t.Errorf("%d of %d connections waited more than a second for their 401", late.Load(), conns)
	}
	growth := peak - base
	t.Logf("peak RSS %.1f MiB, %.1f MiB over the %.1f MiB before the attack", mib(peak), mib(growth), mib(base))
	if growth > 48<<20 {
		t.Errorf("peak RSS grew by %.1f MiB, want at most 48 MiB", mib(growth))
	}
	if n := p.metric(t, `csplan_rejected_requests_total{reason="unauthenticated",route="/v1/segments:assignStream",transport="rest"}`); n != conns {
		t.Errorf("rejections counted = %v, want %d", n, conns)
	}
}

// TestWrongTokenHTTP2StreamsHoldNoMemory is the same attack over TLS and
// HTTP/2, where one connection multiplexes many streams: 200 of them with
// a wrong token and a 3.9 MB body, on a few connections. Each gets its
// 401, and peak RSS barely moves.
func TestWrongTokenHTTP2StreamsHoldNoMemory(t *testing.T) {
	certs := testcerts.New(t)
	p := startServer(t, "--tls-cert", certs.ServerCert, "--tls-key", certs.ServerKey, "--auth-failure-burst", "1000")
	pem, err := os.ReadFile(certs.CA)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	hc := &http.Client{Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: roots, ServerName: "localhost"},
		ForceAttemptHTTP2: true,
		MaxConnsPerHost:   4,
	}}
	time.Sleep(200 * time.Millisecond)
	p.resetPeakRSS(t)
	base := p.peakRSSBytes(t)
	body := bytes.Repeat([]byte("x"), 3_900_000)
	var wg sync.WaitGroup
	var mu sync.Mutex
	answers := map[string]int{}
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, "https://"+p.httpAddr+"/v1/segments:assignStream", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+wrongToken)
			resp, err := hc.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				answers["error: "+err.Error()]++
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			answers[fmt.Sprintf("%s %d", resp.Proto, resp.StatusCode)]++
		}()
	}
	wg.Wait()
	growth := p.peakRSSBytes(t) - base
	t.Logf("answers %v; peak RSS grew by %.1f MiB", answers, mib(growth))
	if answers["HTTP/2.0 401"] != 200 {
		t.Errorf("answers %v, want 200 HTTP/2 401s", answers)
	}
	if growth > 48<<20 {
		t.Errorf("peak RSS grew by %.1f MiB, want at most 48 MiB", mib(growth))
	}
}

// rawCodec sends bytes as they are, as a client with a broken encoder
// would.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return v.([]byte), nil }
func (rawCodec) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

// TestMalformedWithWrongTokenIsUnauthenticated: a body the server cannot
// parse, sent without a valid token, gets the plain 401 or UNAUTHENTICATED,
// never a parser's message; with a valid token it is the caller's mistake
// (INVALID_ARGUMENT, 400), counted, and quoted only in part.
func TestMalformedWithWrongTokenIsUnauthenticated(t *testing.T) {
	p := startServer(t)
	// Within the soak server's --max-body-bytes of 64 KiB.
	badNumber := `{"csmCount":` + strings.Repeat("9", 60_000) + `x}`
	for _, body := range []string{`{"csmCount":`, `not json`, badNumber} {
		for _, auth := range []string{"", "Bearer " + wrongToken} {
			code, resp, err := postAuth("http://"+p.httpAddr+"/v1/capacity:evaluate", body, auth)
			if err != nil {
				t.Fatal(err)
			}
			if code != http.StatusUnauthorized || !plainUnauthenticated(resp) {
				t.Errorf("%.20q with auth %q = %d %.200s, want the plain 401", body, auth, code, resp)
			}
		}
	}
	code, resp, _ := postAuth("http://"+p.httpAddr+"/v1/capacity:evaluate", badNumber, "Bearer "+token)
	if code != http.StatusBadRequest || len(resp) > 400 {
		t.Errorf("a 60 kB bad number with a valid token = %d, %d bytes (%.200s); want 400 quoting a short prefix", code, len(resp), resp)
	}
	if n := p.metric(t, `csplan_rejected_requests_total{reason="malformed",route="/v1/capacity:evaluate",transport="rest"}`); n != 1 {
		t.Errorf("malformed REST rejections counted = %v, want 1", n)
	}

	conn, err := grpc.NewClient(p.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	method := csplanv1.CapacityService_EvaluateTeam_FullMethodName
	garbage := []byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}
	for _, ctx := range []context.Context{context.Background(), metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+wrongToken)} {
		var out []byte
		err := conn.Invoke(ctx, method, garbage, &out, grpc.ForceCodec(rawCodec{}))
		if st := status.Convert(err); st.Code() != codes.Unauthenticated || st.Message() != "missing or invalid bearer token" {
			t.Errorf("a malformed message without a valid token = %v, want the plain UNAUTHENTICATED", err)
		}
	}
	var out []byte
	err = conn.Invoke(metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token), method, garbage, &out, grpc.ForceCodec(rawCodec{}))
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("a malformed message with a valid token = %v, want INVALID_ARGUMENT", err)
	}
	if n := p.metric(t, `csplan_rejected_requests_total{reason="malformed",route="`+method+`",transport="grpc"}`); n != 1 {
		t.Errorf("malformed gRPC rejections counted = %v, want 1", n)
	}
	for _, line := range p.logs.all() {
		if strings.Contains(line, `"level":"ERROR"`) || !strings.HasPrefix(line, "{") {
			t.Errorf("a caller's mistake logged as an ERROR or not as JSON: %.300s", line)
		}
	}
}

// plainUnauthenticated reports whether body is the status of a refused
// token and nothing else.
func plainUnauthenticated(body string) bool {
	var st struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Details []json.RawMessage `json:"details"`
	}
	err := json.Unmarshal([]byte(body), &st)
	return err == nil && st.Code == 16 && st.Message == "missing or invalid bearer token" && len(st.Details) == 0
}

func postAuth(url, body, auth string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// TestIdleConnectionsAreClosed: 1,000 gRPC connections that never send a
// request (and one that trickles the HTTP/2 preface a byte at a time) are
// all closed by the server within the first-request deadline.
func TestIdleConnectionsAreClosed(t *testing.T) {
	const deadline = 2 * time.Second
	p := startServer(t, "--first-request-timeout", deadline.String())
	const conns = 1000
	closed := make(chan time.Duration, conns+1)
	for i := range conns + 1 {
		c, err := net.Dial("tcp", p.grpcAddr)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		defer c.Close()
		opened := time.Now()
		go func() {
			if i == conns {
				// The trickler: one byte of the preface every 200 ms.
				go func() {
					for _, b := range []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") {
						if _, err := c.Write([]byte{b}); err != nil {
							return
						}
						time.Sleep(200 * time.Millisecond)
					}
				}()
			}
			c.SetReadDeadline(time.Now().Add(deadline + 10*time.Second))
			io.Copy(io.Discard, c) // until the server closes it, or the read deadline
			closed <- time.Since(opened)
		}()
	}
	var longest time.Duration
	for range conns + 1 {
		longest = max(longest, <-closed)
	}
	// The deadline runs from when the server accepts a connection, a
	// little after the dial returns; a second more is the slack of a busy
	// machine.
	if longest > deadline+time.Second {
		t.Errorf("an idle connection stayed open %v, want closed at the %v deadline", longest, deadline)
	}
	t.Logf("%d idle connections, the longest open %v", conns+1, longest.Round(time.Millisecond))
	// The client sees its connection closed a moment before the server
	// has counted the close: wait for the counts, within a deadline.
	var expired, open float64
	for wait := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		expired = p.metric(t, `csplan_connections_expired_total{listener="grpc"}`)
		open = p.metric(t, `csplan_connections_open{listener="grpc"}`)
		if (expired == conns+1 && open == 0) || time.Now().After(wait) {
			break
		}
	}
	if expired != conns+1 {
		t.Errorf("expired connections counted = %v, want %d", expired, conns+1)
	}
	if open != 0 {
		t.Errorf("gRPC connections open after the attack = %v, want 0", open)
	}
	// A connection that carries an authenticated call is kept past the
	// deadline, and keeps serving.
	conn, err := grpc.NewClient(p.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)
	client := csplanv1.NewCapacityServiceClient(conn)
	if _, err := client.GetBenchmarks(ctx, &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(deadline + time.Second)
	if _, err := client.GetBenchmarks(ctx, &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Fatal(err)
	}
	if n := p.metric(t, `csplan_connections_expired_total{listener="grpc"}`); n != conns+1 {
		t.Errorf("an authenticated connection was expired: %v expired, want %d", n, conns+1)
	}
}

// TestGuessFloodMeetsTheBrake: one address floods wrong tokens over both
// transports. Past the burst it gets 429 / RESOURCE_EXHAUSTED with the
// time to wait, while a valid token from the same address is served.
func TestGuessFloodMeetsTheBrake(t *testing.T) {
	p := startServer(t)
	conn, err := grpc.NewClient(p.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := csplanv1.NewCapacityServiceClient(conn)
	wrongCtx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+wrongToken)
	validCtx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)

	start := time.Now()
	counts := map[string]int{}
	for i := range 600 {
		if i%2 == 0 {
			_, err := client.GetBenchmarks(wrongCtx, &csplanv1.GetBenchmarksRequest{})
			st := status.Convert(err)
			counts["grpc "+st.Code().String()]++
			if st.Code() == codes.ResourceExhausted {
				retry := retryDelay(st)
				if retry < time.Second || retry > 2*time.Second {
					t.Errorf("RESOURCE_EXHAUSTED carries retry delay %v, want about 1s", retry)
				}
			}
		} else {
			req, _ := http.NewRequest(http.MethodGet, "http://"+p.httpAddr+"/v1/benchmarks", nil)
			req.Header.Set("Authorization", "Bearer "+wrongToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			counts[fmt.Sprintf("rest %d", resp.StatusCode)]++
			if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "1" {
				t.Errorf("429 with Retry-After %q, want 1", resp.Header.Get("Retry-After"))
			}
		}
		if i%50 == 0 {
			if _, err := client.GetBenchmarks(validCtx, &csplanv1.GetBenchmarksRequest{}); err != nil {
				t.Errorf("a valid token during the flood = %v, want served", err)
			}
			code, _, err := postAuth("http://"+p.httpAddr+"/v1/capacity:evaluate", `{"csmCount":5,"accounts":100,"arr":4000000}`, "Bearer "+token)
			if err != nil || code != http.StatusOK {
				t.Errorf("a valid REST call during the flood = %d %v, want 200", code, err)
			}
		}
	}
	elapsed := time.Since(start)
	t.Logf("600 guesses in %v: %v", elapsed.Round(time.Millisecond), counts)
	failed := counts["grpc Unauthenticated"] + counts["rest 401"]
	// The burst of 100, and 10 a second after it.
	if most := 100 + int(10*elapsed.Seconds()) + 1; failed > most {
		t.Errorf("%d guesses got a plain failure, want at most %d (burst 100, 10/s)", failed, most)
	}
	if counts["grpc ResourceExhausted"] == 0 || counts["rest 429"] == 0 {
		t.Errorf("the flood never met 429 / RESOURCE_EXHAUSTED on both transports: %v", counts)
	}
	braked := p.metric(t, `csplan_rejected_requests_total{reason="auth_failures",route="/v1/benchmarks",transport="rest"}`) +
		p.metric(t, `csplan_rejected_requests_total{reason="auth_failures",route="`+csplanv1.CapacityService_GetBenchmarks_FullMethodName+`",transport="grpc"}`)
	if int(braked) != counts["grpc ResourceExhausted"]+counts["rest 429"] {
		t.Errorf("braked guesses counted = %v, want %d", braked, counts["grpc ResourceExhausted"]+counts["rest 429"])
	}
	// A flood is one log line per run of refusals, not one per guess.
	logged := 0
	for _, line := range p.logs.all() {
		if strings.Contains(line, `"reason":"auth_failures"`) {
			logged++
		}
	}
	if logged == 0 || logged > 20 {
		t.Errorf("%d log lines for braked guesses, want a few", logged)
	}
}

func retryDelay(st *status.Status) time.Duration {
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			return ri.GetRetryDelay().AsDuration()
		}
	}
	return 0
}

// TestDrainLosesNoRequest: SIGTERM under keep-alive REST load, with a drain
// delay. /healthz answers 503 while draining; the clients go on for half a
// second after they see it, as a load balancer takes a moment to notice,
// then stop; not one request fails, and the server exits cleanly.
func TestDrainLosesNoRequest(t *testing.T) {
	p := startServer(t, "--drain-delay", "2s")
	var draining, stopped atomic.Bool
	var failures, served, closes atomic.Int64
	var errs sync.Map
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 10 * time.Second}
			for !stopped.Load() {
				req, _ := http.NewRequest(http.MethodPost, "http://"+p.httpAddr+"/v1/capacity:evaluate",
					strings.NewReader(`{"csmCount":5,"accounts":100,"arr":4000000}`))
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := hc.Do(req)
				if err != nil {
					failures.Add(1)
					errs.Store(err.Error(), true)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failures.Add(1)
					errs.Store(resp.Status, true)
					continue
				}
				served.Add(1)
				if resp.Close {
					closes.Add(1)
				}
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	sawHealth := map[int]int{}
	for deadline := time.Now().Add(30 * time.Second); !draining.Load(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			stopped.Store(true)
			t.Fatalf("/healthz did not answer 503 within 30s of SIGTERM (answers by status: %v)", sawHealth)
		}
		resp, err := http.Get("http://" + p.httpAddr + "/healthz")
		if err != nil {
			t.Fatalf("/healthz while draining: %v, want an answer", err)
		}
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		sawHealth[resp.StatusCode]++
		if resp.StatusCode == http.StatusServiceUnavailable {
			draining.Store(true)
		}
	}
	time.Sleep(500 * time.Millisecond)
	stopped.Store(true)
	wg.Wait()
	<-p.done
	errs.Range(func(k, _ any) bool { t.Errorf("request failed during the drain: %v", k); return true })
	if failures.Load() > 0 || served.Load() == 0 {
		t.Errorf("%d requests failed, %d served, want none failed", failures.Load(), served.Load())
	}
	if closes.Load() == 0 {
		t.Error("no response asked its client to close the connection while draining")
	}
	if p.waitErr != nil {
		t.Errorf("the server exited with %v, want 0", p.waitErr)
	}
	t.Logf("served %d, %d asked to close; /healthz answers %v", served.Load(), closes.Load(), sawHealth)
}
