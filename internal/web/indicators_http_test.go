// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/testutil"
	"github.com/xuri/excelize/v2"
)

// TestIndicatorPagesArePublic reads the registry's pages through the real
// router without an account: the list with its filters and downloads, an
// indicator's page, and the forms that need indicator.write.
func TestIndicatorPagesArePublic(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		get := func(path string) testutil.Response { return a.Do(a.Client(), http.MethodGet, path, "", nil) }
		res := get("/indicators")
		if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte(`data-testid="indicators-table"`)) ||
			!bytes.Contains(res.Body, []byte(`href="/indicators/10.7.2"`)) || !bytes.Contains(res.Body, []byte(`href="/indicators/AP8.S1"`)) {
			t.Fatalf("list: %d", res.Status)
		}
		if bytes.Contains(res.Body, []byte("/indicators/new")) {
			t.Error("a visitor is offered the form")
		}
		res = get("/indicators?computation=live&lang=fr")
		if !bytes.Contains(res.Body, []byte(`href="/indicators/AP1.O1"`)) || bytes.Contains(res.Body, []byte(`href="/indicators/10.7.2"`)) {
			t.Error("the computation filter does not filter")
		}
		res = get("/indicators?node=SDG:10.c")
		if !bytes.Contains(res.Body, []byte(`href="/indicators/10.c.1"`)) || bytes.Contains(res.Body, []byte(`href="/indicators/8.8.1"`)) {
			t.Error("the node filter does not filter")
		}
		res = get("/indicators?format=csv&kind=structural")
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!bytes.Contains(res.Body, []byte("AP1.S1")) || bytes.Contains(res.Body, []byte("AP1.O1")) {
			t.Errorf("csv: %d %s", res.Status, res.Header.Get("Content-Type"))
		}
		res = get("/indicators?format=xlsx&lang=ru")
		f, err := excelize.OpenReader(bytes.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetList()[0])
		_ = f.Close()
		if len(rows) < 41 || rows[0][0] != "Код" {
			t.Errorf("xlsx: %d rows, header %v", len(rows), rows[0])
		}

		res = get("/indicators/10.c.1?lang=ar")
		if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte(`dir="rtl"`)) ||
			!bytes.Contains(res.Body, []byte("SI_RMT_COST_SC")) || !bytes.Contains(res.Body, []byte(`href="/frameworks/SDG/10.c"`)) {
			t.Errorf("10.c.1 in Arabic: %d", res.Status)
		}
		res = get("/indicators/AP1.O1")
		if bytes.Contains(res.Body, []byte(`data-testid="live-preview"`)) {
			t.Error("a visitor is offered the live preview")
		}
		// The framework node page lists the indicators measuring it.
		if res := get("/frameworks/SDG/10.c"); res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte(`href="/indicators/10.c.1"`)) {
			t.Errorf("node page: %d", res.Status)
		}
		if res := get("/indicators/99.9.9"); res.Status != http.StatusNotFound {
			t.Errorf("unknown indicator: %d", res.Status)
		}
		for _, path := range []string{"/indicators/new", "/indicators/10.c.1/edit"} {
			if res := get(path); res.Status != http.StatusSeeOther {
				t.Errorf("%s: %d, want the sign-in redirect", path, res.Status)
			}
		}
	})
}

// TestIndicatorFormsAndLivePreview: an analyst adds and changes an
// indicator through the forms, previews a live indicator and records it as
// a draft observation; a viewer gets neither the forms nor the preview.
func TestIndicatorFormsAndLivePreview(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org A")
		analyst := a.NewUser(org.ID, "analyst", "")
		viewer := a.NewUser(org.ID, "viewer", "")
		form := func(u testutil.User, path string, v url.Values) testutil.Response {
			req, _ := http.NewRequest(http.MethodPost, a.Server.URL+path, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+u.Token)
			req.Header.Set("Origin", a.Server.URL)
			res, err := a.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = res.Body.Close() }()
			body, _ := io.ReadAll(res.Body)
			return testutil.Response{Status: res.StatusCode, Header: res.Header, Body: body}
		}
		v := url.Values{"code": {"NAP.S1"}, "kind": {"structural"}, "computation": {"entered"}, "unit": {"NUMBER"},
			"polarity": {"higher"}, "aggregation": {"sum"}, "name_en": {"National action plan adopted"},
			"name_fr": {"Plan d'action national adopté"}, "nodes": {"A68190:6 GCM:23"}, "target_year": {"20x0"}}
		res := form(analyst, "/indicators", v)
		if res.Status != http.StatusUnprocessableEntity || !bytes.Contains(res.Body, []byte(`id="target_year-error"`)) {
			t.Fatalf("bad year: %d", res.Status)
		}
		v.Set("target_year", "2030")
		v.Set("target_value", "1")
		res = form(analyst, "/indicators", v)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/indicators/NAP.S1" {
			t.Fatalf("create: %d %s", res.Status, res.Header.Get("Location"))
		}
		// The same code again is a field error, not a failure.
		if res := form(analyst, "/indicators", v); res.Status != http.StatusUnprocessableEntity || !bytes.Contains(res.Body, []byte(`id="code-error"`)) {
			t.Errorf("a taken code: %d", res.Status)
		}
		v.Set("computation", "formula")
		v.Set("expression", "#{AMP_NAP_S1} + 1")
		res = form(analyst, "/indicators/NAP.S1", v)
		if res.Status != http.StatusUnprocessableEntity || !bytes.Contains(res.Body, []byte(`id="expression-error"`)) {
			t.Errorf("self reference: %d", res.Status)
		}
		if res := form(viewer, "/indicators", v); res.Status != http.StatusForbidden {
			t.Errorf("viewer create: %d", res.Status)
		}

		// No child is detained: zero identifies no one and is shown (the
		// API test shows a small count withheld).
		res = a.Do(nil, http.MethodGet, "/indicators/AP1.O1?area=724&period=2026", analyst.Token, nil)
		if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte(`data-testid="live-value"`)) ||
			!bytes.Contains(res.Body, []byte("k = 11")) || !bytes.Contains(res.Body, []byte(`data-testid="record-live"`)) {
			t.Errorf("preview: %d", res.Status)
		}
		res = a.Do(nil, http.MethodGet, "/indicators/AP1.O1?area=XX&period=2026", analyst.Token, nil)
		if !bytes.Contains(res.Body, []byte(`id="form-error"`)) {
			t.Error("a bad country gave no error")
		}
		res = form(analyst, "/indicators/AP1.O1/record-live", url.Values{"area": {"724"}, "period": {"2026"}})
		if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte(`data-testid="live-recorded"`)) {
			t.Errorf("record: %d", res.Status)
		}
		res = a.Do(nil, http.MethodGet, "/indicators/AP1.O1?area=724&period=2026", viewer.Token, nil)
		if bytes.Contains(res.Body, []byte(`data-testid="live-preview"`)) {
			t.Error("a viewer sees the live preview")
		}
	})
}
