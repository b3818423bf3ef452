// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/testutil"
)

// importForm is a multipart case import: the file and the fields given.
func importForm(file string, fields map[string]string) (http.Header, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "cases.csv")
	_, _ = fw.Write([]byte(file))
	for k, v := range fields {
		if k == "mapping" {
			mf, _ := mw.CreateFormFile(k, "mapping.json")
			_, _ = mf.Write([]byte(v))
			continue
		}
		_ = mw.WriteField(k, v)
	}
	_ = mw.Close()
	return http.Header{"Content-Type": {mw.FormDataContentType()}}, b.Bytes()
}

func TestImportCasesAPI(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "org_admin", "supervisor", "caseworker")
		admin, worker := f.token(t, "org_admin"), f.users["caseworker"]
		file := "Nombre,Apellido,Sexo,Pais\nAna,Ruiz,f,Honduras\nBeto,Paz,m,GTM\n"
		mapping := `{"columns": {"Nombre": "given_name", "Apellido": "family_name", "Sexo": "sex", "Pais": "nationality"},
			"values": {"sex": {"f": "female", "m": "male"}}}`
		for _, c := range []struct {
			name, token string
			fields      map[string]string
			file        string
			status      int
			want        []string
		}{
			{"dry run", admin, map[string]string{"mapping": mapping, "owner_id": worker.ID, "dry_run": "on"}, file, 200,
				[]string{`"created":2`, `"dry_run":true`, `"import_id":null`}},
			{"import", admin, map[string]string{"mapping": mapping, "owner_id": worker.ID}, file, 200,
				[]string{`"created":2`, `"rows":2`, `"dry_run":false`}},
			{"bad row", admin, map[string]string{"mapping": mapping, "owner_id": worker.ID},
				file + "Cleo,Diaz,robot,Atlantis\n", 422,
				[]string{`{"field":"Sexo","code":"unknown_sex","row":4}`, `{"field":"Pais","code":"unknown_country","row":4}`}},
			{"bad mapping", admin, map[string]string{"mapping": `{"columns": {"Nombre": "first"}}`, "owner_id": worker.ID}, file, 422,
				[]string{`{"field":"columns.Nombre","code":"unknown_field"}`}},
			{"bad option", admin, map[string]string{"dry_run": "maybe"}, file, 422, []string{`"field":"dry_run"`}},
			{"administrator owning cases", admin, map[string]string{"mapping": mapping}, file, 422,
				[]string{`"field":"owner_id"`}},
			{"caseworker", f.token(t, "caseworker"), map[string]string{"mapping": mapping}, file, 403, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				h, body := importForm(c.file, c.fields)
				res := send(t, a, nil, "POST", "/api/v1/cases/import", c.token, h, body)
				if res.Status != c.status {
					t.Fatalf("status %d, want %d: %s", res.Status, c.status, res.Body)
				}
				for _, w := range c.want {
					if !strings.Contains(string(res.Body), w) {
						t.Errorf("answer lacks %s: %s", w, res.Body)
					}
				}
			})
		}
		// A raw body with the options in the query; the persons are
		// already registered (by document number) and are skipped.
		raw := "given_name,document_number\nAna,X-1\n"
		for i, want := range []string{`"created":1`, `"skipped":1`} {
			res := send(t, a, nil, "POST", "/api/v1/cases/import?skip_existing=true&owner_id="+worker.ID,
				f.token(t, "supervisor"), http.Header{"Content-Type": {"text/csv"}}, []byte(raw))
			if res.Status != 200 || !strings.Contains(string(res.Body), want) {
				t.Errorf("raw import %d: %d %s, want %s", i, res.Status, res.Body, want)
			}
		}
		if res := send(t, a, nil, "POST", "/api/v1/cases/import", admin, http.Header{"Content-Type": {"application/json"}},
			[]byte(`{}`)); res.Status != 415 {
			t.Errorf("JSON body: status %d, want 415", res.Status)
		}
	})
}
