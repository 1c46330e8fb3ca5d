package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/csplan/csplan"
	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
	"github.com/csplan/csplan/internal/logbuf"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// The route table is read, never written down: the gRPC methods from the
// generated descriptors (every service of package csplan.v1) and from
// what the server registers (health and reflection besides), the REST
// routes from the OpenAPI document the server serves, and which RPC each
// REST route calls from the HTTP rules both generators read. A new RPC or
// route is in the table the moment it exists.

// csplanPackage is the package whose every service is the API.
const csplanPackage = "csplan.v1"

// apiRules is the REST mapping the gateway and the OpenAPI document are
// generated from (buf.gen.yaml), relative to this package.
const apiRules = "../proto/csplan/v1/csplan_api.yaml"

// openGRPC and openREST are the routes open without a token, on purpose:
// what load balancers, scrapers and API browsers need before they hold
// one. Every other route must refuse a call without a valid token.
var (
	openGRPC = []string{
		"/grpc.health.v1.Health/Check",
		"/grpc.health.v1.Health/List",
		"/grpc.health.v1.Health/Watch",
	}
	openREST = []string{"/healthz", "/metrics", "/openapi.json", "/openapi.v3.json", "/docs", "/docs/redoc.standalone.js"}
)

const tableToken = "route-table-token-01"

// badAuth are the Authorization values that must not get in: none, a
// wrong token, and the valid token under another scheme.
var badAuth = []string{"", "Bearer wrong-token-000000", "Basic " + tableToken}

// grpcRoute is a method as a client calls it.
type grpcRoute struct {
	full string // /package.Service/Method
	desc protoreflect.MethodDescriptor
	open bool // on openGRPC
}

func (r grpcRoute) service() string { return string(r.desc.Parent().FullName()) }
func (r grpcRoute) method() string  { return string(r.desc.Name()) }

// restRoute is an OpenAPI operation and the RPC it calls.
type restRoute struct {
	method, path string
	rpc          string // full method name
}

func (r restRoute) String() string { return r.method + " " + r.path }

// grpcTable is every method of every csplan service in the descriptors,
// and every other method the server registers.
func grpcTable(t *testing.T) []grpcRoute {
	t.Helper()
	byName := map[string]grpcRoute{}
	protoregistry.GlobalFiles.RangeFilesByPackage(csplanPackage, func(f protoreflect.FileDescriptor) bool {
		for i := range f.Services().Len() {
			svc := f.Services().Get(i)
			for j := range svc.Methods().Len() {
				m := svc.Methods().Get(j)
				full := "/" + string(svc.FullName()) + "/" + string(m.Name())
				byName[full] = grpcRoute{full: full, desc: m}
			}
		}
		return true
	})
	if len(byName) == 0 {
		t.Fatalf("no services of package %s in the descriptors", csplanPackage)
	}
	registered := server.Methods(server.New(server.Config{}))
	for full := range byName {
		if !slices.Contains(registered, full) {
			t.Errorf("%s is in the descriptors but the server does not register it", full)
		}
	}
	for _, full := range registered {
		if _, ok := byName[full]; ok {
			continue
		}
		svc, name, _ := strings.Cut(strings.TrimPrefix(full, "/"), "/")
		if strings.HasPrefix(svc, csplanPackage+".") {
			t.Errorf("the server registers %s, which the %s descriptors lack", full, csplanPackage)
		}
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
		if err != nil {
			t.Fatalf("no descriptor for the service of %s: %v", full, err)
		}
		m := d.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(name))
		if m == nil {
			t.Fatalf("no descriptor for %s", full)
		}
		byName[full] = grpcRoute{full: full, desc: m}
	}
	var table []grpcRoute
	for _, r := range byName {
		r.open = slices.Contains(openGRPC, r.full)
		table = append(table, r)
	}
	slices.SortFunc(table, func(a, b grpcRoute) int { return strings.Compare(a.full, b.full) })
	return table
}

