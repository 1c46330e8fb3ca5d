package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

const openTestToken = "open-routes-token-01"

// startWithToken starts a server that takes openTestToken.
func startWithToken(t *testing.T, cfg server.Config) *servertest.Server {
	t.Helper()
	cfg.Tokens = servertest.Tokens(t, openTestToken)
	return servertest.NewServer(t, cfg)
}

func authedCtx() context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+openTestToken)
}

// TestHealthFloodCannotCrowdOutValidCalls: health calls without a token
// draw on a bound of their own, so that holding many of them refuses more
// of them, never a valid call.
func TestHealthFloodCannotCrowdOutValidCalls(t *testing.T) {
	srv := startWithToken(t, server.Config{MaxStreams: 2})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Two connections: one carries at most 256 calls.
	clients := []healthpb.HealthClient{healthpb.NewHealthClient(srv.Dial()), healthpb.NewHealthClient(srv.Dial())}
	refused := 0
	for i := range 300 {
		w, err := clients[i%2].Watch(ctx, &healthpb.HealthCheckRequest{})
		if err == nil {
			_, err = w.Recv()
		}
		if err != nil {
			if st := status.Convert(err); st.Code() != codes.ResourceExhausted || !strings.Contains(st.Message(), "without a token") {
				t.Fatalf("health watch %d = %v, want open or RESOURCE_EXHAUSTED without a token", i, err)
			}
			refused++
		}
	}
	if refused != 300-256 {
		t.Errorf("%d of 300 held health watches refused, want %d past the bound of 256", refused, 300-256)
	}
	if _, err := csplanv1.NewCapacityServiceClient(srv.Dial()).GetBenchmarks(authedCtx(), &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Errorf("a valid call during the health flood = %v, want served", err)
	}
}

// TestHealthHasNoFirstMessageDeadline: only csplan's methods, which read
// their message through a door, get the first-message deadline; a health
// watch on a kept connection lives past it.
func TestHealthHasNoFirstMessageDeadline(t *testing.T) {
	conn := startWithToken(t, server.Config{FirstRequestTimeout: 300 * time.Millisecond}).Conn()
	if _, err := csplanv1.NewCapacityServiceClient(conn).GetBenchmarks(authedCtx(), &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	w, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Recv(); err != nil {
		t.Fatal(err)
	}
	_, err = w.Recv() // nothing changes: the watch ends with the client's deadline
	if status.Code(err) != codes.DeadlineExceeded || ctx.Err() == nil {
		t.Errorf("a health watch past the first-message deadline ended with %v, want the client's own deadline", err)
	}
}

// TestHealthChecksKeepTheirConnection: a connection that carries only
// health checks (a load balancer's) stays open while they keep coming
// within the first-request deadline, and closes once they stop; a
// scrape of /metrics likewise.
func TestHealthChecksKeepTheirConnection(t *testing.T) {
	srv := startWithToken(t, server.Config{FirstRequestTimeout: 500 * time.Millisecond})
	health := healthpb.NewHealthClient(srv.Dial())
	hc := &http.Client{}
	for i := range 8 {
		if _, err := health.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
			t.Fatalf("check %d: %v", i, err)
		}
		resp, _ := httpDo(t, hc, http.MethodGet, srv.URL+"/metrics", "", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("scrape %d = %d", i, resp.StatusCode)
		}
		time.Sleep(200 * time.Millisecond)
	}
	_, body := httpDo(t, hc, http.MethodGet, srv.URL+"/metrics", "", nil)
	for _, want := range []string{`csplan_connections_expired_total{listener="grpc"} 0`, `csplan_connections_expired_total{listener="rest"} 0`} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("connections kept by checks every 200 ms were expired: /metrics lacks %s", want)
		}
	}
	time.Sleep(time.Second)
	_, body = httpDo(t, &http.Client{}, http.MethodGet, srv.URL+"/metrics", "", nil)
	for _, want := range []string{`csplan_connections_expired_total{listener="grpc"} 1`, `csplan_connections_expired_total{listener="rest"} 1`} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("a connection whose checks stopped was kept: /metrics lacks %s", want)
		}
	}
	// A method under the health service's name that it does not have is
	// no open door.
	err := srv.Dial().Invoke(context.Background(), "/grpc.health.v1.Health/Anything", &healthpb.HealthCheckRequest{}, &healthpb.HealthCheckResponse{})
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("an unknown health method without a token = %v, want UNAUTHENTICATED", err)
	}
}
