// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/validation"
)

var (
	analyst = access.Principal{UserID: "user-a", Role: "analyst", MFA: true}
	viewer  = access.Principal{UserID: "user-v", Role: "viewer"}
)

func testSeries(_ context.Context, code string) (observations.SeriesInfo, error) {
	switch code {
	case "SM_POP_TOT":
		return observations.SeriesInfo{Code: code, Indicator: "X.1", Dimensions: []string{"SEX", "AGE"}}, nil
	case "SI_RMT_COST":
		return observations.SeriesInfo{Code: code, Indicator: "10.c.1"}, nil
	}
	return observations.SeriesInfo{}, observations.ErrUnknownSeries
}

type fixture struct {
	s   *Service
	obs *observations.Service
	val *validation.Service
}

func newFixture(t *testing.T, db *store.DB) fixture {
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	obs := observations.New(observations.Config{DB: db, Audit: log, Clock: clk, Series: testSeries})
	val := validation.New(validation.Config{DB: db, Audit: log, Clock: clk, Series: testSeries})
	return fixture{New(Config{DB: db, Audit: log, Clock: clk, Observations: obs, Validate: val.RunOnBatch, Series: testSeries}), obs, val}
}

const goodSDMX = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SERIES,SEX,TIME_PERIOD,OBS_VALUE\n" +
	"dataflow,UNSD:DF(1.0),I,BRA,SM_POP_TOT,F,2020,480\n" +
	"dataflow,UNSD:DF(1.0),I,BRA,SM_POP_TOT,M,2020,520\n" +
	"dataflow,UNSD:DF(1.0),I,BRA,SM_POP_TOT,_T,2020,1000\n" +
	"dataflow,UNSD:DF(1.0),I,MEX,SI_RMT_COST,_T,2023-Q4,5.2\n"

func TestImportWritesAll(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rep, err := f.s.Import(ctx, analyst, strings.NewReader(goodSDMX), Options{FileName: "a.csv", SHA256: "abc"})
		if err != nil || rep.Written != 4 || rep.Sets != 2 || rep.Format != FormatSDMXCSV || rep.ImportID == "" {
			t.Fatalf("Import = %+v, %v", rep, err)
		}
		all, err := f.obs.All(ctx, observations.Query{Layer: observations.LayerWorking})
		if err != nil || len(all) != 4 {
			t.Fatalf("working rows %d, %v", len(all), err)
		}
		imp, err := f.obs.ImportByID(ctx, rep.ImportID)
		if err != nil || imp.Format != FormatSDMXCSV || imp.FileName != "a.csv" || imp.Rows != 4 {
			t.Errorf("import record %+v, %v", imp, err)
		}
	})
}

func TestImportBadRowWritesNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		bad := goodSDMX +
			"dataflow,UNSD:DF(1.0),I,XXX,SM_POP_TOT,F,2021,1\n" + // line 6: area
			"dataflow,UNSD:DF(1.0),I,BRA,NO_SUCH,F,2021,1\n" + // line 7: series
			"dataflow,UNSD:DF(1.0),I,MEX,SI_RMT_COST,F,2022,1\n" + // line 8: dimension not allowed
			"dataflow,UNSD:DF(1.0),I,BRA,SM_POP_TOT,F,2020,481\n" // line 9: duplicate of line 2
		rep, err := f.s.Import(ctx, analyst, strings.NewReader(bad), Options{})
		if !errors.Is(err, ErrInvalidFile) {
			t.Fatalf("Import = %+v, %v", rep, err)
		}
		want := []RowError{
			{Line: 6, Field: "REF_AREA", Code: "invalid"},
			{Line: 7, Field: "SERIES", Code: observations.CodeUnknown},
			{Line: 8, Field: "SEX", Code: observations.CodeNotAllowed},
			{Line: 9, Code: observations.CodeDuplicate, FirstLine: 2},
		}
		if len(rep.Errors) != len(want) {
			t.Fatalf("errors %+v", rep.Errors)
		}
		for i := range want {
			if rep.Errors[i] != want[i] {
				t.Errorf("error %d = %+v, want %+v", i, rep.Errors[i], want[i])
			}
		}
		if n, _ := f.obs.Count(ctx, observations.Query{Layer: observations.LayerWorking}); n != 0 {
			t.Errorf("%d rows written", n)
		}
		if list, _, _ := f.obs.Imports(ctx, analyst, 10, 0); len(list) != 0 {
			t.Errorf("imports recorded: %+v", list)
		}
	})
}

