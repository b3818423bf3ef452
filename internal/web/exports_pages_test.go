// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/testutil"
)

// exportForm is a filled export form to a passphrase with password pw.
func exportForm(pw string) url.Values {
	return url.Values{"purpose": {"subject_access"}, "reference": {"REQ-7"}, "recipient": {"passphrase"},
		"passphrase": {"a passphrase long enough"}, "password": {pw}}
}

// postFile posts form to path as the holder of token and returns the
// status and the body, whatever its type.
func postFile(t *testing.T, a *testutil.App, path, token string, form url.Values) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := a.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, body
}

// openExport decrypts a downloaded export made for passphrase.
func openExport(t *testing.T, h http.Header, body []byte, passphrase string) []byte {
	t.Helper()
	if h.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("not a download: %v", h)
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(body), id)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// The case list export form: shown to a supervisor and not to a
// caseworker; a wrong password is shown beside its field and exports
// nothing; the right one answers the encrypted file.
func TestCasesExportPage(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("A")
		team, err := a.Accounts.CreateTeam(context.Background(), access.System, org.ID, "T")
		if err != nil {
			t.Fatal(err)
		}
		sup := a.NewUser(org.ID, access.RoleSupervisor, team.ID)
		cw := a.NewUser(org.ID, access.RoleCaseworker, team.ID)
		_, c := a.ProtectionCase(cw, 1990)

		res := a.Do(nil, http.MethodGet, "/cases/export", sup.Token, nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `data-testid="cases-export-form"`) ||
			!strings.Contains(string(res.Body), `name="include_identity"`) {
			t.Fatalf("GET /cases/export: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, "/cases/export", cw.Token, nil); res.Status != http.StatusForbidden {
			t.Errorf("a caseworker gets %d, want 403", res.Status)
		}
		// Without a format, the password is not even checked.
		status, _, body := postFile(t, a, "/cases/export", sup.Token, exportForm("not the password"))
		if status != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte(`id="format-error"`)) ||
			bytes.Contains(body, []byte(`id="password-error"`)) {
			t.Fatalf("no format: %d", status)
		}
		wrong := exportForm("not the password")
		wrong.Set("format", "xlsx")
		status, _, body = postFile(t, a, "/cases/export", sup.Token, wrong)
		if status != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte(`id="password-error"`)) {
			t.Fatalf("wrong password: %d", status)
		}
		if bytes.Contains(body, []byte("a passphrase long enough")) {
			t.Error("the passphrase is shown again")
		}
		form := exportForm(sup.Password)
		form.Set("format", "csv")
		status, h, body := postFile(t, a, "/cases/export", sup.Token, form)
		if status != http.StatusOK {
			t.Fatalf("export: %d\n%s", status, body)
		}
		if plain := openExport(t, h, body, "a passphrase long enough"); !bytes.Contains(plain, []byte(c.Number)) {
			t.Error("the export lacks the case")
		}
	})
}

// An organisation's administrator sets its export key on its page.
func TestExportKeyForm(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org, orgB := a.Org("A"), a.Org("B")
		admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		adminB := a.NewUser(orgB.ID, access.RoleOrgAdmin, "")
		path := "/admin/organisations/" + org.ID
		if b := string(a.Do(nil, http.MethodGet, path, admin.Token, nil).Body); !strings.Contains(b, `data-testid="export-key-save"`) {
			t.Fatal("no export key form on the organisation's page")
		}
		if status, _, body := postForm(t, a, path+"/export-key", admin.Token, url.Values{"age_recipient": {"age1nope"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `id="age_recipient-error"`) {
			t.Fatalf("a bad key: %d", status)
		}
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		key := url.Values{"age_recipient": {id.Recipient().String()}}
		if status, _, _ := postForm(t, a, path+"/export-key", adminB.Token, key); status != http.StatusNotFound {
			t.Fatalf("another organisation's administrator: %d, want 404", status)
		}
		status, loc, _ := postForm(t, a, path+"/export-key", admin.Token, key)
		if status != http.StatusSeeOther {
			t.Fatalf("saving: %d", status)
		}
		if b := string(a.Do(nil, http.MethodGet, loc, admin.Token, nil).Body); !strings.Contains(b, id.Recipient().String()) ||
			!strings.Contains(b, "The export key was saved.") {
			t.Error("the saved key is not shown")
		}
	})
}

