// SPDX-License-Identifier: AGPL-3.0-or-later

package violations_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/violations"
)

// TestActRules is the table of what an act may hold: codes of the
// vocabularies, a victim the recorder may read in the event's
// organisation, perpetrators of the same event each once with a degree of
// involvement, distinct consequences, and dates in order.
func TestActRules(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		e := f.mustEvent(f.owner, "rules")
		other := f.mustEvent(f.owner, "other")
		police, err := f.svc.AddPerpetrator(ctx, f.owner, e.ID, violations.PerpetratorInput{Category: "police"})
		if err != nil {
			t.Fatal(err)
		}
		guard, err := f.svc.AddPerpetrator(ctx, f.owner, e.ID, violations.PerpetratorInput{Category: "border_guard",
			Identity: "SNTL-identity-guard"})
		if err != nil {
			t.Fatal(err)
		}
		elsewhere, err := f.svc.AddPerpetrator(ctx, f.owner, other.ID, violations.PerpetratorInput{Category: "employer"})
		if err != nil {
			t.Fatal(err)
		}
		inv := func(id, how string) violations.Involvement {
			return violations.Involvement{PerpetratorID: id, Involvement: how}
		}
		tests := []struct {
			name string
			in   violations.ActInput
			want []string
		}{
			{"minimal", violations.ActInput{ActType: "40.30"}, nil},
			{"a branch, not a leaf", violations.ActInput{ActType: "70"}, nil},
			{"xenophobic attack with all", violations.ActInput{ActType: "70.10", RightAffected: "30.10",
				VictimPersonID: f.personID, Start: violations.Date{Value: "2026-03-12"},
				End:          violations.Date{Value: "2026-03-12", Precision: violations.PrecisionExact},
				Consequences: []string{"psychological_harm", "physical_injury"}, Description: "SNTL-act-rules",
				Perpetrators: []violations.Involvement{inv(police.ID, "failed_to_act"), inv(guard.ID, "direct_perpetrator")}}, nil},
			{"no act type", violations.ActInput{}, []string{"act_type:required"}},
			{"unknown act type", violations.ActInput{ActType: "99"}, []string{"act_type:unknown"}},
			{"refoulement and its right", violations.ActInput{ActType: "40.10", RightAffected: "10.40"}, nil},
			{"unknown right", violations.ActInput{ActType: "10", RightAffected: "torture"}, []string{"right_affected:unknown"}},
			{"victim of another caseworker", violations.ActInput{ActType: "10", VictimPersonID: f.otherPerson},
				[]string{"victim_person_id:not_found"}},
			{"unknown victim", violations.ActInput{ActType: "10", VictimPersonID: "01hzzzzzzzzzzzzzzzzzzzzzzz"},
				[]string{"victim_person_id:not_found"}},
			{"unknown consequence", violations.ActInput{ActType: "10", Consequences: []string{"death", "sadness"}},
				[]string{"consequences.1:unknown"}},
			{"consequence twice", violations.ActInput{ActType: "10", Consequences: []string{"death", "death"}},
				[]string{"consequences.1:duplicate"}},
			{"end without start", violations.ActInput{ActType: "10", End: violations.Date{Value: "2026"}},
				[]string{"end:end_without_start"}},
			{"end before start", violations.ActInput{ActType: "10", Start: violations.Date{Value: "2026-03-12"},
				End: violations.Date{Value: "2026-03-11"}}, []string{"end:date_order"}},
			{"perpetrator without involvement", violations.ActInput{ActType: "10",
				Perpetrators: []violations.Involvement{inv(police.ID, "")}}, []string{"perpetrators.0.involvement:required"}},
			{"unknown involvement", violations.ActInput{ActType: "10",
				Perpetrators: []violations.Involvement{inv(police.ID, "watched")}}, []string{"perpetrators.0.involvement:unknown"}},
			{"perpetrator twice", violations.ActInput{ActType: "10",
				Perpetrators: []violations.Involvement{inv(police.ID, "ordered"), inv(police.ID, "assisted")}},
				[]string{"perpetrators.1.perpetrator_id:duplicate"}},
			{"another event's perpetrator", violations.ActInput{ActType: "10",
				Perpetrators: []violations.Involvement{inv(elsewhere.ID, "ordered")}},
				[]string{"perpetrators.0.perpetrator_id:not_found"}},
			{"no perpetrator id", violations.ActInput{ActType: "10",
				Perpetrators: []violations.Involvement{inv("", "ordered")}}, []string{"perpetrators.0.perpetrator_id:required"}},
		}
		added := 0
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f.clock.Advance(time.Second)
				a, err := f.svc.AddAct(ctx, f.owner, e.ID, tt.in)
				wantFieldErrors(t, err, tt.want...)
				if tt.want == nil {
					added++
					if a.ActType != tt.in.ActType || a.EventID != e.ID || len(a.Perpetrators) != len(tt.in.Perpetrators) {
						t.Fatalf("AddAct = %+v", a)
					}
				}
			})
		}
		got, err := f.svc.Get(ctx, f.owner, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Acts) != added {
			t.Fatalf("%d acts stored, want %d", len(got.Acts), added)
		}
		full := got.Acts[2]
		if !slices.Equal(full.Consequences, []string{"physical_injury", "psychological_harm"}) ||
			full.VictimPersonID != f.personID || full.Start.Precision != violations.PrecisionExact ||
			!slices.Equal(full.Perpetrators, sortedInvolvements(inv(police.ID, "failed_to_act"), inv(guard.ID, "direct_perpetrator"))) {
			t.Fatalf("stored act %+v", full)
		}
		if !slices.Equal(got.ActTypes, []string{"40.10", "40.30", "70", "70.10"}) {
			t.Fatalf("act types %v", got.ActTypes)
		}

		// A perpetrator's deletion removes their part in the acts.
		if err := f.svc.DeletePerpetrator(ctx, f.owner, e.ID, police.ID); err != nil {
			t.Fatal(err)
		}
		if n := f.count(`SELECT COUNT(*) FROM violation_act_perpetrators WHERE perpetrator_id = ?`, police.ID); n != 0 {
			t.Fatalf("%d links of a deleted perpetrator", n)
		}
		// Parts of another event are not found through this one.
		if err := f.svc.DeletePerpetrator(ctx, f.owner, e.ID, elsewhere.ID); !errors.Is(err, violations.ErrNotFound) {
			t.Fatalf("deleting another event's perpetrator: %v", err)
		}
		if _, err := f.svc.UpdateAct(ctx, f.owner, other.ID, full.ID, violations.ActInput{ActType: "10"}); !errors.Is(err, violations.ErrNotFound) {
			t.Fatalf("updating an act through another event: %v", err)
		}
		if err := f.svc.DeleteAct(ctx, f.owner, e.ID, full.ID); err != nil {
			t.Fatal(err)
		}
		if n := f.count(`SELECT COUNT(*) FROM violation_act_consequences WHERE act_id = ?`, full.ID); n != 0 {
			t.Fatalf("%d consequences of a deleted act", n)
		}
	})
}

