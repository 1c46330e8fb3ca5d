package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/csplan/csplan"
)

// restMethods are the HTTP methods of each REST route, from the OpenAPI
// document the server serves, so that a wrong method is told which ones
// the route takes.
var restMethods = func() map[string][]string {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(csplan.OpenAPI, &doc); err != nil {
		panic("server: the embedded OpenAPI document does not parse: " + err.Error())
	}
	out := map[string][]string{}
	for path, methods := range doc.Paths {
		for m := range methods {
			out[path] = append(out[path], strings.ToUpper(m))
		}
		slices.Sort(out[path])
	}
	return out
}()

// routingErrors answers a request the gateway has no route for: a known
// route called with another method is 405 Method Not Allowed with an
// Allow header (the gateway's own answer is 501), anything else 404.
func (s *Server) routingErrors(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, httpStatus int) {
	if allowed, ok := restMethods[r.URL.Path]; ok && !slices.Contains(allowed, r.Method) {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeStatus(w, http.StatusMethodNotAllowed, status.Errorf(codes.Unimplemented,
			"%s takes %s, not %s", r.URL.Path, strings.Join(allowed, " or "), r.Method), 0)
		return
	}
	if httpStatus == http.StatusMethodNotAllowed || httpStatus == http.StatusNotFound {
		writeStatus(w, http.StatusNotFound, status.Errorf(codes.NotFound, "no route %s %s: the routes are listed at /openapi.json", r.Method, r.URL.Path), 0)
		return
	}
	runtime.DefaultRoutingErrorHandler(ctx, mux, m, w, r, httpStatus)
}
