package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// TestRESTAnswersAreCanonicalJSON: answers and errors, of unary and stream
// routes, are compact JSON whatever the build (protojson's spacing varies
// from one binary to another, csplan's does not).
func TestRESTAnswersAreCanonicalJSON(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	calls := []struct {
		method, route, body string
		code                int
	}{
		{http.MethodGet, "/v1/benchmarks", "", http.StatusOK},
		{http.MethodPost, "/v1/capacity:forecast", `{"startMonth":"2027-01","horizonMonths":3,"accounts":40,"arr":4000000,"csmCount":2}`, http.StatusOK},
		{http.MethodPost, "/v1/capacity:compute", `{"segments":[{"name":""}]}`, http.StatusBadRequest},
		{http.MethodPost, "/v1/segments:assignStream", `{"rules":{"segments":[{"name":"All"}]}}` + "\n" + `{"batch":{"accounts":[{"id":"a","arr":10},{"id":"b","arr":20}]}}`, http.StatusOK},
		{http.MethodPost, "/v1/segments:suggestStream", `{"settings":{"tiers":3}}` + "\n" + `{"batch":{"accounts":[{"arr":-5}]}}`, http.StatusBadRequest},
	}
	for _, c := range calls {
		code, body := srv.Do(c.method, c.route, c.body)
		if code != c.code {
			t.Fatalf("%s %s = %d %s, want %d", c.method, c.route, code, body, c.code)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, body); err != nil {
			t.Fatalf("%s %s: not JSON: %v\n%s", c.method, c.route, err, body)
		}
		if !bytes.Equal(bytes.TrimSpace(body), compact.Bytes()) {
			t.Errorf("%s %s is not canonical JSON:\n%s", c.method, c.route, body)
		}
	}
}
