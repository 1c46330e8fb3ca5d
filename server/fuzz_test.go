package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// bodyRoutes are every REST route with a JSON body.
var bodyRoutes = []string{
	"/v1/capacity:compute", "/v1/capacity:evaluate", "/v1/capacity:forecast",
	"/v1/segments:assign", "/v1/segments:assignStream", "/v1/segments:suggest", "/v1/segments:suggestStream",
	"/v1/coverage:plan", "/v1/hiring:estimateCost", "/v1/hiring:evaluate",
}

// FuzzREST sends arbitrary bodies to every route through the gateway, the
// interceptors and the services: an answer may be a result or a 4xx, never
// a 5xx, and the server must keep serving.
func FuzzREST(f *testing.F) {
	f.Add(uint8(0), []byte(`{"segments":[{"name":"A","accounts":10,"playbook":{"touchpoints":[{"name":"x","hours":1,"cadence":"CADENCE_MONTHLY"}]}}]}`))
	f.Add(uint8(1), []byte(`{"csmCount":5,"accounts":140,"arr":4000000,"workloadCsmFte":5.5,"signals":{"churnRate":0.03,"previousChurnRate":0.02}}`))
	f.Add(uint8(2), []byte(`{"startMonth":"2026-12","horizonMonths":120,"accounts":60,"csmCount":1,"growth":{"newAccountsPerMonth":5},"timeline":{"annualCsmAttritionRate":0.99}}`))
	f.Add(uint8(3), []byte(`{"segments":[{"name":"Ent","minArr":100000,"stages":["Adoption"]}],"accounts":[{"id":"a","arr":150000,"stage":" adoption "}]}`))
	f.Add(uint8(4), []byte("{\"rules\":{\"segments\":[{\"name\":\"All\"}]}}\n{\"batch\":{\"accounts\":[{\"id\":\"a\",\"arr\":1}]}}\n"))
	f.Add(uint8(5), []byte(`{"arr":[1,10,100,1000,10000],"tiers":3}`))
	f.Add(uint8(6), []byte("{\"settings\":{\"tiers\":8}}\n{\"batch\":{\"accounts\":[{\"arr\":\"NaN\"}]}}\n"))
	f.Add(uint8(7), []byte(`{"segments":[{"name":"A","accounts":200,"accountsPerCsm":5,"arr":1000000}],"csmLoadedCost":150000}`))
	f.Add(uint8(8), []byte(`{"baseSalary":100000,"loadedCostMultiplier":1.5,"itemized":{}}`))
	f.Add(uint8(9), []byte(`{"arr":4000000,"csmCount":5,"hire":{"baseSalary":100000},"load":{"workloadCsmFte":5.5},"cash":1,"monthlyBurn":0}`))
	f.Add(uint8(0), []byte(`{"csmTime":{"weeklyHours":"Infinity"},"segments":[{"name":"A","accounts":2147483647,"arr":1e308,"playbook":{"touchpoints":[{"name":"x","hours":1e308,"perYear":1e308}]}}]}`))
	f.Add(uint8(2), []byte(`{"startMonth":"9999-12","horizonMonths":120,"accounts":2147483647,"csmCount":0,"growth":{"newAccountsPerMonth":1e300}}`))

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
		path := bodyRoutes[int(route)%len(bodyRoutes)]
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
