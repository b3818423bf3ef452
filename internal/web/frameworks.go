// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/frameworks"
)

// The framework browser shows the trees of goals and paragraphs the
// evidence base measures (A/68/190 points 6 and 7): the shipped agenda,
// resolution, SDG targets and compact objectives, and the frameworks
// administrators add. Reading needs no account; changing needs
// framework.write (frameworks_edit.go).
const (
	pageFrameworks       page = "frameworks_list"
	pageFrameworkTree    page = "frameworks_tree"
	pageFrameworkNode    page = "frameworks_node"
	pageFrameworkForm    page = "frameworks_form"
	pageFrameworkConfirm page = "frameworks_confirm"
)

// frameworkPages are the framework browser's templates.
var frameworkPages = []page{pageFrameworks, pageFrameworkTree, pageFrameworkNode, pageFrameworkForm,
	pageFrameworkConfirm}

// permFrameworkWrite guards every change to frameworks, nodes and links.
const permFrameworkWrite = frameworks.PermWrite

// NodeIndicator is an indicator that measures a framework node, as the
// node page lists it. Its words are already in the page's language.
type NodeIndicator struct {
	Code, Name, Kind string
	// Href is the indicator's page.
	Href string
}

// NodeIndicators lists the indicators measuring node nodeID, named in
// lang; the indicator registry provides it (wired in package app). Nil
// shows none.
type NodeIndicators func(ctx context.Context, nodeID, lang string) []NodeIndicator

// frameworkRoutes lists the framework browser's pages. Node codes start
// with a digit or a capital letter, so the lower-case words after a
// framework's address ("edit", "delete", "nodes") are never a node's.
func (w *Web) frameworkRoutes() []authn.Route {
	public, perm := authn.PublicRoute, authn.PermRoute
	return []authn.Route{
		public("GET /frameworks", w.frameworksList),
		perm("GET /frameworks/new", permFrameworkWrite, w.frameworkNewForm),
		perm("POST /frameworks", permFrameworkWrite, w.frameworkCreate),
		public("GET /frameworks/{code}", w.frameworkTree),
		perm("GET /frameworks/{code}/edit", permFrameworkWrite, w.frameworkEditForm),
		perm("POST /frameworks/{code}", permFrameworkWrite, w.frameworkUpdate),
		perm("GET /frameworks/{code}/delete", permFrameworkWrite, w.frameworkDeleteForm),
		perm("POST /frameworks/{code}/delete", permFrameworkWrite, w.frameworkDelete),
		perm("GET /frameworks/{code}/nodes/new", permFrameworkWrite, w.nodeNewForm),
		perm("POST /frameworks/{code}/nodes", permFrameworkWrite, w.nodeCreate),
		public("GET /frameworks/{code}/{node}", w.frameworkNode),
		perm("GET /frameworks/{code}/{node}/edit", permFrameworkWrite, w.nodeEditForm),
		perm("POST /frameworks/{code}/{node}", permFrameworkWrite, w.nodeUpdate),
		perm("GET /frameworks/{code}/{node}/delete", permFrameworkWrite, w.nodeDeleteForm),
		perm("POST /frameworks/{code}/{node}/delete", permFrameworkWrite, w.nodeDelete),
		perm("POST /frameworks/{code}/{node}/links", permFrameworkWrite, w.linkAdd),
		perm("GET /frameworks/{code}/{node}/links/delete", permFrameworkWrite, w.linkDeleteForm),
		perm("POST /frameworks/{code}/{node}/links/delete", permFrameworkWrite, w.linkDelete),
	}
}

// canEditFrameworks reports whether the request may change frameworks,
// to show the links that lead to the forms.
func canEditFrameworks(r *http.Request) bool {
	return authn.PrincipalFrom(r.Context()).Can(frameworks.PermWrite)
}

// frameworksFail answers for an error of the frameworks domain.
func (w *Web) frameworksFail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, frameworks.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, frameworks.ErrForbidden), errors.Is(err, frameworks.ErrShipped):
		// Shipped content is read-only for everyone.
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.fail(rw, r, err)
	}
}

// fwView is a framework in the page's language.
type fwView struct {
	Code, Symbol, Title, Summary string
	Shipped                      bool
	Href                         string
}

func viewFramework(f frameworks.Framework, lang string) fwView {
	return fwView{Code: f.Code, Symbol: f.Symbol, Title: f.Title(lang), Summary: f.Summary(lang), Shipped: f.Shipped,
		Href: "/frameworks/" + f.Code}
}

// nodeView is a node in the page's language, with its children (on the
// tree) and the nodes linked to it.
type nodeView struct {
	ID, Framework, Code, Cites, Title, Summary string
	Href                                       string
	Children                                   []nodeView
	Links                                      []linkView
}

// linkView is a node at the other end of a link.
type linkView struct {
	ID, Framework, Code, Title, Href string
	// Removable is true when the link is an administrator's, which the
	// reader may remove; shipped links stay.
	Removable bool
}

func nodeHref(n frameworks.Node) string { return "/frameworks/" + n.Framework + "/" + n.Code }

func viewNode(n frameworks.Node, lang string) nodeView {
	return nodeView{ID: n.ID, Framework: n.Framework, Code: n.Code, Cites: n.Cites, Title: n.Title(lang),
		Summary: n.Summary(lang), Href: nodeHref(n)}
}

func viewLinks(nodes []frameworks.Node, lang string) []linkView {
	out := make([]linkView, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, linkView{ID: n.ID, Framework: n.Framework, Code: n.Code, Title: n.Title(lang), Href: nodeHref(n)})
	}
	return out
}

