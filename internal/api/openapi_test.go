// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/amparo-project/amparo/internal/api"
	"github.com/amparo-project/amparo/internal/testutil"
)

// apiPrefix is the server URL of the OpenAPI document: its paths are
// relative to it.
const apiPrefix = "/api/v1"

// observedResponses collects every response the package's tests receive, so
// that TestMain can check each against the OpenAPI document once they have
// all run: the document is then tested by every scenario, not by a sample.
var observedResponses = &collector{}

// TestMain runs the tests, then validates every collected API response
// against openapi.json. An undocumented operation, status or content type,
// or a body its schema refuses, fails the run.
func TestMain(m *testing.M) {
	code := m.Run()
	failures := observedResponses.validate()
	for _, f := range failures {
		fmt.Fprintln(os.Stderr, "openapi:", f)
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "openapi: checked the responses of %d requests\n", observedResponses.len())
	}
	if len(failures) > 0 {
		fmt.Fprintf(os.Stderr, "openapi: %d of %d responses do not match openapi.json\n", len(failures), observedResponses.len())
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// each runs fn once per database engine with a fresh application whose
// responses are all collected for validation against the OpenAPI document.
// Every test of this package that calls the server goes through it.
func each(t *testing.T, fn func(t *testing.T, a *testutil.App)) {
	t.Helper()
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		a.Observe = observedResponses.observer(t.Name())
		fn(t, a)
	})
}

type observation struct {
	test        string
	method      string
	path        string
	status      int
	contentType string
	body        []byte
}

type collector struct {
	mu  sync.Mutex
	all []observation
}

func (c *collector) observer(test string) func(*http.Request, int, http.Header, []byte) {
	return func(req *http.Request, status int, h http.Header, body []byte) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.all = append(c.all, observation{test: test, method: req.Method, path: req.URL.Path, status: status,
			contentType: h.Get("Content-Type"), body: bytes.Clone(body)})
	}
}

func (c *collector) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.all)
}

// validate checks every collected response under /api/v1 and returns one
// line per failure. The lines name the test, method, path template and
// status and where the body failed, never the body's values: a test run's
// output must not carry the fixtures' personal data (SECURITY-BAR 15).
func (c *collector) validate() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, err := newSpecValidator()
	if err != nil {
		return []string{err.Error()}
	}
	var failures []string
	for _, o := range c.all {
		if !strings.HasPrefix(o.path, apiPrefix+"/") {
			continue // Web pages and operations endpoints are not part of the API.
		}
		if err := v.check(o.method, strings.TrimPrefix(o.path, apiPrefix), o.status, o.contentType, o.body); err != nil {
			failures = append(failures, fmt.Sprintf("%s: %s", o.test, err))
		}
	}
	return failures
}

// openAPI is the part of the document the checks walk.
type openAPI struct {
	OpenAPI    string                                 `json:"openapi"`
	Servers    []struct{ URL string }                 `json:"servers"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Responses map[string]openAPIResponse `json:"responses"`
		Schemas   map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Summary     string                     `json:"summary"`
	Description string                     `json:"description"`
	Security    *[]map[string][]string     `json:"security"`
	Responses   map[string]openAPIResponse `json:"responses"`
	RequestBody *struct {
		Content map[string]struct {
			Schema json.RawMessage `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

type openAPIResponse struct {
	Ref         string                     `json:"$ref"`
	Description string                     `json:"description"`
	Content     map[string]json.RawMessage `json:"content"`
}

// specValidator finds the documented response for an observed one and
// validates its body with the schema compiled at that place in the
// document, so that $refs resolve inside openapi.json as a client's
// tooling would resolve them.
type specValidator struct {
	doc      openAPI
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

const docURL = "openapi.json"

func newSpecValidator() (*specValidator, error) {
	v := &specValidator{schemas: map[string]*jsonschema.Schema{}}
	if err := json.Unmarshal(api.OpenAPIDocument(), &v.doc); err != nil {
		return nil, fmt.Errorf("openapi.json does not parse: %w", err)
	}
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPIDocument()))
	if err != nil {
		return nil, fmt.Errorf("openapi.json does not parse: %w", err)
	}
	v.compiler = jsonschema.NewCompiler()
	v.compiler.DefaultDraft(jsonschema.Draft2020)
	// Formats are assertions here: a date-time that is not RFC 3339 fails.
	v.compiler.AssertFormat()
	if err := v.compiler.AddResource(docURL, raw); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	return v, nil
}

