// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

var analyst = access.Principal{UserID: "01ANALYST0000000000000000A", Role: "analyst", MFA: true}

func newService(t *testing.T, db *store.DB) (*Service, *audit.Log) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	return New(Config{DB: db, Audit: log, Clock: clk, Catalog: testCatalog(t)}), log
}

const goodFile = `country,instrument,action,date,source,as_of
MEX,ICRMW,signature,1991-05-22,https://treaties.un.org/x,2026-11-01
MEX,ICRMW,ratification,1999-03-08,https://treaties.un.org/x,2026-11-01
PHL,C189,ratification,2012-09-05,https://normlex.ilo.org/y,2026-11-01
`

func TestImportIsAllOrNothingAndIdempotent(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, log := newService(t, db)

		bad := goodFile + "XXX,ICRMW,ratification,1999-03-08,x,2026-11-01\nPHL,C189,ratified,2012-09-05,,2026-11-01\n"
		rep, err := s.Import(ctx, analyst, "bad.csv", []byte(bad), ImportOptions{})
		if !errors.Is(err, ErrInvalidFile) {
			t.Fatalf("bad file: err = %v", err)
		}
		wantErrs := []RowError{{Line: 5, Field: "country", Code: CodeUnknownCountry}, {Line: 6, Field: "action", Code: CodeUnknownAction}, {Line: 6, Field: "source", Code: CodeRequired}}
		if !reflect.DeepEqual(rep.Errors, wantErrs) {
			t.Errorf("errors = %v, want %v", rep.Errors, wantErrs)
		}
		if recs, _ := s.List(ctx, Filter{}); len(recs) != 0 {
			t.Fatalf("a bad file wrote %d records", len(recs))
		}

		rep, err = s.Import(ctx, analyst, "good.csv", []byte(goodFile), ImportOptions{DryRun: true})
		if err != nil || rep.Inserted != 3 || rep.ImportID != "" {
			t.Fatalf("dry run: %+v, %v", rep, err)
		}
		if recs, _ := s.List(ctx, Filter{}); len(recs) != 0 {
			t.Fatalf("a dry run wrote %d records", len(recs))
		}

		var phases []string
		rep, err = s.Import(ctx, analyst, "good.csv", []byte(goodFile), ImportOptions{Progress: func(phase string, done, total int) {
			if len(phases) == 0 || phases[len(phases)-1] != phase {
				phases = append(phases, phase)
			}
		}})
		if err != nil || rep.Inserted != 3 || rep.Updated != 0 || rep.Unchanged != 0 || rep.ImportID == "" {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		if !reflect.DeepEqual(phases, []string{"validate", "compare", "write"}) {
			t.Errorf("progress phases = %v", phases)
		}
		recs, _ := s.List(ctx, Filter{Country: "MEX"})
		if len(recs) != 2 || recs[0].Action != Signature || recs[1].ImportID != rep.ImportID || recs[1].UpdatedBy != analyst.UserID {
			t.Errorf("MEX records = %+v", recs)
		}

		tick := func() { s.clock.(*clock.Fake).Advance(time.Second) }
		tick()
		again, err := s.Import(ctx, analyst, "good.csv", []byte(goodFile), ImportOptions{})
		if err != nil || again.Inserted != 0 || again.Updated != 0 || again.Unchanged != 3 {
			t.Fatalf("second import: %+v, %v", again, err)
		}

		tick()
		changed := "country,instrument,action,date,source,as_of\nPHL,C189,ratification,2012-09-05,https://normlex.ilo.org/z,2026-11-20\n"
		rep3, err := s.Import(ctx, analyst, "fix.csv", []byte(changed), ImportOptions{})
		if err != nil || rep3.Updated != 1 || rep3.Inserted != 0 {
			t.Fatalf("update import: %+v, %v", rep3, err)
		}
		if recs, _ := s.List(ctx, Filter{Country: "PHL"}); recs[0].Source != "https://normlex.ilo.org/z" || recs[0].ImportID != rep3.ImportID {
			t.Errorf("updated record = %+v", recs[0])
		}

		entries, _, err := log.List(ctx, audit.Filter{Action: "ratification.import"})
		if err != nil || len(entries) != 3 || entries[0].ObjectID != rep3.ImportID || entries[0].ActorID != analyst.UserID {
			t.Errorf("audit entries = %+v, %v", entries, err)
		}
		imports, err := s.RecentImports(ctx, 10)
		if err != nil || len(imports) != 3 || imports[0].Updated != 1 || imports[2].Inserted != 3 {
			t.Errorf("imports = %+v, %v", imports, err)
		}
	})
}

