// Package csplan holds what belongs to the repository as a whole: the
// generated OpenAPI document, embedded here because go:embed cannot reach
// into gen/ from another directory. See server, client and cmd/csplan for
// the service itself.
package csplan

import _ "embed"

// OpenAPI is the generated OpenAPI (Swagger 2.0) document of every REST
// route, served by the server at /openapi.json.
//
//go:embed gen/openapiv2/csplan.swagger.json
var OpenAPI []byte

// OpenAPIv3 is the same routes as an OpenAPI 3 document, with the bearer
// security scheme and an example request per route
// (internal/openapi3gen), served at /openapi.v3.json.
//
//go:embed gen/openapiv3/csplan.openapi.json
var OpenAPIv3 []byte