// restTable is every operation of the OpenAPI document, each mapped to
// the RPC its HTTP rule names; the rules and the document must list the
// same routes, and every rule must name a method of the descriptors.
func restTable(t *testing.T, doc []byte, grpcRoutes []grpcRoute) []restRoute {
	t.Helper()
	var openapi struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(doc, &openapi); err != nil {
		t.Fatalf("the OpenAPI document does not parse: %v", err)
	}
	raw, err := os.ReadFile(apiRules)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		HTTP struct {
			Rules []map[string]string `yaml:"rules"`
		} `yaml:"http"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("%s: %v", apiRules, err)
	}
	methods := map[string]grpcRoute{}
	for _, r := range grpcRoutes {
		methods[string(r.desc.FullName())] = r
	}
	rpcOf := map[string]string{} // "POST /v1/..." -> full method
	for _, rule := range cfg.HTTP.Rules {
		sel := rule["selector"]
		m, ok := methods[sel]
		if !ok || !strings.HasPrefix(sel, csplanPackage+".") {
			t.Errorf("%s: the rule for %q names no method of the %s descriptors", apiRules, sel, csplanPackage)
			continue
		}
		var verbs []string
		for _, verb := range []string{"get", "put", "post", "delete", "patch"} {
			if path, ok := rule[verb]; ok {
				verbs = append(verbs, verb)
				rpcOf[strings.ToUpper(verb)+" "+path] = m.full
			}
		}
		if len(verbs) != 1 {
			t.Errorf("%s: the rule for %s has verbs %v, want one", apiRules, sel, verbs)
		}
	}

	var table []restRoute
	for path, ops := range openapi.Paths {
		for verb, op := range ops {
			r := restRoute{method: strings.ToUpper(verb), path: path}
			full, ok := rpcOf[r.String()]
			if !ok {
				t.Errorf("OpenAPI route %s has no HTTP rule in %s: no RPC serves it", r, apiRules)
				continue
			}
			delete(rpcOf, r.String())
			r.rpc = full
			// protoc-gen-openapiv2 names an operation Service_Method.
			svc, name, _ := strings.Cut(strings.TrimPrefix(full, "/"+csplanPackage+"."), "/")
			if op.OperationID != svc+"_"+name {
				t.Errorf("OpenAPI route %s is operation %q, want %s_%s as its rule says", r, op.OperationID, svc, name)
			}
			table = append(table, r)
		}
	}
	for route := range rpcOf {
		t.Errorf("%s maps %s, which the OpenAPI document lacks", apiRules, route)
	}
	slices.SortFunc(table, func(a, b restRoute) int { return strings.Compare(a.String(), b.String()) })
	return table
}

// callGRPC calls r with a default request message under ctx: a unary
// call, or a stream that sends the message, closes and reads the answer.
// It returns the call's error. A server stream is read to its end, so
// that the call is over (and counted) when callGRPC returns, but for an
// open route's, which may never end (a health watch): its first message
// is its answer.
func callGRPC(ctx context.Context, conn *grpc.ClientConn, r grpcRoute) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	in, out := newMessage(r.desc.Input()), newMessage(r.desc.Output())
	if !r.desc.IsStreamingClient() && !r.desc.IsStreamingServer() {
		return conn.Invoke(ctx, r.full, in, out)
	}
	desc := &grpc.StreamDesc{StreamName: r.method(), ClientStreams: r.desc.IsStreamingClient(), ServerStreams: r.desc.IsStreamingServer()}
	cs, err := conn.NewStream(ctx, desc, r.full)
	if err != nil {
		return err
	}
	// A refused stream fails its sends with io.EOF; the answer says why.
	if err := cs.SendMsg(in); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if err := cs.CloseSend(); err != nil {
		return err
	}
	if err := cs.RecvMsg(out); err != nil || !r.desc.IsStreamingServer() || r.open {
		return err
	}
	for {
		if err := cs.RecvMsg(out); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func newMessage(d protoreflect.MessageDescriptor) proto.Message {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(d.FullName())
	if err != nil {
		panic("no Go type for " + string(d.FullName()) + ": " + err.Error())
	}
	return mt.New().Interface()
}

func authCtx(auth string) context.Context {
	if auth == "" {
		return context.Background()
	}
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", auth)
}

func restCall(t *testing.T, srv *servertest.Server, r restRoute, auth string) (*http.Response, string) {
	t.Helper()
	return httpDo(t, http.DefaultClient, r.method, srv.URL+r.path, `{}`, map[string]string{"Authorization": auth})
}

// TestEveryRouteIsBehindAuth calls every route of the table without a
// token, with a wrong one and with a valid one: refused at the door,
// with nothing computed, unless valid, and counted under its gRPC method
// in /metrics once past it. The open routes are open to all three.
func TestEveryRouteIsBehindAuth(t *testing.T) {
	// The brake would turn this table's many failures into 429s.
	srv := servertest.NewServer(t, server.Config{Tokens: servertest.Tokens(t, tableToken), AuthFailureBurst: 10_000})
	valid := "Bearer " + tableToken

	resp, served := httpDo(t, http.DefaultClient, http.MethodGet, srv.URL+"/openapi.json", "", nil)
	if resp.StatusCode != http.StatusOK || !bytes.Equal([]byte(served), csplan.OpenAPI) {
		t.Fatalf("GET /openapi.json = %d, %d bytes; want 200 and csplan.OpenAPI", resp.StatusCode, len(served))
	}
	grpcRoutes := grpcTable(t)
	restRoutes := restTable(t, []byte(served), grpcRoutes)
	if len(grpcRoutes) < 15 || len(restRoutes) < 11 {
		t.Fatalf("%d gRPC methods and %d REST routes found: the enumeration is broken", len(grpcRoutes), len(restRoutes))
	}
	for _, open := range openGRPC {
		if !slices.ContainsFunc(grpcRoutes, func(r grpcRoute) bool { return r.full == open }) {
			t.Errorf("open method %s is not served: the allowlist is stale", open)
		}
	}
	for _, r := range restRoutes {
		if slices.Contains(openREST, r.path) {
			t.Errorf("API route %s is on the open list", r)
		}
	}
	conn := srv.Conn()

	// Without a valid token: refused, nothing started.
	for _, r := range grpcRoutes {
		if r.open {
			for _, auth := range append([]string{valid}, badAuth...) {
				if err := callGRPC(authCtx(auth), conn, r); err != nil {
					t.Errorf("open %s with %q = %v, want served", r.full, auth, err)
				}
			}
			continue
		}
		for _, auth := range badAuth {
			if err := callGRPC(authCtx(auth), conn, r); status.Code(err) != codes.Unauthenticated {
				t.Errorf("%s with %q = %v, want UNAUTHENTICATED", r.full, auth, err)
			}
		}
	}
	for _, r := range restRoutes {
		for _, auth := range badAuth {
			resp, body := restCall(t, srv, r, auth)
			var st struct{ Code int }
			json.Unmarshal([]byte(body), &st)
			if resp.StatusCode != http.StatusUnauthorized || !resp.Close || st.Code != int(codes.Unauthenticated) ||
				resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s with %q = %d (close %v, WWW-Authenticate %q) %.200s, want 401 UNAUTHENTICATED and the connection closed",
					r, auth, resp.StatusCode, resp.Close, resp.Header.Get("WWW-Authenticate"), body)
			}
		}
	}
	for _, path := range openREST {
		for _, auth := range append([]string{valid}, badAuth...) {
			if resp, body := httpDo(t, http.DefaultClient, http.MethodGet, srv.URL+path, "", map[string]string{"Authorization": auth}); resp.StatusCode != http.StatusOK {
				t.Errorf("open GET %s with %q = %d %.200s, want 200", path, auth, resp.StatusCode, body)
			}
		}
	}
	// The RPC counters count REST calls too (they pass the same
	// interceptors), labelled by the full method name in two parts:
	// grpc_service and grpc_method. None may have started.
	m := scrape(t, srv)
	for _, r := range grpcRoutes {
		if r.open {
			continue
		}
		if n := m.sum("grpc_server_started_total", "grpc_service", r.service(), "grpc_method", r.method()); n != 0 {
			t.Errorf("%s started %v times without a valid token, want 0", r.full, n)
		}
		if n := m.sum("csplan_rejected_requests_total", "transport", "grpc", "route", r.full, "reason", "unauthenticated"); n != float64(len(badAuth)) {
			t.Errorf("%s: %v refusals counted, want %d", r.full, n, len(badAuth))
		}
	}
	for _, r := range restRoutes {
		if n := m.sum("csplan_rejected_requests_total", "transport", "rest", "route", r.path, "reason", "unauthenticated"); n != float64(len(badAuth)) {
			t.Errorf("%s: %v refusals counted, want %d", r, n, len(badAuth))
		}
	}

	// With a valid token: past the door, whatever the service makes of a
	// default request, and counted under the RPC's name.
	want := map[string]float64{}
	for _, r := range grpcRoutes {
		if r.open {
			continue
		}
		err := callGRPC(authCtx(valid), conn, r)
		if c := status.Code(err); c == codes.Unauthenticated || c == codes.Internal || c == codes.Unknown {
			t.Errorf("%s with a valid token = %v, want past the door and no server failure", r.full, err)
		}
		want[r.full]++
	}
	for _, r := range restRoutes {
		resp, body := restCall(t, srv, r, valid)
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode >= 500 {
			t.Errorf("%s with a valid token = %d %.200s, want past the door and no server failure", r, resp.StatusCode, body)
		}
		want[r.rpc]++
	}
	m = scrape(t, srv)
	for _, r := range grpcRoutes {
		if r.open {
			continue
		}
		if n := m.sum("grpc_server_handled_total", "grpc_service", r.service(), "grpc_method", r.method()); n != want[r.full] {
			t.Errorf("%s handled %v times, want %v (one gRPC call and one per REST route of it)", r.full, n, want[r.full])
		}
	}
	t.Logf("%d gRPC methods (%d open), %d REST routes, %d open REST routes", len(grpcRoutes), len(openGRPC), len(restRoutes), len(openREST))
}

// TestPanicsRecoveredOnEveryTransport: a handler that panics answers
// INTERNAL without the panic's value, on each transport and kind of call,
// logs the panic with its stack, is counted as INTERNAL under its
// method, and leaves the server serving.
//
// The panic comes from the clock (Config.Now), the one piece of the
// configuration that runs inside handlers: no other hook reaches into
// the real services, and only the routes that read the clock can panic
// through it. So recovery is proven once per transport and kind (gRPC
// unary and stream, REST unary and stream) rather than per route; the
// interceptor chain that recovers is the same for every method of a
// kind, and the probe service (lifecycle_test.go) and the direct door
// (direct_test.go) test it apart.
func TestPanicsRecoveredOnEveryTransport(t *testing.T) {
	var logs logbuf.Buffer
	srv := servertest.NewServer(t, server.Config{
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		Now:    func() time.Time { panic("clock secret") },
	})
	ctx := context.Background()
	wantInternal := func(what string, err error) {
		t.Helper()
		if st := status.Convert(err); st.Code() != codes.Internal || strings.Contains(st.Message(), "secret") {
			t.Errorf("%s with a panicking handler = %v, want INTERNAL without the panic value", what, err)
		}
	}

	_, err := csplanv1.NewCapacityServiceClient(srv.Conn()).ForecastCapacity(ctx, &csplanv1.ForecastCapacityRequest{})
	wantInternal("gRPC unary ForecastCapacity", err)

	stream, err := csplanv1.NewPlanningServiceClient(srv.Conn()).StreamRunPlan(ctx)
	if err == nil {
		stream.Send(&csplanv1.StreamRunPlanRequest{Payload: &csplanv1.StreamRunPlanRequest_Plan{Plan: &csplanv1.Plan{}}})
		_, err = stream.CloseAndRecv()
	}
	wantInternal("gRPC stream StreamRunPlan", err)

	for _, tc := range []struct{ route, body string }{
		{"/v1/capacity:forecast", `{}`},
		{"/v1/plans:runStream", `{"plan":{}}` + "\n"},
	} {
		code, body := srv.Do(http.MethodPost, tc.route, tc.body)
		var st struct{ Code int }
		json.Unmarshal(body, &st)
		if code != http.StatusInternalServerError || st.Code != int(codes.Internal) || bytes.Contains(body, []byte("secret")) {
			t.Errorf("POST %s with a panicking handler = %d %s, want 500 INTERNAL without the panic value", tc.route, code, body)
		}
	}

	if _, err := csplanv1.NewCapacityServiceClient(srv.Conn()).GetBenchmarks(ctx, &csplanv1.GetBenchmarksRequest{}); err != nil {
		t.Errorf("a call after the panics = %v, want served", err)
	}
	if code, body := srv.Do(http.MethodGet, "/v1/benchmarks", ""); code != http.StatusOK {
		t.Errorf("a REST call after the panics = %d %.200s, want 200", code, body)
	}
	m := scrape(t, srv)
	for _, method := range []string{"ForecastCapacity", "StreamRunPlan"} {
		if n := m.sum("grpc_server_handled_total", "grpc_method", method, "grpc_code", "Internal"); n != 2 {
			t.Errorf("%s: %v INTERNAL answers counted, want 2 (gRPC and REST)", method, n)
		}
	}
	text := logs.String()
	if n := strings.Count(text, `"msg":"panic in handler"`); n != 4 {
		t.Errorf("%d panics logged, want 4:\n%s", n, text)
	}
	if !strings.Contains(text, "clock secret") || !strings.Contains(text, "goroutine") {
		t.Errorf("the panic and its stack were not logged:\n%s", text)
	}
}

// metricsText is a scrape of /metrics: sample lines by metric name.
type metricsText map[string][]metricSample

type metricSample struct {
	labels map[string]string
	value  float64
}

var labelPair = regexp.MustCompile(`(\w+)="((?:[^"\\]|\\.)*)"`)

