package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/experimental"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/test/bufconn"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/brake"
	"github.com/csplan/csplan/internal/bufpool"
	"github.com/csplan/csplan/internal/connguard"
	"github.com/csplan/csplan/internal/vtcodec"
)

// Defaults of Config's zero values.
const (
	DefaultShutdownTimeout = 15 * time.Second
	DefaultMaxBodyBytes    = 4 << 20
	DefaultMaxRecvMsgBytes = 4 << 20
	// DefaultMaxUnaryAccounts bounds the accounts of one unary call; larger
	// books go through the streaming RPCs.
	DefaultMaxUnaryAccounts = 10_000
	// DefaultMaxStreamAccounts bounds the accounts of one stream.
	DefaultMaxStreamAccounts = 10_000_000
	// DefaultMaxLineBytes bounds one NDJSON line (one stream message) over
	// REST.
	DefaultMaxLineBytes = 4 << 20
	// DefaultUnaryTimeout is the longest a unary call may run.
	DefaultUnaryTimeout = 30 * time.Second
	// DefaultStreamTimeout is the longest a stream may run.
	DefaultStreamTimeout = 10 * time.Minute
	// DefaultMaxConcurrentStreams bounds the calls in flight on one
	// connection.
	DefaultMaxConcurrentStreams = 256
	// DefaultMaxConnections bounds the connections open on each listener.
	DefaultMaxConnections = 1024
	// DefaultMaxStreams bounds the calls in flight on all connections.
	DefaultMaxStreams = 4096
	// DefaultFirstRequestTimeout is how long a connection may stay without
	// an authenticated request, and a call without its first message.
	DefaultFirstRequestTimeout = 10 * time.Second
	// DefaultAuthFailureBurst and DefaultAuthFailureRate are the brake on
	// failed authentications per address: a burst, then a rate a second.
	DefaultAuthFailureBurst = brake.DefaultBurst
	DefaultAuthFailureRate  = brake.DefaultRate
)

// Config configures a Server. The zero value is usable: every field states
// its default.
type Config struct {
	// Logger receives one line per call and every internal error.
	// Default: discard.
	Logger *slog.Logger
	// Now is the clock, used where a request leaves the current month
	// implicit. Default time.Now.
	Now func() time.Time
	// Tokens, when set, are the bearer tokens every call but health must
	// carry. Default: no authentication.
	Tokens *Tokens
	// TLS, when set, serves TLS on both ports. Client certificates it
	// requires (ClientAuth, ClientCAs) apply to gRPC only: the REST port
	// serves browsers. Default: plaintext.
	TLS *tls.Config
	// CORSOrigins are the web origins allowed to call the REST API from a
	// browser. Default: none (no CORS headers).
	CORSOrigins []string
	// Registry receives the server's Prometheus metrics, served at
	// /metrics. Default: a private registry.
	Registry *prometheus.Registry
	// ShutdownTimeout bounds how long in-flight calls may finish once Serve's
	// context ends; the rest are then cut. Default 15s.
	ShutdownTimeout time.Duration
	// MaxBodyBytes caps a unary REST request body. Default 4 MiB.
	MaxBodyBytes int64
	// MaxRecvMsgBytes caps a gRPC message. Default 4 MiB.
	MaxRecvMsgBytes int
	// MaxUnaryAccounts caps the accounts of one unary call. Default 10,000.
	MaxUnaryAccounts int
	// MaxStreamAccounts caps the accounts of one stream. Default 10^7.
	MaxStreamAccounts int
	// MaxLineBytes caps one NDJSON line of a REST stream. Default 4 MiB.
	MaxLineBytes int
	// UnaryTimeout is the longest a unary call may run. Default 30s.
	UnaryTimeout time.Duration
	// StreamTimeout is the longest a stream may run. Default 10m.
	StreamTimeout time.Duration
	// MaxConcurrentStreams bounds the calls in flight per connection, on
	// gRPC and on REST over HTTP/2. Default 256.
	MaxConcurrentStreams uint32
	// MaxConnections bounds the connections open at once on each listener;
	// more wait in the kernel's backlog. Default 1,024.
	MaxConnections int
	// MaxStreams bounds the calls in flight on all connections together;
	// past it calls are refused (RESOURCE_EXHAUSTED, 429). Default 4,096.
	MaxStreams int
	// FirstRequestTimeout bounds a connection's handshake, the time it may
	// stay open before it carries an authenticated request (any request,
	// without tokens), and the time a call or REST stream may take to send
	// its first message. Default 10s.
	FirstRequestTimeout time.Duration
	// DrainDelay is how long Serve keeps serving once its context ends,
	// with health NOT_SERVING and every REST response asking the client to
	// close its connection, so that load balancers stop sending before the
	// listeners close. Default 0.
	DrainDelay time.Duration
	// AuthFailureBurst and AuthFailureRate bound failed authentications
	// per peer address (IPv4, or IPv6 /64): a burst, then a rate a second.
	// Past them the answer is RESOURCE_EXHAUSTED / 429 with the time to
	// wait, while valid tokens from the same peer are still served.
	// Defaults 100 and 10.
	AuthFailureBurst int
	AuthFailureRate  float64
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Registry == nil {
		c.Registry = prometheus.NewRegistry()
	}
	setDefault(&c.ShutdownTimeout, DefaultShutdownTimeout)
	setDefault(&c.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&c.MaxRecvMsgBytes, DefaultMaxRecvMsgBytes)
	setDefault(&c.MaxUnaryAccounts, DefaultMaxUnaryAccounts)
	setDefault(&c.MaxStreamAccounts, DefaultMaxStreamAccounts)
	setDefault(&c.MaxLineBytes, DefaultMaxLineBytes)
	setDefault(&c.UnaryTimeout, DefaultUnaryTimeout)
	setDefault(&c.StreamTimeout, DefaultStreamTimeout)
	setDefault(&c.MaxConcurrentStreams, DefaultMaxConcurrentStreams)
	setDefault(&c.MaxConnections, DefaultMaxConnections)
	setDefault(&c.MaxStreams, DefaultMaxStreams)
	setDefault(&c.FirstRequestTimeout, DefaultFirstRequestTimeout)
	setDefault(&c.AuthFailureBurst, DefaultAuthFailureBurst)
	setDefault(&c.AuthFailureRate, DefaultAuthFailureRate)
}

