// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
)

// providers are directory entries for the referral tests: a shelter that is
// the other organisation in Amparo, a clinic outside Amparo and a legal
// service of the case's own organisation.
type providers struct{ shelter, clinic, own referrals.Provider }

func (f *protection) providers() providers {
	f.t.Helper()
	add := func(in referrals.ProviderInput) referrals.Provider {
		pr, err := f.ref.CreateProvider(context.Background(), access.System, in)
		if err != nil {
			f.t.Fatal(err)
		}
		return pr
	}
	return providers{
		shelter: add(referrals.ProviderInput{Name: "Casa del Migrante", OrgID: f.otherOrg,
			ServiceTypes: []string{"shelter", "legal"}, Country: "MEX", Languages: []string{"es"}, Phone: "+52 962 000 0000"}),
		clinic: add(referrals.ProviderInput{Name: "Clínica Fronteriza", ServiceTypes: []string{"medical"}, Country: "GTM"}),
		own:    add(referrals.ProviderInput{Name: "Our legal desk", OrgID: f.org.ID, ServiceTypes: []string{"legal"}, Country: "MEX"}),
	}
}

func (f *protection) referrals() []referrals.Referral {
	f.t.Helper()
	rs, err := f.ref.ForCase(context.Background(), f.owner, f.caseID)
	if err != nil {
		f.t.Fatal(err)
	}
	return rs
}

// otherCase opens another case of the owner.
func (f *protection) otherCase() string {
	f.t.Helper()
	c, err := f.cas.Create(context.Background(), f.owner, cases.NewCase{})
	if err != nil {
		f.t.Fatal(err)
	}
	return c.ID
}

func TestCaseReferralsTab(t *testing.T) {
	t.Parallel()
	f := newProtection(t)
	pr := f.providers()
	tab := f.relPath + "referrals"
	f.worker.page("empty tab", tab, `data-testid="referrals-none"`, `data-testid="referral-form"`, "Casa del Migrante (Mexico)")
	shelter := url.Values{"person_id": {f.person}, "service_type": {"shelter"}, "provider_id": {pr.shelter.ID},
		"due_at": {""}}

	// Field errors, and nothing sent.
	bad := url.Values{"person_id": {ids.New()}, "service_type": {"shelter"}, "provider_id": {pr.clinic.ID},
		"due_at": {"2026-02-01"}}
	fieldErrorsIn(t, "invalid referral", f.worker.post(tab, bad), "due_at")
	bad.Set("due_at", "")
	fieldErrorsIn(t, "invalid referral", f.worker.post(tab, bad), "person_id", "service_type")
	bad.Set("due_at", "soon")
	fieldErrorsIn(t, "unreadable date", f.worker.post(tab, bad), "due_at")

	// No consent: refused beside the provider, nothing changes, and a
	// caseworker without the override permission is not offered one.
	res := f.worker.post(tab, shelter)
	expect(t, "no consent", res, http.StatusUnprocessableEntity, "")
	contains(t, "no consent", res.body, `data-testid="referral-consent-error"`, "Nothing was changed",
		`href="/cases/`+f.caseID+`/person"`)
	if strings.Contains(res.body, `data-testid="referral-override"`) {
		t.Error("a caseworker without the permission is offered the override")
	}
	// Giving a reason does not help one who may not override.
	shelter.Set("override_reason", "legal_obligation")
	res = f.worker.post(tab, shelter)
	expect(t, "override without the permission", res, http.StatusUnprocessableEntity, "")
	contains(t, "override without the permission", res.body, `data-testid="referral-consent-error"`)
	shelter.Del("override_reason")
	if n := len(f.referrals()); n != 0 {
		t.Fatalf("refused referrals were sent: %d", n)
	}

	// The supervisor may override, with a reason from the list only.
	f.others()
	res = f.supervisor.post(tab, shelter)
	expect(t, "supervisor, no consent", res, http.StatusUnprocessableEntity, "")
	contains(t, "supervisor, no consent", res.body, `data-testid="referral-consent-error"`,
		`data-testid="referral-override"`, `name="override_reason"`)
	urgent := url.Values{"person_id": {f.person}, "service_type": {"medical"}, "provider_id": {pr.clinic.ID},
		"override_reason": {"whim"}}
	fieldErrorsIn(t, "unknown reason", f.supervisor.post(tab, urgent), "override_reason")
	urgent.Set("override_reason", "child_protection_emergency")
	expect(t, "override", f.supervisor.post(tab, urgent), http.StatusSeeOther, tab)
	f.clock.Advance(time.Minute) // referrals are listed in the order sent

	// Consent recorded: sent.
	if _, err := f.per.RecordConsent(context.Background(), f.owner, f.person, persons.ConsentInput{
		Purpose: persons.PurposeReferral, RecipientOrgID: f.otherOrg, Status: persons.ConsentGiven}); err != nil {
		t.Fatal(err)
	}
	shelter.Set("due_at", "2026-03-10")
	expect(t, "with consent", f.worker.post(tab, shelter), http.StatusSeeOther, tab)
	rs := f.referrals()
	if len(rs) != 2 || rs[0].Basis != referrals.BasisOverride || rs[0].OverrideReason != "child_protection_emergency" ||
		rs[1].Basis != referrals.BasisConsent || rs[1].Status != referrals.StatusSent || rs[1].DueAt == nil {
		t.Fatalf("sent %+v", rs)
	}
	external, sent := rs[0], rs[1]
	res = f.worker.page("two referrals", tab, "Sent without consent", "A child-protection emergency",
		"The person&#39;s consent", "10 March 2026")
	// The sender may only withdraw a referral to an Amparo organisation;
	// it records the answers of a provider outside Amparo.
	contains(t, "moves", res.body, `/referrals/`+sent.ID+`/move?to=revoked`, `/referrals/`+external.ID+`/move?to=accepted`,
		`/referrals/`+external.ID+`/move?to=declined`)
	if strings.Contains(res.body, `/referrals/`+sent.ID+`/move?to=accepted`) {
		t.Error("the sender is offered to accept a referral the other organisation answers")
	}
	expect(t, "a move for the receiver", f.worker.get(tab+"/"+sent.ID+"/move?to=accepted"), http.StatusNotFound, "")
	expect(t, "no such move", f.worker.get(tab+"/"+sent.ID+"/move?to=sent"), http.StatusNotFound, "")

	// Withdrawing needs a reason, and is confirmed on its page.
	move := tab + "/" + sent.ID + "/move"
	f.worker.page("confirm", move+"?to=revoked", `data-testid="referral-move-form"`, `name="code"`, "Consent withdrawn")
	fieldErrorsIn(t, "no reason", f.worker.post(move, url.Values{"to": {"revoked"}}), "code")
	expect(t, "withdraw", f.worker.post(move, url.Values{"to": {"revoked"}, "code": {"consent_withdrawn"}}),
		http.StatusSeeOther, tab+"#referral-"+sent.ID)
	res = f.worker.post(move, url.Values{"to": {"revoked"}, "code": {"consent_withdrawn"}})
	expect(t, "withdraw again", res, http.StatusUnprocessableEntity, "")
	contains(t, "withdraw again", res.body, "can no longer be changed")

	// The outside clinic's answers: accepted, then completed.
	move = tab + "/" + external.ID + "/move"
	expect(t, "accepted", f.worker.post(move, url.Values{"to": {"accepted"}}), http.StatusSeeOther,
		tab+"#referral-"+external.ID)
	expect(t, "completed", f.worker.post(move, url.Values{"to": {"completed"}, "code": {"service_provided"}}),
		http.StatusSeeOther, tab+"#referral-"+external.ID)
	rs = f.referrals()
	if rs[0].Status != referrals.StatusCompleted || rs[0].Outcome != "service_provided" || rs[1].Status != referrals.StatusRevoked {
		t.Fatalf("after the moves: %+v", rs)
	}
	f.worker.page("services received", f.relPath+"services", `data-testid="service-received"`, "Service provided",
		"Clínica Fronteriza")

	// A referral to the organisation itself needs no consent.
	own := url.Values{"person_id": {f.person}, "service_type": {"legal"}, "provider_id": {pr.own.ID}}
	expect(t, "internal", f.worker.post(tab, own), http.StatusSeeOther, tab)

	// Access: another organisation and a caseworker who does not own the
	// case find nothing; a role without the permission is refused.
	f.refused(t, probe{"tab", tab, nil}, probe{"services", f.relPath + "services", nil}, probe{"send", tab, own},
		probe{"move form", tab + "/" + external.ID + "/move?to=revoked", nil},
		probe{"move", tab + "/" + external.ID + "/move", url.Values{"to": {"revoked"}, "code": {"no_longer_needed"}}})
	if n := len(f.referrals()); n != 3 {
		t.Fatalf("refused requests changed the referrals: %d", n)
	}
	// A referral of another case is not found under this one.
	other := f.otherCase()
	expect(t, "under another case", f.worker.get("/cases/"+other+"/referrals/"+external.ID+"/move?to=revoked"),
		http.StatusNotFound, "")
}

