// SPDX-License-Identifier: AGPL-3.0-or-later

package detention_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// fixture is a database with two organisations, users in them and a case
// with one person, inserted with the minimal columns of each table.
type fixture struct {
	db    *store.DB
	log   *audit.Log
	clock *clock.Fake
	svc   *detention.Service

	org, otherOrg, team string
	owner               access.Principal // caseworker who owns the case
	colleague           access.Principal // caseworker of the same organisation
	supervisor          access.Principal // supervisor of the case's team
	admin               access.Principal // org_admin of org
	sysadmin            access.Principal // system administrator: changes the shared reference tables
	stranger            access.Principal // caseworker of otherOrg
	viewer              access.Principal

	caseID, personID string
	rec              access.Record
}

func exec(t testing.TB, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{db: db, clock: clock.NewFake(t0)}
	f.log = audit.New(db, f.clock)
	f.svc = detention.New(detention.ServiceConfig{DB: db, Audit: f.log, Clock: f.clock})
	f.org, f.otherOrg, f.team = ids.New(), ids.New(), ids.New()
	exec(t, db, `INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, 'A', 1, 1), (?, 'B', 1, 1)`, f.org, f.otherOrg)
	exec(t, db, `INSERT INTO teams (id, org_id, name, created_at) VALUES (?, ?, 'T', 1)`, f.team, f.org)
	user := func(org, team, role string) access.Principal {
		id := ids.New()
		exec(t, db, `INSERT INTO users (id, email_index, email_enc, name_enc, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'x', 1, 1)`, id, id, []byte{}, []byte{})
		return access.Principal{UserID: id, OrgID: org, TeamID: team, Role: role, MFA: true}
	}
	f.owner = user(f.org, f.team, access.RoleCaseworker)
	f.colleague = user(f.org, "", access.RoleCaseworker)
	f.supervisor = user(f.org, f.team, access.RoleSupervisor)
	f.admin = user(f.org, "", access.RoleOrgAdmin)
	f.sysadmin = user("", "", access.RoleSysadmin)
	f.stranger = user(f.otherOrg, "", access.RoleCaseworker)
	f.viewer = user(f.org, "", access.RoleViewer)
	f.caseID, f.personID = f.newCase(t, f.org, f.owner.UserID, f.team, 2008)
	f.rec = access.Record{OrgID: f.org, OwnerID: f.owner.UserID, TeamID: f.team}
	return f
}

// newCase inserts a case owned by owner with one person born in birthYear
// (0: unknown).
func (f *fixture) newCase(t *testing.T, org, owner, team string, birthYear int) (caseID, personID string) {
	t.Helper()
	caseID, personID = ids.New(), ids.New()
	var by any
	if birthYear != 0 {
		by = birthYear
	}
	var teamID any
	if team != "" {
		teamID = team
	}
	exec(t, f.db, `INSERT INTO persons (id, org_id, birth_year, created_at, updated_at) VALUES (?, ?, ?, 1, 1)`, personID, org, by)
	exec(t, f.db, `INSERT INTO cases (id, org_id, number, owner_id, team_id, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, 1)`, caseID, org, caseID, owner, teamID, owner)
	exec(t, f.db, `INSERT INTO case_persons (case_id, person_id, role, created_by, created_at) VALUES (?, ?, 'principal', ?, 1)`,
		caseID, personID, owner)
	return caseID, personID
}

func (f *fixture) auditEntries(t *testing.T, objectID string) []audit.Entry {
	t.Helper()
	es, _, err := f.log.List(context.Background(), audit.Filter{ObjectID: objectID})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(es) // oldest first
	return es
}

func validEpisode() detention.EpisodeInput {
	return detention.EpisodeInput{
		FacilityType: detention.FacilityImmigrationDetentionCentre, FacilityCountry: "MX", Authority: "INM",
		Start: t0.Add(-20 * 24 * time.Hour), LegalBasis: "Ley de Migración, art. 99", ImmigrationRelated: true,
		JudicialReviews: []time.Time{t0.Add(-19 * 24 * time.Hour)},
		Alternatives: []detention.Alternative{
			{Kind: detention.AltReporting, Considered: true},
			{Kind: detention.AltBail, Applied: true},
		},
	}
}

func isValidation(err error, field, code string) bool {
	var ve *detention.ValidationError
	return errors.As(err, &ve) && slices.Contains(ve.Errors, detention.FieldError{Field: field, Code: code})
}

