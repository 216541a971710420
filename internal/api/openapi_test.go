package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/api"
	"github.com/rounds-health/rounds/internal/testkit"
)

type openapiDocument struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]schema `json:"schemas"`
	} `json:"components"`
}

type schema struct {
	Ref        string            `json:"$ref"`
	Type       string            `json:"type"`
	Required   []string          `json:"required"`
	Properties map[string]schema `json:"properties"`
	Items      *schema           `json:"items"`
	Enum       []any             `json:"enum"`
}

type operation struct {
	Security  []map[string][]string `json:"security"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

func loadDoc(t *testing.T) openapiDocument {
	t.Helper()
	var d openapiDocument
	if err := json.Unmarshal(api.OpenAPI(), &d); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if d.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q; want 3.1.0", d.OpenAPI)
	}
	return d
}

// TestOpenAPI_DocumentsEveryRouteAndNothingElse keeps the document in step
// with the registered routes, including which need a token.
func TestOpenAPI_DocumentsEveryRouteAndNothingElse(t *testing.T) {
	d := loadDoc(t)
	registered := map[string]api.RouteInfo{}
	for _, rt := range api.HealthcareRoutes() {
		key := strings.ToLower(rt.Method) + " " + rt.Path
		registered[key] = rt
		raw, ok := d.Paths[rt.Path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s %s is served but not documented", rt.Method, rt.Path)
			continue
		}
		var op operation
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Fatal(err)
		}
		documented := ""
		if len(op.Security) > 0 {
			documented = op.Security[0]["bearer"][0]
		}
		if documented != rt.Scope {
			t.Errorf("%s %s: documented scope %q, served with %q", rt.Method, rt.Path, documented, rt.Scope)
		}
	}
	for path, ops := range d.Paths {
		for method := range ops {
			if _, ok := registered[method+" "+path]; !ok {
				t.Errorf("%s %s is documented but not served", strings.ToUpper(method), path)
			}
		}
	}
}

// conforms checks v against s: types, required properties, enums, recursively.
func conforms(t *testing.T, d openapiDocument, s schema, v any, at string) {
	t.Helper()
	if s.Ref != "" {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: want an object, got %T", at, v)
			return
		}
		for _, r := range s.Required {
			if _, ok := m[r]; !ok {
				t.Errorf("%s: required property %q missing", at, r)
			}
		}
		for k, val := range m {
			ps, ok := s.Properties[k]
			if !ok && len(s.Properties) > 0 {
				t.Errorf("%s: property %q is not documented", at, k)
				continue
			}
			if ok {
				conforms(t, d, ps, val, at+"."+k)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			t.Errorf("%s: want an array, got %T", at, v)
			return
		}
		for i, x := range a {
			if s.Items != nil {
				conforms(t, d, *s.Items, x, at+"["+string(rune('0'+i%10))+"]")
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			t.Errorf("%s: want a string, got %T", at, v)
		}
	case "number", "integer":
		if _, ok := v.(float64); !ok {
			t.Errorf("%s: want a number, got %T", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			t.Errorf("%s: want a boolean, got %T", at, v)
		}
	}
	if len(s.Enum) > 0 {
		found := false
		for _, e := range s.Enum {
			found = found || e == v
		}
		if !found {
			t.Errorf("%s: %v is not one of %v", at, v, s.Enum)
		}
	}
}

// TestOpenAPI_ResponsesMatchTheirSchemas calls the public operations on a
// populated directory and checks each answer against its documented schema.
func TestOpenAPI_ResponsesMatchTheirSchemas(t *testing.T) {
	d := loadDoc(t)
	srv := testkit.Start(t)
	_, c := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_schema", First: "Sara", Last: "Schema",
		Specialties: []string{"207RC0000X"}, Languages: []string{"en", "es"}, City: "Boston", State: "MA", Zip: "02114",
		NPIStem: 42, Accepting: true, Verify: true})
	calls := []struct{ path, url string }{
		{"/api/rounds/v1/clinicians", "/api/rounds/v1/clinicians?" + url.Values{"specialty": {"207RC0000X"}, "near": {"Boston, MA"}, "radius": {"10"}}.Encode()},
		{"/api/rounds/v1/clinicians/{id}", "/api/rounds/v1/clinicians/" + c.Slug},
		{"/api/rounds/v1/organizations", "/api/rounds/v1/organizations"},
		{"/api/rounds/v1/specialties", "/api/rounds/v1/specialties"},
	}
	for _, call := range calls {
		resp, body := srv.Get(t, srv.Client(), call.url)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", call.url, resp.StatusCode, body)
		}
		var op operation
		_ = json.Unmarshal(d.Paths[call.path]["get"], &op)
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		conforms(t, d, op.Responses["200"].Content["application/json"].Schema, v, call.path)
	}
	// Errors have the documented error shape.
	resp, body := srv.Get(t, srv.Client(), "/api/rounds/v1/clinicians?per_page=5000")
	var v any
	_ = json.Unmarshal([]byte(body), &v)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("per_page=5000 = %d", resp.StatusCode)
	}
	conforms(t, d, schema{Ref: "#/components/schemas/Error"}, v, "error")
	if !strings.Contains(body, `"per_page"`) {
		t.Fatalf("the error does not name the field: %s", body)
	}
	resp, body = srv.Get(t, srv.Client(), "/api/openapi.json")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"openapi": "3.1.0"`) {
		t.Fatalf("GET /api/openapi.json = %d", resp.StatusCode)
	}
}
