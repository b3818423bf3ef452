// SPDX-License-Identifier: AGPL-3.0-or-later

package browsertest

// The protection case pages in a real browser, as the issue asks: open a
// case, record a child's detention and see the alert, make a referral that
// is refused for want of the person's consent, record the consent, and
// make it again. The data the flow starts from (the organisations, the
// caseworker, the person and the case, the service provider) is set up
// through the domain services of an application running in the test, so
// that the flow depends on no other page; it runs once per database
// engine and skips without Chromium as signin_test.go explains.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil"
	"github.com/amparo-project/amparo/internal/totp"
)

func TestCaseProtectionFlowInChromium(t *testing.T) {
	d, chromium := startChromium(t)
	storetest.Each(t, func(t *testing.T, dbURL string) {
		start := time.Now()
		a := testutil.New(t, dbURL)
		fx := newCaseFixture(t, a)
		b := newBrowser(t, d, chromium)
		caseFlow(t, fx, b)
		t.Logf("case flow took %s", time.Since(start).Round(time.Millisecond))
	})
}

// caseFixture is what the flow starts from.
type caseFixture struct {
	a *testutil.App
	// base is the address the browser uses: plain http on localhost,
	// where a browser keeps the Secure session cookie.
	base string
	// worker is a caseworker with the second factor set up; secret is its
	// TOTP key.
	worker testutil.User
	secret string
	// caseID is the worker's case, whose principal person was born in
	// 2012; shelter is a provider that is another Amparo organisation.
	caseID, personID string
	shelter          referrals.Provider
}