func setDefault[T int | int64 | uint32 | float64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// streamWorkersPerProc is the gRPC server's workers per processor.
const streamWorkersPerProc = 8

// Server serves csplan's services over gRPC and, through a gateway, over
// REST/JSON. Both doors pass through the same interceptors: unary REST
// calls reach the services directly through the unary chain (direct.go),
// streams through a gRPC connection in memory.
type Server struct {
	cfg    Config
	grpc   *grpc.Server
	health *health.Server
	mem    *bufconn.Listener
	doors  *doors
	// grpcDoor learns the methods at the first Serve, once every service
	// (tests add their own) is registered.
	grpcDoor    *grpcDoor
	methodsOnce sync.Once
	// stopping ends when shutdown begins to cut what is left: REST
	// streams then end with UNAVAILABLE.
	stopping  context.Context
	stopCalls context.CancelFunc

	unary        grpc.UnaryServerInterceptor
	capacity     *capacityService
	segmentation *segmentationService
	hiring       *hiringService
	planning     *planningService
	book         *bookService
}

// New builds a Server with every service, health, reflection and metrics
// registered.
func New(cfg Config) *Server {
	cfg.setDefaults()
	s := &Server{cfg: cfg, mem: bufconn.Listen(1 << 20), doors: newDoors(&cfg)}
	s.stopping, s.stopCalls = context.WithCancel(context.Background())
	door := &grpcDoor{doors: s.doors}
	s.grpcDoor = door

	metrics := grpcprom.NewServerMetrics(grpcprom.WithServerHandlingTimeHistogram())
	cfg.Registry.MustRegister(metrics,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	cfg.Registry.MustRegister(s.doors.rejected)
	registerLimits(cfg.Registry, &cfg)
	unary, stream := s.interceptors(metrics, door)
	opts := append([]grpc.ServerOption{grpc.UnaryInterceptor(unary), stream},
		grpc.InTapHandle(door.tap),
		// The connection guard (Serve) closes a connection that has not
		// carried an authenticated call within the first-request deadline,
		// its handshake (TLS, HTTP/2 preface and settings) included; gRPC's
		// own handshake deadline is the backstop, a second later.
		grpc.ConnectionTimeout(cfg.FirstRequestTimeout+time.Second),
		grpc.MaxRecvMsgSize(cfg.MaxRecvMsgBytes),
		grpc.ForceServerCodecV2(serverCodec{}),
		// Frames are read into buffers that are not cleared first (see
		// bufpool): they are overwritten whole.
		experimental.BufferPool(bufpool.Shared),
		grpc.MaxConcurrentStreams(cfg.MaxConcurrentStreams),
		// Calls run on long-lived workers whose stacks have already grown to
		// what a call needs: a fresh goroutine per call pays for growing its
		// stack every time. Calls arrive in bursts, so there are a few
		// workers per processor; calls beyond them get goroutines of their
		// own.
		grpc.NumStreamWorkers(uint32(streamWorkersPerProc*runtime.GOMAXPROCS(0))),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionIdle: 15 * time.Minute, Time: 2 * time.Minute, Timeout: 20 * time.Second}),
	)
	if cfg.TLS != nil {
		opts = append(opts, grpc.Creds(newTLSExceptInMemory(cfg.TLS)))
	}
	gs := grpc.NewServer(opts...)
	s.capacity = &capacityService{logger: cfg.Logger, now: cfg.Now}
	s.segmentation = &segmentationService{
		logger:            cfg.Logger,
		maxUnaryAccounts:  cfg.MaxUnaryAccounts,
		maxStreamAccounts: cfg.MaxStreamAccounts,
	}
	s.hiring = &hiringService{logger: cfg.Logger, now: cfg.Now}
	s.planning = &planningService{logger: cfg.Logger, now: cfg.Now, maxUnaryAccounts: cfg.MaxUnaryAccounts, maxStreamAccounts: cfg.MaxStreamAccounts}
	s.book = &bookService{logger: cfg.Logger, now: cfg.Now, maxUnaryAccounts: cfg.MaxUnaryAccounts, maxStreamAccounts: cfg.MaxStreamAccounts}
	s.unary = unary
	gs.RegisterService(door.guard(&csplanv1.CapacityService_ServiceDesc), s.capacity)
	gs.RegisterService(door.guard(&csplanv1.SegmentationService_ServiceDesc), s.segmentation)
	gs.RegisterService(door.guard(&csplanv1.HiringService_ServiceDesc), s.hiring)
	gs.RegisterService(door.guard(&csplanv1.PlanningService_ServiceDesc), s.planning)
	gs.RegisterService(door.guard(&csplanv1.BookService_ServiceDesc), s.book)

	hs := health.NewServer()
	healthpb.RegisterHealthServer(gs, hs)
	for name := range gs.GetServiceInfo() {
		hs.SetServingStatus(name, healthpb.HealthCheckResponse_SERVING)
	}
	reflection.Register(gs)
	metrics.InitializeMetrics(gs)

	s.grpc, s.health = gs, hs
	return s
}

