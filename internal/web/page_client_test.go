// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/testutil"
)

// pageClient returns the get and post a page test browses a's router
// with. Each fails the test at once on an unexpected status, since the
// steps of a page flow build on one another; get also when the page lacks
// one of wants, and returns the page; post returns the Location and the
// body, shown in part on failure, where a form's error says what was
// refused.
func pageClient(t *testing.T, a *testutil.App) (
	get func(path, token string, status int, wants ...string) string,
	post func(path, token string, form url.Values, status int) (location, body string),
) {
	get = func(path, token string, status int, wants ...string) string {
		t.Helper()
		res := a.Do(nil, http.MethodGet, path, token, nil)
		if res.Status != status {
			t.Fatalf("GET %s: %d, want %d", path, res.Status, status)
		}
		for _, w := range wants {
			if !strings.Contains(string(res.Body), w) {
				t.Fatalf("GET %s lacks %q", path, w)
			}
		}
		return string(res.Body)
	}
	post = func(path, token string, form url.Values, status int) (string, string) {
		t.Helper()
		code, h, body := postFile(t, a, path, token, form)
		if code != status {
			t.Fatalf("POST %s: %d, want %d: %.400s", path, code, status, body)
		}
		return h.Get("Location"), string(body)
	}
	return get, post
}
