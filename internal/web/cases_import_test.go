// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// postImport posts the import form with a file and the fields given.
func (b *browser) postImport(file string, fields map[string]string) response {
	b.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "intake.csv")
		_, _ = fw.Write([]byte(file))
	}
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if err := mw.Close(); err != nil {
		b.s.t.Fatal(err)
	}
	req := b.request(http.MethodPost, "/cases/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

var importJobRE = regexp.MustCompile(`^/case-imports/([0-9a-z]{26})$`)

// finish follows an import's page until it stops refreshing itself.
func (b *browser) finish(path string) response {
	b.s.t.Helper()
	for range 200 {
		res := b.get(path)
		if res.status != http.StatusOK || !strings.Contains(res.body, `http-equiv="refresh"`) {
			return res
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.s.t.Fatalf("the import at %s did not finish", path)
	return response{}
}

// TestCaseImportPages uploads a file as a supervisor for a caseworker of
// the team, follows the import to its report, shows a bad file's errors
// row by row, and keeps the pages from those who may not import and the
// import's page from anyone but who started it.
func TestCaseImportPages(t *testing.T) {
	f := newCaseFixture(t)
	worker, err := f.acc.UserIDByEmail(context.Background(), "carla@example.org")
	if err != nil {
		t.Fatal(err)
	}
	res := f.sup1.get("/cases/import")
	expect(t, "the form", res, http.StatusOK, "")
	contains(t, "the form", res.body, `data-testid="case-import-form"`, `enctype="multipart/form-data"`, "kobotoolbox")

	res = f.sup1.postImport("given_name,family_name,nationality,concerns\nAna,Ruiz,HND,detention\nBeto,Paz,Guatemala,\n",
		map[string]string{"owner_id": worker})
	m := importJobRE.FindStringSubmatch(res.location())
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("upload: %d to %q:\n%s", res.status, res.location(), res.body)
	}
	res = f.sup1.finish(res.location())
	contains(t, "the report", res.body, `data-testid="case-import-report"`, "2 cases opened")
	if n := f.count("cases"); n != 3 {
		t.Errorf("%d cases after the import, want 3 (the fixture's and two)", n)
	}
	expect(t, "another's import", f.sup2.get("/case-imports/"+m[1]), http.StatusNotFound, "")

	res = f.sup1.postImport("given_name,sex\nCleo,robot\n", map[string]string{"owner_id": worker, "dry_run": "on"})
	res = f.sup1.finish(res.location())
	contains(t, "the errors", res.body, `data-testid="case-import-errors"`, `data-testid="case-import-error-row"`,
		"<td>2</td><td><code dir=\"auto\">sex</code></td>")

	res = f.sup1.postImport("", map[string]string{"owner_id": worker, "preset": "nothing"})
	expect(t, "no file", res, http.StatusUnprocessableEntity, "")
	contains(t, "no file", res.body, `id="file-error"`, `id="mapping-error"`)
	expect(t, "a caseworker", f.cw.get("/cases/import"), http.StatusForbidden, "")
}
