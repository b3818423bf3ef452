// SPDX-License-Identifier: AGPL-3.0-or-later

package persons_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/vault"
)

func sampleInput() persons.Input {
	return persons.Input{
		Identity: persons.Identity{GivenName: "José Luis", FamilyName: "Núñez-Ávila", Aliases: []string{"Pepe"},
			DateOfBirth: "2009-04-03", Documents: []persons.Document{{Type: "passport", Number: "G-123 456", Country: "HND"}},
			Phones: []string{"+504 9876-5432"}, Address: "Albergue San José\nTapachula"},
		Attributes: persons.Attributes{Sex: "male", Nationality: "HND", CountryOfBirth: "HND", Languages: []string{"es"},
			CurrentCountry: "MEX", CurrentAdmin1: "MX-CHP"},
		Vulnerabilities: []string{"unaccompanied_child"},
	}
}

func pngPhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.Gray{Y: 200})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCreateGetUpdateRoundTrip(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org := f.org()
		cw := f.user(org, access.RoleCaseworker, "")
		in := sampleInput()
		in.Photo = pngPhoto(t)
		created := f.create(cw, in)
		if created.OwnerID != cw.UserID || created.OrgID != org || created.Attributes.BirthYear != 2009 || !created.HasPhoto {
			t.Fatalf("created = %+v", created)
		}
		if got := f.lastFields("person.create", created.ID); got != "given_name,family_name,aliases,date_of_birth,documents,phones,address,"+
			"sex,birth_year,nationality,country_of_birth,languages,current_country,current_admin1,vulnerabilities,photo" {
			t.Errorf("person.create fields = %s", got)
		}

		got, err := f.svc.Get(ctx, cw, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, created) {
			t.Fatalf("Get = %+v\nwant %+v", got, created)
		}
		if f := f.lastFields("person.read", created.ID); f != "given_name,family_name,aliases,date_of_birth,documents,phones,address" {
			t.Errorf("person.read fields = %s", f)
		}
		photo, err := f.svc.Photo(ctx, cw, created.ID)
		if err != nil || photo.ContentType != persons.ContentTypePNG || !bytes.Equal(photo.Data, in.Photo) {
			t.Fatalf("Photo = %q, %d bytes, %v", photo.ContentType, len(photo.Data), err)
		}
		if f := f.lastFields("person.read", created.ID); f != "photo" {
			t.Errorf("photo read fields = %s", f)
		}

		f.clock.Advance(time.Hour)
		updated, err := f.svc.Update(ctx, cw, created.ID, persons.Patch{
			GivenName: ptr("José"), Phones: ptr([]string{}), DateOfBirth: ptr("2008"),
			Languages: ptr([]string{"es", "en"}), Vulnerabilities: ptr([]string{"victim_of_trafficking", "unaccompanied_child"}),
		})
		if err != nil {
			t.Fatal(err)
		}
		want := created
		want.Identity.GivenName, want.Identity.Phones, want.Identity.DateOfBirth = "José", nil, "2008"
		want.Attributes.BirthYear, want.Attributes.Languages = 2008, []string{"es", "en"}
		want.Vulnerabilities = []string{"unaccompanied_child", "victim_of_trafficking"}
		want.UpdatedAt = f.clock.Now()
		if !reflect.DeepEqual(updated, want) {
			t.Fatalf("after Update = %+v\nwant %+v", updated, want)
		}
		if got := f.lastFields("person.update", created.ID); got != "given_name,date_of_birth,phones,birth_year,languages,vulnerabilities" {
			t.Errorf("person.update fields = %s", got)
		}
		before := len(f.entries("person.update", created.ID))
		if _, err := f.svc.Update(ctx, cw, created.ID, persons.Patch{GivenName: ptr(" José ")}); err != nil {
			t.Fatal(err)
		}
		if after := len(f.entries("person.update", created.ID)); after != before {
			t.Error("an update that changes nothing was audited")
		}

		if err := f.svc.SetVulnerability(ctx, cw, created.ID, "stateless", true); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetVulnerability(ctx, cw, created.ID, "victim_of_trafficking", false); err != nil {
			t.Fatal(err)
		}
		got, _ = f.svc.Get(ctx, cw, created.ID)
		if !slices.Equal(got.Vulnerabilities, []string{"unaccompanied_child", "stateless"}) {
			t.Errorf("vulnerabilities = %v", got.Vulnerabilities)
		}
		for _, e := range f.entries("person.update", created.ID) {
			if slices.Contains(e.Fields, "stateless") || slices.Contains(e.Fields, "victim_of_trafficking") {
				t.Errorf("audit entry names a vulnerability: %v", e.Fields)
			}
		}
		if err := f.svc.SetPhoto(ctx, cw, created.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Photo(ctx, cw, created.ID); !errors.Is(err, persons.ErrNotFound) {
			t.Errorf("removed photo: %v", err)
		}
	})
}

func TestValidationErrorsNameFieldsAndChangeNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org := f.org()
		cw := f.user(org, access.RoleCaseworker, "")
		in := sampleInput()
		in.Attributes.Nationality = "ZZZ"
		in.Identity.Documents[0].Type = "library_card"
		in.Photo = []byte("GIF89a not a photo we take")
		_, err := f.svc.Create(ctx, cw, in)
		var ve *persons.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("Create = %v, want a ValidationError", err)
		}
		want := []persons.FieldError{{Field: "documents.0.type", Code: persons.CodeUnknownDocumentType},
			{Field: "nationality", Code: persons.CodeUnknownCountry}, {Field: "photo", Code: persons.CodeUnsupportedImage}}
		if !reflect.DeepEqual(ve.Errors, want) {
			t.Errorf("errors = %v, want %v", ve.Errors, want)
		}
		if n := f.count(`SELECT COUNT(*) FROM persons`) + f.count(`SELECT COUNT(*) FROM data_keys WHERE purpose = 'person'`); n != 0 {
			t.Fatalf("a refused person left %d rows", n)
		}

		p := f.create(cw, sampleInput())
		_, err = f.svc.Update(ctx, cw, p.ID, persons.Patch{BirthYear: ptr(1990), Phones: ptr([]string{"12"})})
		if !errors.As(err, &ve) || !reflect.DeepEqual(ve.Errors, []persons.FieldError{{Field: "phones.0", Code: persons.CodeInvalidPhone},
			{Field: "birth_year", Code: persons.CodeMismatch}}) {
			t.Fatalf("Update = %v", err)
		}
		if err := f.svc.SetPhoto(ctx, cw, p.ID, []byte("%PDF-1.7")); !errors.As(err, &ve) || ve.Errors[0].Field != "photo" {
			t.Fatalf("SetPhoto with a PDF = %v", err)
		}
		if err := f.svc.SetVulnerability(ctx, cw, p.ID, "tall", true); !errors.As(err, &ve) {
			t.Fatalf("unknown vulnerability = %v", err)
		}
		got, _ := f.svc.Get(ctx, cw, p.ID)
		if got.Attributes.BirthYear != 2009 || len(got.Identity.Phones) != 1 || got.HasPhoto {
			t.Fatalf("refused changes changed the person: %+v", got)
		}
	})
}