func newCaseFixture(t *testing.T, a *testutil.App) caseFixture {
	t.Helper()
	ctx := context.Background()
	fx := caseFixture{a: a, base: serveLocal(t, a.Handler)}
	org := a.Org("Clínica de Derechos Humanos")
	shelterOrg := a.Org("Casa del Migrante")
	fx.worker = a.NewUser(org.ID, access.RoleCaseworker, "")
	fx.secret = enrolTOTP(t, a, fx.worker)

	p := fx.worker.Principal
	person, err := a.Persons.Create(ctx, p, persons.Input{Identity: persons.Identity{GivenName: "Lucía"},
		Attributes: persons.Attributes{BirthYear: 2012, Nationality: "HND"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Cases.Create(ctx, p, cases.NewCase{Persons: []cases.PersonLinkInput{{PersonID: person.ID,
		Role: cases.RolePrincipal}}})
	if err != nil {
		t.Fatal(err)
	}
	fx.caseID, fx.personID = c.ID, person.ID
	fx.shelter, err = a.Referrals.CreateProvider(ctx, access.System, referrals.ProviderInput{Name: "Casa del Migrante",
		OrgID: shelterOrg.ID, ServiceTypes: []string{"shelter"}, Country: "MEX", Languages: []string{"es"}})
	if err != nil {
		t.Fatal(err)
	}
	return fx
}

// serveLocal serves h over plain http on a port of 127.0.0.1 and returns
// its address as http://localhost:PORT: a browser keeps a Secure cookie
// over http only on localhost, and the test server's own TLS certificate
// is one Chromium would refuse.
func serveLocal(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return "http://localhost:" + port
}

// enrolTOTP sets up u's second factor through the accounts domain, as the
// enrolment page would, and returns the key. The clock then moves on a
// step, so that the code the browser types is not the one just used.
func enrolTOTP(t *testing.T, a *testutil.App, u testutil.User) string {
	t.Helper()
	ctx := context.Background()
	_, sess, err := a.Accounts.SignIn(ctx, u.Email, u.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := a.Accounts.BeginTOTPEnrolment(ctx, sess)
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.Code(secret, a.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Accounts.ConfirmTOTPEnrolment(ctx, sess, code); err != nil {
		t.Fatal(err)
	}
	a.Clock.Advance(time.Minute)
	return secret
}

// caseFlow is what a caseworker does, checked step by step.
func caseFlow(t *testing.T, fx caseFixture, b *browser) {
	casePath := "/cases/" + fx.caseID
	b.signIn(fx)

	// Open the case.
	b.open(fx.base + casePath)
	b.waitPath(casePath)
	b.find(ByCSS, "[data-testid=case-header]")

	// Record the child's detention in an immigration detention centre.
	b.click(ByCSS, "[data-testid=tab-detention]")
	b.waitPath(casePath + "/detention")
	b.find(ByCSS, "[data-testid=episodes-none]")
	b.choose("person_id", fx.personID)
	b.choose("facility_type", "immigration_detention_centre")
	b.choose("facility_country", "MEX")
	b.fill("input[name=authority]", "Instituto Nacional de Migración")
	b.click(ByCSS, "#immigration_related")
	b.fillDate("input[name=start]", fx.a.Clock.Now().AddDate(0, 0, -3))
	b.click(ByCSS, "[data-testid=episode-submit]")
	b.waitPath(casePath + "/detention")

	// The alert, at the top and first.
	b.find(ByCSS, "[data-testid=episode]")
	b.find(ByCSS, "[data-testid=alert-child_in_immigration_detention][role=alert]")
	if first := b.text(ByCSS, "[data-testid=case-alerts] [role=alert]"); !strings.Contains(first,
		"A child is held in immigration detention") {
		t.Errorf("the first alert reads %q, want the child's", first)
	}

	// A referral to another organisation, refused for want of consent.
	b.click(ByCSS, "[data-testid=tab-referrals]")
	b.waitPath(casePath + "/referrals")
	b.makeReferral(fx)
	b.find(ByCSS, "[data-testid=referral-consent-error]")
	b.find(ByCSS, "[data-testid=referrals-none]")

	// The person consents to be referred to that organisation.
	b.click(ByCSS, "[data-testid=tab-person]")
	b.waitPath(casePath + "/person")
	b.click(ByCSS, "[data-testid=consent-purpose] option[value=referral]")
	b.choose("consent_recipient", fx.shelter.OrgID)
	b.click(ByCSS, "[data-testid=consent-submit]")
	b.waitPath(casePath + "/person")
	b.find(ByCSS, "[data-testid=consent-row]")

	// Again: sent.
	b.click(ByCSS, "[data-testid=tab-referrals]")
	b.waitPath(casePath + "/referrals")
	b.makeReferral(fx)
	b.waitPath(casePath + "/referrals")
	if got := b.text(ByCSS, "[data-testid=referral] [data-testid=referral-status]"); got != "Sent" {
		t.Errorf("the referral's status reads %q, want Sent", got)
	}

	// The refused referral answered 422, which the browser logs as an
	// error; that one is expected, any other is not.
	b.checkConsole("/referrals#new-referral - Failed to load resource: the server responded with a status of 422")
}

// signIn signs the fixture's caseworker in: password, then the code of
// the authenticator.
func (b *browser) signIn(fx caseFixture) {
	b.t.Helper()
	b.open(fx.base + "/login")
	b.waitPath("/login")
	b.fill("input[name=email]", fx.worker.Email)
	b.fill("input[name=password]", fx.worker.Password)
	b.click(ByCSS, "[data-testid=login-submit]")
	b.waitPath("/login/totp")
	code, err := totp.Code(fx.secret, fx.a.Clock.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	b.fill("input[name=code]", code)
	b.click(ByCSS, "[data-testid=totp-submit]")
	b.waitPath("/")
}

// makeReferral fills in and sends the referral to the shelter.
func (b *browser) makeReferral(fx caseFixture) {
	b.t.Helper()
	b.choose("person_id", fx.personID)
	b.choose("service_type", "shelter")
	b.choose("provider_id", fx.shelter.ID)
	b.click(ByCSS, "[data-testid=referral-submit]")
}

// choose picks the option of value in the select named name.
func (b *browser) choose(name, value string) {
	b.t.Helper()
	b.click(ByCSS, `select[name="`+name+`"] option[value="`+value+`"]`)
}

// fillDate types day into a date input, in the order of the browser's
// locale (Chromium's default, en-US: month, day, year).
func (b *browser) fillDate(css string, day time.Time) {
	b.t.Helper()
	b.fill(css, day.Format("01022006"))
}
