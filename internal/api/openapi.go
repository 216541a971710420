package api

import (
	_ "embed"
	"net/http"
)

// openapiDoc describes the healthcare API (/api/rounds/v1). A test checks
// it against the registered routes and the shapes they return.
//
//go:embed openapi.json
var openapiDoc []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(openapiDoc)
}

// OpenAPI returns the OpenAPI document of the healthcare API.
func OpenAPI() []byte { return openapiDoc }

// RouteInfo is a served healthcare route, for checking the document.
type RouteInfo struct{ Method, Path, Scope string }

// HealthcareRoutes lists the routes served under /api/rounds.
func HealthcareRoutes() []RouteInfo {
	out := make([]RouteInfo, len(roundsRoutes))
	for i, rt := range roundsRoutes {
		out[i] = RouteInfo{rt.method, rt.path, rt.scope}
	}
	return out
}