// Record scope: another organisation gets ErrNotFound for everything; a
// caseworker reads only their own; a supervisor reads their team's.
func TestRecordScope(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		orgA, orgB := f.org(), f.org()
		north, south := f.team(orgA), f.team(orgA)
		cw := f.user(orgA, access.RoleCaseworker, north)
		colleague := f.user(orgA, access.RoleCaseworker, north)
		sup := f.user(orgA, access.RoleSupervisor, north)
		supSouth := f.user(orgA, access.RoleSupervisor, south)
		adminA := f.user(orgA, access.RoleOrgAdmin, "")
		analyst := f.user(orgA, access.RoleAnalyst, "")
		adminB := f.user(orgB, access.RoleOrgAdmin, "")
		supB := f.user(orgB, access.RoleSupervisor, "")
		p := f.create(cw, sampleInput())

		if _, err := f.svc.Get(ctx, sup, p.ID); err != nil {
			t.Errorf("supervisor of the team cannot read: %v", err)
		}
		if _, err := f.svc.Update(ctx, sup, p.ID, persons.Patch{Address: ptr("Albergue 2")}); err != nil {
			t.Errorf("supervisor of the team cannot write: %v", err)
		}
		for name, q := range map[string]access.Principal{"colleague": colleague, "other team's supervisor": supSouth,
			"other organisation's admin": adminB, "other organisation's supervisor": supB, "analyst": analyst,
			"anonymous": access.Anonymous, "without two factors": {UserID: cw.UserID, OrgID: orgA, Role: access.RoleCaseworker}} {
			t.Run(name, func(t *testing.T) {
				checks := map[string]error{}
				_, checks["Get"] = f.svc.Get(ctx, q, p.ID)
				_, checks["Update"] = f.svc.Update(ctx, q, p.ID, persons.Patch{Address: ptr("x")})
				_, checks["Photo"] = f.svc.Photo(ctx, q, p.ID)
				_, checks["Export"] = f.svc.Export(ctx, q, p.ID)
				_, checks["Consents"] = f.svc.Consents(ctx, q, p.ID)
				_, checks["RecordConsent"] = f.svc.RecordConsent(ctx, q, p.ID, persons.ConsentInput{Purpose: persons.PurposeStatistics, Status: persons.ConsentGiven})
				checks["SetVulnerability"] = f.svc.SetVulnerability(ctx, q, p.ID, "disability", true)
				checks["SetPhoto"] = f.svc.SetPhoto(ctx, q, p.ID, nil)
				checks["Assign"] = f.svc.Assign(ctx, q, p.ID, colleague.UserID)
				checks["Erase"] = f.svc.Erase(ctx, q, p.ID)
				for fn, err := range checks {
					if !errors.Is(err, persons.ErrNotFound) {
						t.Errorf("%s = %v, want ErrNotFound", fn, err)
					}
				}
				if res, _ := f.svc.Search(ctx, q, persons.SearchQuery{Name: "jose"}); len(res) != 0 {
					t.Errorf("Search finds %d", len(res))
				}
				if res, _, _ := f.svc.List(ctx, q, persons.ListFilter{}, persons.Page{}); len(res) != 0 {
					t.Errorf("List finds %d", len(res))
				}
			})
		}
		// The organisation's administrator may erase but not read.
		if _, err := f.svc.Get(ctx, adminA, p.ID); !errors.Is(err, persons.ErrNotFound) {
			t.Errorf("org admin reads a person: %v", err)
		}
		// A caseworker may read but not erase: forbidden, not hidden.
		if err := f.svc.Erase(ctx, cw, p.ID); !errors.Is(err, persons.ErrForbidden) {
			t.Errorf("caseworker erases: %v, want ErrForbidden", err)
		}
		if _, err := f.svc.Create(ctx, analyst, sampleInput()); !errors.Is(err, persons.ErrForbidden) {
			t.Errorf("analyst creates: %v, want ErrForbidden", err)
		}
		if _, err := f.svc.Search(ctx, analyst, persons.SearchQuery{Name: "jose"}); !errors.Is(err, persons.ErrForbidden) {
			t.Errorf("analyst searches: %v, want ErrForbidden", err)
		}
		for _, bad := range []string{"", "nope", strings.Repeat("0", 26)} {
			if _, err := f.svc.Get(ctx, cw, bad); !errors.Is(err, persons.ErrNotFound) {
				t.Errorf("Get(%q) = %v", bad, err)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM audit_log WHERE actor_id IN (?, ?) AND action = 'person.read'`, adminB.UserID, colleague.UserID); n != 0 {
			t.Errorf("refused reads were audited as reads: %d", n)
		}
	})
}

func TestAssign(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org, other := f.org(), f.org()
		north := f.team(org)
		cw := f.user(org, access.RoleCaseworker, north)
		colleague := f.user(org, access.RoleCaseworker, north)
		outsider := f.user(org, access.RoleCaseworker, "")
		stranger := f.user(other, access.RoleCaseworker, "")
		sup := f.user(org, access.RoleSupervisor, north)
		p := f.create(cw, sampleInput())
		if err := f.svc.Assign(ctx, cw, p.ID, colleague.UserID); !errors.Is(err, persons.ErrForbidden) {
			t.Errorf("caseworker gives a person away: %v", err)
		}
		if err := f.svc.Assign(ctx, sup, p.ID, outsider.UserID); !errors.Is(err, persons.ErrForbidden) {
			t.Errorf("supervisor assigns outside the team: %v", err)
		}
		var ve *persons.ValidationError
		if err := f.svc.Assign(ctx, sup, p.ID, stranger.UserID); !errors.As(err, &ve) {
			t.Errorf("assign to another organisation's user: %v", err)
		}
		if err := f.svc.Assign(ctx, sup, p.ID, colleague.UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Get(ctx, colleague, p.ID); err != nil {
			t.Errorf("new owner cannot read: %v", err)
		}
		if _, err := f.svc.Get(ctx, cw, p.ID); !errors.Is(err, persons.ErrNotFound) {
			t.Errorf("former owner still reads: %v", err)
		}
		if got := f.lastFields("person.assign", p.ID); got != "owner_id,team_id" {
			t.Errorf("person.assign fields = %s", got)
		}
	})
}

// scopeFilter must select exactly the persons access.Principal.Allows
// allows: compare List with Allows over random principals and records.
func TestListAgreesWithAllows(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		orgs := []string{f.org(), f.org()}
		teams := []string{f.team(orgs[0]), f.team(orgs[0]), f.team(orgs[1])}
		users := []string{ids.New(), ids.New(), ids.New()}
		rng := rand.New(rand.NewPCG(1, 2))
		pick := func(list []string) string {
			if i := rng.IntN(len(list) + 1); i < len(list) {
				return list[i]
			}
			return ""
		}
		type rec struct{ id, org, owner, team string }
		var recs []rec
		for range 40 {
			r := rec{ids.New(), orgs[rng.IntN(2)], pick(users), pick(teams)}
			f.exec(`INSERT INTO persons (id, org_id, owner_id, team_id, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1)`,
				r.id, r.org, nullable(r.owner), nullable(r.team))
			recs = append(recs, r)
		}
		roles := []string{access.RoleCaseworker, access.RoleSupervisor, access.RoleOrgAdmin, access.RoleAnalyst, access.RoleSysadmin}
		for i := range 60 {
			p := access.Principal{UserID: users[rng.IntN(3)], OrgID: pick(orgs), TeamID: pick(teams), Role: roles[rng.IntN(len(roles))], MFA: true}
			var want []string
			for _, r := range recs {
				if p.Allows("person.read", access.Record{OrgID: r.org, OwnerID: r.owner, TeamID: r.team}) {
					want = append(want, r.id)
				}
			}
			slices.Sort(want)
			list, _, err := f.svc.List(ctx, p, persons.ListFilter{}, persons.Page{Limit: 500})
			if !p.Can("person.read") {
				if !errors.Is(err, persons.ErrForbidden) {
					t.Fatalf("%d: %+v lists: %v", i, p, err)
				}
				continue
			}
			var got []string
			for _, s := range list {
				got = append(got, s.ID)
			}
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("%d: %+v lists %v (%v), Allows says %v", i, p, got, err, want)
			}
		}
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestSearch(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org, other := f.org(), f.org()
		cw := f.user(org, access.RoleCaseworker, "")
		cw2 := f.user(org, access.RoleCaseworker, "")
		cwOther := f.user(other, access.RoleCaseworker, "")
		jose := f.create(cw, sampleInput())
		maria := f.create(cw, persons.Input{Identity: persons.Identity{GivenName: "María", FamilyName: "Núñez",
			Documents: []persons.Document{{Type: "national_id", Number: "0801-1990-12345"}}, Phones: []string{"+504 3333 4444"}}})
		hidden := f.create(cw2, sampleInput())
		twin := f.create(cwOther, sampleInput())

		cases := []struct {
			name string
			q    persons.SearchQuery
			want []string
		}{
			{"given name without accents", persons.SearchQuery{Name: "jose"}, []string{jose.ID}},
			{"accents and case", persons.SearchQuery{Name: "JOSÉ"}, []string{jose.ID}},
			{"hyphenated family name, one part", persons.SearchQuery{Name: "avila"}, []string{jose.ID}},
			{"shared family name", persons.SearchQuery{Name: "Nunez"}, sorted(jose.ID, maria.ID)},
			{"two words, both must match", persons.SearchQuery{Name: "maria nunez"}, []string{maria.ID}},
			{"two words, one absent", persons.SearchQuery{Name: "maria avila"}, nil},
			{"alias", persons.SearchQuery{Name: "pepe"}, []string{jose.ID}},
			{"prefix does not match", persons.SearchQuery{Name: "jos"}, nil},
			{"document, other spacing", persons.SearchQuery{DocumentNumber: "g123456"}, []string{jose.ID}},
			{"document with separators", persons.SearchQuery{DocumentNumber: "0801 1990 12345"}, []string{maria.ID}},
			{"phone, other formatting", persons.SearchQuery{Phone: "+50498765432"}, []string{jose.ID}},
			{"phone without plus differs", persons.SearchQuery{Phone: "50498765432"}, nil},
			{"name and phone", persons.SearchQuery{Name: "nunez", Phone: "+504 3333-4444"}, []string{maria.ID}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, err := f.svc.Search(ctx, cw, c.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, s := range res {
					got = append(got, s.ID)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("found %v, want %v", got, c.want)
				}
			})
		}
		if _, err := f.svc.Search(ctx, cw, persons.SearchQuery{Name: " - "}); err == nil {
			t.Error("a name of separators only was searched")
		}
		var ve *persons.ValidationError
		if _, err := f.svc.Search(ctx, cw, persons.SearchQuery{}); !errors.As(err, &ve) {
			t.Errorf("empty search = %v", err)
		}
		// Searches are audited with the criteria, never the values.
		es := f.entries("person.search", "")
		if len(es) == 0 || es[0].ActorID != cw.UserID {
			t.Fatalf("searches not audited: %+v", es)
		}
		if n := f.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'person.search' AND fields = 'name,phone'`); n != 1 {
			t.Errorf("%d name+phone search entries, want 1", n)
		}
		// The same document in two organisations gives unrelated tokens.
		if n := f.count(`SELECT COUNT(*) FROM person_index a JOIN person_index b ON a.token = b.token AND a.kind = b.kind
			WHERE a.person_id = ? AND b.person_id = ?`, jose.ID, twin.ID); n != 0 {
			t.Errorf("%d index tokens link records of two organisations", n)
		}
		if n := f.count(`SELECT COUNT(*) FROM person_index a JOIN person_index b ON a.token = b.token AND a.kind = b.kind
			WHERE a.person_id = ? AND b.person_id = ?`, jose.ID, hidden.ID); n == 0 {
			t.Error("the same person within one organisation gives different tokens")
		}
		// Changing a name replaces its tokens.
		if _, err := f.svc.Update(ctx, cw, jose.ID, persons.Patch{Aliases: ptr([]string{})}); err != nil {
			t.Fatal(err)
		}
		if res, _ := f.svc.Search(ctx, cw, persons.SearchQuery{Name: "pepe"}); len(res) != 0 {
			t.Error("a removed alias still finds the person")
		}
	})
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

