package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/tap"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/csplan/csplan/internal/bookwire"
	"github.com/csplan/csplan/internal/connguard"
)

// The gRPC door is a tap: gRPC runs it on a call's headers, before it
// reads the call's first message, and a refusal there ends the call
// without decoding anything. It skips the in-memory connection, whose
// calls come through the REST door (doors_http.go) or from the CLI in
// process.

// grpcDoor is the tap of the gRPC server; methods are the known full
// method names.
type grpcDoor struct {
	*doors
	methods map[string]bool
}

var healthPrefix = "/" + healthpb.Health_ServiceDesc.ServiceName + "/"

func (g *grpcDoor) tap(ctx context.Context, info *tap.Info) (context.Context, error) {
	p, _ := peer.FromContext(ctx)
	if p == nil {
		return ctx, nil
	}
	conn := connguard.Of(p.Addr)
	if conn == nil {
		return ctx, nil // in memory: checked at the REST door, or the CLI's own
	}
	route := info.FullMethodName
	if !g.methods[route] {
		route = "unknown"
	}
	authed := g.tokens == nil || g.validToken(info.Header["authorization"])
	open := !authed && g.methods[route] && strings.HasPrefix(route, healthPrefix)
	if !authed && !open {
		v := g.failedAuth(ctx, "grpc", route, connguard.Unwrap(p.Addr))
		if v.Allowed {
			return nil, errUnauthenticated
		}
		return nil, brakedStatus(v.RetryAfter)
	}
	if route == "unknown" {
		msg := fmt.Sprintf("unknown method %s: see the services with grpcurl's list (reflection)", info.FullMethodName)
		g.reject(ctx, "grpc", route, reasonUnknownMethod, connguard.Unwrap(p.Addr), msg)
		return nil, status.Error(codes.Unimplemented, shortValues(msg))
	}
	slots := &g.calls
	if open {
		// A health check without a token: it keeps the connection only
		// as long as checks keep coming, and draws on the small bound of
		// calls without a token, never on the authenticated calls' one.
		conn.Extend()
		slots = &g.openCalls
	} else {
		conn.Mark()
	}
	// Acquired last: gRPC does not end a call's context when the tap
	// refuses it, so nothing may be held by a refused call.
	if !slots.acquire() {
		msg := slots.busyMessage()
		g.reject(ctx, "grpc", route, reasonBusy, connguard.Unwrap(p.Addr), msg)
		return nil, retryStatus(codes.ResourceExhausted, msg, time.Second)
	}
	// csplan's own methods read their first message through a door
	// (guard, guardedStream), which stops the deadline; the others have
	// none.
	var firstMessage *time.Timer
	if g.firstMessage > 0 && strings.HasPrefix(route, "/csplan.") {
		ctx, firstMessage = g.withFirstMessageDeadline(ctx, route)
	}
	context.AfterFunc(ctx, func() {
		slots.release()
		if firstMessage != nil {
			firstMessage.Stop()
		}
	})
	return ctx, nil
}

// knownMethods are the full names of the methods gs serves.
func knownMethods(gs *grpc.Server) map[string]bool {
	methods := map[string]bool{}
	for name, info := range gs.GetServiceInfo() {
		for _, m := range info.Methods {
			methods["/"+name+"/"+m.Name] = true
		}
	}
	return methods
}

func (g *grpcDoor) validToken(values []string) bool {
	if len(values) != 1 {
		return false
	}
	token, ok := bearer(values[0])
	return ok && g.tokens.Valid(token)
}

// brakedStatus is the answer to a guess past the brake.
func brakedStatus(wait time.Duration) error {
	return retryStatus(codes.ResourceExhausted,
		fmt.Sprintf("too many failed authentications from this address: retry in %s with a valid token", wait), wait)
}

// retryStatus carries how long to wait as RetryInfo, which gRPC clients
// read as REST clients read Retry-After.
func retryStatus(code codes.Code, msg string, wait time.Duration) error {
	st, err := status.New(code, msg).WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(wait)})
	if err != nil {
		return status.Error(code, msg)
	}
	return st.Err()
}

// The first message of a call must arrive within the first-message
// deadline: a client that opens calls and sends nothing holds no slot for
// long. The deadline ends with the first message, so it cannot be a
// context deadline (the handler would inherit it): it cancels the call's
// context with errFirstMessage instead, and the timer stops once a
// message is in.
var errFirstMessage = errors.New("no request message within the first-request deadline (--first-request-timeout)")

type firstMessageKey struct{}

func (g *grpcDoor) withFirstMessageDeadline(ctx context.Context, method string) (context.Context, *time.Timer) {
	call := ctx
	ctx, cancel := context.WithCancelCause(ctx)
	t := time.AfterFunc(g.firstMessage, func() {
		if call.Err() != nil {
			return // the call ended first
		}
		cancel(errFirstMessage)
		g.reject(ctx, "grpc", method, reasonFirstMessage, peerAddr(ctx), errFirstMessage.Error())
	})
	return firstMessageCtx{context.WithValue(ctx, firstMessageKey{}, t)}, t
}

