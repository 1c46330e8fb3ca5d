package servertest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// TestServerServesBothDoorsUntilStopped: the gRPC connection and the REST
// helper reach the server, Stop ends it cleanly however often it is
// called, and nothing answers on its ports after.
func TestServerServesBothDoorsUntilStopped(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	conn := srv.Conn()
	if srv.Conn() != conn {
		t.Error("Conn dialed a second connection, want the first one shared")
	}
	if _, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Errorf("health over gRPC = %v, want served", err)
	}
	if code, body := srv.Do(http.MethodGet, "/healthz", ""); code != http.StatusOK {
		t.Errorf("GET /healthz = %d %s, want 200", code, body)
	}
	if err := srv.Stop(); err != nil {
		t.Errorf("Stop = %v, want nil", err)
	}
	if err := srv.Stop(); err != nil {
		t.Errorf("a second Stop = %v, want nil again", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := healthpb.NewHealthClient(srv.Dial()).Check(ctx, &healthpb.HealthCheckRequest{}); err == nil {
		t.Error("a call after Stop was served")
	}
	if resp, err := http.Get(srv.URL + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("GET /healthz after Stop = %d, want the connection refused", resp.StatusCode)
	}
}