// scrape reads /metrics, which is open, in the text format.
func scrape(t *testing.T, srv *servertest.Server) metricsText {
	t.Helper()
	code, body := srv.Do(http.MethodGet, "/metrics", "")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", code)
	}
	m := metricsText{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, labels, rest := line, "", ""
		if i := strings.IndexByte(line, '{'); i >= 0 {
			j := strings.LastIndexByte(line, '}')
			name, labels, rest = line[:i], line[i+1:j], line[j+1:]
		} else {
			name, rest, _ = strings.Cut(line, " ")
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			t.Fatalf("a /metrics line without a value: %q", line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			t.Fatalf("a /metrics line with a bad value: %q", line)
		}
		s := metricSample{labels: map[string]string{}, value: v}
		for _, kv := range labelPair.FindAllStringSubmatch(labels, -1) {
			s.labels[kv[1]] = kv[2]
		}
		m[name] = append(m[name], s)
	}
	return m
}

// sum adds the samples of name whose labels hold every given pair
// (label, value, label, value...).
func (m metricsText) sum(name string, pairs ...string) float64 {
	total := 0.0
	for _, s := range m[name] {
		match := true
		for i := 0; i+1 < len(pairs); i += 2 {
			if s.labels[pairs[i]] != pairs[i+1] {
				match = false
			}
		}
		if match {
			total += s.value
		}
	}
	return total
}
