package server

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/csplan/csplan/internal/logbuf"
)

// testService is a hand-written gRPC service whose one method runs fn, so
// that tests can make a handler panic, block, or wait for its deadline.
func registerTestService(s *Server, fn func(ctx context.Context) error) {
	s.grpc.RegisterService(&grpc.ServiceDesc{
		ServiceName: "csplan.test.Probe",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{
			MethodName: "Run",
			Handler: func(_ any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
				in := new(emptypb.Empty)
				if err := dec(in); err != nil {
					return nil, err
				}
				h := func(ctx context.Context, _ any) (any, error) { return new(emptypb.Empty), fn(ctx) }
				return ic(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/csplan.test.Probe/Run"}, h)
			},
		}},
	}, struct{}{})
}

func runProbe(ctx context.Context, conn *grpc.ClientConn) error {
	return conn.Invoke(ctx, "/csplan.test.Probe/Run", new(emptypb.Empty), new(emptypb.Empty))
}

// serveForTest starts s on a loopback listener; the returned stop ends
// Serve and returns its error.
func serveForTest(t *testing.T, s *Server) (*grpc.ClientConn, func() error) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, lis, nil) }()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var once sync.Once
	var serveErr error
	stop := func() error {
		once.Do(func() { cancel(); serveErr = <-done })
		return serveErr
	}
	t.Cleanup(func() { stop() })
	return conn, stop
}

func TestPanicBecomesInternal(t *testing.T) {
	var logs logbuf.Buffer
	s := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	registerTestService(s, func(context.Context) error { panic("secret detail") })
	conn, _ := serveForTest(t, s)

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
	s := New(Config{UnaryTimeout: 50 * time.Millisecond})
	registerTestService(s, func(ctx context.Context) error {
		<-ctx.Done()
		return status.FromContextError(ctx.Err()).Err()
	})
	conn, _ := serveForTest(t, s)
	if err := runProbe(context.Background(), conn); status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("call without a client deadline = %v, want the server's DeadlineExceeded", err)
	}
}

// TestGracefulShutdown: on shutdown health turns NOT_SERVING, a call in
// flight finishes, and Serve returns nil.
func TestGracefulShutdown(t *testing.T) {
	s := New(Config{})
	entered, release := make(chan struct{}), make(chan struct{})
	registerTestService(s, func(context.Context) error {
		close(entered)
		<-release
		return nil
	})
	conn, stop := serveForTest(t, s)
	callErr := make(chan error, 1)
	go func() { callErr <- runProbe(context.Background(), conn) }()
	<-entered

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	// Shutdown starts with health: wait until it reports NOT_SERVING.
	for {
		resp, err := s.health.Check(context.Background(), &healthpb.HealthCheckRequest{})
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_NOT_SERVING {
			break
		}
		time.Sleep(time.Millisecond)
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
	s := New(Config{ShutdownTimeout: 100 * time.Millisecond})
	entered := make(chan struct{})
	registerTestService(s, func(ctx context.Context) error {
		close(entered)
		<-ctx.Done()
		return ctx.Err()
	})
	conn, stop := serveForTest(t, s)
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