func TestEpisodes(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ep, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode())
		if err != nil {
			t.Fatal(err)
		}
		if ep.FacilityCountry != "MEX" || ep.OrgID != f.org || ep.CaseID != f.caseID || ep.PersonID != f.personID ||
			len(ep.Alternatives) != 2 || !ep.Alternatives[1].Considered || ep.CreatedBy != f.owner.UserID {
			t.Errorf("created %+v", ep)
		}
		got, err := f.svc.GetEpisode(ctx, f.owner, f.rec, f.caseID, ep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, ep) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, ep)
		}

		// Update: close the episode and add a review.
		in := validEpisode()
		in.End = new(t0.Add(-time.Hour))
		in.JudicialReviews = append(in.JudicialReviews, t0.Add(-2*24*time.Hour))
		f.clock.Advance(time.Minute)
		up, err := f.svc.UpdateEpisode(ctx, f.supervisor, f.rec, f.caseID, ep.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if up.End == nil || len(up.JudicialReviews) != 2 || up.UpdatedBy != f.supervisor.UserID || !up.UpdatedAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("updated %+v", up)
		}
		// The same again changes nothing and writes nothing.
		if _, err := f.svc.UpdateEpisode(ctx, f.owner, f.rec, f.caseID, ep.ID, in); err != nil {
			t.Fatal(err)
		}
		list, err := f.svc.ListEpisodes(ctx, f.owner, f.rec, f.caseID)
		if err != nil || len(list) != 1 || !reflect.DeepEqual(list[0], up) {
			t.Fatalf("list %+v, %v; want [%+v]", list, err, up)
		}

		es := f.auditEntries(t, ep.ID)
		var actions []string
		for _, e := range es {
			actions = append(actions, e.Action)
			if e.OrgID != f.org || e.ObjectType != "detention_episode" {
				t.Errorf("entry %+v", e)
			}
		}
		if want := []string{"detention.create", "detention.read", "detention.update", "detention.read"}; !reflect.DeepEqual(actions, want) {
			t.Errorf("audited %v, want %v", actions, want)
		}
		if want := []string{"end", "judicial_reviews"}; !reflect.DeepEqual(es[2].Fields, want) {
			t.Errorf("update audited fields %v, want %v", es[2].Fields, want)
		}
		if !slices.Contains(es[0].Fields, "legal_basis") || slices.Contains(es[0].Fields, "end") {
			t.Errorf("create audited fields %v", es[0].Fields)
		}

		// Validation: nothing written.
		bad := validEpisode()
		bad.FacilityType = "hotel"
		bad.Start = t0.Add(time.Hour)
		_, err = f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, ids.New(), bad)
		var ve *detention.ValidationError
		if !errors.As(err, &ve) || !reflect.DeepEqual(ve.Errors, []detention.FieldError{
			{Field: "person_id", Code: detention.CodeNotInCase}, {Field: "facility_type", Code: detention.CodeUnknownFacility},
			{Field: "start", Code: detention.CodeFuture}}) {
			t.Errorf("invalid create: %v", err)
		}
		if _, err := f.svc.UpdateEpisode(ctx, f.owner, f.rec, f.caseID, ep.ID, bad); !isValidation(err, "start", detention.CodeFuture) {
			t.Errorf("invalid update: %v", err)
		}
		if list, _ := f.svc.ListEpisodes(ctx, f.owner, f.rec, f.caseID); len(list) != 1 || !reflect.DeepEqual(list[0], up) {
			t.Errorf("an invalid write changed the episodes: %+v", list)
		}
		// A person of another case of the same organisation is refused.
		_, otherPerson := f.newCase(t, f.org, f.owner.UserID, "", 1990)
		if _, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, otherPerson, validEpisode()); !isValidation(err, "person_id", detention.CodeNotInCase) {
			t.Errorf("person of another case: %v", err)
		}
	})
}

