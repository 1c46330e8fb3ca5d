package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

type restStatus struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Details []struct {
		FieldViolations []struct {
			Field       string `json:"field"`
			Description string `json:"description"`
		} `json:"fieldViolations"`
	} `json:"details"`
}

func violationsOf(t *testing.T, body []byte) (restStatus, map[string]string) {
	t.Helper()
	var st restStatus
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatalf("not a status: %v\n%s", err, body)
	}
	fields := map[string]string{}
	for _, d := range st.Details {
		for _, v := range d.FieldViolations {
			fields[v.Field] = v.Description
		}
	}
	return st, fields
}

// TestRESTErrorsAFormCanUse: a body with an unknown nested field and a bad
// enum answers 400 with both problems in the BadRequest, each at its
// lowerCamelCase path; a service's own field errors come in JSON names too.
func TestRESTErrorsAFormCanUse(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	code, body := srv.Do(http.MethodPost, "/v1/capacity:compute",
		`{"csmTime":{"weeklyHours":40,"targetUtilisation":0.8},"segments":[{"name":"A","accounts":10,"playbook":{"touchpoints":[{"name":"x","hours":1,"cadence":"MONTHLY"}]}}]}`)
	if code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", code, body)
	}
	st, fields := violationsOf(t, body)
	if d := fields["csmTime.targetUtilisation"]; !strings.Contains(d, `is not a field of CsmTime (did you mean "targetUtilization"?)`) {
		t.Errorf("the unknown nested field: %q\n%s", d, body)
	}
	if d := fields["segments[0].playbook.touchpoints[0].cadence"]; !strings.Contains(d, `"MONTHLY" is not a Cadence: use one of CADENCE_WEEKLY`) {
		t.Errorf("the bad enum: %q\n%s", d, body)
	}
	if st.Code != 3 || !strings.Contains(st.Message, "csmTime.targetUtilisation: ") {
		t.Errorf("status %d %q", st.Code, st.Message)
	}

	// Not JSON: one violation saying where.
	code, body = srv.Do(http.MethodPost, "/v1/capacity:evaluate", "{\"csmCount\": 5,\n \"arr\": }")
	if _, fields := violationsOf(t, body); code != http.StatusBadRequest || !strings.Contains(fields[""], "not JSON at line 2, column 9") {
		t.Errorf("malformed JSON = %d %s", code, body)
	}

	// A stream's bad line names its message.
	code, body = srv.Do(http.MethodPost, "/v1/segments:assignStream", `{"rules":{"segments":[{"name":"A"}]}}`+"\n"+`{"batch":{"accounts":[{"id":"1","healthScroe":5}]}}`)
	if _, fields := violationsOf(t, body); code != http.StatusBadRequest || !strings.Contains(fields["batch.accounts[0].healthScroe"], `message 2 of the stream: is not a field of Account (did you mean "healthScore"?)`) {
		t.Errorf("a bad stream line = %d %s", code, body)
	}

	// The service's own checks, in JSON names.
	code, body = srv.Do(http.MethodPost, "/v1/capacity:forecast", `{"startMonth":"2027-01","accounts":10,"csmCount":1,"growth":{"monthlyLogoChurnRate":1}}`)
	if _, fields := violationsOf(t, body); code != http.StatusBadRequest || !strings.Contains(fields["growth.monthlyLogoChurnRate"], "rates are fractions") {
		t.Errorf("a service's field error = %d %s", code, body)
	}
}

// TestRESTWrongMethod: a route called with a method it does not take is
// 405 with Allow, unary and stream routes alike; an unknown route is 404.
func TestRESTWrongMethod(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	for _, tc := range []struct{ method, route, allow string }{
		{http.MethodGet, "/v1/capacity:compute", "POST"},
		{http.MethodPut, "/v1/plans:run", "POST"},
		{http.MethodGet, "/v1/segments:assignStream", "POST"},
		{http.MethodPost, "/v1/benchmarks", "GET"},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.route, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tc.allow || !strings.Contains(string(body), "takes "+tc.allow) {
			t.Errorf("%s %s = %d, Allow %q: %s", tc.method, tc.route, resp.StatusCode, resp.Header.Get("Allow"), body)
		}
	}
	if code, body := srv.Do(http.MethodPost, "/v1/capacity:computer", "{}"); code != http.StatusNotFound || !strings.Contains(string(body), "/openapi.json") {
		t.Errorf("an unknown route = %d %s", code, body)
	}
}