// Serve serves gRPC on grpcLis (nil: in memory only, see InMemoryConn) and
// REST on httpLis (nil: no REST) until ctx ends, then drains and shuts
// down: health turns NOT_SERVING, REST responses ask clients to close their
// connections for DrainDelay, then the listeners stop accepting and
// in-flight calls get ShutdownTimeout to finish before they are cut. It
// returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, grpcLis, httpLis net.Listener) error {
	s.methodsOnce.Do(func() { s.grpcDoor.methods = knownMethods(s.grpc) })
	// The gateway is set up before anything serves, so that a failure here
	// leaves nothing running.
	var httpSrv *http.Server
	var gatewayConn *grpc.ClientConn
	if httpLis != nil {
		conn, err := s.dialInMemory()
		if err != nil {
			return err
		}
		handler, err := s.httpHandler(ctx, conn)
		if err != nil {
			conn.Close()
			return err
		}
		gatewayConn, httpSrv = conn, s.newHTTPServer(handler)
		httpLis = s.guard(httpLis, "rest")
		if s.cfg.TLS != nil {
			httpLis = tls.NewListener(httpLis, httpTLS(s.cfg.TLS))
		}
	}
	if grpcLis != nil {
		grpcLis = s.guard(grpcLis, "grpc")
	}

	g, gctx := errgroup.WithContext(ctx)
	if grpcLis != nil {
		g.Go(func() error { return s.serveGRPC(grpcLis) })
	}
	g.Go(func() error { return s.serveGRPC(s.mem) })
	if httpSrv != nil {
		g.Go(func() error {
			if err := httpSrv.Serve(httpLis); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("http server: %w", err)
			}
			return nil
		})
	}
	g.Go(func() error {
		<-gctx.Done()
		s.drain(gctx)
		s.shutdown(httpSrv)
		if gatewayConn != nil {
			gatewayConn.Close()
		}
		return nil
	})
	return g.Wait()
}