func TestConsentHistory(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org, partner, otherPartner := f.org(), f.org(), f.org()
		cw := f.user(org, access.RoleCaseworker, "")
		p := f.create(cw, sampleInput())
		has := func(purpose persons.Purpose, recipient string) bool {
			t.Helper()
			ok, err := f.svc.HasConsent(ctx, p.ID, purpose, recipient)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		record := func(purpose persons.Purpose, recipient string, status persons.ConsentStatus, at time.Time) {
			t.Helper()
			f.clock.Advance(time.Minute)
			if _, err := f.svc.RecordConsent(ctx, cw, p.ID, persons.ConsentInput{Purpose: purpose, RecipientOrgID: recipient, Status: status, At: at}); err != nil {
				t.Fatal(err)
			}
		}
		if has(persons.PurposeReferral, partner) {
			t.Fatal("consent before any statement")
		}
		record(persons.PurposeReferral, partner, persons.ConsentGiven, time.Time{})
		if !has(persons.PurposeReferral, partner) || has(persons.PurposeReferral, otherPartner) || has(persons.PurposeCaseManagement, "") {
			t.Fatal("a referral consent must cover that recipient and purpose only")
		}
		record(persons.PurposeReferral, partner, persons.ConsentWithdrawn, time.Time{})
		if has(persons.PurposeReferral, partner) {
			t.Fatal("consent after withdrawal")
		}
		record(persons.PurposeReferral, partner, persons.ConsentGiven, time.Time{})
		if !has(persons.PurposeReferral, partner) {
			t.Fatal("no consent after giving it again")
		}
		// A statement recorded late but made earlier does not override a
		// later one.
		record(persons.PurposeReferral, partner, persons.ConsentWithdrawn, f.clock.Now().Add(-24*time.Hour))
		if !has(persons.PurposeReferral, partner) {
			t.Fatal("an older statement recorded late overrides a newer one")
		}
		// Statements in the same instant: the last recorded wins.
		same := f.clock.Now()
		record(persons.PurposeStatistics, "", persons.ConsentGiven, same)
		record(persons.PurposeStatistics, "", persons.ConsentWithdrawn, same)
		if has(persons.PurposeStatistics, "") {
			t.Fatal("equal times: the statement recorded last must win")
		}

		history, err := f.svc.Consents(ctx, cw, p.ID)
		if err != nil || len(history) != 6 {
			t.Fatalf("history: %d statements, %v", len(history), err)
		}
		wantStatus := []persons.ConsentStatus{"given", "withdrawn", "given", "withdrawn", "given", "withdrawn"}
		for i, c := range history {
			if c.Status != wantStatus[i] || c.RecordedBy != cw.UserID || c.PersonID != p.ID {
				t.Errorf("statement %d = %+v", i, c)
			}
		}
		if history[0].RecipientOrgID != partner || history[4].RecipientOrgID != "" {
			t.Error("recipients not kept")
		}
		if n := len(f.entries("person.consent", p.ID)); n != 6 {
			t.Errorf("%d person.consent entries, want 6", n)
		}

		var ve *persons.ValidationError
		for name, in := range map[string]persons.ConsentInput{
			"referral without recipient": {Purpose: persons.PurposeReferral, Status: persons.ConsentGiven},
			"unknown recipient":          {Purpose: persons.PurposeReferral, RecipientOrgID: ids.New(), Status: persons.ConsentGiven},
			"recipient for statistics":   {Purpose: persons.PurposeStatistics, RecipientOrgID: partner, Status: persons.ConsentGiven},
			"unknown purpose":            {Purpose: "marketing", Status: persons.ConsentGiven},
			"unknown status":             {Purpose: persons.PurposeStatistics, Status: "maybe"},
			"in the future":              {Purpose: persons.PurposeStatistics, Status: persons.ConsentGiven, At: f.clock.Now().Add(time.Hour)},
		} {
			if _, err := f.svc.RecordConsent(ctx, cw, p.ID, in); !errors.As(err, &ve) {
				t.Errorf("%s: %v, want a ValidationError", name, err)
			}
		}
		if ok, err := f.svc.HasConsent(ctx, ids.New(), persons.PurposeStatistics, ""); ok || err != nil {
			t.Errorf("unknown person: %v, %v", ok, err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			ok, err := f.svc.HasConsentTx(ctx, tx, p.ID, persons.PurposeReferral, partner)
			if !ok {
				return fmt.Errorf("HasConsentTx = false, %v", err)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestErase(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org, other, partner := f.org(), f.org(), f.org()
		cw := f.user(org, access.RoleCaseworker, "")
		admin := f.user(org, access.RoleOrgAdmin, "")
		adminOther := f.user(other, access.RoleOrgAdmin, "")
		in := sampleInput()
		in.Photo = pngPhoto(t)
		p := f.create(cw, in)
		if _, err := f.svc.RecordConsent(ctx, cw, p.ID, persons.ConsentInput{Purpose: persons.PurposeReferral, RecipientOrgID: partner, Status: persons.ConsentGiven}); err != nil {
			t.Fatal(err)
		}
		var keyID string
		var sealed, wrapped []byte
		if err := db.Scan(db.QueryRow(ctx, `SELECT p.data_key_id, p.identity_enc, k.wrapped FROM persons p
			JOIN data_keys k ON k.id = p.data_key_id WHERE p.id = ?`, p.ID), &keyID, &sealed, &wrapped); err != nil {
			t.Fatal(err)
		}

		if err := f.svc.Erase(ctx, adminOther, p.ID); !errors.Is(err, persons.ErrNotFound) {
			t.Fatalf("another organisation erases: %v", err)
		}
		if err := f.svc.Erase(ctx, admin, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Erase(ctx, admin, p.ID); err != nil {
			t.Fatalf("erasing again: %v", err)
		}
		if n := len(f.entries("person.erase", p.ID)); n != 1 {
			t.Fatalf("%d person.erase entries, want 1", n)
		}
		if got := f.lastFields("person.erase", p.ID); got != "identity,photo,search_index,data_key" {
			t.Errorf("person.erase fields = %s", got)
		}

		// The identity cannot be opened again, even from a copy of the
		// ciphertext taken before, and by a vault with an empty cache.
		ring, _ := vault.CreateKeyFile(filepath.Join(t.TempDir(), "other.keys"))
		for name, v := range map[string]*vault.Vault{"same vault": f.vault, "fresh vault": vault.New(db, ring)} {
			if _, err := v.Open(ctx, db, keyID, vault.AD{Table: "persons", Field: "identity", RecordID: p.ID}, sealed); !errors.Is(err, vault.ErrErased) {
				t.Errorf("%s opens the erased identity: %v", name, err)
			}
		}
		got, err := f.svc.Get(ctx, cw, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Erased || got.ErasedAt == nil || !reflect.DeepEqual(got.Identity, persons.Identity{}) || got.HasPhoto {
			t.Fatalf("erased person reads as %+v", got)
		}
		if !reflect.DeepEqual(got.Attributes, p.Attributes) || !slices.Equal(got.Vulnerabilities, p.Vulnerabilities) {
			t.Errorf("statistical attributes lost: %+v %v", got.Attributes, got.Vulnerabilities)
		}
		if es := f.entries("person.read", p.ID); len(es[0].Fields) != 0 {
			t.Errorf("reading the shell audited identity fields %v", es[0].Fields)
		}
		for _, table := range []string{"person_index", "person_photos"} {
			if n := f.count(`SELECT COUNT(*) FROM `+table+` WHERE person_id = ?`, p.ID); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM persons WHERE id = ? AND identity_enc IS NULL AND data_key_id IS NULL`, p.ID); n != 1 {
			t.Error("sealed identity or key reference left on the row")
		}
		if res, _ := f.svc.Search(ctx, cw, persons.SearchQuery{DocumentNumber: "G123456"}); len(res) != 0 {
			t.Error("an erased person is still found")
		}
		if _, err := f.svc.Photo(ctx, cw, p.ID); !errors.Is(err, persons.ErrNotFound) {
			t.Errorf("Photo after erasure: %v", err)
		}
		if ok, _ := f.svc.HasConsent(ctx, p.ID, persons.PurposeReferral, partner); ok {
			t.Error("an erased person still consents to referral")
		}
		if _, err := f.svc.Update(ctx, cw, p.ID, persons.Patch{GivenName: ptr("x")}); !errors.Is(err, persons.ErrErased) {
			t.Errorf("Update after erasure: %v", err)
		}
		if err := f.svc.SetVulnerability(ctx, cw, p.ID, "disability", true); !errors.Is(err, persons.ErrErased) {
			t.Errorf("SetVulnerability after erasure: %v", err)
		}
		exp, err := f.svc.Export(ctx, cw, p.ID)
		if err != nil || !bytes.Contains(exp, []byte(`"identity": null`)) || bytes.Contains(exp, []byte("Núñez")) {
			t.Errorf("export of the shell: %s, %v", exp, err)
		}
		if db.Engine() != "sqlite" {
			return
		}
		files, _ := filepath.Glob(db.SQLitePath + "*")
		for _, name := range files {
			if b, _ := os.ReadFile(name); bytes.Contains(b, wrapped) {
				t.Errorf("%s still holds the erased data key", filepath.Base(name))
			}
		}
	})
}

func TestExport(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org, partner := f.org(), f.org()
		cw := f.user(org, access.RoleCaseworker, "")
		in := sampleInput()
		in.Photo = pngPhoto(t)
		p := f.create(cw, in)
		if _, err := f.svc.RecordConsent(ctx, cw, p.ID, persons.ConsentInput{Purpose: persons.PurposeReferral, RecipientOrgID: partner, Status: persons.ConsentGiven}); err != nil {
			t.Fatal(err)
		}
		b, err := f.svc.Export(ctx, cw, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Format   string `json:"format"`
			ID       string `json:"id"`
			Identity struct {
				GivenName string `json:"given_name"`
				Documents []struct {
					Number string `json:"number"`
				} `json:"documents"`
			} `json:"identity"`
			Photo struct {
				ContentType string `json:"content_type"`
				Data        []byte `json:"data"`
			} `json:"photo"`
			Attributes struct {
				Nationality string `json:"nationality"`
				BirthYear   int    `json:"birth_year"`
			} `json:"attributes"`
			Vulnerabilities []struct {
				Code string `json:"code"`
			} `json:"vulnerabilities"`
			Consents []struct {
				Purpose        string `json:"purpose"`
				RecipientOrgID string `json:"recipient_org_id"`
				Status         string `json:"status"`
			} `json:"consents"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Format != persons.ExportFormat || doc.ID != p.ID || doc.Identity.GivenName != "José Luis" ||
			len(doc.Identity.Documents) != 1 || doc.Identity.Documents[0].Number != "G-123 456" ||
			doc.Photo.ContentType != persons.ContentTypePNG || !bytes.Equal(doc.Photo.Data, in.Photo) ||
			doc.Attributes.Nationality != "HND" || doc.Attributes.BirthYear != 2009 ||
			len(doc.Vulnerabilities) != 1 || doc.Vulnerabilities[0].Code != "unaccompanied_child" ||
			len(doc.Consents) != 1 || doc.Consents[0].RecipientOrgID != partner || doc.Consents[0].Status != "given" {
			t.Fatalf("export = %s", b)
		}
		if got := f.lastFields("person.export", p.ID); got != "given_name,family_name,aliases,date_of_birth,documents,phones,address,photo,attributes,vulnerabilities,consents" {
			t.Errorf("person.export fields = %s", got)
		}
	})
}

// A row inserted with only the contract's four columns (as other packages'
// tests do) reads as a person with nothing known, and can be completed.
func TestMinimalRow(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org := f.org()
		sup := f.user(org, access.RoleSupervisor, "")
		admin := f.user(org, access.RoleOrgAdmin, "")
		id := ids.New()
		f.exec(`INSERT INTO persons (id, org_id, created_at, updated_at) VALUES (?, ?, 1, 1)`, id, org)
		f.exec(`UPDATE persons SET owner_id = ? WHERE id = ?`, sup.UserID, id)
		got, err := f.svc.Get(ctx, sup, id)
		if err != nil || got.Erased || got.Attributes.Sex != persons.SexUnknown || !reflect.DeepEqual(got.Identity, persons.Identity{}) {
			t.Fatalf("minimal person = %+v, %v", got, err)
		}
		if _, err := f.svc.Update(ctx, sup, id, persons.Patch{FamilyName: ptr("Quispe")}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetPhoto(ctx, sup, id, pngPhoto(t)); err != nil {
			t.Fatal(err)
		}
		got, _ = f.svc.Get(ctx, sup, id)
		if got.Identity.FamilyName != "Quispe" || !got.HasPhoto {
			t.Fatalf("completed minimal person = %+v", got)
		}
		if err := f.svc.Erase(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
	})
}
