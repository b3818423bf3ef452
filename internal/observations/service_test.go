// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

var (
	analystA = access.Principal{UserID: "user-a", Role: "analyst", MFA: true}
	analystB = access.Principal{UserID: "user-b", Role: "analyst", MFA: true}
	viewer   = access.Principal{UserID: "user-v", Role: "viewer"}
)

// testSeries stands in for the indicators registry: two series, one
// disaggregated by sex and age.
func testSeries(_ context.Context, code string) (SeriesInfo, error) {
	switch code {
	case "SM_POP_TOT":
		return SeriesInfo{Code: code, Indicator: "X.1", Dimensions: []string{"SEX", "AGE"}}, nil
	case "SI_RMT_COST":
		return SeriesInfo{Code: code, Indicator: "10.c.1"}, nil
	}
	return SeriesInfo{}, ErrUnknownSeries
}

func newService(t *testing.T, db *store.DB) (*Service, *clock.Fake) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	return New(Config{DB: db, Audit: audit.New(db, clk), Clock: clk, Series: testSeries}), clk
}

func obs(series, area, disagg, period string, v float64) Observation {
	return Observation{Series: series, Area: area, Disagg: disagg, Period: period, Value: v}
}

func TestImportApprovePublish(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(t, db)
		rows := []Observation{
			obs("SM_POP_TOT", "BRA", "", "2020", 1000),
			obs("SM_POP_TOT", "076", "SEX=F", "2020", 480),
			obs("sm_pop_tot", "076", "SEX=M", "2020", 520),
			obs("SM_POP_TOT", "076", "", "2024-A1", 1100),
			{Series: "SI_RMT_COST", Area: "MEX", Period: "2023-Q4", Value: 5.2, Status: "p", Source: "World Bank RPW", Footnote: "corridor average"},
		}
		id, err := s.Put(ctx, analystA, KindForm, rows)
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.All(ctx, Query{Layer: LayerWorking})
		if err != nil || len(all) != 5 {
			t.Fatalf("working rows %d, %v", len(all), err)
		}
		if all[0].Series != "SI_RMT_COST" || all[0].Area != "484" || all[0].Status != "P" || all[0].ImportID != id || all[0].ChangedBy != "user-a" {
			t.Errorf("first row %+v", all[0])
		}
		if n, _ := s.Count(ctx, Query{}); n != 0 {
			t.Fatalf("%d published before approval", n)
		}
		sets, total, err := s.Sets(ctx, analystA, SetFilter{State: Draft})
		if err != nil || total != 3 {
			t.Fatalf("draft sets %d, %v", total, err)
		}
		if sets[1] != (Set{SetKey: SetKey{"SM_POP_TOT", "076", "2020"}, State: Draft, Rows: 3, ImportID: id, ChangedBy: "user-a", ChangedAt: sets[1].ChangedAt}) {
			t.Errorf("set %+v", sets[1])
		}
		keys := []SetKey{{"SM_POP_TOT", "076", "2020"}, {"SI_RMT_COST", "484", "2023-Q4"}}
		if _, err := s.Approve(ctx, analystB, keys); !errors.Is(err, ErrState) {
			t.Fatalf("approving drafts: %v", err)
		}
		if _, err := s.Submit(ctx, viewer, keys); !errors.Is(err, ErrForbidden) {
			t.Fatalf("viewer submits: %v", err)
		}
		if n, err := s.Submit(ctx, analystA, keys); err != nil || n != 2 {
			t.Fatalf("submit: %d %v", n, err)
		}
		if _, err := s.Approve(ctx, analystA, keys); !errors.Is(err, ErrOwnSubmission) {
			t.Fatalf("own approval: %v", err)
		}
		// Nor may whoever wrote the values approve them when a colleague
		// submitted them.
		writtenByB := []Observation{obs("SM_POP_TOT", "076", "", "2021", 1)}
		if _, err := s.Put(ctx, analystB, KindForm, writtenByB); err != nil {
			t.Fatal(err)
		}
		bKeys := []SetKey{{"SM_POP_TOT", "076", "2021"}}
		if _, err := s.Submit(ctx, analystA, bKeys); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Approve(ctx, analystB, bKeys); !errors.Is(err, ErrOwnSubmission) {
			t.Fatalf("the writer approved: %v", err)
		}
		if _, err := s.Return(ctx, analystB, bKeys, "checked elsewhere"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, analystB, keys); !errors.Is(err, ErrState) {
			t.Fatalf("publish before approval: %v", err)
		}
		if _, err := s.Approve(ctx, analystB, keys); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, analystB, keys); err != nil {
			t.Fatal(err)
		}
		pub, _ := s.All(ctx, Query{Series: []string{"SM_POP_TOT"}})
		if len(pub) != 3 {
			t.Fatalf("published %d rows, want the three of the 2020 set only", len(pub))
		}
		// A correction makes the set a draft again; the public keeps the old
		// value until it is published.
		clk.Advance(time.Minute)
		if _, err := s.Put(ctx, analystA, KindForm, []Observation{obs("SM_POP_TOT", "076", "", "2020", 1001)}); err != nil {
			t.Fatal(err)
		}
		got, ok, _ := s.Value(ctx, LayerPublished, Key{"SM_POP_TOT", "076", "", "2020"})
		if !ok || got.Value != 1000 {
			t.Errorf("published value after correction %v %v", got.Value, ok)
		}
		got, _, _ = s.Value(ctx, LayerWorking, Key{"SM_POP_TOT", "076", "", "2020"})
		if got.Value != 1001 {
			t.Errorf("working value %v", got.Value)
		}
		counts, _ := s.StateCounts(ctx, analystA)
		if counts[Draft] != 3 || counts[Published] != 1 {
			t.Errorf("state counts %v", counts)
		}
		latest, ok, _ := s.Latest(ctx, LayerWorking, "SM_POP_TOT", "076", "")
		if !ok || latest.Period != "2024" {
			t.Errorf("latest %+v", latest)
		}
		if _, err := s.Return(ctx, analystB, keys[:1], ""); err == nil {
			t.Error("return without a note accepted")
		}
		imports, n, _ := s.Imports(ctx, analystA, 10, 0)
		first := slices.IndexFunc(imports, func(x Import) bool { return x.ID == id })
		if n != 3 || first < 0 || imports[first].Rows != 5 || imports[first].Kind != KindForm || imports[0].CreatedAt.Before(imports[n-1].CreatedAt) {
			t.Errorf("imports %d %+v", n, imports)
		}
		entries, _, _ := audit.New(db, clock.System{}).List(ctx, audit.Filter{})
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{ActionImport, ActionSubmit, ActionApprove, ActionPublish} {
			if !slices.Contains(actions, want) {
				t.Errorf("no %s in the audit log %v", want, actions)
			}
		}
	})
}

func TestBadRowsWriteNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		bad := []struct {
			o     Observation
			field string
			code  string
		}{
			{obs("NO_SUCH", "076", "", "2020", 1), "series", CodeUnknown},
			{obs("SM_POP_TOT", "Atlantis", "", "2020", 1), "area", fielderr.CodeInvalid},
			{obs("SM_POP_TOT", "076", "", "2020-Q5", 1), "period", fielderr.CodeInvalid},
			{obs("SI_RMT_COST", "076", "SEX=F", "2020", 1), "disagg", CodeNotAllowed},
			{Observation{Series: "SM_POP_TOT", Area: "076", Period: "2020", Status: "Z"}, "status", fielderr.CodeInvalid},
		}
		for _, b := range bad {
			_, _, err := s.Import(ctx, analystA, ImportInfo{Kind: KindFile, Format: "csv"}, func(bt *Batch) error {
				if err := bt.Add(2, obs("SM_POP_TOT", "076", "", "2019", 1)); err != nil {
					return err
				}
				return bt.Add(3, b.o)
			})
			var re *RowError
			if !errors.As(err, &re) || re.Line != 3 || re.Field != b.field || re.Code != b.code {
				t.Errorf("%+v: %v", b.o, err)
			}
		}
		if n, _ := s.Count(ctx, Query{Layer: LayerWorking}); n != 0 {
			t.Errorf("%d rows written by failed imports", n)
		}
	})
}

// TestDuplicateAcrossFlushes writes more rows than one flush holds, the
// last repeating the first, so that only the database can see it.
func TestDuplicateAcrossFlushes(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		_, _, err := s.Import(ctx, analystA, ImportInfo{Kind: KindFile}, func(b *Batch) error {
			line := 1
			for year := 1950; year < 2050; year++ {
				for _, area := range RegionMembers("001")[:50] {
					line++
					if err := b.Add(line, obs("SM_POP_TOT", area, "", itoa(year), 1)); err != nil {
						return err
					}
				}
			}
			return b.Add(line+1, obs("SM_POP_TOT", RegionMembers("001")[0], "", "1950", 2))
		})
		var re *RowError
		if !errors.As(err, &re) || re.Code != CodeDuplicate || re.FirstLine != 2 || re.Line != 5002 {
			t.Fatalf("duplicate: %v", err)
		}
		// A later batch replaces values an earlier one wrote.
		for _, v := range []float64{1, 2} {
			if _, err := s.Put(ctx, analystA, KindForm, []Observation{obs("SM_POP_TOT", "076", "", "2020", v)}); err != nil {
				t.Fatal(err)
			}
		}
		got, _, _ := s.Value(ctx, LayerWorking, Key{"SM_POP_TOT", "076", "", "2020"})
		if got.Value != 2 {
			t.Errorf("value %v after replacement", got.Value)
		}
	})
}

func itoa(n int) string {
	return string(rune('0'+n/1000)) + string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}
