// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/i18n"
)

// frameworkRoutes are the frameworks the evidence base measures: public to
// read, with an ETag so that mirrors and harvesters fetch them only when
// they change; changed by holders of framework.write.
func (a *API) frameworkRoutes() []authn.Route {
	perm, public := authn.PermRoute, authn.PublicRoute
	w := frameworks.PermWrite
	return []authn.Route{
		public("GET /api/v1/frameworks", a.listFrameworks),
		perm("POST /api/v1/frameworks", w, a.createFramework),
		public("GET /api/v1/frameworks/{code}", a.getFramework),
		perm("PATCH /api/v1/frameworks/{code}", w, a.updateFramework),
		perm("DELETE /api/v1/frameworks/{code}", w, a.deleteFramework),
		perm("POST /api/v1/frameworks/{code}/nodes", w, a.createFrameworkNode),
		public("GET /api/v1/frameworks/{code}/nodes/{node}", a.getFrameworkNode),
		perm("PATCH /api/v1/frameworks/{code}/nodes/{node}", w, a.updateFrameworkNode),
		perm("DELETE /api/v1/frameworks/{code}/nodes/{node}", w, a.deleteFrameworkNode),
		perm("POST /api/v1/framework-links", w, a.addFrameworkLink),
		perm("DELETE /api/v1/framework-links", w, a.removeFrameworkLink),
	}
}

// frameworksFail answers for an error of the frameworks domain, then
// falls back to the errors every handler shares.
func (a *API) frameworksFail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, frameworks.ErrNotFound):
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
	case errors.Is(err, frameworks.ErrForbidden):
		httpx.WriteProblem(w, r, http.StatusForbidden, "forbidden", "You are not permitted to do this.")
	case errors.Is(err, frameworks.ErrShipped):
		httpx.WriteProblem(w, r, http.StatusConflict, "framework.shipped",
			"Shipped frameworks and their nodes and links are read-only; links to and from their nodes may be added.")
	case errors.Is(err, frameworks.ErrConflict):
		httpx.WriteProblem(w, r, http.StatusConflict, "framework.exists", "A framework, node or link with this key exists.")
	default:
		a.fail(w, r, err)
	}
}

type frameworkJSON struct {
	Code      string            `json:"code"`
	Symbol    string            `json:"symbol"`
	Titles    map[string]string `json:"titles"`
	Summaries map[string]string `json:"summaries"`
	Shipped   bool              `json:"shipped"`
	Position  int               `json:"position"`
	UpdatedAt string            `json:"updated_at"`
	// Nodes is set on a framework's own document only.
	Nodes []frameworkNodeJSON `json:"nodes,omitempty"`
}

type frameworkNodeJSON struct {
	ID        string            `json:"id"`
	Framework string            `json:"framework"`
	Code      string            `json:"code"`
	Parent    *string           `json:"parent"`
	Position  int               `json:"position"`
	Cites     string            `json:"cites"`
	Titles    map[string]string `json:"titles"`
	Summaries map[string]string `json:"summaries"`
	// Links are the ids of the nodes of other frameworks linked to this one.
	Links []string `json:"links"`
	// Children are the ids of the nodes under this one, on a node's own
	// document only.
	Children []string `json:"children,omitempty"`
}

func toFramework(f frameworks.Framework) frameworkJSON {
	return frameworkJSON{Code: f.Code, Symbol: f.Symbol, Titles: f.Titles, Summaries: f.Summaries, Shipped: f.Shipped,
		Position: f.Position, UpdatedAt: ts(f.UpdatedAt)}
}

func toFrameworkNode(n frameworks.Node, links []frameworks.Node) frameworkNodeJSON {
	out := frameworkNodeJSON{ID: n.ID, Framework: n.Framework, Code: n.Code, Parent: orNull(n.ParentID),
		Position: n.Position, Cites: n.Cites, Titles: n.Titles, Summaries: n.Summaries, Links: []string{}}
	for _, l := range links {
		out.Links = append(out.Links, l.ID)
	}
	return out
}

