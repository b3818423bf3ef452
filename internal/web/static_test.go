// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
)

func TestStylesheet(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b := s.browser()
	res := b.get("/login")
	m := regexp.MustCompile(`<link rel="stylesheet" href="(/static/app\.[0-9a-f]{16}\.css)">`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no hashed stylesheet link:\n%s", res.body)
	}
	res = b.get(m[1])
	expect(t, "stylesheet", res, http.StatusOK, "")
	if ct := res.header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := res.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", cc)
	}
	contains(t, "stylesheet", res.body, "@media print", ":focus-visible", "max-width")
	for _, path := range []string{"/static/app.css", "/static/app.0000000000000000.css", "/static/..%2fweb.go"} {
		if res := b.get(path); res.status != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", path, res.status)
		}
	}
	if cc := b.get("/login").header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("pages must not be cached; Cache-Control %q", cc)
	}
}

func TestFaviconHasNoContent(t *testing.T) {
	rec := httptest.NewRecorder()
	noFavicon(rec, httptest.NewRequest("GET", "/favicon.ico", nil))
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("favicon = %d %q, want 204 and no body", rec.Code, rec.Body)
	}
}