func TestEpisodeAccess(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ep, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode())
		if err != nil {
			t.Fatal(err)
		}
		readOnly := f.owner
		readOnly.Scopes = []access.Permission{detention.PermRead}
		otherCase, _ := f.newCase(t, f.org, f.owner.UserID, f.team, 0)
		strangerCase, _ := f.newCase(t, f.otherOrg, f.stranger.UserID, "", 0)
		strangerRec := access.Record{OrgID: f.otherOrg, OwnerID: f.stranger.UserID}
		cases := []struct {
			name      string
			p         access.Principal
			rec       access.Record
			caseID    string
			read      error
			write     error
			listCount int
		}{
			{"owner", f.owner, f.rec, f.caseID, nil, nil, 1},
			{"supervisor of the team", f.supervisor, f.rec, f.caseID, nil, nil, 1},
			{"caseworker not owning the case", f.colleague, f.rec, f.caseID, detention.ErrNotFound, detention.ErrNotFound, 0},
			{"org admin holds no detention permission", f.admin, f.rec, f.caseID, detention.ErrNotFound, detention.ErrNotFound, 0},
			{"viewer", f.viewer, f.rec, f.caseID, detention.ErrNotFound, detention.ErrNotFound, 0},
			{"token limited to reading", readOnly, f.rec, f.caseID, nil, detention.ErrForbidden, 1},
			{"caseworker of another organisation", f.stranger, f.rec, f.caseID, detention.ErrNotFound, detention.ErrNotFound, 0},
			{"a record claiming another organisation", f.stranger, strangerRec, f.caseID, detention.ErrNotFound, detention.ErrNotFound, 0},
			{"the episode under another case", f.owner, f.rec, otherCase, detention.ErrNotFound, detention.ErrNotFound, 0},
			{"another organisation's case", f.stranger, strangerRec, strangerCase, detention.ErrNotFound, detention.ErrNotFound, 0},
			{"malformed case id", f.owner, f.rec, "x", detention.ErrNotFound, detention.ErrNotFound, 0},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if _, err := f.svc.GetEpisode(ctx, c.p, c.rec, c.caseID, ep.ID); !errors.Is(err, c.read) {
					t.Errorf("get: %v, want %v", err, c.read)
				}
				if _, err := f.svc.UpdateEpisode(ctx, c.p, c.rec, c.caseID, ep.ID, validEpisode()); !errors.Is(err, c.write) {
					t.Errorf("update: %v, want %v", err, c.write)
				}
				list, err := f.svc.ListEpisodes(ctx, c.p, c.rec, c.caseID)
				if len(list) != c.listCount || (c.listCount == 0 && c.caseID == f.caseID && err == nil) {
					t.Errorf("list: %d episodes, %v", len(list), err)
				}
				if c.write != nil && c.caseID == f.caseID {
					if _, err := f.svc.CreateEpisode(ctx, c.p, c.rec, c.caseID, f.personID, validEpisode()); !errors.Is(err, c.write) {
						t.Errorf("create: %v, want %v", err, c.write)
					}
				}
			})
		}
		if _, err := f.svc.GetEpisode(ctx, f.owner, f.rec, f.caseID, ids.New()); !errors.Is(err, detention.ErrNotFound) {
			t.Errorf("unknown episode: %v", err)
		}
	})
}

