package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/csplan/csplan"
	"github.com/csplan/csplan/internal/apidocs"
	"github.com/csplan/csplan/internal/connguard"
	"github.com/csplan/csplan/internal/jsoncheck"
)

// The REST door runs before the router: it checks the token from the
// headers and answers a bad one at once, with the body never read, and
// asks the client to close the connection. Only the open routes pass
// without a token.

type connKey struct{}

// connContext puts a REST connection's guard into its requests' context,
// so the door can keep the connection once a request has earned it.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if gc := connguard.Of(c.RemoteAddr()); gc != nil {
		return context.WithValue(ctx, connKey{}, gc)
	}
	return ctx
}

// openRoute reports whether r may go without a token: what a browser,
// a load balancer or a scraper needs before it has one. Preflights carry
// no credentials by design.
func openRoute(r *http.Request) bool {
	switch r.Method {
	case http.MethodOptions:
		return true
	case http.MethodGet, http.MethodHead:
		switch r.URL.Path {
		case "/", "/healthz", "/metrics", "/openapi.json", "/openapi.v3.json", "/docs", apidocs.Script:
			return true
		}
	}
	return false
}

// restRoutes are the API's paths, the bounded values of the route label:
// any other path a caller sends is counted as "other".
var restRoutes = func() map[string]bool {
	var doc struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(csplan.OpenAPI, &doc); err != nil {
		panic("server: the embedded OpenAPI document does not parse: " + err.Error())
	}
	routes := make(map[string]bool, len(doc.Paths))
	for p := range doc.Paths {
		routes[p] = true
	}
	return routes
}()

func restRoute(r *http.Request) string {
	if restRoutes[r.URL.Path] {
		return r.URL.Path
	}
	return "other"
}

func (d *doors) httpDoor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.draining.Load() {
			w.Header().Set("Connection", "close")
		}
		conn, _ := r.Context().Value(connKey{}).(*connguard.Conn)
		if openRoute(r) {
			d.serveOpen(w, r, conn, next)
			return
		}
		if d.tokens != nil {
			if token, ok := bearer(r.Header.Get("Authorization")); !ok || !d.tokens.Valid(token) {
				d.refuseHTTP(w, r, conn)
				return
			}
		}
		if conn != nil {
			conn.Mark()
		}
		if !d.calls.acquire() {
			d.refuseBusy(w, r, conn, &d.calls)
			return
		}
		defer d.calls.release()
		next.ServeHTTP(w, r)
	})
}

// serveOpen serves a route open without a token. Without tokens every
// request keeps its connection; with them, an open request only gives the
// connection the first-request deadline again, and draws on the bound of
// calls without a token.
func (d *doors) serveOpen(w http.ResponseWriter, r *http.Request, conn *connguard.Conn, next http.Handler) {
	if conn != nil {
		if d.tokens == nil {
			conn.Mark()
		} else {
			conn.Extend()
		}
	}
	if d.tokens != nil {
		if !d.openCalls.acquire() {
			d.refuseBusy(w, r, conn, &d.openCalls)
			return
		}
		defer d.openCalls.release()
	}
	next.ServeHTTP(w, r)
}

// refuseBusy answers a request past a bound of calls in flight: 429, to
// retry in a second.
func (d *doors) refuseBusy(w http.ResponseWriter, r *http.Request, conn *connguard.Conn, slots *callSlots) {
	msg := slots.busyMessage()
	d.reject(r.Context(), "rest", restRoute(r), reasonBusy, remoteAddr(r, conn), msg)
	writeStatus(w, http.StatusTooManyRequests, retryStatus(codes.ResourceExhausted, msg, time.Second), time.Second)
}