func sortedInvolvements(in ...violations.Involvement) []violations.Involvement {
	slices.SortFunc(in, func(a, b violations.Involvement) int { return strings.Compare(a.PerpetratorID, b.PerpetratorID) })
	return in
}

// TestRetiredTerms: a retired term is refused on new records but stays on
// those that hold it, and keeps its name.
func TestRetiredTerms(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		e := f.mustEvent(f.owner, "retired")
		a, err := f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: "40.30", Consequences: []string{"displacement"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range [][2]string{{violations.VocabActType, "40.30"}, {violations.VocabConsequence, "displacement"}} {
			if _, err := f.svc.RetireTerm(ctx, f.sysadmin, c[0], c[1]); err != nil {
				t.Fatalf("RetireTerm %v: %v", c, err)
			}
		}
		_, err = f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: "40.30"})
		wantFieldErrors(t, err, "act_type:retired")
		_, err = f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: "40.20", Consequences: []string{"displacement"}})
		wantFieldErrors(t, err, "consequences.0:retired")
		if _, err := f.svc.UpdateAct(ctx, f.owner, e.ID, a.ID, violations.ActInput{ActType: "40.30",
			Consequences: []string{"displacement", "deportation"}, Description: "SNTL-act-kept"}); err != nil {
			t.Fatalf("keeping retired terms on an act: %v", err)
		}
		if l := f.svc.Label(violations.VocabActType, "40.30", "fr"); l != "Refoulement à la frontière" {
			t.Fatalf("a retired term's label: %q", l)
		}
		if _, err := f.svc.RestoreTerm(ctx, f.sysadmin, violations.VocabActType, "40.30"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: "40.30"}); err != nil {
			t.Fatalf("a restored term: %v", err)
		}
	})
}