func TestNotifications(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ep, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode())
		if err != nil {
			t.Fatal(err)
		}
		arrest := ep.Start
		in := detention.NotificationInput{Nationality: "GT", Consulate: "Tapachula", ArrestedAt: arrest,
			ToldAt: new(arrest.Add(2 * time.Hour)), Requested: new(false)}
		n, err := f.svc.CreateNotification(ctx, f.owner, f.rec, f.caseID, ep.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if n.Nationality != "GTM" || n.EpisodeID != ep.ID || n.Compliance.Told != detention.StatusInTime ||
			n.Compliance.Notified != detention.StatusNotRequired || n.Compliance.Mandatory {
			t.Errorf("created %+v", n)
		}
		if _, err := f.svc.CreateNotification(ctx, f.owner, f.rec, f.caseID, ep.ID, in); !isValidation(err, "nationality", detention.CodeDuplicate) {
			t.Errorf("second record for GTM: %v", err)
		}
		mex := in
		mex.Nationality = "MEX"
		if _, err := f.svc.CreateNotification(ctx, f.owner, f.rec, f.caseID, ep.ID, mex); !isValidation(err, "nationality", detention.CodeSameCountry) {
			t.Errorf("national of the detaining state: %v", err)
		}
		if _, err := f.svc.CreateNotification(ctx, f.colleague, f.rec, f.caseID, ep.ID, in); !errors.Is(err, detention.ErrNotFound) {
			t.Errorf("colleague: %v", err)
		}
		moved := validEpisode()
		moved.FacilityCountry = "GTM"
		if _, err := f.svc.UpdateEpisode(ctx, f.owner, f.rec, f.caseID, ep.ID, moved); !isValidation(err, "facility_country", detention.CodeSameCountry) {
			t.Errorf("moving the facility to the person's own country: %v", err)
		}
		if _, err := f.svc.CreateNotification(ctx, f.owner, f.rec, f.caseID, ids.New(), in); !errors.Is(err, detention.ErrNotFound) {
			t.Errorf("unknown episode: %v", err)
		}

		// A mandatory agreement makes the declined notification required.
		if _, err := f.svc.PutMandatoryCountry(ctx, f.sysadmin, detention.MandatoryCountry{DetainingCountry: "MEX",
			Nationality: "GTM", Source: "https://example.org/convention"}); err != nil {
			t.Fatal(err)
		}
		list, err := f.svc.ListNotifications(ctx, f.owner, f.rec, f.caseID)
		if err != nil || len(list) != 1 {
			t.Fatalf("list %+v, %v", list, err)
		}
		if c := list[0].Compliance; !c.Mandatory || c.Notified != detention.StatusOverdue || c.NotificationRequired != detention.Yes {
			t.Errorf("with the agreement: %+v", c)
		}
		// Record the (late) notification.
		in.NotifiedAt = new(arrest.Add(100 * time.Hour))
		up, err := f.svc.UpdateNotification(ctx, f.owner, f.rec, f.caseID, n.ID, in)
		if err != nil || up.Compliance.Notified != detention.StatusLate {
			t.Fatalf("update %+v, %v", up, err)
		}
		if _, err := f.svc.UpdateNotification(ctx, f.owner, f.rec, f.caseID, n.ID, in); err != nil {
			t.Fatal(err)
		}
		es := f.auditEntries(t, n.ID)
		var actions []string
		for _, e := range es {
			actions = append(actions, e.Action)
		}
		if want := []string{"consular.create", "consular.read", "consular.update"}; !reflect.DeepEqual(actions, want) {
			t.Errorf("audited %v, want %v", actions, want)
		}
		if want := []string{"notified_at"}; !reflect.DeepEqual(es[2].Fields, want) {
			t.Errorf("update audited %v", es[2].Fields)
		}
		if list, _ := f.svc.ListNotifications(ctx, f.owner, f.rec, f.caseID); len(list) != 1 ||
			list[0].Requested == nil || *list[0].Requested || !list[0].NotifiedAt.Equal(*in.NotifiedAt) {
			t.Errorf("read back %+v", list)
		}
		if _, err := f.svc.UpdateNotification(ctx, f.stranger, access.Record{OrgID: f.otherOrg, OwnerID: f.stranger.UserID},
			f.caseID, n.ID, in); !errors.Is(err, detention.ErrNotFound) {
			t.Errorf("stranger update: %v", err)
		}
	})
}

