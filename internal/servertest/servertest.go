// Package servertest runs a csplan server for tests, on both of its
// doors: gRPC and REST, each on a loopback listener of its own.
//
// The listeners are opened once and handed to Serve as they are, so that a
// port is never picked, freed and bound again (another test could take it
// in between). What a Server opens (the server, its gRPC connections, its
// idle REST connections) is closed when the test ends, and the test fails
// if Serve then returns an error. Failures of its helpers are reported to
// the test the Server was made for.
package servertest

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/csplan/csplan/server"
)

// Server is a csplan server serving on loopback until its test ends.
type Server struct {
	// GRPCAddr and HTTPAddr are the host:port of the gRPC and REST
	// listeners.
	GRPCAddr, HTTPAddr string
	// URL is the REST base URL, http://HTTPAddr (https:// when the
	// Config has TLS), without a trailing slash.
	URL string

	tb     testing.TB
	tls    bool
	client *http.Client

	mu      sync.Mutex
	conn    *grpc.ClientConn
	conns   []*grpc.ClientConn
	stopped bool // the connections are closed: later ones close with tb

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan error
	serveErr error
}

// NewServer starts server.New(cfg) on loopback listeners until tb ends.
func NewServer(tb testing.TB, cfg server.Config) *Server {
	tb.Helper()
	return start(tb, server.New(cfg), cfg.TLS != nil)
}

// Start serves srv, built by the caller (who may register services of
// its own first, as internal tests do), on loopback listeners until tb
// ends. srv must serve plaintext: a server with TLS is started with
// NewServer, which knows its Config.
func Start(tb testing.TB, srv *server.Server) *Server {
	tb.Helper()
	return start(tb, srv, false)
}

func start(tb testing.TB, srv *server.Server, tls bool) *Server {
	tb.Helper()
	grpcLis := listen(tb)
	httpLis := listen(tb)
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		GRPCAddr: grpcLis.Addr().String(),
		HTTPAddr: httpLis.Addr().String(),
		URL:      "http://" + httpLis.Addr().String(),
		tb:       tb,
		tls:      tls,
		client:   &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		cancel:   cancel,
		done:     make(chan error, 1),
	}
	if tls {
		s.URL = "https://" + s.HTTPAddr
	}
	go func() {
		err := srv.Serve(ctx, grpcLis, httpLis)
		// Serve may end on its own (an error): calls must then fail at
		// once rather than wait in a backlog nobody accepts from.
		grpcLis.Close()
		httpLis.Close()
		s.done <- err
	}()
	tb.Cleanup(func() {
		if err := s.Stop(); err != nil {
			tb.Errorf("Serve = %v after shutdown, want nil", err)
		}
	})
	return s
}

func listen(tb testing.TB) net.Listener {
	tb.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return lis
}

// Stop ends Serve as a cancelled context does (calls in flight may
// finish within the shutdown timeout), returns Serve's error, and then
// closes the connections the Server dialed. Later calls return the same
// error.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.cancel()
		s.serveErr = <-s.done
		s.mu.Lock()
		conns := s.conns
		s.conns, s.conn, s.stopped = nil, nil, true
		s.mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
		s.client.CloseIdleConnections()
	})
	return s.serveErr
}

// Conn is one gRPC connection to the server, dialed plaintext at the
// first call and shared by later ones. A server with TLS is dialed with
// Dial and its credentials.
func (s *Server) Conn() *grpc.ClientConn {
	s.tb.Helper()
	if s.tls {
		s.tb.Fatal("servertest: Conn dials plaintext; dial a TLS server with Dial and its credentials")
	}
	s.mu.Lock()
	conn := s.conn
	s.mu.Unlock()
	if conn != nil {
		return conn
	}
	conn = s.Dial()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		s.conn = conn
	}
	return s.conn
}

// Dial opens a new gRPC connection to the server with opts (plaintext
// without them), closed when the server stops (or, dialed after Stop,
// when the test ends).
func (s *Server) Dial(opts ...grpc.DialOption) *grpc.ClientConn {
	s.tb.Helper()
	if len(opts) == 0 {
		opts = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	conn, err := grpc.NewClient(s.GRPCAddr, opts...)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		s.tb.Cleanup(func() { conn.Close() })
	} else {
		s.conns = append(s.conns, conn)
	}
	return conn
}

// Do sends body (JSON) to route, a path such as /v1/capacity:compute, and
// returns the status code and the whole answer. It uses a plaintext client
// of the Server's own, whose connections close with it: a server with TLS
// is called with a client that trusts its certificate, at URL.
func (s *Server) Do(method, route, body string) (int, []byte) {
	s.tb.Helper()
	if s.tls {
		s.tb.Fatal("servertest: Do calls plaintext; call a TLS server with a client that trusts its certificate")
	}
	req, err := http.NewRequest(method, s.URL+route, strings.NewReader(body))
	if err != nil {
		s.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		s.tb.Fatalf("%s %s: %v", method, route, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.tb.Fatalf("%s %s: reading the answer: %v", method, route, err)
	}
	return resp.StatusCode, b
}

// Tokens is server.ParseTokenList(list) for a Config, failing tb on a
// bad list.
func Tokens(tb testing.TB, list string) *server.Tokens {
	tb.Helper()
	tokens, err := server.ParseTokenList(list)
	if err != nil {
		tb.Fatal(err)
	}
	return tokens
}
