package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/cors"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/csplan/csplan"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/apidocs"
	"github.com/csplan/csplan/internal/pbjson"
)

// streamRoutes are the NDJSON client streams: bounded per line and in
// accounts by the services, with their own deadline, instead of a body size.
var streamRoutes = []string{"/v1/segments:assignStream", "/v1/segments:suggestStream", "/v1/plans:runStream", "/v1/book:analyzeStream", "/v1/book:rebalanceStream"}

// ndjsonType is the media type the stream routes decode with: one JSON
// message after another.
const ndjsonType = "application/x-ndjson"

// jsonMarshaler is the gateway's JSON: lowerCamelCase names, enums as
// strings, zero values rendered (a frontend must not guess that a missing
// field is 0), and unknown request fields rejected (a typo must not fall
// back to a default silently).
func jsonMarshaler() *runtime.JSONPb {
	return &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}
}

// unaryJSON is jsonMarshaler for routes whose body is one message. It
// reads and writes messages with pbjson, which gives what protojson gives
// with jsonMarshaler's options, as canonical JSON (and protojson's own
// errors), at a fraction of the cost. It hands the body over at once, where the
// stock decoder first scans it with encoding/json to find where the message
// ends; trailing data after the message is an error rather than ignored.
type unaryJSON struct{ *runtime.JSONPb }

func (u unaryJSON) Marshal(v any) ([]byte, error) {
	if m, ok := v.(proto.Message); ok {
		return pbjson.Marshal(nil, m)
	}
	return u.JSONPb.Marshal(v)
}

func (u unaryJSON) NewDecoder(r io.Reader) runtime.Decoder {
	return runtime.DecoderFunc(func(v any) error {
		msg, ok := v.(proto.Message)
		if !ok {
			return u.JSONPb.NewDecoder(r).Decode(v)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			noteRejection(r, readReason(err))
			return err
		}
		if len(bytes.TrimSpace(data)) == 0 {
			return io.EOF // an empty body is an empty request
		}
		if err := pbjson.Unmarshal(data, msg); err != nil {
			noteRejection(r, reasonMalformed)
			if n, ok := r.(rejectionNoter); ok {
				n.noteViolations(bodyProblems(data, msg, err))
			}
			return err
		}
		return nil
	})
}

// httpHandler serves REST: unary calls through a gateway that calls the
// services directly (direct.go), the NDJSON streams through a gateway that
// dials conn, the in-memory gRPC connection, since only a gRPC stream can
// carry them. /healthz, /metrics and /openapi.json are served beside them.
func (s *Server) httpHandler(ctx context.Context, conn *grpc.ClientConn) (http.Handler, error) {
	gw := s.gatewayMux(false, runtime.WithHealthzEndpoint(healthpb.NewHealthClient(conn)))
	if err := csplanv1.RegisterCapacityServiceHandlerServer(ctx, gw, directCapacity{chain: s.unary, svc: s.capacity}); err != nil {
		return nil, err
	}
	if err := csplanv1.RegisterSegmentationServiceHandlerServer(ctx, gw, directSegmentation{chain: s.unary, svc: s.segmentation}); err != nil {
		return nil, err
	}
	if err := csplanv1.RegisterHiringServiceHandlerServer(ctx, gw, directHiring{chain: s.unary, svc: s.hiring}); err != nil {
		return nil, err
	}
	if err := csplanv1.RegisterPlanningServiceHandlerServer(ctx, gw, directPlanning{chain: s.unary, svc: s.planning}); err != nil {
		return nil, err
	}
	if err := csplanv1.RegisterBookServiceHandlerServer(ctx, gw, directBook{chain: s.unary, svc: s.book}); err != nil {
		return nil, err
	}
	streams := s.gatewayMux(true)
	if err := csplanv1.RegisterSegmentationServiceHandler(ctx, streams, conn); err != nil {
		return nil, err
	}
	if err := csplanv1.RegisterPlanningServiceHandler(ctx, streams, conn); err != nil {
		return nil, err
	}
	if err := csplanv1.RegisterBookServiceHandler(ctx, streams, conn); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openapi.json", serveOpenAPI)
	mux.HandleFunc("GET /openapi.v3.json", serveOpenAPIv3)
	mux.HandleFunc("GET /docs", apidocs.Page)
	mux.HandleFunc("GET "+apidocs.Script, apidocs.Renderer)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{}))
	for _, route := range streamRoutes {
		mux.Handle("POST "+route, s.streamLimits(streams))
	}
	mux.Handle("/", limitBody(gw, s.cfg.MaxBodyBytes))
	door := s.doors.httpDoor(mux)
	if len(s.cfg.CORSOrigins) == 0 {
		return door, nil
	}
	return cors.New(cors.Options{
		AllowedOrigins: s.cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type", "X-Request-Id"},
		ExposedHeaders: []string{"X-Request-Id"},
		// Tokens travel in the Authorization header, never in cookies, so
		// credentialed requests are not needed; the allowlist is explicit.
		AllowCredentials: false,
		MaxAge:           600,
	}).Handler(door), nil
}

