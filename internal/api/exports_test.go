// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/testutil"
)

// exportBody is an export request to a passphrase with password pw.
func exportBody(pw string, more map[string]any) map[string]any {
	b := map[string]any{"purpose": "subject_access", "reference": "REQ-118", "password": pw,
		"recipient": map[string]any{"passphrase": "a passphrase long enough"}}
	for k, v := range more {
		b[k] = v
	}
	return b
}

// decrypt opens an export answered with passphrase, failing the test
// unless the answer is an age file sent as a download.
func decrypt(t *testing.T, res testutil.Response, passphrase string) []byte {
	t.Helper()
	if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "application/octet-stream" {
		t.Fatalf("Content-Type %q", res.Header.Get("Content-Type"))
	}
	if d := res.Header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment;") || !strings.Contains(d, ".age") {
		t.Fatalf("Content-Disposition %q", d)
	}
	if !bytes.HasPrefix(res.Body, []byte("age-encryption.org/v1\n")) {
		t.Fatal("the answer is not an age file")
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(res.Body), id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExportScenarios exports a case list and a person through the API,
// and checks the refusals: no permission, another organisation, a wrong
// password (audited, nothing exported), unknown fields.
func TestExportScenarios(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "supervisor", "org_admin", "viewer", "caseworker_b", "org_admin_b")
		given := testutil.Sentinel("given")
		var person personOut
		do(t, a, f, "caseworker", "POST", "/api/v1/persons", map[string]any{
			"identity": map[string]any{"given_name": given}, "attributes": map[string]any{"nationality": "SN"}}, 201, &person)
		var kase caseOut
		do(t, a, f, "caseworker", "POST", "/api/v1/cases", map[string]any{
			"persons": []map[string]any{{"person_id": person.ID, "role": "principal"}}}, 201, &kase)
		sup, cw := f.users["supervisor"], f.users["caseworker"]
		P := "/api/v1/persons/" + person.ID + "/export"

		runScenarios(t, a, f, []scenario{
			{Name: "a caseworker may not export case lists", Method: "POST", URL: "/api/v1/cases/export", As: "caseworker",
				Body: exportBody(cw.Password, map[string]any{"format": "csv"}), ExpectedStatus: 403},
			{Name: "a wrong password is refused", Method: "POST", URL: "/api/v1/cases/export", As: "supervisor",
				Body: exportBody("not the password", map[string]any{"format": "csv"}), ExpectedStatus: 422,
				ExpectedContent: []string{field("password", "incorrect")}},
			{Name: "fields are checked before the password", Method: "POST", URL: "/api/v1/cases/export", As: "supervisor",
				Body:           exportBody("not the password", map[string]any{"format": "pdf", "filter": map[string]any{"risk": "dire"}}),
				ExpectedStatus: 422, ExpectedContent: []string{field("format", "unknown_format"), field("risk", "unknown")},
				NotExpectedContent: []string{`"password"`}},
			{Name: "unknown fields are refused", Method: "POST", URL: "/api/v1/cases/export", As: "supervisor",
				Body: exportBody(sup.Password, map[string]any{"format": "csv", "plaintext": true}), ExpectedStatus: 422},
			{Name: "another organisation's person is not found", Method: "POST", URL: P, As: "caseworker_b",
				Body: exportBody(f.users["caseworker_b"].Password, nil), ExpectedStatus: 404},
			{Name: "a viewer may not export a person", Method: "POST", URL: P, As: "viewer",
				Body: exportBody(f.users["viewer"].Password, nil), ExpectedStatus: 403},
		})
		failed, _, err := a.Audit.List(context.Background(), audit.Filter{Action: "auth.reauth_failed"})
		if err != nil || len(failed) != 1 {
			t.Fatalf("%d failed attempts audited (%v), want 1", len(failed), err)
		}

		res := do(t, a, f, "supervisor", "POST", "/api/v1/cases/export",
			exportBody(sup.Password, map[string]any{"format": "csv", "filter": map[string]any{"nationality": "SEN"}}), 200, nil)
		if plain := decrypt(t, res, "a passphrase long enough"); !bytes.Contains(plain, []byte(kase.Number)) ||
			bytes.Contains(plain, []byte(given)) {
			t.Error("the case list export lacks the case or holds the name")
		}
		res = do(t, a, f, "caseworker", "POST", P, exportBody(cw.Password, nil), 200, nil)
		if plain := decrypt(t, res, "a passphrase long enough"); !bytes.Contains(plain, []byte(given)) {
			t.Error("the person's export lacks their name")
		}
		if bytes.Contains(res.Body, []byte(given)) {
			t.Error("the name is in clear in the answer")
		}
	})
}