// refuseHTTP answers a missing or wrong token: 401, or 429 once the peer
// is past the brake. The connection closes after the answer, so whatever
// body the client is still sending is never read.
func (d *doors) refuseHTTP(w http.ResponseWriter, r *http.Request, conn *connguard.Conn) {
	w.Header().Set("Connection", "close")
	v := d.failedAuth(r.Context(), "rest", restRoute(r), remoteAddr(r, conn))
	if !v.Allowed {
		writeStatus(w, http.StatusTooManyRequests, brakedStatus(v.RetryAfter), v.RetryAfter)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="csplan"`)
	writeStatus(w, http.StatusUnauthorized, errUnauthenticated, 0)
}

// writeStatus writes err as the gateway writes errors: the status as JSON.
func writeStatus(w http.ResponseWriter, code int, err error, retryAfter time.Duration) {
	body, merr := unaryJSON{jsonMarshaler()}.Marshal(status.Convert(err).Proto())
	if merr != nil {
		body = []byte(`{"code":13,"message":"internal error","details":[]}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	w.WriteHeader(code)
	w.Write(body)
}

func remoteAddr(r *http.Request, conn *connguard.Conn) net.Addr {
	if conn != nil {
		return connguard.Unwrap(conn.RemoteAddr())
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return net.TCPAddrFromAddrPort(ap)
	}
	return nil
}

// A request body notes why it was rejected when its decoder fails, so that
// the error handler can tell a request the services never saw (counted
// and logged here) from a service's answer (counted and logged by the
// interceptors).
type rejection struct {
	reason string
	// violations are the body's problems, in its JSON names, when it
	// could not be read as its message (restFields).
	violations []jsoncheck.Violation
}

func (r *rejection) noteViolations(vs []jsoncheck.Violation) {
	if r.violations == nil {
		r.violations = vs
	}
}

func (r *rejection) bodyViolations() []jsoncheck.Violation { return r.violations }

// note keeps the first reason: a line too long is noted by the reader
// before the decoder fails on what it was given.
func (r *rejection) note(reason string) {
	if r.reason == "" {
		r.reason = reason
	}
}

func (r *rejection) rejected() string { return r.reason }

type rejectionNoter interface {
	note(reason string)
	rejected() string
	noteViolations([]jsoncheck.Violation)
	bodyViolations() []jsoncheck.Violation
}

func noteRejection(r io.Reader, reason string) {
	if n, ok := r.(rejectionNoter); ok {
		n.note(reason)
	}
}

// readReason is why reading a body failed.
func readReason(err error) string {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return reasonTooLarge
	}
	return reasonIncomplete
}

// unaryBody is a unary route's body: capped, and noting rejections.
type unaryBody struct {
	io.ReadCloser
	rejection
}

// errStreamDeadline and errShuttingDown are why a REST stream was cut;
// the error handler answers them as such instead of as whatever the cut
// made the decoder or the in-memory call fail with.
var (
	errStreamDeadline = errors.New("stream deadline")
	errShuttingDown   = errors.New("shutting down")
)

// restErrors writes the gateway's errors: rejected requests are counted
// and logged first, a cut stream gets the status of its cut, and messages
// quote only a short prefix of a bad value.
func (s *Server) restErrors(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	switch context.Cause(r.Context()) {
	case errStreamDeadline:
		err = errStreamTimedOut(s.cfg.StreamTimeout)
	case errShuttingDown:
		err = status.Error(codes.Unavailable, "the server is shutting down: retry the stream on another replica or in a moment")
	default:
		if n, ok := r.Body.(rejectionNoter); ok && n.rejected() != "" {
			if n.rejected() == reasonFirstMessage {
				err = status.Errorf(codes.DeadlineExceeded, "no complete line within %s of the stream's start (--first-request-timeout): send the first message with the request", s.cfg.FirstRequestTimeout)
			}
			conn, _ := r.Context().Value(connKey{}).(*connguard.Conn)
			s.doors.reject(r.Context(), "rest", restRoute(r), n.rejected(), remoteAddr(r, conn), status.Convert(err).Message())
		}
	}
	err = restFields(ctx, r, err)
	if st, ok := status.FromError(err); ok {
		if short := shortValues(st.Message()); short != st.Message() {
			p := st.Proto()
			p.Message = short
			err = status.ErrorProto(p)
		}
	}
	runtime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, err)
}
