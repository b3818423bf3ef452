// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/testutil"
)

type frameworkNodeDoc struct {
	ID       string   `json:"id"`
	Code     string   `json:"code"`
	Parent   *string  `json:"parent"`
	Links    []string `json:"links"`
	Children []string `json:"children"`
}

type frameworkDoc struct {
	Code    string             `json:"code"`
	Shipped bool               `json:"shipped"`
	Nodes   []frameworkNodeDoc `json:"nodes"`
}

// TestFrameworksPublicRead reads the frameworks with no account: the list,
// a tree with its links, a node, the flat CSV in French, and a 304 for a
// client that already holds the current version.
func TestFrameworksPublicRead(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		get := func(path string, status int) testutil.Response {
			t.Helper()
			res := a.Do(nil, http.MethodGet, path, "", nil)
			if res.Status != status {
				t.Fatalf("GET %s: %d, want %d: %s", path, res.Status, status, res.Body)
			}
			return res
		}
		res := get("/api/v1/frameworks", http.StatusOK)
		var fws struct{ Items []frameworkDoc }
		res.JSON(t, &fws)
		var codes []string
		for _, f := range fws.Items {
			codes = append(codes, f.Code)
		}
		if !slices.Equal(codes, []string{"A68190", "RESPM", "SDG", "GCM"}) {
			t.Errorf("frameworks %v", codes)
		}
		etag := res.Header.Get("ETag")
		if etag == "" || res.Header.Get("Cache-Control") != "public, max-age=300" {
			t.Errorf("ETag %q, Cache-Control %q", etag, res.Header.Get("Cache-Control"))
		}
		again := send(t, a, nil, http.MethodGet, "/api/v1/frameworks", "", http.Header{"If-None-Match": {etag}}, nil)
		if again.Status != http.StatusNotModified || len(again.Body) != 0 {
			t.Errorf("If-None-Match: %d with %d bytes, want 304", again.Status, len(again.Body))
		}

		var agenda frameworkDoc
		get("/api/v1/frameworks/A68190", http.StatusOK).JSON(t, &agenda)
		if len(agenda.Nodes) != 8 || !agenda.Shipped {
			t.Fatalf("agenda: %d nodes", len(agenda.Nodes))
		}
		if p7 := agenda.Nodes[6]; p7.ID != "A68190:7" || !slices.Contains(p7.Links, "RESPM:9.d") || !slices.Contains(p7.Links, "SDG:17.18") {
			t.Errorf("point 7: %+v", p7)
		}
		var node frameworkNodeDoc
		get("/api/v1/frameworks/RESPM/nodes/4", http.StatusOK).JSON(t, &node)
		if len(node.Children) != 10 || node.Children[0] != "RESPM:4.a" || node.Parent != nil {
			t.Errorf("¶4: %+v", node)
		}
		get("/api/v1/frameworks/RESPM/nodes/99", http.StatusNotFound)
		get("/api/v1/frameworks/NOPE", http.StatusNotFound)

		csv := get("/api/v1/frameworks?format=csv&lang=fr", http.StatusOK)
		body := string(csv.Body)
		if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(body, "framework,id,code,parent,position,cites,title,summary") ||
			!strings.Contains(body, "A68190,A68190:7,7,,7,\"sect. V, point 7\",Renforcer la base de données factuelles sur les migrations,") ||
			!strings.Contains(body, "RESPM,RESPM:4.a,4.a,RESPM:4,") {
			t.Errorf("CSV:\n%.600s", body)
		}
		get("/api/v1/frameworks?format=xml", http.StatusUnprocessableEntity)
		get("/api/v1/frameworks?format=csv&lang=de", http.StatusUnprocessableEntity)
	})
}

