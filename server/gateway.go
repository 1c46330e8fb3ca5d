package server

import (
	"context"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/csplan/csplan"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

// jsonMarshaler is the gateway's JSON: lowerCamelCase names, enums as
// strings, zero values rendered (a frontend must not guess that a missing
// field is 0), and unknown request fields rejected (a typo must not fall
// back to a default silently).
func jsonMarshaler() runtime.Marshaler {
	return &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}
}

// httpHandler routes REST calls through the gateway to conn, and serves
// /healthz and /openapi.json beside them.
func (s *Server) httpHandler(ctx context.Context, conn *grpc.ClientConn) (http.Handler, error) {
	gw := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, jsonMarshaler()),
		runtime.WithHealthzEndpoint(healthpb.NewHealthClient(conn)),
	)
	for _, register := range []func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error{
		csplanv1.RegisterCapacityServiceHandler,
		csplanv1.RegisterSegmentationServiceHandler,
		csplanv1.RegisterHiringServiceHandler,
	} {
		if err := register(ctx, gw, conn); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openapi.json", serveOpenAPI)
	// The NDJSON streams are bounded per message and per stream in
	// accounts by the services, not by a body size.
	mux.Handle("POST /v1/segments:assignStream", gw)
	mux.Handle("POST /v1/segments:suggestStream", gw)
	mux.Handle("/", limitBody(gw, s.cfg.MaxBodyBytes))
	return mux, nil
}

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(csplan.OpenAPI)
}

// limitBody caps request bodies, so a client cannot make the gateway buffer
// without bound.
func limitBody(next http.Handler, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}
