package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/csplan/csplan/internal/logbuf"
	"github.com/csplan/csplan/internal/testcerts"
)

func TestServeRefusesOpenAddressesWithoutTokens(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:9090"} {
		_, stderr, code := runCLI(t, "", "serve", "--grpc-addr", addr, "--http-addr", "")
		if code != 2 || !strings.Contains(stderr, "--insecure") {
			t.Errorf("serve --grpc-addr %s without tokens exited %d (%q), want 2 naming --insecure", addr, code, stderr)
		}
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"localhost:9090": true, "127.0.0.1:0": true, "[::1]:8080": true, "127.1.2.3:80": true,
		":9090": false, "0.0.0.0:9090": false, "10.0.0.1:9090": false, "example.com:9090": false, "nonsense": false,
	} {
		if got := loopback(addr); got != want {
			t.Errorf("loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestServeFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--tls-cert", "x.pem"},
		{"serve", "--tls-client-ca", "ca.pem"},
		{"serve", "--log-format", "xml"},
		{"serve", "extra"},
		{"serve", "--pprof-addr", "0.0.0.0:6060"},
		{"serve", "--pprof-addr", ":6060", "--insecure"},
	} {
		if _, _, code := runCLI(t, "", args...); code != 2 {
			t.Errorf("csplan %v exited %d, want 2", args, code)
		}
	}
}

// TestServeAndCallWithTLSAndToken runs the real serve command with mTLS and
// tokens, and calls it with the CLI's own flags.
func TestServeAndCallWithTLSAndToken(t *testing.T) {
	certs := testcerts.New(t)
	tokens := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(tokens, []byte("# CI\ncli-token-for-tests\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := startServe(t, "--http-addr", "", "--auth-tokens-file", tokens,
		"--tls-cert", certs.ServerCert, "--tls-key", certs.ServerKey, "--tls-client-ca", certs.CA).grpc

	base := []string{"benchmarks", "--server", addr, "--timeout", "20s"}
	mtls := []string{"--ca", certs.CA, "--cert", certs.ClientCert, "--key", certs.ClientKey}
	cases := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"mTLS and token", append(append([]string{}, mtls...), "--token", "cli-token-for-tests"), 0},
		{"mTLS without token", mtls, 64 + 16}, // Unauthenticated
		{"wrong token", append(append([]string{}, mtls...), "--token", "nope"), 64 + 16},
	}
	for _, tc := range cases {
		stdout, stderr, code := runCLI(t, "", append(append([]string{}, base...), tc.args...)...)
		if code != tc.wantCode {
			t.Errorf("%s: exited %d, want %d (stderr %q)", tc.name, code, tc.wantCode, stderr)
		}
		if tc.wantCode == 0 && !strings.Contains(stdout, "HIGH") {
			t.Errorf("%s: output lacks the benchmarks:\n%s", tc.name, stdout)
		}
	}
	// Without a client certificate the TLS handshake fails.
	if _, _, code := runCLI(t, "", append(append([]string{}, base...), "--ca", certs.CA, "--token", "cli-token-for-tests", "--timeout", "3s")...); code == 0 {
		t.Error("call without a client certificate succeeded against mTLS")
	}
}

// serving is a run of the serve command in process.
type serving struct {
	// grpc, http and pprof are the addresses its "csplan serving" line
	// names ("" for a listener it does not open).
	grpc, http, pprof string
	logs              *logbuf.Buffer
	// stop ends the run and returns its error; later calls return the
	// same error.
	stop func() error
}

// startServe runs serve with args after defaults of JSON logs and
// loopback listeners on ports of the system's choosing, and returns once
// its "csplan serving" line, which names the addresses it bound, is
// logged. Serve must return nil when the test ends.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	s := &serving{logs: &logbuf.Buffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	finished := make(chan struct{})
	var runErr error
	args = append([]string{"serve", "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--log-format", "json"}, args...)
	go func() {
		defer close(finished)
		runErr = run(ctx, args, nil, &bytes.Buffer{}, s.logs)
	}()
	s.stop = func() error {
		cancel()
		<-finished
		return runErr
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("serve %v returned %v", args[1:], err)
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		for _, line := range strings.Split(s.logs.String(), "\n") {
			var rec struct{ Msg, GRPC, HTTP, Pprof string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "csplan serving" {
				s.grpc, s.http, s.pprof = rec.GRPC, rec.HTTP, rec.Pprof
				return s
			}
		}
		select {
		case <-finished:
			t.Fatalf("serve %v ended before serving: %v\n%s", args[1:], runErr, s.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve %v logged no serving line within 30s:\n%s", args[1:], s.logs.String())
		}
	}
}

// TestTokensReloadOnSIGHUP edits the tokens file under a running server and
// sends SIGHUP: the new token is accepted and the old one refused.
func TestTokensReloadOnSIGHUP(t *testing.T) {
	// Keep SIGHUP from ending the test binary should it arrive before the
	// server listens for it.
	hup := make(chan os.Signal, 4)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	tokens := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(tokens, []byte("old-token-0000001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "--http-addr", "", "--auth-tokens-file", tokens)
	defer s.stop() // before signal.Stop: serve catches SIGHUP until it ends
	addr := s.grpc

	call := func(token string) int {
		_, _, code := runCLI(t, "", "benchmarks", "--server", addr, "--token", token, "--timeout", "10s")
		return code
	}
	if code := call("old-token-0000001"); code != 0 {
		t.Fatalf("old token before the reload exited %d", code)
	}
	if err := os.WriteFile(tokens, []byte("# rotated\nnew-token-0000001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for call("new-token-0000001") != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the new token was never accepted after SIGHUP")
		}
		syscall.Kill(os.Getpid(), syscall.SIGHUP)
		time.Sleep(50 * time.Millisecond)
	}
	if code := call("old-token-0000001"); code != 64+16 {
		t.Errorf("old token after the reload exited %d, want %d (Unauthenticated)", code, 64+16)
	}
}

// TestServePprof: --pprof-addr serves the runtime's profiles on its own
// port, apart from the API.
func TestServePprof(t *testing.T) {
	pprof := startServe(t, "--http-addr", "", "--pprof-addr", "127.0.0.1:0").pprof
	res, err := http.Get("http://" + pprof + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine profile") {
		t.Errorf("pprof answered %d:\n%.300s", res.StatusCode, body)
	}
}

// TestServeGCPercent: serve collects garbage at defaultGCPercent unless
// told otherwise, and says so in its serving line.
func TestServeGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, `"gogc":"200"`},
		{[]string{"--gc-percent", "150"}, `"gogc":"150"`},
	} {
		s := startServe(t, append([]string{"--http-addr", ""}, tc.args...)...)
		if err := s.stop(); err != nil {
			t.Errorf("serve %v returned %v", tc.args, err)
		}
		if !strings.Contains(s.logs.String(), tc.want) {
			t.Errorf("serve %v logged no %s:\n%s", tc.args, tc.want, s.logs.String())
		}
	}
	if got := debug.SetGCPercent(100); got != 150 {
		t.Errorf("after --gc-percent 150 the collector's percent is %d", got)
	}
}
