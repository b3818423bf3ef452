// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"bytes"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/tabular"
	"github.com/amparo-project/amparo/internal/tabular/tabulartest"
)

// FuzzParse feeds arbitrary mappings and files to the mapping parser and
// the row reader: neither may panic, every error names a line at or after
// the file's start (the row's own line for a row) and a reason, and every
// row read keeps its line.
func FuzzParse(f *testing.F) {
	kobo := `{"optional_columns": true, "columns": {"first_name": "given_name", "gender": "sex", "dob": "birth_date",
		"langs": "languages", "_submission_time": "opened", "id_number": "document_number"},
		"values": {"sex": {"f": "female"}}, "defaults": {"country": "Mexique"}, "date_format": "DD/MM/YYYY"}`
	seeds := []struct{ mapping, file string }{
		{"", "given_name,family_name,birth_date,sex,nationality,concerns\nAmina,Diallo,1990-04-02,female,GIN,detention;health\n"},
		{kobo, "start,group/first_name,gender,dob,langs,_submission_time,id_number\n" +
			"x,Ana,f,02/04/1990,es qu,2024-03-01T10:22:33.000+01:00,P-1\n,,,,,,\nx,Beto,m,31/02/1990,,,\n"},
		{kobo, "\ufefffirst_name;gender\n\"unterminated\n"},
		{`{"columns": {"a": "sex", "b": "sex"}}`, "a,b\n1,2\n"},
		{"{", "PK\x03\x04"},
		{"", ""},
		{"", "given_name\n" + "x,y,z\n"},
	}
	for _, s := range seeds {
		f.Add([]byte(s.mapping), []byte(s.file))
	}
	f.Add([]byte(kobo), tabulartest.XLSX(f, [][]any{{"first_name", "dob", "opened"}, {"Ana", 33000.0, "2024-01-01"}}))
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, mapping, data []byte) {
		m, err := ParseMapping(mapping)
		strict := err != nil
		if strict {
			m = DefaultMapping()
		}
		var l *layout
		last := 0
		tabular.Read(bytes.NewReader(data), tabular.Options{MaxRows: 1000, MaxCell: maxCell, MaxXLSXBytes: 1 << 20,
			Header: func(rec tabular.Record) bool {
				var errs []RowError
				l, errs = newLayout(m, rec, strict)
				for _, e := range errs {
					if e.Line != rec.Line || e.Code == "" {
						t.Fatalf("header error %+v on line %d", e, rec.Line)
					}
				}
				return len(errs) == 0
			},
			Row: func(rec tabular.Record) {
				if rec.Line <= last {
					t.Fatalf("row line %d after %d", rec.Line, last)
				}
				last = rec.Line
				r, errs := l.read(rec, now)
				if r.line != rec.Line {
					t.Fatalf("row of line %d read as line %d", rec.Line, r.line)
				}
				for _, e := range errs {
					if e.Line != rec.Line || e.Code == "" || e.Field == "" {
						t.Fatalf("row error %+v on line %d", e, rec.Line)
					}
				}
				if r.opened.After(now) {
					t.Fatalf("opened %v after the import", r.opened)
				}
			},
			Error: func(e RowError) {
				if e.Line < 0 || e.Code == "" {
					t.Fatalf("bad error %+v", e)
				}
			},
		})
	})
}
