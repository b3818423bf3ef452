// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/i18n"
)

// TestTemplatesRenderZeroView executes every page with the zero view, as a
// handler that forgot to set something would: no page may fail, in any
// language.
func TestTemplatesRenderZeroView(t *testing.T) {
	t.Parallel()
	w := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, p := range allPages {
		for _, lang := range i18n.Languages {
			t.Run(string(p)+"/"+lang.Code, func(t *testing.T) {
				var b strings.Builder
				if err := w.pages.get(p, lang.Code).ExecuteTemplate(&b, layoutFile, view{}); err != nil {
					t.Fatal(err)
				}
				checkPage(t, string(p), b.String())
				if got, _ := pageLang(b.String()); got != lang.Code {
					t.Errorf("the %s page is in %q", lang.Code, got)
				}
			})
		}
	}
}

// TestEveryTemplateIsAPage checks that no template file is left unparsed.
func TestEveryTemplateIsAPage(t *testing.T) {
	t.Parallel()
	want := make([]string, len(allPages))
	for i, p := range allPages {
		want[i] = string(p)
	}
	slices.Sort(want)
	if got := templateFiles(); !slices.Equal(got, want) {
		t.Errorf("template files %v, pages %v", got, want)
	}
}

// TestFormEncoding checks that a post that is not an HTML form is answered
// 400 with the form again, not acted on.
func TestFormEncoding(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	s.user("fred@example.org", "Fred Form", "viewer")
	b := s.browser()
	for _, ct := range []string{"application/json", "multipart/form-data; boundary=x", "text/plain", ""} {
		req := b.request(http.MethodPost, "/login", strings.NewReader(`{"email":"fred@example.org","password":"`+testPassword+`"}`))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		res := b.do(req)
		expect(t, "login as "+ct, res, http.StatusBadRequest, "")
		contains(t, "login as "+ct, res.body, "The form could not be read.", `action="/login"`)
	}
	// Values in the query string are not read as the form.
	req := b.request(http.MethodPost, "/login?email=fred@example.org&password="+strings.ReplaceAll(testPassword, " ", "+"), strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := b.do(req); res.status != http.StatusUnauthorized {
		t.Errorf("sign-in from the query string: got %d, want 401", res.status)
	}
}

func TestUnknownPath(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, _ := s.signedIn("una@example.org")
	if res := b.get("/no/such/page"); res.status != http.StatusNotFound {
		t.Errorf("unknown path: got %d, want 404", res.status)
	}
	expect(t, "sign-in form when signed in", b.get("/login"), http.StatusSeeOther, "/")
}
