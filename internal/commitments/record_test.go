// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"reflect"
	"strings"
	"testing"
)

// testCatalog has two instruments with known adoption dates.
func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := NewCatalog([]Instrument{
		{Code: "ICRMW", Title: map[string]string{"en": "Migrant Workers Convention"}, Adopted: "1990-12-18"},
		{Code: "C189", Title: map[string]string{"en": "Domestic Workers Convention"}, Adopted: "2011-06-16"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNormalize(t *testing.T) {
	const today = "2026-11-22"
	valid := Input{Country: "mex", Instrument: " icrmw ", Action: "Ratification", Date: "1999-03-08", Source: " https://example.org/x ", AsOf: "2026-01-01"}
	cases := []struct {
		name string
		edit func(*Input)
		want []FieldError
	}{
		{"valid", func(*Input) {}, nil},
		{"alpha-2 country", func(in *Input) { in.Country = "MX" }, nil},
		{"numeric country", func(in *Input) { in.Country = "484" }, nil},
		{"unknown country", func(in *Input) { in.Country = "XYZ" }, []FieldError{{Field: "country", Code: CodeUnknownCountry}}},
		{"missing country", func(in *Input) { in.Country = " " }, []FieldError{{Field: "country", Code: CodeRequired}}},
		{"unknown instrument", func(in *Input) { in.Instrument = "ICC" }, []FieldError{{Field: "instrument", Code: CodeUnknownInstrument}}},
		{"unknown action", func(in *Input) { in.Action = "ratified" }, []FieldError{{Field: "action", Code: CodeUnknownAction}}},
		{"bad date", func(in *Input) { in.Date = "08/03/1999" }, []FieldError{{Field: "date", Code: CodeInvalidDate}}},
		{"impossible date", func(in *Input) { in.Date = "1999-02-30" }, []FieldError{{Field: "date", Code: CodeInvalidDate}}},
		{"future date", func(in *Input) { in.Date = "2027-01-01"; in.AsOf = "" }, []FieldError{{Field: "date", Code: CodeFutureDate}}},
		{"before adoption", func(in *Input) { in.Date = "1990-12-17" }, []FieldError{{Field: "date", Code: CodeBeforeAdoption}}},
		{"as_of before date", func(in *Input) { in.AsOf = "1999-03-07" }, []FieldError{{Field: "as_of", Code: CodeAsOfBeforeDate}}},
		{"future as_of", func(in *Input) { in.AsOf = "2026-11-23" }, []FieldError{{Field: "as_of", Code: CodeFutureDate}}},
		{"missing source", func(in *Input) { in.Source = "" }, []FieldError{{Field: "source", Code: CodeRequired}}},
		{"long source", func(in *Input) { in.Source = strings.Repeat("é", maxSource+1) }, []FieldError{{Field: "source", Code: CodeTooLong}}},
		{"control in source", func(in *Input) { in.Source = "a\x00b" }, []FieldError{{Field: "source", Code: CodeControlChars}}},
		{"everything wrong", func(in *Input) { *in = Input{AsOf: "x"} }, []FieldError{
			{Field: "country", Code: CodeRequired}, {Field: "instrument", Code: CodeRequired}, {Field: "action", Code: CodeRequired}, {Field: "date", Code: CodeRequired},
			{Field: "source", Code: CodeRequired}, {Field: "as_of", Code: CodeInvalidDate}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := valid
			c.edit(&in)
			_, errs := normalize(in, testCatalog(t), today)
			if !reflect.DeepEqual(errs, c.want) {
				t.Errorf("errors = %v, want %v", errs, c.want)
			}
		})
	}
	out, _ := normalize(valid, testCatalog(t), today)
	want := Input{Country: "MEX", Instrument: "ICRMW", Action: "ratification", Date: "1999-03-08", Source: "https://example.org/x", AsOf: "2026-01-01"}
	if out != want {
		t.Errorf("normalized = %+v, want %+v", out, want)
	}
	if out, _ := normalize(Input{Country: "MEX", Instrument: "C189", Action: "ratification", Date: "2020-07-03", Source: "s"}, testCatalog(t), today); out.AsOf != today {
		t.Errorf("empty as_of became %q, want today", out.AsOf)
	}
}

func TestStatusOf(t *testing.T) {
	rec := func(a Action, date string) Record { return Record{Action: a, Date: date} }
	cases := []struct {
		name string
		recs []Record
		want Status
	}{
		{"nothing", nil, Status{Standing: NoRecord}},
		{"signature only", []Record{rec(Signature, "2000-01-01")}, Status{Standing: Signatory, Date: "2000-01-01", Signed: "2000-01-01"}},
		{"signed then ratified", []Record{rec(Signature, "2000-01-01"), rec(Ratification, "2003-05-06")},
			Status{Standing: Party, Action: Ratification, Date: "2003-05-06", Signed: "2000-01-01"}},
		{"accession", []Record{rec(Accession, "2010-02-03")}, Status{Standing: Party, Action: Accession, Date: "2010-02-03"}},
		{"earliest binding act counts", []Record{rec(Ratification, "2005-01-01"), rec(Succession, "1993-01-01")},
			Status{Standing: Party, Action: Succession, Date: "1993-01-01"}},
	}
	for _, c := range cases {
		if got := statusOf(c.recs); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestTimeline(t *testing.T) {
	m := Statuses([]Record{
		{Country: "ALB", Instrument: "X", Action: Ratification, Date: "2001-05-01"},
		{Country: "BOL", Instrument: "X", Action: Signature, Date: "2000-01-01"},
		{Country: "CHL", Instrument: "X", Action: Accession, Date: "2003-01-01"},
		{Country: "CHL", Instrument: "Y", Action: Accession, Date: "1990-01-01"},
		{Country: "DZA", Instrument: "X", Action: Ratification, Date: "2001-12-31"},
	})
	got := Timeline(m, "X", 2004)
	want := []YearCount{{2001, 2}, {2002, 2}, {2003, 3}, {2004, 3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("timeline = %v, want %v", got, want)
	}
	if got := Timeline(m, "Z", 2004); got != nil {
		t.Errorf("timeline of an instrument without parties = %v, want nil", got)
	}
	if !reflect.DeepEqual(m.Countries, []string{"ALB", "BOL", "CHL", "DZA"}) {
		t.Errorf("countries = %v", m.Countries)
	}
}