func TestCaseServicesDirectory(t *testing.T) {
	t.Parallel()
	f := newProtection(t)
	f.providers()
	tab := f.relPath + "services"
	res := f.worker.page("directory", tab, `data-testid="services-none"`, "Casa del Migrante", "Clínica Fronteriza",
		"Our legal desk", "In Amparo", "52 962 000 0000")
	if n := strings.Count(res.body, `data-testid="provider"`); n != 3 {
		t.Errorf("%d providers listed, want 3", n)
	}
	res = f.worker.page("by service", tab+"?service_type=legal&country=MEX", "Casa del Migrante", "Our legal desk")
	if strings.Contains(res.body, "Clínica Fronteriza") {
		t.Error("the filter lets through a provider of another service")
	}
	res = f.worker.get(tab + "?country=ZZZ")
	fieldErrorsIn(t, "unknown country", res, "country")

	// Pages of the directory follow each other to the end.
	for i := range servicesPageSize {
		if _, err := f.ref.CreateProvider(context.Background(), access.System, referrals.ProviderInput{
			Name: "Zona " + string(rune('A'+i/26)) + string(rune('a'+i%26)), ServiceTypes: []string{"education"},
			Country: "MEX"}); err != nil {
			t.Fatal(err)
		}
	}
	res = f.worker.page("first page", tab, `rel="next"`)
	next := nextRE.FindStringSubmatch(res.body)
	if next == nil {
		t.Fatal("no link to the next page")
	}
	res = f.worker.page("second page", strings.ReplaceAll(next[1], "&amp;", "&"), "Zona")
	if n := strings.Count(res.body, `data-testid="provider"`); n != 3 || strings.Contains(res.body, `rel="next"`) {
		t.Errorf("the second page lists %d providers, want the last 3 and no further page", n)
	}
}

var nextRE = regexp.MustCompile(`<a href="([^"]+)#directory" rel="next">`)
