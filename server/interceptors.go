package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	middleware "github.com/grpc-ecosystem/go-grpc-middleware/v2"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// requestIDKey is the metadata key (and, over REST, the X-Request-Id
// header) that carries a call's id in both directions.
const requestIDKey = "x-request-id"

// interceptors returns the unary chain and the stream server option that
// chain, outermost first: metrics, request id, logging, the default
// deadline, and panic recovery. Recovery goes last so that a panic becomes
// a status that metrics and logging see like any other. The unary chain is
// one function so that REST calls, which reach the services without a gRPC
// hop (direct.go), pass through it too. Authentication is not among them:
// it happens at the doors (doors.go), before a request is read.
func (s *Server) interceptors(metrics *grpcprom.ServerMetrics, door *grpcDoor) (grpc.UnaryServerInterceptor, grpc.ServerOption) {
	logOpts := []logging.Option{
		logging.WithLogOnEvents(logging.FinishCall),
		logging.WithLevels(logLevel),
	}
	recoverOpts := []recovery.Option{recovery.WithRecoveryHandlerContext(recoverPanic(s.cfg.Logger))}
	unary := []grpc.UnaryServerInterceptor{
		metrics.UnaryServerInterceptor(),
		unaryRequestID,
		skipHealthUnary(logging.UnaryServerInterceptor(slogAdapter(s.cfg.Logger), logOpts...)),
	}
	stream := []grpc.StreamServerInterceptor{
		door.streamInterceptor,
		metrics.StreamServerInterceptor(),
		streamRequestID,
		skipHealthStream(logging.StreamServerInterceptor(slogAdapter(s.cfg.Logger), logOpts...)),
	}
	unary = append(unary, unaryDeadline(s.cfg.UnaryTimeout), recovery.UnaryServerInterceptor(recoverOpts...))
	stream = append(stream, streamDeadline(s.cfg.StreamTimeout), recovery.StreamServerInterceptor(recoverOpts...))
	return chainUnary(unary), grpc.ChainStreamInterceptor(stream...)
}

// skipHealthUnary and skipHealthStream leave health calls out of the log:
// probes come every few seconds, without a token, and a line each would
// bury the calls that matter (and let anyone flood the log). Metrics
// still count them.
func skipHealthUnary(ic grpc.UnaryServerInterceptor) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if strings.HasPrefix(info.FullMethod, healthPrefix) {
			return handler(ctx, req)
		}
		return ic(ctx, req, info, handler)
	}
}

func skipHealthStream(ic grpc.StreamServerInterceptor) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if strings.HasPrefix(info.FullMethod, healthPrefix) {
			return handler(srv, ss)
		}
		return ic(srv, ss, info, handler)
	}
}

// chainUnary composes interceptors into one, the first outermost, as
// grpc.ChainUnaryInterceptor does inside the server.
func chainUnary(ics []grpc.UnaryServerInterceptor) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		return ics[0](ctx, req, info, nextUnary(ics, 1, info, handler))
	}
}

func nextUnary(ics []grpc.UnaryServerInterceptor, i int, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) grpc.UnaryHandler {
	if i == len(ics) {
		return handler
	}
	return func(ctx context.Context, req any) (any, error) {
		return ics[i](ctx, req, info, nextUnary(ics, i+1, info, handler))
	}
}

// logLevel logs failures of the caller's making at INFO and the server's
// own at ERROR, so that alerts on ERROR mean something. RESOURCE_EXHAUSTED
// past the doors is a message or a stream over its bound, and
// UNIMPLEMENTED a method the caller made up: both the caller's.
func logLevel(code codes.Code) logging.Level {
	switch code {
	case codes.Internal, codes.Unknown, codes.DataLoss:
		return logging.LevelError
	case codes.DeadlineExceeded, codes.Unavailable:
		return logging.LevelWarn
	default:
		return logging.LevelInfo
	}
}

// slogAdapter lets the middleware's logging interceptor write to slog.
func slogAdapter(l *slog.Logger) logging.Logger {
	return logging.LoggerFunc(func(ctx context.Context, lvl logging.Level, msg string, fields ...any) {
		l.Log(ctx, slog.Level(lvl), msg, fields...)
	})
}

// recoverPanic logs a handler's panic with its stack and answers Internal
// with a generic message: neither the panic value nor the stack reaches the
// caller.
func recoverPanic(logger *slog.Logger) recovery.RecoveryHandlerFuncContext {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in handler", "panic", p, "stack", string(debug.Stack()))
		return status.Error(codes.Internal, "internal error")
	}
}

// withRequestID takes the caller's x-request-id, or makes one, returns it in
// the response header, and adds it to the call's log fields.
func withRequestID(ctx context.Context) context.Context {
	id := ""
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		if v := md.Get(requestIDKey); len(v) > 0 && validRequestID(v[0]) {
			id = v[0]
		}
	}
	if id == "" {
		var b [8]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	grpc.SetHeader(ctx, metadata.Pairs(requestIDKey, id))
	return logging.InjectFields(ctx, logging.Fields{"request_id", id})
}

// validRequestID keeps a caller's id out of the logs when it is long or
// not printable: it must not become a way to forge log lines.
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for _, r := range id {
		if r < 0x21 || r > 0x7e {
			return false
		}
	}
	return true
}

func unaryRequestID(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	return handler(withRequestID(ctx), req)
}

func streamRequestID(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	w := middleware.WrapServerStream(ss)
	w.WrappedContext = withRequestID(ss.Context())
	return handler(srv, w)
}

// unaryDeadline gives a call at most d: a client without a deadline (or
// with a longer one) cannot hold a handler for ever.
func unaryDeadline(d time.Duration) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return handler(ctx, req)
	}
}

// errStreamTimedOut is the answer to a stream cut by its deadline, on
// both transports.
func errStreamTimedOut(d time.Duration) error {
	return status.Errorf(codes.DeadlineExceeded, "the stream ran past the server's limit of %s (--stream-timeout): send the book faster or in parts", d)
}

// streamDeadline is unaryDeadline for streams, which get longer: a book of
// millions of accounts takes a while to arrive. A stream cut by it says so.
func streamDeadline(d time.Duration) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		ctx, cancel := context.WithTimeoutCause(ss.Context(), d, errStreamDeadline)
		defer cancel()
		w := middleware.WrapServerStream(ss)
		w.WrappedContext = ctx
		err := handler(srv, w)
		if err != nil && context.Cause(ctx) == errStreamDeadline {
			return errStreamTimedOut(d)
		}
		return err
	}
}
