package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/csplan/csplan/internal/logbuf"
)

func TestBodyIsJSONOfAtLeastItsSize(t *testing.T) {
	for _, n := range []int{1, 100, 1900} {
		b := body(n)
		if len(b) < n || !json.Valid(b) {
			t.Errorf("body(%d) = %d bytes, valid JSON %v; want at least %d bytes of valid JSON", n, len(b), json.Valid(b), n)
		}
	}
}

// TestServesItsBody runs the program as the harness does, reads the
// address from its log line, and posts a request.
func TestServesItsBody(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var log logbuf.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-bytes", "500", "-pprof-addr", "127.0.0.1:0"}, &log) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after SIGINT = %v, want nil", err)
		}
	}()

	var line struct{ Msg, HTTP, Pprof, GOGC string }
	for deadline := time.Now().Add(10 * time.Second); line.Msg != readyMsg; {
		if time.Now().After(deadline) {
			t.Fatalf("no %q line in the log:\n%s", readyMsg, log.String())
		}
		time.Sleep(10 * time.Millisecond)
		if s, _, ok := strings.Cut(log.String(), "\n"); ok {
			if err := json.Unmarshal([]byte(s), &line); err != nil {
				t.Fatalf("log line %q: %v", s, err)
			}
		}
	}
	if line.HTTP == "" || line.Pprof == "" || line.GOGC == "" {
		t.Fatalf("log line lacks http, pprof or gogc: %s", log.String())
	}

	res, err := http.Post("http://"+line.HTTP+"/anything", "application/json", strings.NewReader(`{"segments":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" || !bytes.Equal(got, body(500)) {
		t.Errorf("POST = %d %s %q, want 200 application/json %q", res.StatusCode, res.Header.Get("Content-Type"), got, body(500))
	}
}

func TestRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-bytes", "0"}, {"extra"}, {"-nope"}} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}