// TestErasureClearsVictim: erasing a person leaves no act naming them as
// the victim and no event naming them as a party.
func TestErasureClearsVictim(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		e := f.mustEvent(f.owner, "erase")
		if _, err := f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: "30.10", VictimPersonID: f.personID}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Second)
		if _, err := f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: "30.10", VictimPersonID: f.memberID}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.LinkPerson(ctx, f.owner, e.ID, f.personID, "victim"); err != nil {
			t.Fatal(err)
		}
		if err := f.persons.Erase(ctx, f.adminA, f.personID); err != nil {
			t.Fatalf("Erase: %v", err)
		}
		got, err := f.svc.Get(ctx, f.owner, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Acts[0].VictimPersonID != "" || got.Acts[1].VictimPersonID != f.memberID || len(got.Persons) != 0 {
			t.Fatalf("after erasure: acts %+v, persons %+v", got.Acts, got.Persons)
		}
		if n := f.count(`SELECT COUNT(*) FROM violation_acts WHERE victim_person_id = ?`, f.personID); n != 0 {
			t.Fatalf("%d acts still name the erased person", n)
		}
		// An erased person cannot be named again.
		_, err = f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: "30.10", VictimPersonID: f.personID})
		wantFieldErrors(t, err, "victim_person_id:not_found")
	})
}

// TestLinks: cases and persons the recorder may read are linked once each;
// the case's tab finds the events of the case and of its persons.
func TestLinks(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		byCase := f.mustEvent(f.owner, "case")
		byPerson := f.mustEvent(f.owner, "person")
		byVictim := f.mustEvent(f.owner, "victim")
		unrelated := f.mustEvent(f.owner, "unrelated")
		hidden := f.mustEvent(f.colleague, "hidden")
		if err := f.svc.LinkCase(ctx, f.owner, byCase.ID, f.caseID); err != nil {
			t.Fatal(err)
		}
		wantFieldErrors(t, f.svc.LinkCase(ctx, f.owner, byCase.ID, f.caseID), "case_id:duplicate")
		if err := f.svc.LinkPerson(ctx, f.owner, byPerson.ID, f.memberID, "witness"); err != nil {
			t.Fatal(err)
		}
		wantFieldErrors(t, f.svc.LinkPerson(ctx, f.owner, byPerson.ID, f.memberID, "victim"), "person_id:duplicate")
		wantFieldErrors(t, f.svc.LinkPerson(ctx, f.owner, byPerson.ID, f.otherPerson, "bystander"),
			"role:unknown", "person_id:not_found")
		if _, err := f.svc.AddAct(ctx, f.owner, byVictim.ID, violations.ActInput{ActType: "10", VictimPersonID: f.personID}); err != nil {
			t.Fatal(err)
		}
		// The colleague's event names the owner's case through a row put
		// there directly: the owner still may not see it.
		if _, err := db.Exec(ctx, `INSERT INTO violation_event_cases (event_id, case_id, created_by, created_at)
			VALUES (?, ?, 'x', 1)`, hidden.ID, f.caseID); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.ForCase(ctx, f.owner, f.caseID)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, e := range got {
			titles = append(titles, e.ID)
		}
		want := []string{byCase.ID, byPerson.ID, byVictim.ID}
		slices.Sort(titles)
		slices.Sort(want)
		if !slices.Equal(titles, want) {
			t.Fatalf("ForCase found %v, want %v (not %s)", titles, want, unrelated.ID)
		}
		if _, err := f.svc.ForCase(ctx, f.colleague, f.caseID); !errors.Is(err, violations.ErrNotFound) {
			t.Fatalf("ForCase of a case out of reach: %v", err)
		}
		if err := f.svc.UnlinkCase(ctx, f.owner, byCase.ID, f.caseID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.UnlinkCase(ctx, f.owner, byCase.ID, f.caseID); !errors.Is(err, violations.ErrNotFound) {
			t.Fatalf("unlinking twice: %v", err)
		}
		if err := f.svc.UnlinkPerson(ctx, f.owner, byPerson.ID, f.memberID); err != nil {
			t.Fatal(err)
		}
		if got := f.actions(byPerson.ID); !slices.Contains(got, "violation.person_link:person_id,role") ||
			!slices.Contains(got, "violation.person_unlink:person_id") {
			t.Fatalf("audit %v", got)
		}
	})
}