// TestFrameworksWrites: an analyst adds a national action plan with a node
// linked to agenda point 7, a viewer may not, unknown fields are refused,
// and shipped content stays read-only.
func TestFrameworksWrites(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "viewer", "analyst")
		viewer, analyst := f.token(t, "viewer"), f.token(t, "analyst")
		do := func(method, path, token string, body any, status int) testutil.Response {
			t.Helper()
			res := a.Do(nil, method, path, token, body)
			if res.Status != status {
				t.Fatalf("%s %s: %d, want %d: %s", method, path, res.Status, status, res.Body)
			}
			return res
		}
		plan := map[string]any{"code": "NAP", "symbol": "Decree 12/2026", "titles": map[string]string{"en": "National action plan"}}
		do(http.MethodPost, "/api/v1/frameworks", viewer, plan, http.StatusForbidden)
		do(http.MethodPost, "/api/v1/frameworks", "", plan, http.StatusUnauthorized)
		withExtra := map[string]any{"code": "NAP", "titles": map[string]string{"en": "x"}, "shipped": true}
		if res := do(http.MethodPost, "/api/v1/frameworks", analyst, withExtra, http.StatusUnprocessableEntity); !strings.Contains(string(res.Body), "unknown_field") {
			t.Errorf("unknown field: %s", res.Body)
		}
		do(http.MethodPost, "/api/v1/frameworks", analyst, map[string]any{"code": "nap", "titles": map[string]string{"fr": "x"}}, http.StatusUnprocessableEntity)
		do(http.MethodPost, "/api/v1/frameworks", analyst, plan, http.StatusCreated)
		do(http.MethodPost, "/api/v1/frameworks", analyst, plan, http.StatusConflict)
		do(http.MethodPost, "/api/v1/frameworks/NAP/nodes", analyst, map[string]any{"code": "1", "cites": "art. 1",
			"titles": map[string]string{"en": "Data on migrants", "es": "Datos sobre migrantes"}}, http.StatusCreated)
		do(http.MethodPost, "/api/v1/framework-links", analyst, map[string]any{"a": "NAP:1", "b": "A68190:7"}, http.StatusCreated)
		do(http.MethodPost, "/api/v1/framework-links", analyst, map[string]any{"a": "A68190:7", "b": "NAP:1"}, http.StatusConflict)
		do(http.MethodPost, "/api/v1/framework-links", analyst, map[string]any{"a": "A68190:7", "b": "A68190:6"}, http.StatusUnprocessableEntity)

		var node frameworkNodeDoc
		do(http.MethodGet, "/api/v1/frameworks/A68190/nodes/7", "", nil, http.StatusOK).JSON(t, &node)
		if !slices.Contains(node.Links, "NAP:1") {
			t.Errorf("point 7 links %v, want NAP:1 among them", node.Links)
		}
		do(http.MethodPatch, "/api/v1/frameworks/NAP/nodes/1", analyst, map[string]any{"code": "2"}, http.StatusUnprocessableEntity)
		do(http.MethodPatch, "/api/v1/frameworks/NAP/nodes/1", analyst, map[string]any{"parent": "NAP:1"}, http.StatusUnprocessableEntity)
		do(http.MethodPatch, "/api/v1/frameworks/NAP/nodes/1", analyst, map[string]any{"cites": "art. 2"}, http.StatusOK)
		do(http.MethodPatch, "/api/v1/frameworks/NAP", analyst, map[string]any{"symbol": "Decree 13/2026"}, http.StatusOK)
		do(http.MethodPatch, "/api/v1/frameworks/SDG", analyst, map[string]any{"symbol": "x"}, http.StatusConflict)
		do(http.MethodPatch, "/api/v1/frameworks/SDG/nodes/10.7", analyst, map[string]any{"cites": "x"}, http.StatusConflict)
		do(http.MethodDelete, "/api/v1/frameworks/SDG/nodes/10.7", analyst, nil, http.StatusConflict)
		do(http.MethodDelete, "/api/v1/framework-links", analyst, map[string]any{"a": "A68190:7", "b": "GCM:1"}, http.StatusConflict)
		do(http.MethodDelete, "/api/v1/framework-links", viewer, map[string]any{"a": "A68190:7", "b": "NAP:1"}, http.StatusForbidden)
		do(http.MethodDelete, "/api/v1/framework-links", analyst, map[string]any{"a": "A68190:7", "b": "NAP:1"}, http.StatusNoContent)
		do(http.MethodDelete, "/api/v1/frameworks/NAP/nodes/1", analyst, nil, http.StatusNoContent)
		do(http.MethodDelete, "/api/v1/frameworks/SDG", analyst, nil, http.StatusConflict)
		do(http.MethodDelete, "/api/v1/frameworks/NAP", viewer, nil, http.StatusForbidden)
		do(http.MethodDelete, "/api/v1/frameworks/NAP", analyst, nil, http.StatusNoContent)
		do(http.MethodGet, "/api/v1/frameworks/NAP", "", nil, http.StatusNotFound)
	})
}
