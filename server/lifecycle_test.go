package server_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/csplan/csplan/internal/logbuf"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// The tests here make a handler panic, block or wait for its deadline
// through a probe service of their own (server.RegisterProbe), which the
// real services have no room for.

func runProbe(ctx context.Context, conn *grpc.ClientConn) error {
	return conn.Invoke(ctx, server.ProbeMethod, new(emptypb.Empty), new(emptypb.Empty))
}

// serveProbe serves s, with its probe registered, until the test ends.
func serveProbe(t *testing.T, s *server.Server) (*grpc.ClientConn, func() error) {
	t.Helper()
	srv := servertest.Start(t, s)
	return srv.Conn(), srv.Stop
}

func TestPanicBecomesInternal(t *testing.T) {
	var logs logbuf.Buffer
	s := server.New(server.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	server.RegisterProbe(s, func(context.Context) error { panic("secret detail") })
	conn, _ := serveProbe(t, s)

	err := runProbe(context.Background(), conn)
	st := status.Convert(err)
	if st.Code() != codes.Internal || strings.Contains(st.Message(), "secret") {
		t.Errorf("panicking handler = %v, want Internal without the panic value", err)
	}
	if !strings.Contains(logs.String(), "secret detail") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("the panic and its stack were not logged:\n%s", logs.String())
	}
	if _, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Errorf("server stopped serving after a panic: %v", err)
	}
}

func TestUnaryDeadline(t *testing.T) {
	s := server.New(server.Config{UnaryTimeout: 50 * time.Millisecond})
	server.RegisterProbe(s, func(ctx context.Context) error {
		<-ctx.Done()
		return status.FromContextError(ctx.Err()).Err()
	})
	conn, _ := serveProbe(t, s)
	if err := runProbe(context.Background(), conn); status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("call without a client deadline = %v, want the server's DeadlineExceeded", err)
	}
}

// TestGracefulShutdown: on shutdown health turns NOT_SERVING, a call in
// flight finishes, and Serve returns nil.
func TestGracefulShutdown(t *testing.T) {
	s := server.New(server.Config{})
	entered, release := make(chan struct{}), make(chan struct{})
	server.RegisterProbe(s, func(context.Context) error {
		close(entered)
		<-release
		return nil
	})
	conn, stop := serveProbe(t, s)
	callErr := make(chan error, 1)
	go func() { callErr <- runProbe(context.Background(), conn) }()
	<-entered

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	// Shutdown starts with health: wait until it reports NOT_SERVING.
	for deadline := time.Now().Add(10 * time.Second); server.HealthStatus(s) != healthpb.HealthCheckResponse_NOT_SERVING; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("health still SERVING 10s after shutdown began, want NOT_SERVING")
		}
	}
	close(release)
	if err := <-callErr; err != nil {
		t.Errorf("in-flight call during shutdown = %v, want it to finish", err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
}

// TestShutdownCutsStuckCalls: a call that never finishes is cut once the
// shutdown timeout passes, and Serve still returns.
func TestShutdownCutsStuckCalls(t *testing.T) {
	s := server.New(server.Config{ShutdownTimeout: 100 * time.Millisecond})
	entered := make(chan struct{})
	server.RegisterProbe(s, func(ctx context.Context) error {
		close(entered)
		<-ctx.Done()
		return ctx.Err()
	})
	conn, stop := serveProbe(t, s)
	callErr := make(chan error, 1)
	go func() { callErr <- runProbe(context.Background(), conn) }()
	<-entered
	if err := stop(); err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
	if err := <-callErr; err == nil {
		t.Error("stuck call succeeded, want it cut")
	}
}
