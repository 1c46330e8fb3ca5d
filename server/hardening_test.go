package server_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/internal/testcerts"
	"github.com/csplan/csplan/server"
)

func withToken(ctx context.Context, token string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

func httpDo(t *testing.T, c *http.Client, method, url, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestAuthentication(t *testing.T) {
	tokens, err := server.ParseTokens(strings.NewReader("# team tokens\nteam-plain-token-1\nsha256:" +
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n")) // sha256("test")
	if err != nil {
		t.Fatal(err)
	}
	srv := servertest.NewServer(t, server.Config{Tokens: tokens})
	conn := srv.Conn()
	capacity := csplanv1.NewCapacityServiceClient(conn)
	ctx := context.Background()

	for _, tc := range []struct {
		name  string
		ctx   context.Context
		wantC codes.Code
	}{
		{"no token", ctx, codes.Unauthenticated},
		{"wrong token", withToken(ctx, "guess"), codes.Unauthenticated},
		{"plain token", withToken(ctx, "team-plain-token-1"), codes.OK},
		{"hashed token", withToken(ctx, "test"), codes.OK},
	} {
		_, err := capacity.GetBenchmarks(tc.ctx, &csplanv1.GetBenchmarksRequest{})
		if got := status.Code(err); got != tc.wantC {
			t.Errorf("%s: GetBenchmarks code = %v, want %v", tc.name, got, tc.wantC)
		}
		if tc.wantC == codes.Unauthenticated && strings.Contains(status.Convert(err).Message(), "team-plain-token-1") {
			t.Errorf("%s: the error reveals a token: %v", tc.name, err)
		}
	}

	if _, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		t.Errorf("health without a token = %v, want open", err)
	}
	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err == nil {
		stream.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}})
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("reflection without a token = %v, want Unauthenticated", err)
	}

	base := srv.URL
	for _, tc := range []struct {
		name, method, path, auth string
		want                     int
	}{
		{"REST without token", http.MethodGet, "/v1/benchmarks", "", http.StatusUnauthorized},
		{"REST wrong token", http.MethodGet, "/v1/benchmarks", "Bearer nope", http.StatusUnauthorized},
		{"REST right token", http.MethodGet, "/v1/benchmarks", "Bearer team-plain-token-1", http.StatusOK},
		{"healthz open", http.MethodGet, "/healthz", "", http.StatusOK},
		{"metrics open", http.MethodGet, "/metrics", "", http.StatusOK},
	} {
		resp, body := httpDo(t, http.DefaultClient, tc.method, base+tc.path, "", map[string]string{"Authorization": tc.auth})
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %s %s = %d %s, want %d", tc.name, tc.method, tc.path, resp.StatusCode, body, tc.want)
		}
	}

	// A reload replaces the accepted tokens at once.
	fresh, err := server.ParseTokenList("rotated-token-0001")
	if err != nil {
		t.Fatal(err)
	}
	tokens.Replace(fresh)
	if _, err := capacity.GetBenchmarks(withToken(ctx, "team-plain-token-1"), &csplanv1.GetBenchmarksRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Errorf("old token after reload = %v, want Unauthenticated", err)
	}
	if _, err := capacity.GetBenchmarks(withToken(ctx, "rotated-token-0001"), &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Errorf("new token after reload = %v, want OK", err)
	}
}

func TestParseTokensErrors(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n\n", "sha256:abc\n", "sha256:" + strings.Repeat("zz", 32)} {
		if _, err := server.ParseTokens(strings.NewReader(in)); err == nil {
			t.Errorf("ParseTokens(%q) succeeded, want an error", in)
		}
	}
}

func pool(t *testing.T, file string) *x509.CertPool {
	t.Helper()
	pem, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificates in %s", file)
	}
	return p
}

func keyPair(t *testing.T, cert, key string) tls.Certificate {
	t.Helper()
	kp, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// TestTLSModes serves TLS, then mTLS, and checks who gets in over gRPC and
// REST; the gateway keeps working in both.
func TestTLSModes(t *testing.T) {
	certs := testcerts.New(t)
	serverPair := keyPair(t, certs.ServerCert, certs.ServerKey)
	clientPair := keyPair(t, certs.ClientCert, certs.ClientKey)
	trusted := pool(t, certs.CA)
	untrusted := pool(t, certs.OtherCA)

	for _, mtls := range []bool{false, true} {
		name := "tls"
		cfg := &tls.Config{Certificates: []tls.Certificate{serverPair}, MinVersion: tls.VersionTLS12}
		if mtls {
			name = "mtls"
			cfg.ClientCAs = trusted
			cfg.ClientAuth = tls.RequireAndVerifyClientCert
		}
		t.Run(name, func(t *testing.T) {
			srv := servertest.NewServer(t, server.Config{TLS: cfg})
			call := func(creds grpc.DialOption) error {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_, err := csplanv1.NewCapacityServiceClient(srv.Dial(creds)).GetBenchmarks(ctx, &csplanv1.GetBenchmarksRequest{})
				return err
			}
			withCert := grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: trusted, Certificates: []tls.Certificate{clientPair}}))
			withoutCert := grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: trusted}))
			wrongCA := grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: untrusted, Certificates: []tls.Certificate{clientPair}}))
			plaintext := grpc.WithTransportCredentials(insecure.NewCredentials())

			if err := call(withCert); err != nil {
				t.Errorf("client with CA and certificate: %v, want OK", err)
			}
			if err := call(withoutCert); (err == nil) == mtls {
				t.Errorf("client without certificate: err = %v, want rejection only under mTLS", err)
			}
			if err := call(wrongCA); err == nil {
				t.Error("client that does not trust the server's CA got through")
			}
			if err := call(plaintext); err == nil {
				t.Error("plaintext client got through to a TLS server")
			}

			// REST is TLS without client certificates; its calls reach the
			// gRPC server through the in-memory connection.
			hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: trusted}}}
			resp, body := httpDo(t, hc, http.MethodGet, srv.URL+"/v1/benchmarks", "", nil)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("REST over TLS = %d %s, want 200", resp.StatusCode, body)
			}
			if resp, err := http.Get("http://" + srv.HTTPAddr + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusBadRequest {
					t.Errorf("plaintext request to the TLS port = %d, want 400", resp.StatusCode)
				}
			}
		})
	}
}