// schemaAt compiles (once) the schema at the JSON pointer ptr, given as
// reference tokens.
func (v *specValidator) schemaAt(tokens ...string) (*jsonschema.Schema, error) {
	loc := docURL + "#" + pointer(tokens...)
	if s, ok := v.schemas[loc]; ok {
		return s, nil
	}
	s, err := v.compiler.Compile(loc)
	if err != nil {
		return nil, err
	}
	v.schemas[loc] = s
	return s, nil
}

// pointer builds a JSON pointer (RFC 6901) from reference tokens, escaped
// for use as a URI fragment: '~' and '/' as the pointer syntax needs, then
// percent-encoding for the characters of paths and media types ('{', '}',
// '+') that a fragment may not carry literally or would decode otherwise.
func pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		t = strings.ReplaceAll(t, "~", "~0")
		t = strings.ReplaceAll(t, "/", "~1")
		b.WriteByte('/')
		for _, r := range []byte(t) {
			if strings.IndexByte("{}+% ", r) >= 0 {
				fmt.Fprintf(&b, "%%%02X", r)
			} else {
				b.WriteByte(r)
			}
		}
	}
	return b.String()
}

// matchPath returns the document's path template for a concrete path: the
// template whose segments all match, preferring literal segments over
// parameters.
func (v *specValidator) matchPath(path string) (string, bool) {
	segs := strings.Split(path, "/")
	best, bestLiterals := "", -1
	for tmpl := range v.doc.Paths {
		tsegs := strings.Split(tmpl, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		literals, ok := 0, true
		for i, ts := range tsegs {
			switch {
			case strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "}"):
				ok = ok && segs[i] != ""
			case ts == segs[i]:
				literals++
			default:
				ok = false
			}
		}
		if ok && literals > bestLiterals {
			best, bestLiterals = tmpl, literals
		}
	}
	return best, bestLiterals >= 0
}

// check validates one response; path is relative to the server URL.
func (v *specValidator) check(method, path string, status int, contentType string, body []byte) error {
	tmpl, ok := v.matchPath(path)
	if !ok {
		return fmt.Errorf("%s %s: %d: path not documented", method, path, status)
	}
	what := fmt.Sprintf("%s %s: %d", method, tmpl, status)
	m := strings.ToLower(method)
	op, ok := v.doc.Paths[tmpl][m]
	if !ok {
		return fmt.Errorf("%s: operation not documented", what)
	}
	code := strconv.Itoa(status)
	resp, ok := op.Responses[code]
	base := []string{"paths", tmpl, m, "responses", code}
	if !ok {
		if resp, ok = op.Responses["default"]; !ok {
			return fmt.Errorf("%s: status not documented", what)
		}
		base[len(base)-1] = "default"
	}
	if resp.Ref != "" {
		name, ok := strings.CutPrefix(resp.Ref, "#/components/responses/")
		if !ok {
			return fmt.Errorf("%s: unexpected $ref %s", what, resp.Ref)
		}
		if resp, ok = v.doc.Components.Responses[name]; !ok {
			return fmt.Errorf("%s: $ref %s does not resolve", what, name)
		}
		base = []string{"components", "responses", name}
	}
	if len(resp.Content) == 0 {
		if len(body) != 0 {
			return fmt.Errorf("%s: documented without a body, got %d bytes", what, len(body))
		}
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("%s: bad Content-Type %q", what, contentType)
	}
	if _, ok := resp.Content[mt]; !ok {
		return fmt.Errorf("%s: content type %s not documented", what, mt)
	}
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return nil
	}
	schema, err := v.schemaAt(append(base, "content", mt, "schema")...)
	if err != nil {
		return fmt.Errorf("%s: compiling its schema: %w", what, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: body is not JSON", what)
	}
	if err := schema.Validate(inst); err != nil {
		return fmt.Errorf("%s: %s", what, describe(err))
	}
	return nil
}

