// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/testutil"
)

// postObsImport posts the import form with a file and fields.
func postObsImport(t *testing.T, a *testutil.App, token, file string, fields map[string]string) (int, string, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "values.csv")
	_, _ = fw.Write([]byte(file))
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, a.Server.URL+"/observations/import", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := a.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(out)
}

// finishObsImport follows an import's page until it stops reloading.
func finishObsImport(t *testing.T, a *testutil.App, token, path string) string {
	t.Helper()
	for range 200 {
		res := a.Do(nil, http.MethodGet, path, token, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, res.Status)
		}
		if !strings.Contains(string(res.Body), `http-equiv="refresh"`) {
			return string(res.Body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the import at %s did not finish", path)
	return ""
}

// An analyst uploads a file with an error, reads the error by line and
// column and downloads it as CSV, then a good file, which is listed in the
// history with a link to its sets; a mapped table's mapping is saved for
// reuse; a viewer reaches none of it.
func TestObservationImportPages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Statistics office")
		analyst := a.NewUser(org.ID, access.RoleAnalyst, "")
		other := a.NewUser(org.ID, access.RoleAnalyst, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		form := a.Do(nil, http.MethodGet, "/observations/import", analyst.Token, nil)
		if form.Status != 200 || !strings.Contains(string(form.Body), `data-testid="obs-import-form"`) {
			t.Fatalf("form: %d", form.Status)
		}
		if res := a.Do(nil, http.MethodGet, "/observations/import", viewer.Token, nil); res.Status != http.StatusForbidden {
			t.Errorf("viewer form: %d", res.Status)
		}

		good := "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\n" +
			"dataflow,UNSD:DF_SDG(1.0),I,MEX,SI_RMT_COST,2021,5.5\n"
		status, loc, body := postObsImport(t, a, analyst.Token, good+"dataflow,UNSD:DF_SDG(1.0),I,MEX,SI_RMT_COST,2022,x\n", nil)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/observations/imports/") {
			t.Fatalf("upload: %d %q %s", status, loc, body)
		}
		page := finishObsImport(t, a, analyst.Token, loc)
		for _, want := range []string{`data-testid="obs-import-errors"`, `data-testid="obs-import-error-row"><td>3</td><td><code dir="auto">OBS_VALUE</code></td><td>Not a number`} {
			if !strings.Contains(page, want) {
				t.Errorf("the error page lacks %q:\n%s", want, page)
			}
		}
		report := a.Do(nil, http.MethodGet, loc+"/errors.csv", analyst.Token, nil)
		if report.Status != 200 || !strings.Contains(string(report.Body), "3,OBS_VALUE,Not a number") {
			t.Errorf("error report: %d %s", report.Status, report.Body)
		}
		if res := a.Do(nil, http.MethodGet, loc, other.Token, nil); res.Status != http.StatusNotFound {
			t.Errorf("another analyst's view of the import: %d", res.Status)
		}

		status, loc, _ = postObsImport(t, a, analyst.Token, good, nil)
		page = finishObsImport(t, a, analyst.Token, loc)
		if status != http.StatusSeeOther || !strings.Contains(page, `data-testid="obs-import-report"`) || !strings.Contains(page, "/observations/approval?import=") {
			t.Fatalf("good file: %d\n%s", status, page)
		}
		history := a.Do(nil, http.MethodGet, "/observations/imports", analyst.Token, nil)
		if history.Status != 200 || !strings.Contains(string(history.Body), `data-testid="obs-import-sets"`) {
			t.Errorf("history: %d", history.Status)
		}

		table := "Country,Year,Cost\nHND,2022,6.1\n"
		fields := map[string]string{"format": "csv", "m_area": "Country", "m_period": "Year", "m_value": "Cost",
			"m_fixed_series": "SI_RMT_COST", "save_as": "rpw", "dry_run": "on"}
		status, loc, body = postObsImport(t, a, analyst.Token, table, fields)
		if status != http.StatusSeeOther {
			t.Fatalf("mapped upload: %d %s", status, body)
		}
		if page := finishObsImport(t, a, analyst.Token, loc); !strings.Contains(page, "Dry run finished") {
			t.Errorf("mapped dry run:\n%s", page)
		}
		form = a.Do(nil, http.MethodGet, "/observations/import", analyst.Token, nil)
		if !strings.Contains(string(form.Body), `data-testid="saved-mappings"`) {
			t.Errorf("the saved mapping is not listed")
		}
		status, _, body = postObsImport(t, a, analyst.Token, table, map[string]string{"format": "csv", "m_area": "Country"})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="m_value-error"`) {
			t.Errorf("incomplete mapping: %d", status)
		}
	})
}
