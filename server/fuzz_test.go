package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/csplan/csplan"
)

// bodyRoutes are every REST route with a JSON body, from the OpenAPI
// document, so that a new route is fuzzed without editing this file.
func bodyRoutes(tb testing.TB) []string {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(csplan.OpenAPI, &doc); err != nil {
		tb.Fatal(err)
	}
	var routes []string
	for path, methods := range doc.Paths {
		if _, ok := methods["post"]; ok {
			routes = append(routes, path)
		}
	}
	slices.Sort(routes)
	if len(routes) < 13 {
		tb.Fatalf("the OpenAPI document has %d POST routes: %v", len(routes), routes)
	}
	return routes
}

// FuzzREST sends arbitrary bodies to every route through the gateway, the
// interceptors and the services: an answer may be a result or a 4xx, never
// a 5xx, and the server must keep serving.
func FuzzREST(f *testing.F) {
	routes := bodyRoutes(f)
	seed := func(route string, body []byte) {
		i := slices.Index(routes, route)
		if i < 0 {
			f.Fatalf("no POST route %s in the OpenAPI document", route)
		}
		f.Add(uint8(i), body)
	}
	seed("/v1/plans:run", []byte(`{"plan":{"segments":[{"name":"Core","team":{"csmCount":2},"rules":{"minArr":1}}]},"accounts":[{"id":"a","arr":5}]}`))
	seed("/v1/capacity:compute", []byte(`{"segments":[{"name":"A","accounts":10,"playbook":{"touchpoints":[{"name":"x","hours":1,"cadence":"CADENCE_MONTHLY"}]}}]}`))
	seed("/v1/capacity:evaluate", []byte(`{"csmCount":5,"accounts":140,"arr":4000000,"workloadCsmFte":5.5,"signals":{"churnRate":0.03,"previousChurnRate":0.02}}`))
	seed("/v1/capacity:forecast", []byte(`{"startMonth":"2026-12","horizonMonths":120,"accounts":60,"csmCount":1,"growth":{"newAccountsPerMonth":5},"timeline":{"annualCsmAttritionRate":0.99}}`))
	seed("/v1/segments:assign", []byte(`{"segments":[{"name":"Ent","minArr":100000,"stages":["Adoption"]}],"accounts":[{"id":"a","arr":150000,"stage":" adoption "}]}`))
	seed("/v1/segments:assignStream", []byte("{\"rules\":{\"segments\":[{\"name\":\"All\"}]}}\n{\"batch\":{\"accounts\":[{\"id\":\"a\",\"arr\":1}]}}\n"))
	seed("/v1/segments:suggest", []byte(`{"arr":[1,10,100,1000,10000],"tiers":3}`))
	seed("/v1/segments:suggestStream", []byte("{\"settings\":{\"tiers\":8}}\n{\"batch\":{\"accounts\":[{\"arr\":\"NaN\"}]}}\n"))
	seed("/v1/coverage:plan", []byte(`{"segments":[{"name":"A","accounts":200,"accountsPerCsm":5,"arr":1000000}],"csmLoadedCost":150000}`))
	seed("/v1/hiring:estimateCost", []byte(`{"baseSalary":100000,"loadedCostMultiplier":1.5,"itemized":{}}`))
	seed("/v1/hiring:evaluate", []byte(`{"arr":4000000,"csmCount":5,"hire":{"baseSalary":100000},"load":{"workloadCsmFte":5.5},"cash":1,"monthlyBurn":0}`))
	seed("/v1/capacity:compute", []byte(`{"csmTime":{"weeklyHours":"Infinity"},"segments":[{"name":"A","accounts":2147483647,"arr":1e308,"playbook":{"touchpoints":[{"name":"x","hours":1e308,"perYear":1e308}]}}]}`))
	seed("/v1/capacity:forecast", []byte(`{"startMonth":"9999-12","horizonMonths":120,"accounts":2147483647,"csmCount":0,"growth":{"newAccountsPerMonth":1e300}}`))

	s := New(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Serve(ctx, nil, nil)
	conn, err := s.dialInMemory()
	if err != nil {
		f.Fatal(err)
	}
	defer conn.Close()
	handler, err := s.httpHandler(ctx, conn)
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		path := routes[int(route)%len(routes)]
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		reqCtx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
		defer cancel()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req.WithContext(reqCtx))
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q = %d %s", path, body, rec.Code, rec.Body.String())
		}
	})
}
