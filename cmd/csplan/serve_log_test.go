package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServeLogsOnlyInItsFormat: under --log-format json every line serve
// writes is JSON, what gRPC and the gateway log themselves included (at
// DEBUG), and a caller's broken stream is never an ERROR.
func TestServeLogsOnlyInItsFormat(t *testing.T) {
	s := startServe(t, "--log-format", "json", "--log-level", "debug")
	httpAddr, logs := s.http, s.logs

	for _, body := range []string{
		"{\"rules\":{\"segments\":[{\"name\":\"All\"}]}}\n{\"batch\":", // cut mid-message
		"not json\n",
	} {
		resp, err := http.Post("http://"+httpAddr+"/v1/segments:assignStream", "application/x-ndjson", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a broken stream = %d, want 400", resp.StatusCode)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}
	rejected, fromGRPC := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("a log line that is not JSON: %q", line)
			continue
		}
		if rec["level"] == "ERROR" {
			t.Errorf("an ERROR for a caller's mistake: %q", line)
		}
		if rec["msg"] == "request rejected" {
			rejected++
		}
		// The gateway's own line about the broken stream, in serve's log.
		if rec["source"] == "grpc" && strings.Contains(rec["msg"].(string), "Failed to decode request") {
			fromGRPC++
			if rec["level"] != "DEBUG" {
				t.Errorf("gRPC's line at %v, want DEBUG: %q", rec["level"], line)
			}
		}
	}
	if fromGRPC == 0 {
		t.Errorf("the gateway's lines did not reach serve's log:\n%s", logs.String())
	}
	if rejected != 2 {
		t.Errorf("%d rejections logged, want 2:\n%s", rejected, logs.String())
	}
}

// TestServeRefusesNoBounds: a zero or negative bound would silently mean
// the default; serve refuses it, naming the flag.
func TestServeRefusesNoBounds(t *testing.T) {
	for _, args := range [][]string{
		{"--max-connections", "0"}, {"--max-streams", "-1"}, {"--max-streams-per-connection", "0"},
		{"--first-request-timeout", "0s"}, {"--auth-failure-burst", "0"}, {"--auth-failure-rate", "0"},
		{"--drain-delay", "-1s"},
	} {
		_, stderr, code := runCLI(t, "", append([]string{"serve", "--grpc-addr", "127.0.0.1:0", "--http-addr", ""}, args...)...)
		if code != 2 || !strings.Contains(stderr, args[0]) {
			t.Errorf("serve %v exited %d (%q), want 2 naming %s", args, code, stderr, args[0])
		}
	}
}