func TestReferenceData(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		if ls, err := f.svc.LegalLimits(ctx); err != nil || len(ls) != 0 {
			t.Fatalf("a new database ships limits: %v, %v", ls, err)
		}
		if ms, err := f.svc.MandatoryCountries(ctx, ""); err != nil || len(ms) != 0 {
			t.Fatalf("a new database ships agreements: %v, %v", ms, err)
		}
		limit := detention.LegalLimit{Country: "es", MaxDays: 60, Source: "https://example.org/law"}
		for _, p := range []access.Principal{f.owner, f.supervisor, f.viewer, f.admin, access.Anonymous} {
			if _, err := f.svc.PutLegalLimit(ctx, p, limit); !errors.Is(err, detention.ErrForbidden) {
				t.Errorf("%s put a limit: %v", p.Role, err)
			}
		}
		l, err := f.svc.PutLegalLimit(ctx, f.sysadmin, limit)
		if err != nil || l.Country != "ESP" || l.AsOf != "2026-03-10" || l.UpdatedBy != f.sysadmin.UserID {
			t.Fatalf("put %+v, %v", l, err)
		}
		if _, err := f.svc.PutLegalLimit(ctx, f.sysadmin, limit); err != nil { // unchanged: no entry
			t.Fatal(err)
		}
		limit.MaxDays = 0 // the law sets no maximum
		if _, err := f.svc.PutLegalLimit(ctx, access.System, limit); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.LegalLimitFor(ctx, "724")
		if err != nil || got == nil || got.MaxDays != 0 || got.UpdatedBy != "system" {
			t.Errorf("limit for Spain %+v, %v", got, err)
		}
		if got, err := f.svc.LegalLimitFor(ctx, "FRA"); got != nil || err != nil {
			t.Errorf("limit for France %+v, %v", got, err)
		}
		if _, err := f.svc.PutLegalLimit(ctx, f.sysadmin, detention.LegalLimit{Country: "FRA", MaxDays: -1}); !isValidation(err, "max_days", detention.CodeTooSmall) ||
			!isValidation(err, "source", detention.CodeRequired) {
			t.Errorf("invalid limit: %v", err)
		}
		var actions []string
		for _, e := range f.auditEntries(t, "ESP") {
			actions = append(actions, e.Action+":"+joinFields(e.Fields))
		}
		if want := []string{"detention_limit.create:max_days,source,as_of", "detention_limit.update:max_days"}; !reflect.DeepEqual(actions, want) {
			t.Errorf("audited %v, want %v", actions, want)
		}
		if err := f.svc.DeleteLegalLimit(ctx, f.owner, "ESP"); !errors.Is(err, detention.ErrForbidden) {
			t.Errorf("caseworker delete: %v", err)
		}
		if err := f.svc.DeleteLegalLimit(ctx, f.sysadmin, "ES"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteLegalLimit(ctx, f.sysadmin, "ES"); !errors.Is(err, detention.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}

		m := detention.MandatoryCountry{DetainingCountry: "US", Nationality: "CN", Source: "https://example.org/treaty", AsOf: "2025-01-01"}
		if _, err := f.svc.PutMandatoryCountry(ctx, f.owner, m); !errors.Is(err, detention.ErrForbidden) {
			t.Errorf("caseworker put: %v", err)
		}
		if _, err := f.svc.PutMandatoryCountry(ctx, f.sysadmin, m); err != nil {
			t.Fatal(err)
		}
		m.Source = "https://example.org/treaty-2"
		if _, err := f.svc.PutMandatoryCountry(ctx, f.sysadmin, m); err != nil {
			t.Fatal(err)
		}
		if ok, err := f.svc.IsMandatory(ctx, "USA", "CHN"); !ok || err != nil {
			t.Errorf("IsMandatory(USA, CHN) = %v, %v", ok, err)
		}
		if ok, _ := f.svc.IsMandatory(ctx, "CHN", "USA"); ok {
			t.Error("agreements are directed: CHN detaining a US national is not listed")
		}
		ms, err := f.svc.MandatoryCountries(ctx, "usa")
		if err != nil || len(ms) != 1 || ms[0].Source != m.Source || ms[0].AsOf != "2025-01-01" {
			t.Errorf("list %+v, %v", ms, err)
		}
		if es := f.auditEntries(t, "USA-CHN"); len(es) != 2 || es[1].Action != "consular_mandatory.update" ||
			!reflect.DeepEqual(es[1].Fields, []string{"source"}) {
			t.Errorf("audit %+v", es)
		}
		if err := f.svc.DeleteMandatoryCountry(ctx, f.sysadmin, "US", "CN"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := f.svc.IsMandatory(ctx, "USA", "CHN"); ok {
			t.Error("deleted agreement still listed")
		}
	})
}

func joinFields(fs []string) string {
	out := ""
	for i, f := range fs {
		if i > 0 {
			out += ","
		}
		out += f
	}
	return out
}

