// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/testutil"
)

// actors are who call every route: nobody, each role of organisation A,
// and two users of organisation B, whose every attempt on A's records must
// look exactly like an attempt on a record that does not exist.
var actors = []string{"anonymous", "viewer", "analyst", "caseworker", "supervisor", "org_admin", "sysadmin_a", "caseworker_b", "org_admin_b"}

// routeWorld is the fixture of the route-table test: organisation A with a
// user of every role, organisation B with two, and records of A whose ids
// fill the routes' path parameters.
type routeWorld struct {
	a *testutil.App
	f *fixture
	// target is the caseworker of A whose records the routes act on; it is
	// not an actor, so that destructive calls never lock an actor out.
	target testutil.User
	// spare is a viewer of A whose membership DELETE removes and the test
	// restores; spareMembership is its current membership.
	spare           testutil.User
	spareMembership string
	targetMember    string
	targetToken     string
	targetSession   string
	// people are every user whose sentinels a response may carry.
	people []testutil.User
	// ratification is the record the ratification routes read and change.
	ratification commitments.Record
	// nextCountry counts the records the routes add, each for another
	// country so that none conflicts with an earlier one.
	nextCountry int
	// person is the target's person, principal of case; member is a second
	// person the link routes link and unlink; task, episode and
	// notification belong to case.
	person, member persons.Person
	kase           cases.Case
	task           cases.Task
	episode        detention.Episode
	notification   detention.AssessedNotification
	// provider is a directory entry that is organisation A itself, kept
	// by A; referral is sent from case to it.
	provider referrals.Provider
	referral referrals.Referral
	// attachment is a file on case; orgC is an organisation neither
	// actor belongs to, to which the transfer routes offer cases, so that
	// no actor can accept them.
	attachment cases.Attachment
	orgC       accounts.Organisation
	// changes counts the changing bodies, so that each call changes
	// something and must leave an audit entry.
	changes int
	// vio holds the violations records (routes_violations_test.go).
	vio violationWorld
	// fw holds the framework records (routes_frameworks_test.go).
	fw frameworkWorld
}

func newRouteWorld(t *testing.T, a *testutil.App) *routeWorld {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t, a, actors[1:]...)
	w := &routeWorld{a: a, f: f}
	w.target = a.NewUser(f.orgA.ID, access.RoleCaseworker, f.team.ID)
	w.spare = a.NewUser(f.orgA.ID, access.RoleViewer, "")
	for _, key := range actors[1:] {
		w.people = append(w.people, f.users[key])
	}
	w.people = append(w.people, w.target, w.spare)

	ms, _, err := a.Accounts.ListMemberships(ctx, access.System, f.orgA.ID, accounts.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		switch m.UserID {
		case w.target.ID:
			w.targetMember = m.ID
		case w.spare.ID:
			w.spareMembership = m.ID
		}
	}
	w.targetToken = w.issueTargetToken(t)
	_, sess, err := a.Accounts.SignIn(ctx, w.target.Email, w.target.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	w.targetSession = sess.ID
	clearInstruments(t, a, routeInstrument)
	w.ratification = w.newRatification(t)
	w.newCaseRecords(t)
	w.vio = w.newViolationRecords(t)
	return w
}

