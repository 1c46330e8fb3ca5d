// Command openapi3gen writes the OpenAPI 3 document of csplan's REST routes
// from the generated Swagger 2.0 one (gen/openapiv2), with a bearer
// security scheme and an example request per route
// (proto/csplan/v1/csplan_examples.yaml). Run it from the repository root
// after buf generate: go run ./internal/openapi3gen
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

const (
	v2Path       = "gen/openapiv2/csplan.swagger.json"
	examplesPath = "proto/csplan/v1/csplan_examples.yaml"
	outPath      = "gen/openapiv3/csplan.openapi.json"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "openapi3gen:", err)
		os.Exit(1)
	}
}

func run() error {
	data, err := os.ReadFile(v2Path)
	if err != nil {
		return err
	}
	var v2 openapi2.T
	if err := json.Unmarshal(data, &v2); err != nil {
		return fmt.Errorf("%s: %w", v2Path, err)
	}
	doc, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return err
	}
	examples, err := readExamples()
	if err != nil {
		return err
	}
	if err := decorate(doc, examples); err != nil {
		return err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll("gen/openapiv3", 0o755); err != nil {
		return err
	}
	return os.WriteFile(outPath, append(out, '\n'), 0o644)
}

// readExamples reads the example request of each operation, as JSON values.
func readExamples() (map[string]any, error) {
	data, err := os.ReadFile(examplesPath)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", examplesPath, err)
	}
	return raw, nil
}

// decorate adds what Swagger 2.0 lacked: the bearer scheme every route
// needs, an example per route, and the NDJSON body of the stream routes.
func decorate(doc *openapi3.T, examples map[string]any) error {
	if doc.Components == nil {
		doc.Components = &openapi3.Components{}
	}
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{
		"bearer": &openapi3.SecuritySchemeRef{Value: openapi3.NewSecurityScheme().WithType("http").WithScheme("bearer").
			WithDescription("A token of the server's tokens file (csplan serve --tokens-file), as Authorization: Bearer TOKEN. A server started without tokens takes calls without one.")},
	}
	doc.Security = openapi3.SecurityRequirements{{"bearer": []string{}}}
	used := map[string]bool{}
	paths := doc.Paths.Map()
	for _, path := range slices.Sorted(func(yield func(string) bool) {
		for p := range paths {
			if !yield(p) {
				return
			}
		}
	}) {
		for method, op := range paths[path].Operations() {
			ex, ok := examples[op.OperationID]
			if method == "GET" {
				continue
			}
			if !ok {
				return fmt.Errorf("%s has no example for %s %s (%s)", examplesPath, method, path, op.OperationID)
			}
			used[op.OperationID] = true
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				return fmt.Errorf("%s %s has no request body to give an example", method, path)
			}
			body := op.RequestBody.Value
			for _, mt := range body.Content {
				mt.Example = ex
			}
			if strings.HasSuffix(path, "Stream") {
				body.Description = "NDJSON: one message per line, the first as in the example, then batches of accounts ({\"batch\": {\"accounts\": [...]}}). Sent as application/x-ndjson or application/json alike."
				if mt := body.Content.Get("application/json"); mt != nil {
					body.Content["application/x-ndjson"] = mt
				}
			}
		}
	}
	for id := range examples {
		if !used[id] {
			return fmt.Errorf("%s has an example for %s, which is no route", examplesPath, id)
		}
	}
	return nil
}