// describe lists where a body failed its schema: the instance location and
// the failing keyword of each leaf cause, never the offending values, which
// may be personal data.
func describe(err error) string {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return "validation failed"
	}
	var leaves []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			leaf := fmt.Sprintf("at /%s: %s", strings.Join(e.InstanceLocation, "/"), strings.Join(e.ErrorKind.KeywordPath(), "/"))
			// Property names are the document's, not data, and say what to fix.
			switch k := e.ErrorKind.(type) {
			case *kind.Required:
				leaf += " " + strings.Join(k.Missing, ",")
			case *kind.AdditionalProperties:
				leaf += " " + strings.Join(k.Properties, ",")
			}
			leaves = append(leaves, leaf)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return strings.Join(leaves, "; ")
}

func loadDocument(t *testing.T) openAPI {
	t.Helper()
	var doc openAPI
	dec := json.NewDecoder(bytes.NewReader(api.OpenAPIDocument()))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	return doc
}

// routeKey turns a route pattern "GET /api/v1/organisations/{id}" into the
// document's "get /organisations/{id}".
func routeKey(pattern string) (string, bool) {
	method, path, _ := strings.Cut(pattern, " ")
	rel, ok := strings.CutPrefix(path, apiPrefix)
	return strings.ToLower(method) + " " + rel, ok
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := loadDocument(t)
	var raw map[string]any
	if err := json.Unmarshal(api.OpenAPIDocument(), &raw); err != nil {
		t.Fatal(err)
	}
	t.Run("header", func(t *testing.T) {
		if doc.OpenAPI != "3.1.0" {
			t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
		}
		if len(doc.Servers) != 1 || doc.Servers[0].URL != apiPrefix {
			t.Errorf("servers = %v, want one with url %s", doc.Servers, apiPrefix)
		}
	})
	t.Run("every $ref resolves", func(t *testing.T) {
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch x := v.(type) {
			case map[string]any:
				if ref, ok := x["$ref"].(string); ok && resolve(raw, ref) == nil {
					t.Errorf("%s: $ref %s does not resolve", path, ref)
				}
				for k, e := range x {
					walk(path+"/"+k, e)
				}
			case []any:
				for i, e := range x {
					walk(path+"/"+strconv.Itoa(i), e)
				}
			}
		}
		walk("", raw)
	})
	t.Run("every schema compiles", func(t *testing.T) {
		v, err := newSpecValidator()
		if err != nil {
			t.Fatal(err)
		}
		for name := range doc.Components.Schemas {
			if _, err := v.schemaAt("components", "schemas", name); err != nil {
				t.Errorf("components/schemas/%s: %v", name, err)
			}
		}
	})
	t.Run("every operation is described", func(t *testing.T) {
		ids := map[string]bool{}
		for path, ops := range doc.Paths {
			for method, op := range ops {
				where := method + " " + path
				if op.OperationID == "" || ids[op.OperationID] {
					t.Errorf("%s: operationId %q missing or not unique", where, op.OperationID)
				}
				ids[op.OperationID] = true
				if op.Summary == "" || op.Description == "" {
					t.Errorf("%s: needs a summary and a description", where)
				}
				if len(op.Responses) == 0 {
					t.Errorf("%s: no responses", where)
				}
				for status, r := range op.Responses {
					if r.Ref == "" && r.Description == "" {
						t.Errorf("%s %s: response needs a description", where, status)
					}
				}
				if strings.Contains(path, "{id}") && op.Responses["404"].Ref == "" {
					t.Errorf("%s: an operation on a record must document 404", where)
				}
				if op.RequestBody != nil {
					for _, status := range []string{"400", "413", "415", "422"} {
						if _, ok := op.Responses[status]; !ok {
							t.Errorf("%s: takes a body but does not document %s", where, status)
						}
					}
				}
			}
		}
	})
	t.Run("request bodies refuse unknown fields", func(t *testing.T) {
		for path, ops := range doc.Paths {
			for method, op := range ops {
				if op.RequestBody == nil {
					continue
				}
				for mt, c := range op.RequestBody.Content {
					if mt != "application/json" {
						// A file taken as the body (an import) has no
						// fields to refuse; it is checked row by row.
						continue
					}
					var s struct {
						Ref string `json:"$ref"`
					}
					_ = json.Unmarshal(c.Schema, &s)
					target, _ := resolve(raw, s.Ref).(map[string]any)
					if target["additionalProperties"] != false {
						t.Errorf("%s %s %s: body schema must set additionalProperties: false", method, path, mt)
					}
				}
			}
		}
	})
	t.Run("response objects are closed", func(t *testing.T) {
		for name, s := range doc.Components.Schemas {
			var sch map[string]any
			if err := json.Unmarshal(s, &sch); err != nil {
				t.Fatal(err)
			}
			if sch["type"] == "object" && sch["additionalProperties"] != false {
				t.Errorf("components/schemas/%s: must set additionalProperties: false", name)
			}
		}
	})
}

