// Package apidocs serves the API reference page at /docs: Redoc (vendored
// in redoc/, no CDN) rendering the OpenAPI 3 document the server serves at
// /openapi.v3.json.
package apidocs

import (
	_ "embed"
	"net/http"
)

// Script is the path of the vendored renderer.
const Script = "/docs/redoc.standalone.js"

//go:embed redoc/redoc.standalone.js
var redoc []byte

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>csplan API reference</title>
<style>body { margin: 0; }</style>
</head>
<body>
<redoc spec-url="/openapi.v3.json" hide-download-button="false"></redoc>
<script src="` + Script + `"></script>
</body>
</html>
`

// Page serves the reference page.
func Page(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(page))
}

// Renderer serves the vendored Redoc bundle, cached for a day: it changes
// only with the binary.
func Renderer(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(redoc)
}
