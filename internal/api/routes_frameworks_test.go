// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/testutil"
)

// frameworkWorld is the route-table fixture's framework: an
// administrator's framework with one node, whose codes fill {code} and
// {node}; deletions get records of their own.
type frameworkWorld struct {
	code, node string
	// next numbers the frameworks and nodes the routes make.
	next int
}

const routeFramework = "RTNAP"

// frameworkFixture makes the fixture framework on first use.
func (w *routeWorld) frameworkFixture(t testing.TB) *frameworkWorld {
	t.Helper()
	if w.fw.code != "" {
		return &w.fw
	}
	ctx := context.Background()
	if _, err := w.a.Frameworks.CreateFramework(ctx, access.System, frameworks.FrameworkInput{Code: routeFramework,
		Titles: map[string]string{"en": "Route test plan"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.Frameworks.CreateNode(ctx, access.System, routeFramework, frameworks.NodeInput{Code: "1",
		Titles: map[string]string{"en": "Route test node"}}); err != nil {
		t.Fatal(err)
	}
	w.fw = frameworkWorld{code: routeFramework, node: "1"}
	return &w.fw
}

// newFrameworkNode adds a node to the fixture framework and returns its code.
func (w *routeWorld) newFrameworkNode(t testing.TB) string {
	t.Helper()
	fw := w.frameworkFixture(t)
	fw.next++
	code := strconv.Itoa(100 + fw.next)
	if _, err := w.a.Frameworks.CreateNode(context.Background(), access.System, fw.code, frameworks.NodeInput{Code: code,
		Titles: map[string]string{"en": "Route test node " + code}}); err != nil {
		t.Fatal(err)
	}
	return code
}

// newFrameworkCode adds a framework with nothing in it, for a deletion.
func (w *routeWorld) newFrameworkCode(t *testing.T) string {
	t.Helper()
	fw := w.frameworkFixture(t)
	fw.next++
	code := "RTDEL" + strconv.Itoa(fw.next)
	if _, err := w.a.Frameworks.CreateFramework(context.Background(), access.System, frameworks.FrameworkInput{Code: code,
		Titles: map[string]string{"en": "Route test " + code}}); err != nil {
		t.Fatal(err)
	}
	return code
}

// isFrameworkParam reports whether segs[i] is a parameter of a framework
// route (API or page).
func isFrameworkParam(segs []string, i int) bool {
	switch segs[i] {
	case "{node}":
		return true
	case "{code}":
		return i > 0 && segs[i-1] == "frameworks"
	}
	return false
}

// frameworkParam fills {code} and {node}: a fresh framework or node where
// the route deletes it, the fixture's otherwise.
func (w *routeWorld) frameworkParam(t *testing.T, method string, segs []string, i int) string {
	t.Helper()
	fw := w.frameworkFixture(t)
	last := segs[len(segs)-1]
	deletes := method == http.MethodDelete || (method == http.MethodPost && last == "delete")
	switch segs[i] {
	case "{code}":
		// The framework itself goes only when nothing follows it but the
		// deletion.
		if deletes && (i == len(segs)-1 || (i == len(segs)-2 && last == "delete")) {
			return w.newFrameworkCode(t)
		}
		return fw.code
	default:
		if deletes && (i == len(segs)-1 || (i == len(segs)-2 && last == "delete")) {
			return w.newFrameworkNode(t)
		}
		return fw.node
	}
}

// frameworkBodies are minimal valid bodies of the framework routes, each
// changing something so that every success must leave an audit entry. The
// bodies are made outside any test's goroutine, so they panic on failure,
// as the other bodies do.
func (w *routeWorld) frameworkBodies() map[string]func() any {
	link := func() any {
		return map[string]any{"a": frameworks.NodeID(routeFramework, w.newFrameworkNode(panicTB{})), "b": "A68190:7"}
	}
	return map[string]func() any{
		"POST /api/v1/frameworks": func() any {
			return map[string]any{"code": "RTNEW" + strconv.Itoa(w.change()), "titles": map[string]string{"en": "New plan"}}
		},
		"PATCH /api/v1/frameworks/{code}": func() any { return map[string]any{"symbol": "Decree " + strconv.Itoa(w.change())} },
		"POST /api/v1/frameworks/{code}/nodes": func() any {
			return map[string]any{"code": strconv.Itoa(5000 + w.change()), "titles": map[string]string{"en": "New node"}}
		},
		"PATCH /api/v1/frameworks/{code}/nodes/{node}": func() any {
			return map[string]any{"cites": "para. " + strconv.Itoa(w.change())}
		},
		"POST /api/v1/framework-links": link,
		"DELETE /api/v1/framework-links": func() any {
			ends := link().(map[string]any)
			if err := w.a.Frameworks.AddLink(context.Background(), access.System, ends["a"].(string), ends["b"].(string)); err != nil {
				panic(err)
			}
			return ends
		},
	}
}

// publicCacheable reports whether a response may carry a public
// Cache-Control: an anonymous answer of a public route with an ETag (the
// frameworks and open data), which holds nothing of anyone's.
func publicCacheable(rt authn.Route, actor string, res testutil.Response) bool {
	return rt.Kind == authn.Public && actor == "anonymous" && res.Header.Get("ETag") != ""
}

// panicTB fails by panicking, for fixtures made outside a test's goroutine.
type panicTB struct{ testing.TB }

func (panicTB) Helper()           {}
func (panicTB) Fatal(args ...any) { panic(args) }