// gatewayMux is a gateway with csplan's JSON codecs, headers and errors.
// Only the stream routes' gateway reads NDJSON: a unary route takes one
// message, and trailing data after it is an error whatever the client
// calls its content type.
func (s *Server) gatewayMux(streams bool, opts ...runtime.ServeMuxOption) *runtime.ServeMux {
	base := []runtime.ServeMuxOption{
		runtime.WithMarshalerOption(runtime.MIMEWildcard, unaryJSON{jsonMarshaler()}),
		runtime.WithIncomingHeaderMatcher(incomingHeader),
		runtime.WithErrorHandler(s.restErrors),
		runtime.WithRoutingErrorHandler(s.routingErrors),
		runtime.WithOutgoingHeaderMatcher(outgoingHeader),
	}
	if streams {
		base = append(base, runtime.WithMarshalerOption(ndjsonType, ndjsonMarshaler{JSONPb: jsonMarshaler(), maxMessage: s.cfg.MaxLineBytes}))
	}
	return runtime.NewServeMux(append(base, opts...)...)
}

// incomingHeader forwards the request id besides the gateway's defaults
// (Authorization among them).
func incomingHeader(key string) (string, bool) {
	if strings.EqualFold(key, requestIDKey) {
		return requestIDKey, true
	}
	return runtime.DefaultHeaderMatcher(key)
}

// outgoingHeader returns the request id as X-Request-Id, the header web
// clients and proxies look for.
func outgoingHeader(key string) (string, bool) {
	if key == requestIDKey {
		return textproto.CanonicalMIMEHeaderKey(requestIDKey), true
	}
	return fmt.Sprintf("%s%s", runtime.MetadataHeaderPrefix, key), true
}

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(csplan.OpenAPI)
}

func serveOpenAPIv3(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(csplan.OpenAPIv3)
}

// limitBody caps request bodies, so a client cannot make the gateway buffer
// without bound.
func limitBody(next http.Handler, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &unaryBody{ReadCloser: http.MaxBytesReader(w, r.Body, limit)}
		next.ServeHTTP(w, r)
	})
}

// streamWriteGrace is how long past its deadline a cut stream has to
// write the status that says so.
const streamWriteGrace = 10 * time.Second

// streamLimits gives an NDJSON stream the stream deadline instead of the
// server's unary read and write timeouts, and bounds each line. Its first
// line must come within the first-request deadline. A stream cut by its
// deadline or by shutdown ends its reads at once, and still has time to
// write the status that says why: the routes answer only after the last
// line, so the answer is always an HTTP status with the status JSON.
func (s *Server) streamLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, cut := context.WithCancelCause(r.Context())
		defer cut(nil)
		ctx, cancel := context.WithDeadlineCause(ctx, start.Add(s.cfg.StreamTimeout), errStreamDeadline)
		defer cancel()
		stopOnShutdown := context.AfterFunc(s.stopping, func() { cut(errShuttingDown) })
		defer stopOnShutdown()

		rc := http.NewResponseController(w)
		deadline := start.Add(s.cfg.StreamTimeout)
		// The context's end stops reads (stopReads), so that a read fails
		// only once the cause of the cut is known; the connection's own
		// read deadline is a second later, a backstop.
		readLimit := deadline.Add(time.Second)
		if first := start.Add(s.cfg.FirstRequestTimeout); first.Before(deadline) {
			rc.SetReadDeadline(first)
		} else {
			rc.SetReadDeadline(readLimit)
		}
		rc.SetWriteDeadline(readLimit.Add(streamWriteGrace))
		stopReads := context.AfterFunc(ctx, func() { rc.SetReadDeadline(time.Now()) })
		defer stopReads()

		r = r.WithContext(ctx)
		r.Body = &lineLimitReader{r: r.Body, limit: s.cfg.MaxLineBytes,
			firstLine: func() { rc.SetReadDeadline(readLimit) }}
		// The gateway picks its decoder by media type: a stream body is a
		// sequence of messages whatever the client called it.
		r.Header.Set("Content-Type", ndjsonType)
		next.ServeHTTP(w, r)
	})
}

// lineLimitReader fails a read once a line runs past limit bytes, so one
// NDJSON message cannot grow without bound in the decoder. firstLine runs
// when the first line is in.
type lineLimitReader struct {
	r         io.ReadCloser
	limit     int
	run       int // bytes since the last newline
	line      int
	firstLine func()
	rejection
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for rest := p[:n]; ; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			l.run += len(rest)
			break
		}
		l.run += i
		if l.run > l.limit {
			break
		}
		l.run, l.line, rest = 0, l.line+1, rest[i+1:]
		if l.line == 1 && l.firstLine != nil {
			l.firstLine()
		}
	}
	if l.run > l.limit {
		l.note(reasonTooLarge)
		return 0, fmt.Errorf("line %d of the stream is longer than %d bytes (the limit of one message): send smaller batches", l.line+1, l.limit)
	}
	if err != nil && err != io.EOF {
		if l.line == 0 && errors.Is(err, os.ErrDeadlineExceeded) {
			l.note(reasonFirstMessage)
			return n, errNoFirstLine
		}
		l.note(reasonIncomplete)
	}
	return n, err
}

// errNoFirstLine is what a stream whose first line did not come in time
// fails with; the error handler answers it as DEADLINE_EXCEEDED with the
// deadline (restErrors).
var errNoFirstLine = errors.New("no complete line within the first-request deadline")

func (l *lineLimitReader) Close() error { return l.r.Close() }
