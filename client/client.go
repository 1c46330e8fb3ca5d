package client

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// Defaults of the options below.
const (
	// DefaultTimeout is the deadline given to calls whose context has none.
	DefaultTimeout = 30 * time.Second
	// DefaultRetryAttempts is how many times a call that fails with
	// UNAVAILABLE is tried in all.
	DefaultRetryAttempts = 4
)

// Client holds a connection to csplan and the typed clients of its
// services. It is safe for concurrent use.
type Client struct {
	// Capacity sizes teams, evaluates them and forecasts hiring triggers.
	Capacity csplanv1.CapacityServiceClient
	// Segmentation segments books, suggests revenue tiers and plans
	// coverage.
	Segmentation csplanv1.SegmentationServiceClient
	// Hiring prices a hire and decides whether to make it.
	Hiring csplanv1.HiringServiceClient
	// Planning runs a whole plan as one reconciled computation.
	Planning csplanv1.PlanningServiceClient
	// Book reads a book's owners and dates month by month.
	Book csplanv1.BookServiceClient

	conn   grpc.ClientConnInterface
	closer func() error
}

// Option configures Dial.
type Option func(*options)

type options struct {
	tlsConfig     *tls.Config
	tlsSet        bool
	insecure      bool
	token         string
	timeout       time.Duration
	retryAttempts int
	dialOptions   []grpc.DialOption
	conn          grpc.ClientConnInterface
}

// WithTLS uses TLS with the given configuration. Default: TLS with the
// system's root certificates.
// A nil cfg means the defaults.
func WithTLS(cfg *tls.Config) Option {
	return func(o *options) { o.tlsConfig, o.tlsSet = cfg, true }
}

// WithInsecure uses a plaintext connection, for a server on loopback or
// behind a trusted proxy. Default: TLS.
func WithInsecure() Option { return func(o *options) { o.insecure = true } }

// WithToken sends "authorization: Bearer <token>" with every call. Default:
// no token.
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithTimeout sets the deadline of unary calls whose context has none; 0
// leaves them without one. Streams carry the caller's deadline only: a large
// book may take longer than any default. Default: DefaultTimeout.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithRetry sets how many times in all a call that fails with UNAVAILABLE
// is tried, with exponential backoff; 1 disables retries. Only UNAVAILABLE
// is retried: csplan's calls have no side effects, but other codes would
// fail again. Default: DefaultRetryAttempts.
func WithRetry(attempts int) Option { return func(o *options) { o.retryAttempts = attempts } }

// WithDialOptions appends raw gRPC dial options, after the ones the other
// options produce.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *options) { o.dialOptions = append(o.dialOptions, opts...) }
}

// WithConn uses an existing connection (for example an in-memory one) instead
// of dialing; the transport options are then ignored, and Close does not
// close it.
func WithConn(conn grpc.ClientConnInterface) Option { return func(o *options) { o.conn = conn } }

// Dial returns a client for the csplan server at target (host:port, or any
// gRPC target). Like grpc.NewClient it does no I/O: the connection is made
// on the first call. ctx is not retained.
func Dial(ctx context.Context, target string, opts ...Option) (*Client, error) {
	o := options{timeout: DefaultTimeout, retryAttempts: DefaultRetryAttempts}
	for _, opt := range opts {
		opt(&o)
	}
	if o.conn != nil {
		return newClient(o.conn, func() error { return nil }), nil
	}
	if o.insecure && o.tlsSet {
		return nil, errors.New("client: WithInsecure and WithTLS exclude each other")
	}
	dialOpts, err := o.grpcDialOptions()
	if err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(target, dialOpts...)
	if err != nil {
		return nil, err
	}
	return newClient(conn, conn.Close), nil
}

func newClient(conn grpc.ClientConnInterface, closer func() error) *Client {
	return &Client{
		Capacity:     csplanv1.NewCapacityServiceClient(conn),
		Segmentation: csplanv1.NewSegmentationServiceClient(conn),
		Hiring:       csplanv1.NewHiringServiceClient(conn),
		Planning:     csplanv1.NewPlanningServiceClient(conn),
		Book:         csplanv1.NewBookServiceClient(conn),
		conn:         conn,
		closer:       closer,
	}
}

// Conn returns the underlying connection, for services or calls this type
// does not wrap.
func (c *Client) Conn() grpc.ClientConnInterface { return c.conn }

// Close releases the connection (unless it came from WithConn).
func (c *Client) Close() error { return c.closer() }

func (o *options) grpcDialOptions() ([]grpc.DialOption, error) {
	var out []grpc.DialOption
	if o.insecure {
		out = append(out, grpc.WithTransportCredentials(insecure.NewCredentials()))
	} else {
		cfg := o.tlsConfig
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		out = append(out, grpc.WithTransportCredentials(credentials.NewTLS(cfg)))
	}
	if o.token != "" {
		out = append(out, grpc.WithPerRPCCredentials(bearerToken{token: o.token, requireTLS: !o.insecure}))
	}
	if o.retryAttempts > 1 {
		sc, err := retryServiceConfig(o.retryAttempts)
		if err != nil {
			return nil, err
		}
		out = append(out, grpc.WithDefaultServiceConfig(sc))
	}
	if o.timeout > 0 {
		out = append(out, grpc.WithChainUnaryInterceptor(unaryTimeout(o.timeout)))
	}
	return append(out, o.dialOptions...), nil
}

// services are every csplan service, each retried alike.
var services = []string{
	csplanv1.CapacityService_ServiceDesc.ServiceName,
	csplanv1.SegmentationService_ServiceDesc.ServiceName,
	csplanv1.HiringService_ServiceDesc.ServiceName,
	csplanv1.PlanningService_ServiceDesc.ServiceName,
	csplanv1.BookService_ServiceDesc.ServiceName,
}

func retriedServices() []any {
	out := make([]any, len(services))
	for i, name := range services {
		out[i] = map[string]any{"service": name}
	}
	return out
}

// retryServiceConfig retries UNAVAILABLE on every csplan method. A client
// stream is retried only until its first message is sent: after that gRPC
// cannot replay it.
func retryServiceConfig(attempts int) (string, error) {
	if attempts > 5 {
		attempts = 5 // gRPC caps maxAttempts at 5.
	}
	cfg := map[string]any{
		"methodConfig": []any{map[string]any{
			"name": retriedServices(),
			"retryPolicy": map[string]any{
				"maxAttempts":          attempts,
				"initialBackoff":       "0.1s",
				"maxBackoff":           "2s",
				"backoffMultiplier":    2.0,
				"retryableStatusCodes": []string{"UNAVAILABLE"},
			},
		}},
	}
	b, err := json.Marshal(cfg)
	return string(b), err
}

func unaryTimeout(d time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// bearerToken sends a bearer token as call credentials.
type bearerToken struct {
	token      string
	requireTLS bool
}

func (b bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (b bearerToken) RequireTransportSecurity() bool { return b.requireTLS }
