// SPDX-License-Identifier: AGPL-3.0-or-later

package violations_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/violations"
)

func TestEventLifecycle(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		in := eventInput("life")
		in.CaseID = f.caseID
		e, err := f.svc.Create(ctx, f.owner, in)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if e.OrgID != f.orgA || e.OwnerID != f.owner.UserID || e.TeamID != f.team || e.Title != in.Title ||
			e.Description != in.Description || e.Place != in.Place || e.Country != "MEX" || e.Admin1 != "MX-CHP" ||
			e.Start != in.Start || e.End != in.End {
			t.Fatalf("Create = %+v", e)
		}
		if len(e.Cases) != 1 || e.Cases[0].CaseID != f.caseID {
			t.Fatalf("cases %+v", e.Cases)
		}

		title, none := "SNTL-title-changed", violations.Date{}
		country := "GTM"
		admin1 := ""
		got, err := f.svc.Update(ctx, f.supervisor, e.ID, violations.EventChanges{Title: &title, End: &none,
			Country: &country, Admin1: &admin1})
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		if got.Title != title || !got.End.IsZero() || got.Country != "GTM" || got.Admin1 != "" ||
			got.Description != in.Description || got.UpdatedBy != f.supervisor.UserID {
			t.Fatalf("Update = %+v", got)
		}
		if _, err := f.svc.Update(ctx, f.owner, e.ID, violations.EventChanges{Admin1: ptr("GT-QC")}); err != nil {
			t.Fatalf("Update admin1: %v", err)
		}
		_, err = f.svc.Update(ctx, f.owner, e.ID, violations.EventChanges{Country: ptr("")})
		wantFieldErrors(t, err, "admin1:needs_country")
		want := []string{
			"violation.create:title,start,description,place,end,country,admin1,case_id",
			"violation.read:title,description,place",
			"violation.update:title,country,admin1,end",
			"violation.read:title,description,place",
			"violation.update:admin1",
			"violation.read:title,description,place",
		}
		if got := f.actions(e.ID); !slices.Equal(got, want) {
			t.Fatalf("audit\n%v\nwant\n%v", got, want)
		}

		if err := f.svc.Delete(ctx, f.owner, e.ID); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := f.svc.Get(ctx, f.owner, e.ID); !errors.Is(err, violations.ErrNotFound) {
			t.Fatalf("Get after Delete: %v", err)
		}
		for _, table := range []string{"violation_events", "violation_event_cases"} {
			if n := f.count(`SELECT COUNT(*) FROM ` + table); n != 0 {
				t.Errorf("%s keeps %d rows", table, n)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM data_keys WHERE purpose = 'violation_event'`); n != 0 {
			t.Errorf("%d event keys left after deletion", n)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestEventValidation(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		long := strings.Repeat("x", 201)
		tests := []struct {
			name string
			edit func(*violations.EventInput)
			want []string
		}{
			{"no title", func(in *violations.EventInput) { in.Title = "  " }, []string{"title:required"}},
			{"long title", func(in *violations.EventInput) { in.Title = long }, []string{"title:too_long"}},
			{"title on two lines", func(in *violations.EventInput) { in.Title = "a\nb" }, []string{"title:control_characters"}},
			{"no start", func(in *violations.EventInput) { in.Start = violations.Date{} }, []string{"start:required", "end:end_without_start"}},
			{"end before start", func(in *violations.EventInput) {
				in.End = violations.Date{Value: "2026-02", Precision: violations.PrecisionMonth}
			}, []string{"end:date_order"}},
			{"future", func(in *violations.EventInput) {
				in.Start, in.End = violations.Date{Value: "2026-06", Precision: violations.PrecisionMonth}, violations.Date{}
			}, []string{"start:future"}},
			{"country", func(in *violations.EventInput) { in.Country = "Atlantis" }, []string{"country:unknown_country"}},
			{"admin1 alone", func(in *violations.EventInput) { in.Country = "" }, []string{"admin1:needs_country"}},
			{"case of B", func(in *violations.EventInput) { in.CaseID = "01hzzzzzzzzzzzzzzzzzzzzzzz" }, []string{"case_id:not_found"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := eventInput("invalid")
				tt.edit(&in)
				_, err := f.svc.Create(ctx, f.owner, in)
				wantFieldErrors(t, err, tt.want...)
			})
		}
		if n := f.count(`SELECT COUNT(*) FROM violation_events`); n != 0 {
			t.Fatalf("refused events left %d rows", n)
		}
		// A colleague may not link the owner's case, which they cannot read.
		in := eventInput("colleague")
		in.CaseID = f.caseID
		_, err := f.svc.Create(ctx, f.colleague, in)
		wantFieldErrors(t, err, "case_id:not_found")
	})
}

// TestSealedAtRest reads every column of the violation tables back as
// stored and finds no sentinel: the sealed fields are ciphertext.
func TestSealedAtRest(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		e := f.mustEvent(f.owner, "rest")
		perp, err := f.svc.AddPerpetrator(ctx, f.owner, e.ID, violations.PerpetratorInput{Category: "police",
			Identity: "SNTL-identity-rest"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: "20.30", VictimPersonID: f.personID,
			Description: "SNTL-act-rest", Perpetrators: []violations.Involvement{{perp.ID, "direct_perpetrator"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddSource(ctx, f.owner, e.ID, violations.SourceInput{SourceType: "witness", Reliability: "B",
			Credibility: "2", Details: "SNTL-source-rest"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddIntervention(ctx, f.owner, e.ID, violations.InterventionInput{Type: "complaint",
			Status: "submitted", Notes: "SNTL-notes-rest"}); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"violation_events", "violation_acts", "violation_perpetrators", "violation_sources",
			"violation_interventions"} {
			rows, err := db.Query(ctx, `SELECT * FROM `+table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			n := 0
			for rows.Next() {
				n++
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var s string
					switch x := v.(type) {
					case []byte:
						s = string(x)
					case string:
						s = x
					}
					if strings.Contains(strings.ToUpper(s), "SNTL") {
						t.Errorf("%s.%s holds a sentinel in clear", table, cols[i])
					}
				}
			}
			_ = rows.Close()
			if n == 0 {
				t.Errorf("%s is empty", table)
			}
		}
		got, err := f.svc.Get(ctx, f.owner, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Perpetrators[0].Identity != "SNTL-identity-rest" || got.Acts[0].Description != "SNTL-act-rest" ||
			got.Sources[0].Details != "SNTL-source-rest" || got.Interventions[0].Notes != "SNTL-notes-rest" {
			t.Fatalf("Get = %+v", got)
		}
		if last := f.actions(e.ID); last[len(last)-1] != "violation.read:title,description,place,act.description,"+
			"perpetrator.identity,source.details,intervention.notes" {
			t.Fatalf("read audited as %s", last[len(last)-1])
		}
	})
}

// TestScope checks who reaches an event: its owner, their team's
// supervisor; not a colleague outside the team, another team's supervisor,
// an administrator without violation.read, or anyone of another
// organisation, to all of whom the event does not exist.
func TestScope(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		e := f.mustEvent(f.owner, "scope")
		for _, tt := range []struct {
			name      string
			p         access.Principal
			read      error
			writeErr  error
			listCount int
		}{
			{"owner", f.owner, nil, nil, 1},
			{"team supervisor", f.supervisor, nil, nil, 1},
			{"colleague", f.colleague, violations.ErrNotFound, violations.ErrNotFound, 0},
			{"other team's supervisor", f.supervisor2, violations.ErrNotFound, violations.ErrNotFound, 0},
			{"organisation B", f.stranger, violations.ErrNotFound, violations.ErrNotFound, 0},
			{"org admin", f.adminA, violations.ErrNotFound, violations.ErrNotFound, -1},
			{"sysadmin", f.sysadmin, violations.ErrNotFound, violations.ErrNotFound, -1},
		} {
			t.Run(tt.name, func(t *testing.T) {
				p := tt.p
				if _, err := f.svc.Get(ctx, p, e.ID); !errors.Is(err, tt.read) {
					t.Errorf("Get: %v, want %v", err, tt.read)
				}
				title := "SNTL-title-scope2"
				if _, err := f.svc.Update(ctx, p, e.ID, violations.EventChanges{Title: &title}); !errors.Is(err, tt.writeErr) {
					t.Errorf("Update: %v, want %v", err, tt.writeErr)
				}
				if _, err := f.svc.AddPerpetrator(ctx, p, e.ID, violations.PerpetratorInput{Category: "police"}); !errors.Is(err, tt.writeErr) {
					t.Errorf("AddPerpetrator: %v, want %v", err, tt.writeErr)
				}
				list, _, err := f.svc.List(ctx, p, violations.Filter{}, violations.Page{})
				switch {
				case tt.listCount < 0 && !errors.Is(err, violations.ErrForbidden):
					t.Errorf("List: %v, want ErrForbidden", err)
				case tt.listCount >= 0 && (err != nil || len(list) != tt.listCount):
					t.Errorf("List: %d events, %v; want %d", len(list), err, tt.listCount)
				}
				if tt.writeErr != nil {
					if err := f.svc.Delete(ctx, p, e.ID); !errors.Is(err, tt.writeErr) {
						t.Errorf("Delete: %v, want %v", err, tt.writeErr)
					}
				}
			})
		}
		// An unknown or malformed id is not found, like another's.
		for _, id := range []string{"01hzzzzzzzzzzzzzzzzzzzzzzz", "not-an-id", ""} {
			if _, err := f.svc.Get(ctx, f.owner, id); !errors.Is(err, violations.ErrNotFound) {
				t.Errorf("Get(%q): %v", id, err)
			}
		}
		// Nothing of org B's making reached the event.
		if got, _ := f.svc.Get(ctx, f.owner, e.ID); got.Title != "SNTL-title-scope2" || len(got.Perpetrators) != 2 {
			t.Fatalf("the event after the attempts: title changed %v, %d perpetrators", got.Title != e.Title, len(got.Perpetrators))
		}
	})
}