func TestSettings(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for _, p := range []access.Principal{f.owner, f.supervisor, f.admin} {
			c, err := f.svc.Settings(ctx, p, f.org)
			if err != nil || c != detention.DefaultConfig() {
				t.Errorf("%s reads %+v, %v", p.Role, c, err)
			}
		}
		for _, p := range []access.Principal{f.viewer, f.stranger} {
			if _, err := f.svc.Settings(ctx, p, f.org); !errors.Is(err, detention.ErrNotFound) {
				t.Errorf("%s read settings: %v", p.Role, err)
			}
		}
		want := detention.Config{WarnDays: 14, ReviewDays: 2, ConsularHours: 24}
		if _, err := f.svc.PutSettings(ctx, f.owner, f.org, want); !errors.Is(err, detention.ErrForbidden) {
			t.Errorf("caseworker put: %v", err)
		}
		if _, err := f.svc.PutSettings(ctx, f.stranger, f.org, want); !errors.Is(err, detention.ErrNotFound) {
			t.Errorf("stranger put: %v", err)
		}
		if _, err := f.svc.PutSettings(ctx, f.admin, f.org, detention.Config{WarnDays: 1}); !isValidation(err, "review_days", detention.CodeTooSmall) {
			t.Errorf("zero fields: %v", err)
		}
		if _, err := f.svc.PutSettings(ctx, f.admin, f.org, want); err != nil {
			t.Fatal(err)
		}
		if c, err := f.svc.Settings(ctx, f.owner, f.org); err != nil || c != want {
			t.Errorf("after put %+v, %v", c, err)
		}
		want.ReviewDays = 3
		if _, err := f.svc.PutSettings(ctx, f.admin, f.org, want); err != nil {
			t.Fatal(err)
		}
		es := f.auditEntries(t, f.org)
		if len(es) != 2 || !reflect.DeepEqual(es[0].Fields, []string{"warn_days", "consular_hours"}) ||
			!reflect.DeepEqual(es[1].Fields, []string{"review_days"}) || es[1].Action != "detention_settings.update" {
			t.Errorf("audit %+v", es)
		}
		if c, _ := f.svc.Settings(ctx, f.admin, f.otherOrg); c != (detention.Config{}) {
			t.Errorf("another organisation's settings leak: %+v", c)
		}
	})
}

func TestOpenAlerts(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db) // the fixture's person was born in 2008: a possible child in 2026
		if _, err := f.svc.PutLegalLimit(ctx, f.sysadmin, detention.LegalLimit{Country: "MEX", MaxDays: 15, Source: "s"}); err != nil {
			t.Fatal(err)
		}
		child, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode()) // 20 days, reviewed
		if err != nil {
			t.Fatal(err)
		}
		// An adult in police custody on a criminal charge, unreviewed.
		adultCase, adult := f.newCase(t, f.org, f.owner.UserID, f.team, 1980)
		adultRec := access.Record{OrgID: f.org, OwnerID: f.owner.UserID, TeamID: f.team}
		custody, err := f.svc.CreateEpisode(ctx, f.owner, adultRec, adultCase, adult, detention.EpisodeInput{
			FacilityType: detention.FacilityPoliceStation, FacilityCountry: "MEX", Start: t0.Add(-4 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		n, err := f.svc.CreateNotification(ctx, f.owner, adultRec, adultCase, custody.ID, detention.NotificationInput{
			Nationality: "HND", ArrestedAt: custody.Start})
		if err != nil {
			t.Fatal(err)
		}
		// A closed episode and another organisation's open one raise nothing here.
		closed := validEpisode()
		closed.End = new(t0.Add(-time.Hour))
		if _, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, closed); err != nil {
			t.Fatal(err)
		}
		strangerCase, strangerPerson := f.newCase(t, f.otherOrg, f.stranger.UserID, "", 2015)
		if _, err := f.svc.CreateEpisode(ctx, f.stranger, access.Record{OrgID: f.otherOrg, OwnerID: f.stranger.UserID},
			strangerCase, strangerPerson, validEpisode()); err != nil {
			t.Fatal(err)
		}
		// Unknown birth year: no child alert.
		unknownCase, unknown := f.newCase(t, f.org, f.owner.UserID, f.team, 0)
		if _, err := f.svc.CreateEpisode(ctx, f.owner, adultRec, unknownCase, unknown, detention.EpisodeInput{
			FacilityType: detention.FacilityImmigrationDetentionCentre, FacilityCountry: "MEX", Start: t0.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}

		alerts, err := f.svc.OpenAlerts(ctx, f.org, t0)
		if err != nil {
			t.Fatal(err)
		}
		type key struct {
			kind    detention.AlertKind
			episode string
		}
		var got []key
		for _, a := range alerts {
			got = append(got, key{a.Kind, a.EpisodeID})
			if a.OrgID != f.org {
				t.Errorf("alert of another organisation %+v", a)
			}
		}
		want := []key{
			{detention.AlertChildInImmigrationDetention, child.ID},
			{detention.AlertPastLegalMaximum, child.ID},       // since t0 − 5 days
			{detention.AlertNoJudicialReview, custody.ID},     // since t0 − 2 days
			{detention.AlertConsularRightNotTold, custody.ID}, // since t0 − 1 day
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("alerts\n%v\nwant\n%v", got, want)
		}
		if alerts[0].Child != detention.ChildPossible || alerts[0].CaseID != f.caseID || alerts[0].PersonID != f.personID {
			t.Errorf("child alert %+v", alerts[0])
		}
		if alerts[3].NotificationID != n.ID {
			t.Errorf("consular alert %+v", alerts[3])
		}

		// Four days for review and for consular notification: both deadlines
		// fall exactly at t0, which is still in time.
		if _, err := f.svc.PutSettings(ctx, f.admin, f.org, detention.Config{WarnDays: 7, ReviewDays: 4, ConsularHours: 96}); err != nil {
			t.Fatal(err)
		}
		alerts, err = f.svc.OpenAlerts(ctx, f.org, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts) != 2 || alerts[0].Kind != detention.AlertChildInImmigrationDetention || alerts[1].Kind != detention.AlertPastLegalMaximum {
			t.Errorf("with longer periods: %+v", alerts)
		}
		if alerts, err := f.svc.OpenAlerts(ctx, ids.New(), t0); err != nil || len(alerts) != 0 {
			t.Errorf("unknown organisation: %v, %v", alerts, err)
		}
	})
}