// guard bounds a listener's connections and reports them in /metrics.
func (s *Server) guard(lis net.Listener, name string) net.Listener {
	g := connguard.Listen(lis, connguard.Options{MaxConns: s.cfg.MaxConnections, FirstRequest: s.cfg.FirstRequestTimeout})
	labels := prometheus.Labels{"listener": name}
	// A second Serve of the same server re-registers: the first
	// registration stands.
	s.cfg.Registry.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "csplan_connections_open", Help: "Connections open on a listener.", ConstLabels: labels,
	}, func() float64 { return float64(g.Open()) }))
	s.cfg.Registry.Register(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "csplan_connections_expired_total", Help: "Connections closed for carrying no authenticated request within the first-request deadline.", ConstLabels: labels,
	}, func() float64 { return float64(g.Expired()) }))
	return g
}

// drain keeps serving for DrainDelay with health NOT_SERVING, so that load
// balancers take the replica out before its listeners close; REST
// responses meanwhile ask clients to close their connections, so that no
// keep-alive connection is left to be reset.
func (s *Server) drain(ctx context.Context) {
	s.doors.draining.Store(true)
	s.health.Shutdown()
	if s.cfg.DrainDelay > 0 {
		s.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "draining", slog.String("drain_delay", s.cfg.DrainDelay.String()))
		time.Sleep(s.cfg.DrainDelay)
	}
}

// newHTTPServer bounds every phase of a REST call, so that slow or stuck
// clients cannot hold connections: streams extend their own deadlines.
func (s *Server) newHTTPServer(handler http.Handler) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: s.cfg.FirstRequestTimeout,
		ReadTimeout:       s.cfg.UnaryTimeout + 10*time.Second,
		WriteTimeout:      s.cfg.UnaryTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		HTTP2:             &http.HTTP2Config{MaxConcurrentStreams: int(s.cfg.MaxConcurrentStreams)},
		ConnContext:       connContext,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelInfo),
	}
}

// httpTLS is the REST port's TLS: the server's certificate, without the
// client-certificate requirement that applies to gRPC.
func httpTLS(cfg *tls.Config) *tls.Config {
	c := cfg.Clone()
	c.ClientAuth = tls.NoClientCert
	c.ClientCAs = nil
	c.NextProtos = []string{"h2", "http/1.1"}
	return c
}

// serveGRPC serves lis until the server stops. A shutdown that comes before
// Serve has started is a clean end too.
func (s *Server) serveGRPC(lis net.Listener) error {
	if err := s.grpc.Serve(lis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return fmt.Errorf("grpc server: %w", err)
	}
	return nil
}

// shutdown stops accepting, lets in-flight work finish within the timeout
// and cuts the rest.
func (s *Server) shutdown(httpSrv *http.Server) {
	deadline := time.Now().Add(s.cfg.ShutdownTimeout)
	// REST streams are cut a little before the deadline, so that they can
	// still write the status that says why.
	cutStreams := time.AfterFunc(s.cfg.ShutdownTimeout-min(2*time.Second, s.cfg.ShutdownTimeout/5), s.stopCalls)
	defer cutStreams.Stop()
	stopped := make(chan struct{})
	go func() {
		s.grpc.GracefulStop()
		close(stopped)
	}()
	if httpSrv != nil {
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		if err := httpSrv.Shutdown(ctx); err != nil {
			httpSrv.Close()
		}
		cancel()
	}
	select {
	case <-stopped:
	case <-time.After(time.Until(deadline)):
		s.grpc.Stop()
		<-stopped
	}
}

// dialInMemory connects to the same gRPC server over an in-memory listener:
// the gateway's calls never leave the process, yet pass every interceptor.
func (s *Server) dialInMemory() (*grpc.ClientConn, error) {
	return grpc.NewClient("passthrough:///csplan-in-memory",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
			return s.mem.DialContext(ctx)
		}),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(s.cfg.MaxRecvMsgBytes), grpc.ForceCodecV2(vtcodec.Codec{})),
	)
}

// InMemoryConn returns a client connection to this server that never leaves
// the process: the CLI uses it to run the services without a network. The
// server must be serving (Serve called); the caller closes the connection.
func (s *Server) InMemoryConn() (*grpc.ClientConn, error) { return s.dialInMemory() }