// frameworkCached answers body with an ETag of its content, or 304 when
// the client holds that version. Anonymous readers may cache it for five
// minutes; a signed-in reader's response keeps the server's no-store, as
// every authenticated response does.
func frameworkCached(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	if !authn.PrincipalFrom(r.Context()).Authenticated() {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if frameworkETagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // A failed write means the client left.
}

// frameworkETagMatches reports whether an If-None-Match header names etag (or is *).
func frameworkETagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func (a *API) frameworkJSONCached(w http.ResponseWriter, r *http.Request, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	frameworkCached(w, r, "application/json", append(body, '\n'))
}

// listFrameworks lists the frameworks, or with ?format=csv every node of
// every framework as one flat table, titled in ?lang (English by default).
func (a *API) listFrameworks(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	fws, err := a.fw.Frameworks(ctx)
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	q := r.URL.Query()
	switch q.Get("format") {
	case "", "json":
	case export.CSV:
		lang := q.Get("lang")
		if lang == "" {
			lang = i18n.Default
		}
		if !i18n.Valid(lang) {
			httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.",
				httpx.FieldError{Field: "lang", Code: "invalid_language"})
			return
		}
		a.frameworksCSV(w, r, fws, lang)
		return
	default:
		httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.",
			httpx.FieldError{Field: "format", Code: "unknown_format"})
		return
	}
	out := list[frameworkJSON]{Items: make([]frameworkJSON, 0, len(fws))}
	for _, f := range fws {
		out.Items = append(out.Items, toFramework(f))
	}
	a.frameworkJSONCached(w, r, out)
}

// frameworksCSV answers every node as a row: framework, id, code, parent,
// cites, title and summary in lang (English where lang has none).
func (a *API) frameworksCSV(w http.ResponseWriter, r *http.Request, fws []frameworks.Framework, lang string) {
	t := export.Table{Name: "frameworks-" + lang,
		Header: []string{"framework", "id", "code", "parent", "position", "cites", "title", "summary"}}
	for _, f := range fws {
		tree, err := a.fw.Tree(r.Context(), f.Code)
		if err != nil {
			a.frameworksFail(w, r, err)
			return
		}
		for _, n := range tree.Nodes {
			t.Rows = append(t.Rows, []any{n.Framework, n.ID, n.Code, n.ParentID, n.Position, n.Cites, n.Title(lang), n.Summary(lang)})
		}
	}
	var b bytes.Buffer
	if err := export.WriteCSV(&b, t); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+t.Name+`.csv"`)
	frameworkCached(w, r, "text/csv; charset=utf-8", b.Bytes())
}

// getFramework answers a framework with every node in tree order, each
// with the ids of the nodes linked to it.
func (a *API) getFramework(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tree, err := a.fw.Tree(ctx, r.PathValue("code"))
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	links, err := a.fw.FrameworkLinks(ctx, tree.Code)
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	out := toFramework(tree)
	out.Nodes = make([]frameworkNodeJSON, 0, len(tree.Nodes))
	for _, n := range tree.Nodes {
		out.Nodes = append(out.Nodes, toFrameworkNode(n, links[n.ID]))
	}
	a.frameworkJSONCached(w, r, out)
}

// pathNodeID is the id of the node the path names.
func pathNodeID(r *http.Request) string {
	return frameworks.NodeID(r.PathValue("code"), r.PathValue("node"))
}

func (a *API) getFrameworkNode(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := a.fw.Node(ctx, pathNodeID(r))
	var links []frameworks.Node
	var tree frameworks.Framework
	if err == nil {
		links, err = a.fw.Links(ctx, n.ID)
	}
	if err == nil {
		tree, err = a.fw.Tree(ctx, n.Framework)
	}
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	out := toFrameworkNode(n, links)
	for _, c := range tree.Children(n.ID) {
		out.Children = append(out.Children, c.ID)
	}
	a.frameworkJSONCached(w, r, out)
}

// frameworkBody is a framework as a client gives it; code is read on
// creation only.
type frameworkBody struct {
	Code      string            `json:"code"`
	Symbol    string            `json:"symbol"`
	Titles    map[string]string `json:"titles"`
	Summaries map[string]string `json:"summaries"`
}

func (a *API) createFramework(w http.ResponseWriter, r *http.Request) {
	var b frameworkBody
	if !httpx.DecodeJSON(w, r, &b) {
		return
	}
	f, err := a.fw.CreateFramework(r.Context(), authn.PrincipalFrom(r.Context()), frameworks.FrameworkInput(b))
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toFramework(f))
}

// frameworkPatch changes the fields it carries; titles and summaries are
// replaced whole.
type frameworkPatch struct {
	Symbol    *string            `json:"symbol"`
	Titles    *map[string]string `json:"titles"`
	Summaries *map[string]string `json:"summaries"`
}