func TestImportDryRunAndRules(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rep, err := f.s.Import(ctx, analyst, strings.NewReader(goodSDMX), Options{DryRun: true})
		if err != nil || !rep.DryRun || rep.Written != 4 || rep.Sets != 2 || rep.ImportID != "" {
			t.Fatalf("dry run = %+v, %v", rep, err)
		}
		if n, _ := f.obs.Count(ctx, observations.Query{Layer: observations.LayerWorking}); n != 0 {
			t.Errorf("dry run wrote %d rows", n)
		}
		// female + male = total, high: 480 + 520 = 1001 fails the import.
		if _, err := f.val.Create(ctx, analyst, validation.Input{Code: "SEX_SUM", Names: map[string]string{"en": "sum"},
			Left: "#{SM_POP_TOT:SEX=F} + #{SM_POP_TOT:SEX=M}", Operator: "==", Right: "#{SM_POP_TOT}",
			Missing: validation.SkipIfAnyMissing, Importance: validation.High, Active: true}); err != nil {
			t.Fatal(err)
		}
		off := strings.Replace(goodSDMX, ",_T,2020,1000", ",_T,2020,1001", 1)
		rep, err = f.s.Import(ctx, analyst, strings.NewReader(off), Options{})
		if !errors.Is(err, ErrInvalidFile) || !rep.Failed() || len(rep.Violations) != 1 || rep.Violations[0].RuleCode != "SEX_SUM" {
			t.Fatalf("rule = %+v, %v", rep, err)
		}
		if n, _ := f.obs.Count(ctx, observations.Query{Layer: observations.LayerWorking}); n != 0 {
			t.Errorf("a failed rule wrote %d rows", n)
		}
		if _, err := f.s.Import(ctx, analyst, strings.NewReader(goodSDMX), Options{}); err != nil {
			t.Fatalf("consistent file: %v", err)
		}
		if _, err := f.s.Import(ctx, viewer, strings.NewReader(goodSDMX), Options{}); !errors.Is(err, ErrForbidden) {
			t.Errorf("viewer import: %v", err)
		}
	})
}

func TestImportMappedAndSaved(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		table := "Country,Year,Women,Remark\nBRA,2020,480,census\nMEX,2021,300,\n"
		m := Mapping{Area: "country", Period: "year", Value: "women", Footnote: "remark", FixedSeries: "SM_POP_TOT",
			Dimensions: map[string]string{"SEX": "Remark"}}
		if _, err := f.s.Import(ctx, analyst, strings.NewReader(table), Options{Format: FormatCSV}); err == nil {
			t.Error("a table without a mapping was imported")
		}
		rep, err := f.s.Import(ctx, analyst, strings.NewReader(table), Options{Format: FormatCSV, Mapping: &m})
		if !errors.Is(err, ErrInvalidFile) || len(rep.Errors) != 1 || rep.Errors[0] != (RowError{Line: 2, Field: "Remark", Code: "invalid"}) {
			t.Fatalf("bad dimension column = %+v, %v", rep.Errors, err)
		}
		m.Dimensions = nil
		if _, err := f.s.SaveMapping(ctx, analyst, "women by country", m); err != nil {
			t.Fatal(err)
		}
		saved, err := f.s.MappingByName(ctx, analyst, " women by country ")
		if err != nil || saved.Mapping.FixedSeries != "SM_POP_TOT" {
			t.Fatalf("saved = %+v, %v", saved, err)
		}
		rep, err = f.s.Import(ctx, analyst, strings.NewReader(table), Options{Mapping: &saved.Mapping})
		if err != nil || rep.Written != 2 || rep.Format != FormatCSV {
			t.Fatalf("mapped import = %+v, %v", rep, err)
		}
		if err := f.s.DeleteMapping(ctx, analyst, "women by country"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.MappingByName(ctx, analyst, "women by country"); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted mapping: %v", err)
		}
		if _, err := f.s.SaveMapping(ctx, viewer, "x", m); !errors.Is(err, ErrForbidden) {
			t.Errorf("viewer save: %v", err)
		}
	})
}

// TestImportSDGDownload imports rows in the SDG Global Database's flat
// layout, whose GeoAreaCode drops the M49 code's leading zeros ("76" for
// Brazil, "1" for the world).
func TestImportSDGDownload(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		file := "Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Nature],[Units]\n" +
			"10,10.c,10.c.1,SI_RMT_COST,Remittance costs,76,Brazil,2023,5.5,2023,,,,,World Bank RPW,,,C,PERCENT\n" +
			"10,10.c,10.c.1,SI_RMT_COST,Remittance costs,1,World,2023,6.2,2023,,,,,World Bank RPW,,,G,PERCENT\n"
		rep, err := f.s.Import(ctx, analyst, strings.NewReader(file), Options{FileName: "sdg.csv"})
		if err != nil || rep.Written != 2 || len(rep.Errors) != 0 {
			t.Fatalf("Import = %+v, %v", rep, err)
		}
		for _, area := range []string{"076", observations.World} {
			if _, ok, err := f.obs.Value(ctx, observations.LayerWorking, observations.Key{Series: "SI_RMT_COST", Area: area, Period: "2023"}); !ok || err != nil {
				t.Errorf("no value for %s: %v", area, err)
			}
		}
	})
}