func TestImportReportsDuplicatesInFile(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		file := goodFile + "mx,icrmw,Ratification,1999-03-09,other,2026-11-01\n"
		rep, err := s.Import(context.Background(), analyst, "dup.csv", []byte(file), ImportOptions{})
		if !errors.Is(err, ErrInvalidFile) || !reflect.DeepEqual(rep.Errors, []RowError{{Line: 5, Field: "action", Code: CodeDuplicateInFile}}) {
			t.Errorf("errors = %v, err = %v", rep.Errors, err)
		}
	})
}

func TestWritesNeedPermission(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		viewer := access.Principal{UserID: "01VIEWER00000000000000000A", Role: "viewer"}
		if _, err := s.Import(ctx, viewer, "f.csv", []byte(goodFile), ImportOptions{}); !errors.Is(err, ErrForbidden) {
			t.Errorf("import: %v", err)
		}
		in := Input{Country: "MEX", Instrument: "ICRMW", Action: "ratification", Date: "1999-03-08", Source: "x"}
		if _, err := s.Create(ctx, viewer, in); !errors.Is(err, ErrForbidden) {
			t.Errorf("create: %v", err)
		}
		r, err := s.Create(ctx, analyst, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Update(ctx, viewer, r.ID, in); !errors.Is(err, ErrForbidden) {
			t.Errorf("update: %v", err)
		}
		if err := s.Delete(ctx, viewer, r.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("delete: %v", err)
		}
	})
}

func TestCreateUpdateDeleteAreAudited(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, log := newService(t, db)
		in := Input{Country: "MEX", Instrument: "ICRMW", Action: "ratification", Date: "1999-03-08", Source: "x", AsOf: "2026-01-01"}
		r, err := s.Create(ctx, analyst, in)
		if err != nil || r.Country != "MEX" || r.AsOf != "2026-01-01" {
			t.Fatalf("create: %+v, %v", r, err)
		}
		if _, err := s.Create(ctx, analyst, in); !errors.Is(err, ErrConflict) {
			t.Errorf("second create: %v, want ErrConflict", err)
		}
		bad := in
		bad.Date = "1980-01-01"
		var ve *ValidationError
		if _, err := s.Update(ctx, analyst, r.ID, bad); !errors.As(err, &ve) || ve.Errors[0].Code != CodeBeforeAdoption {
			t.Errorf("invalid update: %v", err)
		}
		in.Date, in.Source = "1999-03-09", "y"
		if r, err = s.Update(ctx, analyst, r.ID, in); err != nil || r.Date != "1999-03-09" {
			t.Fatalf("update: %+v, %v", r, err)
		}
		if err := s.Delete(ctx, analyst, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, r.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("get after delete: %v", err)
		}
		if err := s.Delete(ctx, analyst, r.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		entries, _, _ := log.List(ctx, audit.Filter{ObjectID: r.ID})
		var got [][]string
		for _, e := range entries {
			got = append(got, append([]string{e.Action}, e.Fields...))
		}
		want := [][]string{{"ratification.delete"}, {"ratification.update", "date", "source"},
			{"ratification.create", "country", "instrument", "action", "date", "source", "as_of"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("audit = %v, want %v", got, want)
		}
	})
}

func TestMatrixAndCoverage(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		if c, err := s.Coverage(ctx); err != nil || c != (Coverage{}) {
			t.Fatalf("empty coverage = %+v, %v", c, err)
		}
		if _, err := s.Import(ctx, analyst, "good.csv", []byte(goodFile), ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		m, err := s.Matrix(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st := m.At("MEX", "ICRMW"); st.Standing != Party || st.Signed != "1991-05-22" {
			t.Errorf("MEX/ICRMW = %+v", st)
		}
		if st := m.At("MEX", "C189"); st.Standing != NoRecord {
			t.Errorf("MEX/C189 = %+v", st)
		}
		again, _ := s.Matrix(ctx)
		if again != m {
			t.Error("the matrix was recomputed although no record changed")
		}
		rec, err := s.Create(ctx, analyst, Input{Country: "MEX", Instrument: "C189", Action: "signature", Date: "2012-01-01", Source: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if m, _ = s.Matrix(ctx); m.At("MEX", "C189").Standing != Signatory {
			t.Errorf("the matrix did not follow a new record: %+v", m.At("MEX", "C189"))
		}
		if err := s.Delete(ctx, analyst, rec.ID); err != nil {
			t.Fatal(err)
		}
		if m, _ = s.Matrix(ctx); m.At("MEX", "C189").Standing != NoRecord {
			t.Errorf("the matrix did not follow a deleted record")
		}
		c, err := s.Coverage(ctx)
		if err != nil || c != (Coverage{Records: 3, Countries: 2, OldestAsOf: "2026-11-01", NewestAsOf: "2026-11-01"}) {
			t.Errorf("coverage = %+v, %v", c, err)
		}
	})
}