// newCaseRecords makes the target's person, case, task, detention episode
// and consular notification, whose ids fill the protection routes.
func (w *routeWorld) newCaseRecords(t *testing.T) {
	t.Helper()
	ctx, p := context.Background(), w.target.Principal
	w.person = w.newPerson(t)
	w.member = w.newPerson(t)
	var err error
	w.kase, err = w.a.Cases.Create(ctx, p, cases.NewCase{Concerns: []cases.Concern{"detention"},
		Persons: []cases.PersonLinkInput{{PersonID: w.person.ID, Role: cases.RolePrincipal}}})
	if err != nil {
		t.Fatal(err)
	}
	now := w.a.Clock.Now()
	if w.task, err = w.a.Cases.AddTask(ctx, p, w.kase.ID, cases.NewTask{Title: testutil.Sentinel("task"), DueAt: now.Add(72 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	rec, err := w.a.Cases.Reach(ctx, p, w.kase.ID, detention.PermWrite)
	if err != nil {
		t.Fatal(err)
	}
	w.episode, err = w.a.Detention.CreateEpisode(ctx, p, rec, w.kase.ID, w.person.ID, detention.EpisodeInput{
		FacilityType: detention.FacilityImmigrationDetentionCentre, FacilityCountry: "ESP", Start: now.Add(-48 * time.Hour),
		ImmigrationRelated: true})
	if err != nil {
		t.Fatal(err)
	}
	w.notification, err = w.a.Detention.CreateNotification(ctx, p, rec, w.kase.ID, w.episode.ID, detention.NotificationInput{
		Nationality: "MAR", ArrestedAt: now.Add(-48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	w.provider = w.newProvider(t)
	w.referral = w.newReferral(t)
	if w.attachment, err = w.a.Cases.AddAttachment(ctx, p, w.kase.ID, testutil.Sentinel("file")+".pdf", routePDF); err != nil {
		t.Fatal(err)
	}
	w.orgC = w.a.Org("Org C")
}

// routePDF is the smallest file the attachment routes accept.
var routePDF = []byte("%PDF-1.4\n%%EOF\n")

// routeAttachment is a multipart/form-data body holding routePDF as the
// part "file" named name, and its Content-Type.
func routeAttachment(name string) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(routePDF)
	_ = mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// newOffer opens a case of the target's and offers it to organisation C,
// for the routes that answer an offer: each answer is final.
func (w *routeWorld) newOffer(t *testing.T) cases.Transfer {
	t.Helper()
	ctx := context.Background()
	c, err := w.a.Cases.Create(ctx, w.target.Principal, cases.NewCase{Concerns: []cases.Concern{"health"}})
	if err != nil {
		t.Fatal(err)
	}
	offer, err := w.a.Cases.OfferTransfer(ctx, w.target.Principal, c.ID, w.orgC.ID)
	if err != nil {
		t.Fatal(err)
	}
	return offer
}

// newProvider adds a directory entry that is organisation A, kept by A.
func (w *routeWorld) newProvider(t *testing.T) referrals.Provider {
	t.Helper()
	pr, err := w.a.Referrals.CreateProvider(context.Background(), w.f.users["org_admin"].Principal, referrals.ProviderInput{
		Name: "Provider " + ids.New(), OrgID: w.f.orgA.ID, ServiceTypes: []string{"legal", "medical"}, Country: "ES"})
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

// newReferral sends the person of case to provider, inside organisation
// A, so that no consent is needed.
func (w *routeWorld) newReferral(t *testing.T) referrals.Referral {
	t.Helper()
	rf, err := w.a.Referrals.Create(context.Background(), w.target.Principal, w.kase.ID, referrals.NewReferral{
		PersonID: w.person.ID, ProviderID: w.provider.ID, ServiceType: "legal"})
	if err != nil {
		t.Fatal(err)
	}
	return rf
}

func (w *routeWorld) newPerson(t *testing.T) persons.Person {
	t.Helper()
	p, err := w.a.Persons.Create(context.Background(), w.target.Principal, persons.Input{
		Identity:   persons.Identity{GivenName: testutil.Sentinel("given"), FamilyName: testutil.Sentinel("family")},
		Attributes: persons.Attributes{BirthYear: 1990, Nationality: "MAR"}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// change returns a value that differs on every call.
func (w *routeWorld) change() int { w.changes++; return w.changes }

// freshCountry returns a country no record made by the route test names
// yet (the records of routeInstrument are cleared first).
func (w *routeWorld) freshCountry() string {
	all := countries.All()
	w.nextCountry++
	return all[w.nextCountry%len(all)].Alpha3
}

// routeInstrument is the instrument of the records the route test makes.
const routeInstrument = "C189"

func (w *routeWorld) newRatification(t *testing.T) commitments.Record {
	t.Helper()
	rec, err := w.a.Commitments.Create(context.Background(), access.System, commitments.Input{Country: w.freshCountry(),
		Instrument: routeInstrument, Action: "ratification", Date: "2015-03-04", Source: "https://example.org/route-test"})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// upload is a route body sent as a file of the given media type rather
// than encoded as JSON.
type upload struct {
	contentType string
	data        []byte
}

func (w *routeWorld) issueTargetToken(t *testing.T) string {
	t.Helper()
	tok, _, err := w.a.Accounts.IssueToken(context.Background(), w.target.Principal, "fixture", "token.read", 0)
	if err != nil {
		t.Fatal(err)
	}
	return tok.ID
}

// recordID returns the id of A's record that fills the {id} of a route,
// keyed by the path segment before it. Destructive routes get a record of
// their own. ok is false for a parameter the test does not know, which then
// fails: a new kind of record must be added here, not skipped.
func (w *routeWorld) recordID(t *testing.T, method, collection string) (string, bool) {
	switch collection {
	case "organisations":
		return w.f.orgA.ID, true
	case "memberships":
		if method == http.MethodDelete {
			return w.spareMembership, true
		}
		return w.targetMember, true
	case "users":
		if method == http.MethodDelete {
			// Erasure cannot be undone: each call gets its own account.
			return w.a.NewUser(w.f.orgA.ID, access.RoleViewer, "").ID, true
		}
		return w.target.ID, true
	case "tokens":
		if method == http.MethodDelete || method == http.MethodPost {
			return w.issueTargetToken(t), true
		}
		return w.targetToken, true
	case "sessions":
		return w.targetSession, true
	case "harvest":
		// Harvest sources (/admin/harvest/{id}): no actor of the table
		// holds harvest.configure, so the id is never looked up.
		return ids.New(), true
	case "ratifications":
		if method == http.MethodDelete {
			return w.newRatification(t).ID, true
		}
		return w.ratification.ID, true
	case "persons":
		if method == http.MethodDelete {
			// Erasure cannot be undone: each call gets its own person.
			return w.newPerson(t).ID, true
		}
		return w.person.ID, true
	case "cases":
		return w.kase.ID, true
	case "tasks":
		return w.task.ID, true
	case "providers":
		if method == http.MethodDelete {
			return w.newProvider(t).ID, true
		}
		return w.provider.ID, true
	case "referrals":
		if method == http.MethodPost {
			// A status move is final: each call gets its own referral.
			return w.newReferral(t).ID, true
		}
		return w.referral.ID, true
	case "case-imports", "imports":
		// Import jobs (of cases, and of observations under
		// /observations/imports/) live in the memory of the server that runs them
		// (caseimport.Jobs) and end with it: an unknown job id is what
		// every caller, and organisation B above all, must get 404 for.
		return ids.New(), true
	case "received":
		return w.referral.ID, true
	case "saved-searches":
		// Deletion cannot be undone: each call gets a search the target
		// shared with their team.
		ss, err := w.a.Cases.SaveSearch(context.Background(), w.target.Principal, cases.NewSavedSearch{
			Name: "Route " + ids.New(), Shared: true, Criteria: cases.Criteria{Sort: cases.SortRisk}})
		if err != nil {
			t.Fatal(err)
		}
		return ss.ID, true
	case "attachments":
		return w.attachment.ID, true
	case "transfers":
		return w.newOffer(t).ID, true
	case "records":
		// The commitments pages' record forms: a POST may delete, so each
		// gets a record of its own.
		if method == http.MethodPost {
			return w.newRatification(t).ID, true
		}
		return w.ratification.ID, true
	}
	if id, ok := w.evidenceRecordID(t, collection); ok {
		return id, true
	}
	return w.violationRecordID(t, method, collection)
}

// paramRE matches a path parameter of a route pattern.
var paramRE = regexp.MustCompile(`\{[^}]*\}`)

// fill substitutes the route's path parameters: {id} with A's record (or
// with random when given), {code} with a country's or an instrument's
// code, {file} with the stylesheet's name, and {$} with nothing.
func (w *routeWorld) fill(t *testing.T, rt authn.Route, random, staticFile string) string {
	t.Helper()
	method, path, _ := splitPattern(rt.Pattern)
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case s == "{$}":
			segs[i] = ""
		case s == "{file}":
			segs[i] = staticFile
		case s == "{code}" && segs[i-1] == "countries":
			segs[i] = "fr"
		case s == "{code}" && segs[i-1] == "series":
			segs[i] = "SI_RMT_COST" // a shipped series (open data)
		case s == "{code}" && segs[i-1] == "instruments":
			segs[i] = "ICRMW"
		case s == "{code}" && segs[i-1] == "vulnerabilities":
			segs[i] = "pregnancy"
		case s == "{country}":
			segs[i] = "ES"
		case s == "{nationality}":
			segs[i] = "MA"
		case s == "{dimension}":
			segs[i] = "nationality"
		case s == "{person_id}":
			segs[i] = w.member.ID
		case s == "{episode_id}":
			segs[i] = w.episode.ID
		case s == "{notification_id}":
			segs[i] = w.notification.ID
		case s == "{person}":
			segs[i] = w.person.ID
		case s == "{task}":
			segs[i] = w.task.ID
		case s == "{attachment}":
			segs[i] = w.attachment.ID
		case s == "{referral_id}":
			segs[i] = w.referral.ID
		case s == "{perpetrator_id}":
			segs[i] = w.perpetratorID(t)
		case s == "{name}" && segs[i-1] == "import-mappings":
			w.obsImportMapping(t)
			segs[i] = routeMapping
		case s == "{area}" && segs[i-1] == "scorecards":
			segs[i] = "484" // a country's scorecard
		case s == "{indicator}" && segs[i-1] == "explorer":
			segs[i] = "10.7.3" // a shipped indicator
		case isIndicatorParam(segs, i):
			segs[i] = w.indicatorParam(t, method, segs, i)
		case isFrameworkParam(segs, i):
			segs[i] = w.frameworkParam(t, method, segs, i)
		case isViolationParam(segs, i):
			segs[i] = w.violationParam(t, method, segs, i)
		case s == "{id}" && random != "":
			segs[i] = random
		case s == "{id}":
			id, ok := w.recordID(t, method, segs[i-1])
			if !ok {
				t.Fatalf("%s: no fixture record for {id} after %q; add one to recordID", rt.Pattern, segs[i-1])
			}
			segs[i] = id
		case paramRE.MatchString(s):
			t.Fatalf("%s: unknown path parameter %s; teach fill about it", rt.Pattern, s)
		}
	}
	return strings.Join(segs, "/")
}

// routeBodies are minimal valid bodies for the routes that read one; a
// route that reads a body and is missing here fails the test rather than
// being called with nothing. Bodies are built per call so that names stay
// unique.
func (w *routeWorld) routeBodies() map[string]func() any {
	bodies := map[string]func() any{
		"POST /api/v1/organisations":                  func() any { return map[string]any{"name": "Org " + ids.New()} },
		"PATCH /api/v1/organisations/{id}":            func() any { return map[string]any{"country": "ES"} },
		"PUT /api/v1/organisations/{id}/retention":    func() any { return map[string]any{"closed_case_days": 365 + w.change()} },
		"PUT /api/v1/inbox/digest":                    func() any { return map[string]any{"enabled": true, "lang": "fr"} },
		"POST /api/v1/organisations/{id}/memberships": func() any { return map[string]any{"user_id": w.target.ID, "role": "viewer"} },
		"POST /api/v1/organisations/{id}/teams":       func() any { return map[string]any{"name": "Team " + ids.New()} },
		"PATCH /api/v1/memberships/{id}":              func() any { return map[string]any{"team_id": w.f.team.ID} },
		"POST /api/v1/users": func() any {
			return map[string]any{"email": ids.New() + "@example.org", "name": testutil.Sentinel("name"), "org_id": w.f.orgA.ID, "role": "viewer"}
		},
		"PATCH /api/v1/users/{id}":  func() any { return map[string]any{} },
		"POST /api/v1/users/search": func() any { return map[string]any{"email": w.target.Email} },
		"POST /api/v1/tokens":       func() any { return map[string]any{"name": "route test", "scopes": []string{"user.read"}} },
		"POST /api/v1/ratifications": func() any {
			return map[string]any{"country": w.freshCountry(), "instrument": routeInstrument, "action": "signature",
				"date": "2012-01-02", "source": "https://example.org/route-test"}
		},
		// A new source each time, so that every replacement changes the
		// record and must leave an audit entry.
		"PUT /api/v1/ratifications/{id}": func() any {
			r := w.ratification
			return map[string]any{"country": r.Country, "instrument": r.Instrument, "action": string(r.Action),
				"date": r.Date, "source": "https://example.org/" + ids.New()}
		},
		"POST /api/v1/persons": func() any {
			return map[string]any{"identity": map[string]any{"given_name": testutil.Sentinel("given")}}
		},
		"PATCH /api/v1/persons/{id}": func() any {
			return map[string]any{"identity": map[string]any{"address": testutil.Sentinel("address")}}
		},
		"POST /api/v1/persons/search":        func() any { return map[string]any{"name": "nobody"} },
		"POST /api/v1/persons/{id}/consents": func() any { return map[string]any{"purpose": "case_management", "status": "given"} },
		"POST /api/v1/cases":                 func() any { return map[string]any{"concerns": []string{"health"}} },
		"POST /api/v1/cases/search": func() any {
			return map[string]any{"name": "nobody", "criteria": map[string]string{"status": "new"}}
		},
		"POST /api/v1/saved-searches": func() any {
			return map[string]any{"name": "Route " + ids.New(), "criteria": map[string]string{"risk": "high"}}
		},
		"PATCH /api/v1/cases/{id}": func() any {
			return map[string]any{"risk": []string{"low", "medium", "high", "critical"}[w.change()%4]}
		},
		"POST /api/v1/cases/{id}/status": func() any { return map[string]any{"status": "assessment"} },
		"POST /api/v1/cases/{id}/persons": func() any {
			return map[string]any{"person_id": w.member.ID, "role": "family_member", "relation": "sibling"}
		},
		"POST /api/v1/cases/{id}/notes": func() any { return map[string]any{"body": testutil.Sentinel("note")} },
		"POST /api/v1/cases/{id}/tasks": func() any {
			return map[string]any{"title": testutil.Sentinel("task"), "due_at": w.a.Clock.Now().Add(24 * time.Hour).Format(time.RFC3339)}
		},
		"PATCH /api/v1/tasks/{id}": func() any { return map[string]any{"title": testutil.Sentinel("task")} },
		"POST /api/v1/cases/{id}/detention": func() any {
			return map[string]any{"person_id": w.person.ID, "facility_type": "police_station", "facility_country": "ES",
				"start": w.a.Clock.Now().Add(-time.Hour).Format(time.RFC3339)}
		},
		"PUT /api/v1/cases/{id}/detention/{episode_id}": func() any {
			return map[string]any{"facility_type": "immigration_detention_centre", "facility_country": "ES",
				"authority": fmt.Sprintf("Authority %d", w.change()), "immigration_related": true,
				"start": w.episode.Start.Format(time.RFC3339)}
		},
		"POST /api/v1/cases/{id}/detention/{episode_id}/consular": func() any {
			return map[string]any{"nationality": w.freshCountry(), "arrested_at": w.episode.Start.Format(time.RFC3339)}
		},
		"PUT /api/v1/cases/{id}/consular/{notification_id}": func() any {
			return map[string]any{"nationality": "MA", "consulate": fmt.Sprintf("Consulate %d", w.change()),
				"arrested_at": w.episode.Start.Format(time.RFC3339)}
		},
		"PUT /api/v1/detention/legal-limits/{country}": func() any {
			return map[string]any{"max_days": 60, "source": "https://example.org/" + ids.New()}
		},
		"PUT /api/v1/detention/mandatory-notification/{country}/{nationality}": func() any {
			return map[string]any{"source": "https://example.org/" + ids.New()}
		},
		// Never the default 11, so that the one caller who may set it
		// changes it, which must leave an audit entry.
		"PUT /api/v1/statistics/settings": func() any { return map[string]any{"k": 12 + w.change()%80} },
		"PUT /api/v1/detention/settings": func() any {
			return map[string]any{"warn_days": 7 + w.change()%5, "review_days": 2, "consular_hours": 72}
		},
		"POST /api/v1/providers": func() any {
			return map[string]any{"name": "Provider " + ids.New(), "service_types": []string{"shelter"}, "country": "ES"}
		},
		"PUT /api/v1/providers/{id}": func() any {
			return map[string]any{"name": fmt.Sprintf("Provider %d", w.change()), "org_id": w.f.orgA.ID,
				"service_types": []string{"legal", "medical"}, "country": "ES"}
		},
		"POST /api/v1/cases/{id}/referrals": func() any {
			return map[string]any{"person_id": w.person.ID, "provider_id": w.provider.ID, "service_type": "medical"}
		},
		"POST /api/v1/referrals/{id}/status": func() any { return map[string]any{"status": "accepted"} },
		// The password is nobody's: every export is refused, which must
		// never be a 5xx nor reach past the checks of access.
		"POST /api/v1/cases/export": func() any {
			return map[string]any{"format": "csv", "purpose": "oversight", "password": "not anyone's password",
				"recipient": map[string]any{"passphrase": "a passphrase long enough"}}
		},
		"POST /api/v1/persons/{id}/export": func() any {
			return map[string]any{"purpose": "subject_access", "password": "not anyone's password",
				"recipient": map[string]any{"passphrase": "a passphrase long enough"}}
		},
		"PUT /api/v1/organisations/{id}/export-key": func() any {
			id, err := age.GenerateX25519Identity()
			if err != nil {
				panic(err)
			}
			return map[string]any{"age_recipient": id.Recipient().String()}
		},
		"POST /api/v1/cases/{id}/transfer":   func() any { return map[string]any{"to_org_id": w.orgC.ID} },
		"POST /api/v1/transfers/{id}/accept": func() any { return map[string]any{} },
		"POST /api/v1/cases/{id}/attachments": func() any {
			body, ct := routeAttachment(testutil.Sentinel("file") + ".pdf")
			return upload{ct, body}
		},
		"POST /api/v1/cases/{id}/closure": func() any { return map[string]any{"reason": "objectives_met"} },
		"POST /api/v1/cases/import": func() any {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			fw, _ := mw.CreateFormFile("file", "cases.csv")
			_, _ = fw.Write([]byte("given_name,family_name,nationality,concerns\n" + testutil.Sentinel("name") + "," +
				testutil.Sentinel("name") + ",HND,detention health\n"))
			_ = mw.WriteField("owner_id", w.target.ID)
			_ = mw.Close()
			return upload{mw.FormDataContentType(), b.Bytes()}
		},
		"POST /api/v1/ratifications/import": func() any {
			return upload{"text/csv", []byte("country,instrument,action,date,source\n" + w.freshCountry() + "," +
				routeInstrument + ",ratification,2014-05-06,https://example.org/route-test\n")}
		},
	}
	for k, v := range w.violationBodies() {
		bodies[k] = v
	}
	for k, v := range w.exploitationBodies() {
		bodies[k] = v
	}
	for k, v := range w.frameworkBodies() {
		bodies[k] = v
	}
	for k, v := range w.indicatorBodies() {
		bodies[k] = v
	}
	for k, v := range w.evidenceBodies() {
		bodies[k] = v
	}
	for k, v := range w.obsImportBodies() {
		bodies[k] = v
	}
	return bodies
}

// bodiless are the state-changing API routes that take no body.
var bodiless = map[string]bool{
	"POST /api/v1/users/{id}/disable":                 true,
	"POST /api/v1/users/{id}/enable":                  true,
	"POST /api/v1/users/{id}/reset-password":          true,
	"POST /api/v1/users/{id}/reset-2fa":               true,
	"POST /api/v1/cases/{id}/closure/approve":         true,
	"PUT /api/v1/persons/{id}/vulnerabilities/{code}": true,
	"POST /api/v1/cases/{id}/closure/reject":          true,
	"POST /api/v1/transfers/{id}/decline":             true,
	"POST /api/v1/transfers/{id}/withdraw":            true,
}

// restore undoes what a successful destructive call did to the records
// later calls need.
func (w *routeWorld) restore(t *testing.T, rt authn.Route, status int) {
	t.Helper()
	ctx := context.Background()
	switch {
	case rt.Pattern == "POST /api/v1/users/{id}/disable" && status < 300:
		if err := w.a.Accounts.SetDisabled(ctx, access.System, w.target.ID, false); err != nil {
			t.Fatal(err)
		}
	case rt.Pattern == "DELETE /api/v1/memberships/{id}" && status < 300:
		m, err := w.a.Accounts.AddMembership(ctx, access.System, w.f.orgA.ID, w.spare.ID, access.RoleViewer, "")
		if err != nil {
			t.Fatal(err)
		}
		w.spareMembership = m.ID
	}
}

// canRead reports whether actor may read person's name and e-mail: a
// system administrator anyone's, an organisation administrator their
// organisation's members', a supervisor their team's, and everyone their
// own.
func (w *routeWorld) canRead(actor string, person testutil.User) bool {
	u, ok := w.f.users[actor]
	switch {
	case !ok:
		return false
	case u.Role == access.RoleSysadmin || u.ID == person.ID:
		return true
	case u.Role == access.RoleOrgAdmin:
		return person.OrgID == u.OrgID
	case u.Role == access.RoleSupervisor:
		return person.OrgID == u.OrgID && u.TeamID != "" && person.TeamID == u.TeamID
	}
	return false
}

// checkSentinels fails when body carries the name or e-mail of someone
// actor may not read (SECURITY-BAR 1 and 2).
func (w *routeWorld) checkSentinels(t *testing.T, actor string, body []byte) {
	t.Helper()
	for _, p := range w.people {
		for field, v := range map[string]string{"name": p.Name, "email": p.Email} {
			if bytes.Contains(body, []byte(v)) && !w.canRead(actor, p) {
				t.Errorf("%s sees the %s of %s's %s", actor, field, w.orgName(p.OrgID), p.Role)
			}
		}
	}
}

func (w *routeWorld) orgName(id string) string {
	if id == w.f.orgB.ID {
		return "organisation B"
	}
	return "organisation A"
}

// checkHeaders fails unless h carries the security headers every response
// needs (SECURITY-BAR 8). Only a hashed static asset may be cached.
func checkHeaders(t *testing.T, h http.Header, cacheable bool) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "http:") || strings.Contains(csp, "https:") || strings.Contains(csp, "*") {
		t.Errorf("Content-Security-Policy %q allows another origin", csp)
	}
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := h.Get("Cache-Control"); got != "no-store" && !cacheable {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if hsts := h.Get("Strict-Transport-Security"); hsts != "" && !strings.HasPrefix(hsts, "max-age=31536000") {
		t.Errorf("Strict-Transport-Security = %q, want max-age of at least a year", hsts)
	}
}

// auditHead returns the seq of the newest audit entry, 0 when there is none.
func (w *routeWorld) auditHead(t *testing.T) int64 {
	t.Helper()
	entries, _, err := w.a.Audit.List(context.Background(), audit.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		return 0
	}
	return entries[0].Seq
}

// carriesPersonalData reports whether body holds any tracked person's name
// or e-mail.
func (w *routeWorld) carriesPersonalData(body []byte) bool {
	for _, p := range w.people {
		if bytes.Contains(body, []byte(p.Name)) || bytes.Contains(body, []byte(p.Email)) {
			return true
		}
	}
	return false
}

// checkAudited fails when a successful change, or a successful answer that
// shows a person's name or e-mail, left no audit entry (SECURITY-BAR 14).
// Judging by the answer rather than by a list of routes keeps new
// endpoints from escaping.
func (w *routeWorld) checkAudited(t *testing.T, method string, res testutil.Response, headBefore int64) {
	t.Helper()
	if res.Status < 200 || res.Status > 299 {
		return
	}
	if method == http.MethodGet && !w.carriesPersonalData(res.Body) {
		return
	}
	if w.auditHead(t) == headBefore {
		t.Errorf("status %d left no audit entry", res.Status)
	}
}

// call sends rt for actor with the path already filled.
func (w *routeWorld) call(t *testing.T, rt authn.Route, actor, path string) testutil.Response {
	t.Helper()
	method, _, _ := splitPattern(rt.Pattern)
	path += w.evidenceQuery(t, rt.Pattern)
	var body any
	if mk, ok := w.routeBodies()[rt.Pattern]; ok {
		body = mk()
	}
	if u, ok := body.(upload); ok {
		return send(t, w.a, nil, method, path, w.f.token(t, actor), http.Header{"Content-Type": {u.contentType}}, u.data)
	}
	return w.a.Do(nil, method, path, w.f.token(t, actor), body)
}

// TestRouteTableAccess calls every registered route as every actor and
// checks who gets in, that another organisation's ids look like unknown
// ids, that no response carries a person's data to someone who may not read
// it, that nothing answers 5xx, and that every response has the security
// headers. It reads the routes from the running server, so a new endpoint
// is covered the moment it is registered.
func TestRouteTableAccess(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		w := newRouteWorld(t, a)
		bodies := w.routeBodies()
		var apiRoutes, otherRoutes []authn.Route
		for _, rt := range a.Handler.Routes {
			if _, path, _ := splitPattern(rt.Pattern); strings.HasPrefix(path, apiPrefix+"/") {
				apiRoutes = append(apiRoutes, rt)
			} else {
				otherRoutes = append(otherRoutes, rt)
			}
		}
		if len(apiRoutes) == 0 || len(otherRoutes) == 0 {
			t.Fatalf("%d API routes and %d others registered; the route table is not being read", len(apiRoutes), len(otherRoutes))
		}

		for _, rt := range apiRoutes {
			t.Run(rt.Pattern, func(t *testing.T) {
				method, path, _ := splitPattern(rt.Pattern)
				_, hasBody := bodies[rt.Pattern]
				if (method == http.MethodPost || method == http.MethodPatch || method == http.MethodPut) && !hasBody && !bodiless[rt.Pattern] {
					t.Fatalf("no body for %s: add a minimal valid one to routeBodies, or list it in bodiless", rt.Pattern)
				}
				hasID := strings.Contains(path, "{id}")
				for _, actor := range actors {
					t.Run(actor, func(t *testing.T) {
						head := w.auditHead(t)
						res := w.call(t, rt, actor, w.fill(t, rt, "", ""))
						w.checkAudited(t, method, res, head)
						w.restore(t, rt, res.Status)
						if res.Status >= 500 {
							t.Fatalf("status %d", res.Status)
						}
						checkHeaders(t, res.Header, publicCacheable(rt, actor, res))
						w.checkSentinels(t, actor, res.Body)

						u, member := w.f.users[actor]
						switch {
						case rt.Kind == authn.Public:
							if res.Status != http.StatusOK {
								t.Errorf("public route: status %d, want 200", res.Status)
							}
						case !member:
							if res.Status != http.StatusUnauthorized {
								t.Errorf("anonymous: status %d, want 401", res.Status)
							}
						case access.Grant(u.Role, rt.Perm) == access.ScopeNone:
							if res.Status != http.StatusForbidden {
								t.Errorf("%s lacks %s: status %d, want 403", u.Role, rt.Perm, res.Status)
							}
						case u.OrgID == w.f.orgB.ID && hasID && strings.HasPrefix(path, apiPrefix+"/providers/"):
							// The directory is shared: organisation B reads
							// A's entries but may not change them.
							want := http.StatusForbidden
							if method == http.MethodGet {
								want = http.StatusOK
							}
							if res.Status != want {
								t.Errorf("organisation B's %s on organisation A's directory entry: status %d, want %d", u.Role, res.Status, want)
							}
							if other := w.call(t, rt, actor, w.fill(t, rt, ids.New(), "")); other.Status != http.StatusNotFound {
								t.Errorf("status %d for an unknown entry, want 404", other.Status)
							}
						case u.OrgID == w.f.orgB.ID && hasID:
							// Bar 2: organisation A's record must be
							// indistinguishable from one that does not exist.
							if res.Status != http.StatusNotFound {
								t.Errorf("organisation B's %s on organisation A's record: status %d, want 404", u.Role, res.Status)
							}
							other := w.call(t, rt, actor, w.fill(t, rt, ids.New(), ""))
							if other.Status != res.Status {
								t.Errorf("status %d for A's record but %d for an unknown id", res.Status, other.Status)
							}
						default:
							if res.Status == http.StatusUnauthorized {
								t.Errorf("%s holds %s but got 401", u.Role, rt.Perm)
							}
						}
					})
				}
			})
		}

		t.Run("other routes", func(t *testing.T) {
			// The stylesheet's name carries a hash of its content; the
			// sign-in page links it.
			login := a.Do(nil, http.MethodGet, "/login", "", nil)
			staticFile := "app.css"
			if m := regexp.MustCompile(`/static/([A-Za-z0-9._-]+)`).FindSubmatch(login.Body); m != nil {
				staticFile = string(m[1])
			}
			for _, rt := range otherRoutes {
				t.Run(rt.Pattern, func(t *testing.T) {
					for _, actor := range []string{"anonymous", "caseworker", "caseworker_b"} {
						t.Run(actor, func(t *testing.T) {
							method, _, _ := splitPattern(rt.Pattern)
							path := w.fill(t, rt, "", staticFile)
							head := w.auditHead(t)
							res := a.Do(nil, method, path, w.f.token(t, actor), nil)
							w.checkAudited(t, method, res, head)
							if res.Status >= 500 {
								t.Fatalf("status %d", res.Status)
							}
							checkHeaders(t, res.Header, strings.HasPrefix(path, "/static/") && res.Status == http.StatusOK)
							w.checkSentinels(t, actor, res.Body)
						})
					}
				})
			}
		})

		t.Run("the log holds no personal data", func(t *testing.T) {
			if n := strings.Count(strings.ToUpper(a.Logs.String()), "SNTL"); n > 0 {
				t.Errorf("the captured log holds %d sentinels", n)
			}
		})
		t.Run("the audit log holds no personal data", func(t *testing.T) {
			var before int64
			for {
				entries, next, err := a.Audit.List(context.Background(), audit.Filter{Limit: audit.MaxLimit, Before: before})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					text := strings.Join(append([]string{e.ActorID, e.OrgID, e.Action, e.ObjectType, e.ObjectID, e.RequestID}, e.Fields...), " ")
					if strings.Contains(strings.ToUpper(text), "SNTL") {
						t.Errorf("audit entry %d holds a sentinel", e.Seq)
					}
				}
				if next == 0 {
					break
				}
				before = next
			}
		})
		t.Run("the audit chain is intact", func(t *testing.T) {
			checked, brk, err := a.Audit.Verify(context.Background())
			if err != nil || brk != nil {
				t.Fatalf("verify after %d entries: break %+v, err %v", checked, brk, err)
			}
			if checked == 0 {
				t.Error("the audit log is empty")
			}
		})
	})
}

// splitPattern splits a mux pattern into its method and path; a pattern
// without a method (it matches every method) is called with GET.
func splitPattern(pattern string) (method, path string, hasMethod bool) {
	method, path, hasMethod = strings.Cut(pattern, " ")
	if !hasMethod {
		return http.MethodGet, pattern, false
	}
	return method, path, true
}