// TestExportKeyScenarios sets, reads and removes an organisation's export
// key, which only its administrators may change.
func TestExportKeyScenarios(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "org_admin", "caseworker", "org_admin_b")
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		K := "/api/v1/organisations/" + f.orgA.ID + "/export-key"
		key := id.Recipient().String()
		runScenarios(t, a, f, []scenario{
			{Name: "none at first", Method: "GET", URL: K, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{`"age_recipient":null`}},
			{Name: "a caseworker may not set it", Method: "PUT", URL: K, As: "caseworker",
				Body: map[string]any{"age_recipient": key}, ExpectedStatus: 403},
			{Name: "another organisation's administrator gets 404", Method: "PUT", URL: K, As: "org_admin_b",
				Body: map[string]any{"age_recipient": key}, ExpectedStatus: 404},
			{Name: "not an age key", Method: "PUT", URL: K, As: "org_admin",
				Body: map[string]any{"age_recipient": "ssh-ed25519 AAAAC3Nza"}, ExpectedStatus: 422,
				ExpectedContent: []string{field("age_recipient", "invalid_age_recipient")}},
			{Name: "the administrator sets it", Method: "PUT", URL: K, As: "org_admin",
				Body: map[string]any{"age_recipient": key}, ExpectedStatus: 200, ExpectedContent: []string{key}},
			{Name: "members read it", Method: "GET", URL: K, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{key}},
			{Name: "another organisation does not", Method: "GET", URL: K, As: "org_admin_b", ExpectedStatus: 404},
			{Name: "null removes it", Method: "PUT", URL: K, As: "org_admin",
				Body: map[string]any{"age_recipient": nil}, ExpectedStatus: 200, ExpectedContent: []string{`"age_recipient":null`}},
		})
		entries, _, err := a.Audit.List(context.Background(), audit.Filter{Action: "organisation.export_key"})
		if err != nil || len(entries) != 2 {
			t.Errorf("%d key changes audited (%v), want 2", len(entries), err)
		}
	})
}

// TestAttachmentScenarios uploads files as a raw body and as multipart,
// lists and downloads them, and checks the refusals.
func TestAttachmentScenarios(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "viewer", "caseworker_b")
		var kase caseOut
		do(t, a, f, "caseworker", "POST", "/api/v1/cases", map[string]any{}, 201, &kase)
		A := "/api/v1/cases/" + kase.ID + "/attachments"
		tok := f.token(t, "caseworker")
		name := testutil.Sentinel("scan") + " é.pdf"
		res := send(t, a, nil, "POST", A, tok, http.Header{"Content-Type": {"application/pdf"},
			"Content-Disposition": {mime.FormatMediaType("attachment", map[string]string{"filename": name})}}, routePDF)
		if res.Status != http.StatusCreated || !bytes.Contains(res.Body, []byte(`"media_type":"application/pdf"`)) {
			t.Fatalf("raw upload: %d %s", res.Status, redact(res.Body))
		}
		var raw struct {
			ID string `json:"id"`
		}
		res.JSON(t, &raw)
		// A PDF named .png is a PDF: the content decides.
		body, ct := routeAttachment("photo.png")
		if res := send(t, a, nil, "POST", A, tok, http.Header{"Content-Type": {ct}}, body); res.Status != http.StatusCreated ||
			!bytes.Contains(res.Body, []byte(`"media_type":"application/pdf"`)) {
			t.Errorf("multipart upload: %d %s", res.Status, redact(res.Body))
		}
		for _, c := range []struct {
			name   string
			header http.Header
			body   []byte
			status int
			want   string
		}{
			{"a script is refused", http.Header{"Content-Type": {"application/octet-stream"},
				"Content-Disposition": {`attachment; filename="x.pdf"`}}, []byte("<script>alert(1)</script>"), 422,
				field("content", "unsupported_type")},
			{"a name is needed", http.Header{"Content-Type": {"application/pdf"}}, routePDF, 422, field("name", "required")},
			{"JSON is not a file", http.Header{"Content-Type": {"application/json"}}, []byte(`{}`), 415, "unsupported_media_type"},
			{"a body over the cap", http.Header{"Content-Type": {"application/pdf"},
				"Content-Disposition": {`attachment; filename="big.pdf"`}}, bytes.Repeat([]byte("%"), 11<<20), 413, "too_large"},
		} {
			t.Run(c.name, func(t *testing.T) {
				res := send(t, a, nil, "POST", A, tok, c.header, c.body)
				if res.Status != c.status || !bytes.Contains(res.Body, []byte(c.want)) {
					t.Errorf("status %d, want %d with %s; body %s", res.Status, c.status, c.want, redact(res.Body))
				}
			})
		}
		runScenarios(t, a, f, []scenario{
			{Name: "the list names the files", Method: "GET", URL: A, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{raw.ID}},
			{Name: "another organisation cannot list them", Method: "GET", URL: A, As: "caseworker_b", ExpectedStatus: 404},
			{Name: "another organisation cannot download", Method: "GET", URL: "/api/v1/attachments/" + raw.ID,
				As: "caseworker_b", ExpectedStatus: 404},
			{Name: "a viewer may not", Method: "GET", URL: "/api/v1/attachments/" + raw.ID, As: "viewer", ExpectedStatus: 403},
		})
		res = do(t, a, f, "caseworker", "GET", "/api/v1/attachments/"+raw.ID, nil, 200, nil)
		if !bytes.Equal(res.Body, routePDF) || res.Header.Get("Content-Type") != "application/pdf" ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download: %q %v", res.Body, res.Header)
		}
		_, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
		if err != nil || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") || params["filename"] != name {
			t.Errorf("Content-Disposition %q gives %q (%v)", res.Header.Get("Content-Disposition"), params["filename"], err)
		}
	})
}
