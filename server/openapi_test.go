package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/csplan/csplan"
	"github.com/csplan/csplan/internal/servertest"
	"github.com/csplan/csplan/server"
)

// TestOpenAPIv3: /openapi.v3.json is the embedded OpenAPI 3 document, with
// a bearer scheme every route requires and an example for each route
// with a body, and each example is a request the server accepts (a
// stream's with one batch after it).
func TestOpenAPIv3(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{})
	code, body := srv.Do(http.MethodGet, "/openapi.v3.json", "")
	if code != http.StatusOK || string(body) != string(csplan.OpenAPIv3) {
		t.Fatalf("GET /openapi.v3.json = %d, %d bytes", code, len(body))
	}
	var doc struct {
		OpenAPI    string `json:"openapi"`
		Security   []map[string][]string
		Components struct {
			SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
		}
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Components.SecuritySchemes["bearer"].Scheme != "bearer" || len(doc.Security) != 1 {
		t.Errorf("openapi %q, schemes %v, security %v", doc.OpenAPI, doc.Components.SecuritySchemes, doc.Security)
	}
	routes := 0
	for path, methods := range doc.Paths {
		for method, op := range methods {
			routes++
			if method == "get" {
				continue
			}
			if op.RequestBody == nil || len(op.RequestBody.Content["application/json"].Example) == 0 {
				t.Errorf("%s %s has no example", method, path)
				continue
			}
			ex := string(op.RequestBody.Content["application/json"].Example)
			if strings.HasSuffix(path, "Stream") {
				ex += "\n" + `{"batch":{"accounts":[{"id":"x-1","arr":150000,"stage":"Adoption"},{"id":"x-2","arr":9000}]}}`
			}
			if code, resp := srv.Do(http.MethodPost, path, ex); code != http.StatusOK {
				t.Errorf("the example of POST %s = %d %s", path, code, resp)
			}
		}
	}
	var v2 struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(csplan.OpenAPI, &v2); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, methods := range v2.Paths {
		want += len(methods)
	}
	if routes != want || want < 16 {
		t.Errorf("%d routes in the document, want the %d of /openapi.json (at least 16)", routes, want)
	}
}

// TestAPIReferencePage: /docs is the reference page, rendering
// /openapi.v3.json with the vendored Redoc the server serves itself (no
// CDN), both without a token.
func TestAPIReferencePage(t *testing.T) {
	srv := servertest.NewServer(t, server.Config{Tokens: servertest.Tokens(t, "docs-token-000001")})
	code, page := srv.Do(http.MethodGet, "/docs", "")
	if code != http.StatusOK || !strings.Contains(string(page), `<redoc spec-url="/openapi.v3.json"`) || !strings.Contains(string(page), `<script src="/docs/redoc.standalone.js">`) {
		t.Fatalf("GET /docs = %d %s", code, page)
	}
	if strings.Contains(string(page), "http://") || strings.Contains(string(page), "https://") {
		t.Errorf("the page loads something from elsewhere:\n%s", page)
	}
	code, js := srv.Do(http.MethodGet, "/docs/redoc.standalone.js", "")
	if code != http.StatusOK || len(js) < 500_000 {
		t.Errorf("GET the renderer = %d, %d bytes", code, len(js))
	}
	if code, _ := srv.Do(http.MethodGet, "/openapi.v3.json", ""); code != http.StatusOK {
		t.Errorf("the document the page reads = %d without a token", code)
	}
}
