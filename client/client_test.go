package client_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/csplan/csplan/client"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// fakeCapacity records what reaches the server and fails a set number of
// times with UNAVAILABLE.
type fakeCapacity struct {
	csplanv1.UnimplementedCapacityServiceServer
	failures    int
	calls       int
	auth        []string
	hasDeadline bool
}

func (f *fakeCapacity) GetBenchmarks(ctx context.Context, _ *csplanv1.GetBenchmarksRequest) (*csplanv1.GetBenchmarksResponse, error) {
	f.calls++
	md, _ := metadata.FromIncomingContext(ctx)
	f.auth = md.Get("authorization")
	_, f.hasDeadline = ctx.Deadline()
	if f.calls <= f.failures {
		return nil, status.Error(codes.Unavailable, "try again")
	}
	return &csplanv1.GetBenchmarksResponse{}, nil
}

func startFake(t *testing.T, f *fakeCapacity) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	csplanv1.RegisterCapacityServiceServer(gs, f)
	go gs.Serve(lis)
	t.Cleanup(gs.Stop)
	return lis.Addr().String()
}

func TestDialDefaults(t *testing.T) {
	f := &fakeCapacity{failures: 2}
	c, err := client.Dial(context.Background(), startFake(t, f), client.WithInsecure())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Capacity.GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Fatalf("GetBenchmarks after 2 UNAVAILABLE answers = %v, want success by retry", err)
	}
	if f.calls != 3 {
		t.Errorf("server saw %d calls, want 3 (2 retried failures and a success)", f.calls)
	}
	if !f.hasDeadline {
		t.Error("call without a deadline reached the server without the default one")
	}
}

func TestDialOptions(t *testing.T) {
	f := &fakeCapacity{failures: 1}
	c, err := client.Dial(context.Background(), startFake(t, f),
		client.WithInsecure(), client.WithRetry(1), client.WithTimeout(0), client.WithToken("s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Capacity.GetBenchmarks(context.Background(), &csplanv1.GetBenchmarksRequest{})
	if status.Code(err) != codes.Unavailable {
		t.Errorf("with retries off, GetBenchmarks = %v, want UNAVAILABLE", err)
	}
	if f.hasDeadline {
		t.Error("WithTimeout(0) still set a deadline")
	}
	if len(f.auth) != 1 || f.auth[0] != "Bearer s3cret" {
		t.Errorf("authorization metadata = %q, want the bearer token", f.auth)
	}
}

func TestDialRejectsConflictingTransport(t *testing.T) {
	_, err := client.Dial(context.Background(), "localhost:9090", client.WithInsecure(), client.WithTLS(nil))
	if err == nil {
		t.Fatal("Dial with WithInsecure and WithTLS succeeded, want an error")
	}
	var dummy interface{ GRPCStatus() *status.Status }
	if errors.As(err, &dummy) {
		t.Errorf("Dial's option error is a gRPC status: %v", err)
	}
}

func TestWithConnIsNotClosed(t *testing.T) {
	f := &fakeCapacity{}
	conn, err := grpc.NewClient(startFake(t, f), grpc.WithTransportCredentials(insecureCreds()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c, err := client.Dial(context.Background(), "ignored", client.WithConn(conn))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := csplanv1.NewCapacityServiceClient(conn).GetBenchmarks(ctx, &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Errorf("connection unusable after Client.Close: %v", err)
	}
}

func insecureCreds() credentials.TransportCredentials { return insecure.NewCredentials() }