// resolve follows a local $ref ("#/a/b") in doc, or returns nil.
func resolve(doc map[string]any, ref string) any {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var cur any = doc
	for _, tok := range strings.Split(p, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[tok]; !ok {
			return nil
		}
	}
	return cur
}

// TestOpenAPICoversEveryRoute checks that the document and routes.go
// describe the same endpoints, one operation per route: an endpoint added
// without documentation, or documentation left behind by a removed one,
// fails here.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc := loadDocument(t)
	documented := map[string]int{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[method+" "+path]++
		}
	}
	routed := map[string]int{}
	for _, rt := range api.New(api.Config{}).Routes() {
		key, ok := routeKey(rt.Pattern)
		if !ok {
			t.Errorf("route %q is outside %s", rt.Pattern, apiPrefix)
			continue
		}
		routed[key]++
	}
	var keys []string
	for k := range routed {
		keys = append(keys, k)
	}
	for k := range documented {
		if _, ok := routed[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Run(k, func(t *testing.T) {
			if routed[k] != 1 || documented[k] != 1 {
				t.Errorf("%d routes and %d operations; want exactly one of each", routed[k], documented[k])
			}
		})
	}
}

// TestOpenAPIMatchesRoutePermissions checks that each operation's
// description names the permission its route requires, and that public
// routes, and only they, are documented without security.
func TestOpenAPIMatchesRoutePermissions(t *testing.T) {
	doc := loadDocument(t)
	for _, rt := range api.New(api.Config{}).Routes() {
		key, _ := routeKey(rt.Pattern)
		method, path, _ := strings.Cut(key, " ")
		op, ok := doc.Paths[path][method]
		if !ok {
			continue // Reported by TestOpenAPICoversEveryRoute.
		}
		t.Run(key, func(t *testing.T) {
			public := op.Security != nil && len(*op.Security) == 0
			if public != (rt.Perm == "") {
				t.Errorf("documented public = %v, but the route's permission is %q", public, rt.Perm)
			}
			if rt.Perm != "" && !strings.Contains(op.Description, "`"+string(rt.Perm)+"`") {
				t.Errorf("description does not name the permission `%s`", rt.Perm)
			}
		})
	}
}