// frameworksListData is the list of frameworks.
type frameworksListData struct {
	Frameworks []fwView
	CanEdit    bool
}

func (w *Web) frameworksList(rw http.ResponseWriter, r *http.Request) {
	fws, err := w.fw.Frameworks(r.Context())
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	lang := w.locale(r).Code()
	d := &frameworksListData{CanEdit: canEditFrameworks(r)}
	for _, f := range fws {
		d.Frameworks = append(d.Frameworks, viewFramework(f, lang))
	}
	w.render(rw, r, http.StatusOK, pageFrameworks, view{Data: d})
}

// frameworkTreeData is one framework's tree.
type frameworkTreeData struct {
	Framework fwView
	Nodes     []nodeView // the top level, each with its children
	CanEdit   bool
}

func (w *Web) frameworkTree(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tree, err := w.fw.Tree(ctx, r.PathValue("code"))
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	links, err := w.fw.FrameworkLinks(ctx, tree.Code)
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	lang := w.locale(r).Code()
	d := &frameworkTreeData{Framework: viewFramework(tree, lang), CanEdit: canEditFrameworks(r) && !tree.Shipped}
	d.Nodes = buildTree(tree, "", func(n frameworks.Node) nodeView {
		v := viewNode(n, lang)
		v.Links = viewLinks(links[n.ID], lang)
		return v
	})
	w.render(rw, r, http.StatusOK, pageFrameworkTree, view{Data: d})
}

// buildTree returns the children of parent in f, each with its own.
func buildTree(f frameworks.Framework, parent string, conv func(frameworks.Node) nodeView) []nodeView {
	var out []nodeView
	for _, n := range f.Children(parent) {
		v := conv(n)
		v.Children = buildTree(f, n.ID, conv)
		out = append(out, v)
	}
	return out
}

// frameworkNodeData is one node's page.
type frameworkNodeData struct {
	Framework  fwView
	Node       nodeView
	Parent     *nodeView
	Children   []nodeView
	Indicators []NodeIndicator
	// HasIndicators is true when the indicator registry is wired, so the
	// page has a section for them even when none measures the node.
	HasIndicators bool
	// CanEdit: the reader may change this node; CanLink: may add links.
	CanEdit, CanLink bool
	// LinkTargets are the nodes of other frameworks a link may go to.
	LinkTargets []option
}

// frameworkNodeOf reads the framework and node the path names.
func (w *Web) frameworkNodeOf(r *http.Request) (frameworks.Framework, frameworks.Node, error) {
	f, err := w.fw.Framework(r.Context(), r.PathValue("code"))
	if err != nil {
		return f, frameworks.Node{}, err
	}
	n, err := w.fw.Node(r.Context(), frameworks.NodeID(f.Code, r.PathValue("node")))
	return f, n, err
}

func (w *Web) frameworkNode(rw http.ResponseWriter, r *http.Request) {
	d, err := w.nodePage(r)
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageFrameworkNode, view{Data: d})
}

// nodePage gathers a node's page: the node, its parent, children and
// links, the indicators measuring it, and for an editor the nodes a link
// may go to.
func (w *Web) nodePage(r *http.Request) (*frameworkNodeData, error) {
	ctx := r.Context()
	f, n, err := w.frameworkNodeOf(r)
	if err != nil {
		return nil, err
	}
	tree, err := w.fw.Tree(ctx, f.Code)
	if err != nil {
		return nil, err
	}
	links, err := w.fw.Links(ctx, n.ID)
	if err != nil {
		return nil, err
	}
	lang := w.locale(r).Code()
	d := &frameworkNodeData{Framework: viewFramework(f, lang), Node: viewNode(n, lang),
		CanEdit: canEditFrameworks(r) && !f.Shipped, CanLink: canEditFrameworks(r)}
	if n.ParentID != "" {
		if p, err := w.fw.Node(ctx, n.ParentID); err == nil {
			pv := viewNode(p, lang)
			d.Parent = &pv
		}
	}
	for _, c := range tree.Children(n.ID) {
		d.Children = append(d.Children, viewNode(c, lang))
	}
	d.Node.Links = viewLinks(links, lang)
	if d.CanLink {
		if err := w.markRemovable(ctx, n.ID, d.Node.Links); err != nil {
			return nil, err
		}
		if d.LinkTargets, err = w.linkTargets(ctx, f.Code, lang); err != nil {
			return nil, err
		}
	}
	if w.nodeIndicators != nil {
		d.HasIndicators = true
		d.Indicators = w.nodeIndicators(ctx, n.ID, lang)
	}
	return d, nil
}

// markRemovable marks the links of node id that are an administrator's.
func (w *Web) markRemovable(ctx context.Context, id string, links []linkView) error {
	all, err := w.fw.AllLinks(ctx)
	if err != nil {
		return err
	}
	shipped := map[[2]string]bool{}
	for _, l := range all {
		shipped[[2]string{l.A, l.B}] = l.Shipped
	}
	for i, l := range links {
		a, b := id, l.ID
		if b < a {
			a, b = b, a
		}
		links[i].Removable = !shipped[[2]string{a, b}]
	}
	return nil
}

// linkTargets are the nodes of every framework but code, as choices.
func (w *Web) linkTargets(ctx context.Context, code, lang string) ([]option, error) {
	fws, err := w.fw.Frameworks(ctx)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, f := range fws {
		if f.Code == code {
			continue
		}
		tree, err := w.fw.Tree(ctx, f.Code)
		if err != nil {
			return nil, err
		}
		for _, n := range tree.Nodes {
			out = append(out, option{Value: n.ID, Label: n.ID + " — " + n.Title(lang)})
		}
	}
	return out, nil
}
