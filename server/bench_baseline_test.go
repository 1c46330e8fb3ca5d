package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/csplan/csplan/server"
)

// serveREST serves cfg on a loopback REST port until the test ends and
// returns its base URL.
func serveREST(t *testing.T, cfg server.Config) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.New(cfg).Serve(ctx, nil, lis) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve returned %v after shutdown, want nil", err)
		}
	})
	return "http://" + lis.Addr().String()
}

func getBaseline(t *testing.T, base string) (int, string) {
	t.Helper()
	res, err := http.Post(base+"/bench/baseline", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(body)
}

func TestBenchBaselineServesItsBody(t *testing.T) {
	const want = `{"items":[1,2,3]}`
	code, got := getBaseline(t, serveREST(t, server.Config{BenchBaseline: []byte(want)}))
	if code != http.StatusOK || got != want {
		t.Errorf("POST /bench/baseline = %d %q, want 200 %q", code, got, want)
	}
}

func TestBenchBaselineIsOffByDefault(t *testing.T) {
	if code, _ := getBaseline(t, serveREST(t, server.Config{})); code != http.StatusNotFound {
		t.Errorf("POST /bench/baseline without BenchBaseline = %d, want 404", code)
	}
}