// birthSource is a BirthSource with full dates.
type birthSource map[string]detention.BirthInfo

func (b birthSource) Births(_ context.Context, personIDs []string) (map[string]detention.BirthInfo, error) {
	out := map[string]detention.BirthInfo{}
	for _, id := range personIDs {
		if v, ok := b[id]; ok {
			out[id] = v
		}
	}
	return out, nil
}

func TestOpenAlertsWithFullDates(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ep, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode())
		if err != nil {
			t.Fatal(err)
		}
		// Born in January 2008: 18 before the episode began on 18 February 2026.
		src := birthSource{f.personID: detention.BirthDate(2008, time.January, 2)}
		svc := detention.New(detention.ServiceConfig{DB: db, Audit: f.log, Clock: f.clock, Births: src})
		if alerts, err := svc.OpenAlerts(ctx, f.org, t0); err != nil || len(alerts) != 0 {
			t.Errorf("adult by full date: %+v, %v", alerts, err)
		}
		src[f.personID] = detention.BirthDate(2008, time.December, 2)
		alerts, err := svc.OpenAlerts(ctx, f.org, t0)
		if err != nil || len(alerts) != 1 || alerts[0].Child != detention.ChildYes || alerts[0].EpisodeID != ep.ID {
			t.Errorf("child by full date: %+v, %v", alerts, err)
		}
	})
}

func TestCaseTransferAndShredding(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ep, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateNotification(ctx, f.owner, f.rec, f.caseID, ep.ID, detention.NotificationInput{
			Nationality: "GTM", ArrestedAt: ep.Start}); err != nil {
			t.Fatal(err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE cases SET org_id = ?, owner_id = ? WHERE id = ?`, f.otherOrg, f.stranger.UserID, f.caseID); err != nil {
				return err
			}
			return detention.MoveCaseTx(ctx, tx, f.caseID, f.otherOrg)
		})
		if err != nil {
			t.Fatal(err)
		}
		newRec := access.Record{OrgID: f.otherOrg, OwnerID: f.stranger.UserID}
		if _, err := f.svc.GetEpisode(ctx, f.stranger, newRec, f.caseID, ep.ID); err != nil {
			t.Errorf("receiving organisation: %v", err)
		}
		if list, err := f.svc.ListNotifications(ctx, f.stranger, newRec, f.caseID); err != nil || len(list) != 1 {
			t.Errorf("receiving organisation's notifications: %v, %v", list, err)
		}
		if _, err := f.svc.GetEpisode(ctx, f.owner, f.rec, f.caseID, ep.ID); !errors.Is(err, detention.ErrNotFound) {
			t.Errorf("former organisation: %v", err)
		}
		if alerts, _ := f.svc.OpenAlerts(ctx, f.org, t0); len(alerts) != 0 {
			t.Errorf("former organisation still alerted: %+v", alerts)
		}
		// Shredding the case removes its detention records.
		exec(t, db, `DELETE FROM case_persons WHERE case_id = ?`, f.caseID)
		exec(t, db, `DELETE FROM cases WHERE id = ?`, f.caseID)
		for _, table := range []string{"detention_episodes", "detention_reviews", "detention_alternatives", "consular_notifications"} {
			var n int
			if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM `+table), &n); err != nil || n != 0 {
				t.Errorf("%s keeps %d rows after the case is deleted (%v)", table, n, err)
			}
		}
	})
}