// The person pages: the export form for whoever may read the person, the
// erasure page for an administrator, with the word to type.
func TestPersonExportAndErasePages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org, orgB := a.Org("A"), a.Org("B")
		cw := a.NewUser(org.ID, access.RoleCaseworker, "")
		admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		cwB := a.NewUser(orgB.ID, access.RoleCaseworker, "")
		person, _ := a.ProtectionCase(cw, 1990)
		P := "/persons/" + person.ID

		if res := a.Do(nil, http.MethodGet, P+"/export", cw.Token, nil); res.Status != http.StatusOK ||
			!strings.Contains(string(res.Body), `data-testid="person-export-form"`) {
			t.Fatalf("GET export: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, P+"/export", cwB.Token, nil); res.Status != http.StatusNotFound {
			t.Errorf("another organisation: %d, want 404", res.Status)
		}
		status, h, body := postFile(t, a, P+"/export", cw.Token, exportForm(cw.Password))
		if status != http.StatusOK {
			t.Fatalf("export: %d\n%s", status, body)
		}
		if plain := openExport(t, h, body, "a passphrase long enough"); !bytes.Contains(plain, []byte(person.Identity.GivenName)) {
			t.Error("the export lacks the person's name")
		}

		if res := a.Do(nil, http.MethodGet, P+"/erase", cw.Token, nil); res.Status != http.StatusForbidden {
			t.Errorf("a caseworker's erase page: %d, want 403", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, P+"/erase", admin.Token, nil); res.Status != http.StatusOK ||
			!strings.Contains(string(res.Body), `data-testid="erase-word"`) {
			t.Fatalf("GET erase: %d", res.Status)
		}
		if status, _, body := postForm(t, a, P+"/erase", admin.Token, url.Values{"confirm_word": {"delete"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `id="confirm_word-error"`) {
			t.Fatalf("wrong word: %d", status)
		}
		status, loc, _ := postForm(t, a, P+"/erase", admin.Token, url.Values{"confirm_word": {"erase"}})
		if status != http.StatusSeeOther || loc != P+"/erase" {
			t.Fatalf("erase: %d %q", status, loc)
		}
		if b := string(a.Do(nil, http.MethodGet, loc, admin.Token, nil).Body); !strings.Contains(b, `data-testid="person-erased"`) {
			t.Error("the page does not say the identity is erased")
		}
		if p, err := a.Persons.Get(context.Background(), cw.Principal, person.ID); err != nil || !p.Erased {
			t.Errorf("after erasure: %+v %v", p.Erased, err)
		}
	})
}

// The transfer pages: an offer made from the case, listed for the
// receiving organisation, accepted after confirmation; another declined;
// another withdrawn.
func TestTransferPages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		org, orgB := a.Org("A"), a.Org("B")
		cw := a.NewUser(org.ID, access.RoleCaseworker, "")
		cwB := a.NewUser(orgB.ID, access.RoleCaseworker, "")
		newCase := func() cases.Case {
			c, err := a.Cases.Create(ctx, cw.Principal, cases.NewCase{})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c := newCase()
		T := "/cases/" + c.ID + "/transfer"
		if res := a.Do(nil, http.MethodGet, T, cw.Token, nil); res.Status != http.StatusOK ||
			!strings.Contains(string(res.Body), `data-testid="transfer-form"`) || !strings.Contains(string(res.Body), orgB.ID) {
			t.Fatalf("GET transfer: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, T, cwB.Token, nil); res.Status != http.StatusNotFound {
			t.Errorf("another organisation's case: %d, want 404", res.Status)
		}
		if status, _, body := postForm(t, a, T, cw.Token, url.Values{"to_org_id": {org.ID}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `id="to_org_id-error"`) {
			t.Fatalf("to its own organisation: %d", status)
		}
		status, loc, _ := postForm(t, a, T, cw.Token, url.Values{"to_org_id": {orgB.ID}})
		if status != http.StatusSeeOther || loc != T+"?done=offered" {
			t.Fatalf("offer: %d %q", status, loc)
		}
		if b := string(a.Do(nil, http.MethodGet, loc, cw.Token, nil).Body); !strings.Contains(b, `data-testid="transfer-pending"`) {
			t.Fatal("the case does not show its offer")
		}
		list := string(a.Do(nil, http.MethodGet, "/transfers", cwB.Token, nil).Body)
		offers, err := a.Cases.PendingTransfers(ctx, cwB.Principal)
		if err != nil || len(offers) != 1 || !strings.Contains(list, c.Number) ||
			!strings.Contains(list, `href="/transfers/`+offers[0].ID+`/accept"`) {
			t.Fatalf("the receiving organisation's list: %+v %v", offers, err)
		}
		accept := "/transfers/" + offers[0].ID + "/accept"
		if res := a.Do(nil, http.MethodGet, accept, cw.Token, nil); res.Status != http.StatusNotFound {
			t.Errorf("the offering organisation's confirmation page: %d, want 404", res.Status)
		}
		if b := string(a.Do(nil, http.MethodGet, accept, cwB.Token, nil).Body); !strings.Contains(b, `data-testid="confirm-submit"`) {
			t.Fatal("no confirmation page")
		}
		if status, loc, _ := postForm(t, a, accept, cwB.Token, url.Values{}); status != http.StatusSeeOther || loc != accept {
			t.Fatalf("unconfirmed: %d %q, want the confirmation page", status, loc)
		}
		status, loc, _ = postForm(t, a, accept, cwB.Token, url.Values{"confirm": {"yes"}})
		if status != http.StatusSeeOther || loc != "/cases/"+c.ID {
			t.Fatalf("accept: %d %q", status, loc)
		}
		if moved, err := a.Cases.Get(ctx, cwB.Principal, c.ID); err != nil || moved.OrgID != orgB.ID {
			t.Fatalf("the case did not move: %+v %v", moved, err)
		}

		// Declined, then withdrawn.
		c2 := newCase()
		if _, err := a.Cases.OfferTransfer(ctx, cw.Principal, c2.ID, orgB.ID); err != nil {
			t.Fatal(err)
		}
		offers, _ = a.Cases.PendingTransfers(ctx, cwB.Principal)
		status, loc, _ = postForm(t, a, "/transfers/"+offers[0].ID+"/decline", cwB.Token, url.Values{"confirm": {"yes"}})
		if status != http.StatusSeeOther || loc != "/transfers?done=declined" {
			t.Fatalf("decline: %d %q", status, loc)
		}
		offer, err := a.Cases.OfferTransfer(ctx, cw.Principal, c2.ID, orgB.ID)
		if err != nil {
			t.Fatal(err)
		}
		if status, _, _ := postForm(t, a, "/transfers/"+offer.ID+"/withdraw", cwB.Token, url.Values{}); status != http.StatusNotFound {
			t.Errorf("the receiving organisation withdraws: %d, want 404", status)
		}
		status, loc, _ = postForm(t, a, "/transfers/"+offer.ID+"/withdraw", cw.Token, url.Values{})
		if status != http.StatusSeeOther || loc != "/cases/"+c2.ID+"/transfer?done=withdrawn" {
			t.Fatalf("withdraw: %d %q", status, loc)
		}
	})
}