func (a *API) updateFramework(w http.ResponseWriter, r *http.Request) {
	var b frameworkPatch
	if !httpx.DecodeJSON(w, r, &b) {
		return
	}
	ctx := r.Context()
	old, err := a.fw.Framework(ctx, r.PathValue("code"))
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	in := frameworks.FrameworkInput{Symbol: old.Symbol, Titles: old.Titles, Summaries: old.Summaries}
	if b.Symbol != nil {
		in.Symbol = *b.Symbol
	}
	if b.Titles != nil {
		in.Titles = *b.Titles
	}
	if b.Summaries != nil {
		in.Summaries = *b.Summaries
	}
	f, err := a.fw.UpdateFramework(ctx, authn.PrincipalFrom(ctx), old.Code, in)
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toFramework(f))
}

func (a *API) deleteFramework(w http.ResponseWriter, r *http.Request) {
	if err := a.fw.DeleteFramework(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("code")); err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// frameworkNodeBody is a node as a client gives it. Parent is the id of
// the parent node, "" or absent for the top level; position 0 or absent
// places the node after its last sibling.
type frameworkNodeBody struct {
	Code      string            `json:"code"`
	Parent    string            `json:"parent"`
	Position  int               `json:"position"`
	Cites     string            `json:"cites"`
	Titles    map[string]string `json:"titles"`
	Summaries map[string]string `json:"summaries"`
}

func (a *API) createFrameworkNode(w http.ResponseWriter, r *http.Request) {
	var b frameworkNodeBody
	if !httpx.DecodeJSON(w, r, &b) {
		return
	}
	ctx := r.Context()
	n, err := a.fw.CreateNode(ctx, authn.PrincipalFrom(ctx), r.PathValue("code"), frameworks.NodeInput{Code: b.Code,
		ParentID: b.Parent, Position: b.Position, Cites: b.Cites, Titles: b.Titles, Summaries: b.Summaries})
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toFrameworkNode(n, nil))
}

// frameworkNodePatch changes the fields it carries. A node's code is part
// of its id and never changes, so the patch has none.
type frameworkNodePatch struct {
	Parent    *string            `json:"parent"`
	Position  *int               `json:"position"`
	Cites     *string            `json:"cites"`
	Titles    *map[string]string `json:"titles"`
	Summaries *map[string]string `json:"summaries"`
}

func (a *API) updateFrameworkNode(w http.ResponseWriter, r *http.Request) {
	var b frameworkNodePatch
	if !httpx.DecodeJSON(w, r, &b) {
		return
	}
	ctx := r.Context()
	old, err := a.fw.Node(ctx, pathNodeID(r))
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	in := frameworks.NodeInput{ParentID: old.ParentID, Cites: old.Cites, Titles: old.Titles, Summaries: old.Summaries}
	if b.Parent != nil {
		in.ParentID = *b.Parent
	}
	if b.Position != nil {
		in.Position = *b.Position
	}
	if b.Cites != nil {
		in.Cites = *b.Cites
	}
	if b.Titles != nil {
		in.Titles = *b.Titles
	}
	if b.Summaries != nil {
		in.Summaries = *b.Summaries
	}
	n, err := a.fw.UpdateNode(ctx, authn.PrincipalFrom(ctx), old.ID, in)
	var links []frameworks.Node
	if err == nil {
		links, err = a.fw.Links(ctx, n.ID)
	}
	if err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toFrameworkNode(n, links))
}

func (a *API) deleteFrameworkNode(w http.ResponseWriter, r *http.Request) {
	if err := a.fw.DeleteNode(r.Context(), authn.PrincipalFrom(r.Context()), pathNodeID(r)); err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// frameworkLinkJSON names the two ends of a link by their node ids.
type frameworkLinkJSON struct {
	A string `json:"a"`
	B string `json:"b"`
}

func (a *API) addFrameworkLink(w http.ResponseWriter, r *http.Request) {
	var b frameworkLinkJSON
	if !httpx.DecodeJSON(w, r, &b) {
		return
	}
	if err := a.fw.AddLink(r.Context(), authn.PrincipalFrom(r.Context()), b.A, b.B); err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, b)
}

// removeFrameworkLink removes the link its body names, in either order.
func (a *API) removeFrameworkLink(w http.ResponseWriter, r *http.Request) {
	var b frameworkLinkJSON
	if !httpx.DecodeJSON(w, r, &b) {
		return
	}
	if err := a.fw.RemoveLink(r.Context(), authn.PrincipalFrom(r.Context()), b.A, b.B); err != nil {
		a.frameworksFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