// peerAddr is the call's remote address as the peer sees it.
func peerAddr(ctx context.Context) net.Addr {
	if p, ok := peer.FromContext(ctx); ok {
		return connguard.Unwrap(p.Addr)
	}
	return nil
}

// firstMessageCtx reports the first-message deadline as a deadline: gRPC
// answers a call whose context ended as its Err says, and a call that
// sent nothing in time is DEADLINE_EXCEEDED, not CANCELLED.
type firstMessageCtx struct{ context.Context }

func (c firstMessageCtx) Err() error {
	if context.Cause(c.Context) == errFirstMessage {
		return context.DeadlineExceeded
	}
	return c.Context.Err()
}

// firstMessageIn stops the call's first-message deadline.
func firstMessageIn(ctx context.Context) {
	if t, ok := ctx.Value(firstMessageKey{}).(*time.Timer); ok {
		t.Stop()
	}
}

// decodeFailures holds the decoding errors of request messages, by the
// message they were decoded into, from the codec until the door that asked
// for the message takes them back (takeDecodeFailure). gRPC wraps a
// codec's error as INTERNAL and writes that status itself before the door
// sees it; a message it thinks decoded lets the door answer the caller's
// mistake as INVALID_ARGUMENT. Every csplan method reads its messages
// through a door (guard, guardedStream), so every failure held is taken.
var decodeFailures sync.Map

func holdDecodeFailure(v any, err error) error {
	if !ownRequest(v) {
		return err
	}
	decodeFailures.Store(v, err)
	return nil
}

func takeDecodeFailure(v any) error {
	if err, ok := decodeFailures.LoadAndDelete(v); ok {
		return status.Error(codes.Internal, "grpc: failed to unmarshal the received message: "+err.(error).Error())
	}
	return nil
}

// ownRequest reports whether v is a request of csplan's own services, which
// are read through the doors (health's and reflection's are not).
func ownRequest(v any) bool {
	switch m := v.(type) {
	case *bookwire.Frame:
		return true
	case proto.Message:
		return strings.HasPrefix(string(m.ProtoReflect().Descriptor().FullName()), "csplan.")
	}
	return false
}

// decodeError turns an error of reading a request message into what the
// caller should see, and counts it when the caller sent something the
// server cannot take: gRPC reports a message it cannot unmarshal as
// INTERNAL, which is the caller's mistake (INVALID_ARGUMENT).
func (g *grpcDoor) decodeError(ctx context.Context, method string, err error, log bool) error {
	if context.Cause(ctx) == errFirstMessage {
		return status.Errorf(codes.DeadlineExceeded, "no request message within %s of the call's start (--first-request-timeout): send the request with the call", g.firstMessage)
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	switch {
	case st.Code() == codes.Internal && strings.Contains(st.Message(), "unmarshal"):
		msg := shortValues(strings.TrimPrefix(st.Message(), "grpc: "))
		g.count(ctx, method, reasonMalformed, msg, log)
		return status.Error(codes.InvalidArgument, msg)
	case st.Code() == codes.ResourceExhausted:
		g.count(ctx, method, reasonTooLarge, st.Message()+": the most a message may take is --max-recv-bytes", log)
	}
	return err
}

// count counts a rejected message; log says whether it is logged here too
// (unary calls), or left to the logging interceptor (streams, whose
// handlers return the error through it).
func (g *grpcDoor) count(ctx context.Context, method, reason, msg string, log bool) {
	if log {
		g.reject(ctx, "grpc", method, reason, peerAddr(ctx), msg)
		return
	}
	g.rejected.WithLabelValues("grpc", method, reason).Inc()
}

// guard wraps the unary handlers of desc so that a request message that
// fails to decode is counted, logged and answered as the caller's mistake:
// gRPC decodes it before any interceptor runs.
func (g *grpcDoor) guard(desc *grpc.ServiceDesc) *grpc.ServiceDesc {
	c := *desc
	c.Methods = append([]grpc.MethodDesc(nil), desc.Methods...)
	for i, m := range c.Methods {
		method, handler := "/"+desc.ServiceName+"/"+m.MethodName, m.Handler
		c.Methods[i].Handler = func(srv any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
			return handler(srv, ctx, func(v any) error {
				err := dec(v)
				// Taken whatever dec says: gRPC may decode a second
				// message of a unary call into v before it fails the call.
				if held := takeDecodeFailure(v); err == nil {
					err = held
				}
				if err != nil {
					return g.decodeError(ctx, method, err, true)
				}
				firstMessageIn(ctx)
				return nil
			}, ic)
		}
	}
	return &c
}

// streamInterceptor does for streams what guard does for unary calls, on
// every message the handler receives.
func (g *grpcDoor) streamInterceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	return handler(srv, &guardedStream{ServerStream: ss, door: g, method: info.FullMethod})
}

type guardedStream struct {
	grpc.ServerStream
	door     *grpcDoor
	method   string
	received bool
}

func (s *guardedStream) RecvMsg(m any) error {
	err := s.ServerStream.RecvMsg(m)
	if held := takeDecodeFailure(m); err == nil {
		err = held
	}
	if !s.received {
		s.received = true
		firstMessageIn(s.Context())
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return s.door.decodeError(s.Context(), s.method, err, false)
	}
	return err
}