func TestCORS(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{CORSOrigins: []string{"https://app.example.com"}})
	preflight := map[string]string{
		"Origin":                         "https://app.example.com",
		"Access-Control-Request-Method":  "POST",
		"Access-Control-Request-Headers": "authorization,content-type",
	}
	resp, _ := httpDo(t, http.DefaultClient, http.MethodOptions, srv.URL+"/v1/capacity:compute", "", preflight)
	if resp.StatusCode/100 != 2 {
		t.Errorf("preflight status = %d, want 2xx", resp.StatusCode)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://app.example.com" {
		t.Errorf("Access-Control-Allow-Origin = %q, want the allowed origin", got)
	}
	if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("Access-Control-Allow-Credentials = %q, want none", got)
	}
	preflight["Origin"] = "https://evil.example.com"
	resp, _ = httpDo(t, http.DefaultClient, http.MethodOptions, srv.URL+"/v1/capacity:compute", "", preflight)
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("origin outside the allowlist got Access-Control-Allow-Origin %q", got)
	}
}

func TestRequestIDAndMetrics(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	resp, _ := httpDo(t, http.DefaultClient, http.MethodGet, srv.URL+"/v1/benchmarks", "", nil)
	if resp.Header.Get("X-Request-Id") == "" {
		t.Error("REST response carries no X-Request-Id")
	}
	resp, _ = httpDo(t, http.DefaultClient, http.MethodGet, srv.URL+"/v1/benchmarks", "", map[string]string{"X-Request-Id": "trace-42"})
	if got := resp.Header.Get("X-Request-Id"); got != "trace-42" {
		t.Errorf("X-Request-Id = %q, want the caller's trace-42", got)
	}
	var header metadata.MD
	_, err := csplanv1.NewCapacityServiceClient(srv.Conn()).GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{}, grpc.Header(&header))
	if err != nil || len(header.Get("x-request-id")) != 1 {
		t.Errorf("gRPC header x-request-id = %v (err %v), want one id", header.Get("x-request-id"), err)
	}
	_, body := httpDo(t, http.DefaultClient, http.MethodGet, srv.URL+"/metrics", "", nil)
	for _, want := range []string{
		`grpc_server_handled_total{grpc_code="OK",grpc_method="GetBenchmarks",grpc_service="csplan.v1.CapacityService",grpc_type="unary"} 3`,
		"grpc_server_handling_seconds_bucket",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestLimits(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{MaxRecvMsgBytes: 64 << 10, MaxLineBytes: 1 << 10, MaxBodyBytes: 2 << 10})
	capacity := csplanv1.NewCapacityServiceClient(srv.Conn())
	big := &csplanv1.ComputeCapacityRequest{Segments: []*csplanv1.CapacitySegment{{Name: strings.Repeat("x", 100<<10)}}}
	_, err := capacity.ComputeCapacity(context.Background(), big)
	if status.Code(err) != codes.ResourceExhausted {
		t.Errorf("message past the gRPC limit = %v, want ResourceExhausted", err)
	}
	if _, err := capacity.GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Errorf("after an oversized message the connection fails: %v", err)
	}

	// A valid body, padded past the limit: only the limit can refuse it.
	resp, body := httpDo(t, http.DefaultClient, http.MethodPost, srv.URL+"/v1/capacity:evaluate",
		`{"csmCount":1,"accounts":30`+strings.Repeat(" ", 3<<10)+`}`, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "too large") {
		t.Errorf("body past the limit = %d %s, want 400 saying it is too large", resp.StatusCode, body)
	}
	if resp, body := httpDo(t, http.DefaultClient, http.MethodPost, srv.URL+"/v1/capacity:evaluate", `{"csmCount":1,"accounts":30}`, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the same body within the limit = %d %s, want 200", resp.StatusCode, body)
	}

	// One message past the limit is refused whether it comes on one line
	// or spread over many short ones.
	accounts := strings.Repeat(`{"id":"a","arr":1},`, 100)
	for name, msg := range map[string]string{
		"one line":   `{"batch":{"accounts":[` + accounts + `{"id":"b"}]}}`,
		"many lines": `{"batch":{"accounts":[` + strings.ReplaceAll(accounts, "},", "},\n") + `{"id":"b"}]}}`,
	} {
		for _, route := range []string{"/v1/segments:suggestStream", "/v1/segments:assignStream"} {
			first := `{"settings":{"tiers":3}}`
			if strings.Contains(route, "assign") {
				first = `{"rules":{"segments":[{"name":"All"}]}}`
			}
			resp, body := httpDo(t, http.DefaultClient, http.MethodPost, srv.URL+route, first+"\n"+msg+"\n", nil)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "1024 bytes") {
				t.Errorf("%s: NDJSON message on %s past the limit = %d %s, want 400 naming the limit", route, name, resp.StatusCode, body)
			}
		}
	}
}