func TestOpenAPIEndpointServesTheDocument(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		res := a.Do(nil, http.MethodGet, apiPrefix+"/openapi.json", "", nil)
		if res.Status != http.StatusOK {
			t.Fatalf("status %d, want 200", res.Status)
		}
		if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "application/json" {
			t.Errorf("Content-Type %q, want application/json", res.Header.Get("Content-Type"))
		}
		if !bytes.Equal(res.Body, api.OpenAPIDocument()) {
			t.Errorf("served %d bytes that differ from the embedded openapi.json (%d bytes)", len(res.Body), len(api.OpenAPIDocument()))
		}
	})
}

// TestSpecValidatorCatchesMismatches guards the guard: responses that break
// the document must be reported, or TestMain would pass anything.
func TestSpecValidatorCatchesMismatches(t *testing.T) {
	v, err := newSpecValidator()
	if err != nil {
		t.Fatal(err)
	}
	org := `{"id":"0123456789abcdefghjkmnpqrs","name":"A","country":"","is_demo":false,` +
		`"created_at":"2026-11-22T09:00:00Z","updated_at":"2026-11-22T09:00:00Z"}`
	problem := `{"type":"urn:amparo:problem:not_found","title":"Not found.","status":404,"code":"not_found","request_id":"0123456789abcdef0123456789abcdef"}`
	tests := []struct {
		name        string
		method      string
		path        string
		status      int
		contentType string
		body        string
		wantErr     string
	}{
		{"valid organisation", "GET", "/organisations/0123456789abcdefghjkmnpqrs", 200, "application/json; charset=utf-8", org, ""},
		{"valid problem", "GET", "/organisations/x", 404, "application/problem+json", problem, ""},
		{"valid no content", "DELETE", "/tokens/0123456789abcdefghjkmnpqrs", 204, "", "", ""},
		{"extra property", "GET", "/organisations/0123456789abcdefghjkmnpqrs", 200, "application/json",
			strings.Replace(org, `"name"`, `"secret":"x","name"`, 1), "additionalProperties"},
		{"missing property", "GET", "/organisations/0123456789abcdefghjkmnpqrs", 200, "application/json",
			strings.Replace(org, `"is_demo":false,`, ``, 1), "required"},
		{"bad id", "GET", "/organisations/0123456789abcdefghjkmnpqrs", 200, "application/json",
			strings.Replace(org, `0123456789abcdefghjkmnpqrs`, `0123456789ABCDEFGHJKMNPQRS`, 1), "pattern"},
		{"bad date-time", "GET", "/organisations/0123456789abcdefghjkmnpqrs", 200, "application/json",
			strings.Replace(org, `2026-11-22T09:00:00Z"}`, `yesterday"}`, 1), "format"},
		{"undocumented status", "GET", "/organisations/0123456789abcdefghjkmnpqrs", 418, "application/problem+json", problem, "status not documented"},
		{"undocumented operation", "PUT", "/organisations/0123456789abcdefghjkmnpqrs", 200, "application/json", org, "operation not documented"},
		{"undocumented path", "GET", "/nowhere", 200, "application/json", org, "path not documented"},
		{"undocumented content type", "GET", "/organisations/x", 404, "text/html", "<p>", "content type"},
		{"body where none documented", "DELETE", "/tokens/0123456789abcdefghjkmnpqrs", 204, "application/json", "{}", "without a body"},
		{"problem as plain JSON", "GET", "/organisations/x", 404, "application/json", problem, "content type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := v.check(tc.method, tc.path, tc.status, tc.contentType, []byte(tc.body))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("unexpected failure: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Errorf("passed; want a failure mentioning %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("failure %q does not mention %q", err, tc.wantErr)
			}
		})
	}
}

// sentinelRE matches the harness's sentinels, to keep them out of test
// output (SECURITY-BAR 15).
var sentinelRE = regexp.MustCompile(`(?i)SNTL-[a-z0-9_-]+`)

// redact returns body for a failure message with every sentinel replaced.
func redact(body []byte) string {
	s := sentinelRE.ReplaceAllString(string(body), "<sentinel>")
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}
