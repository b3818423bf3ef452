// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"testing"

	"github.com/amparo-project/amparo/internal/tabular/tabulartest"
)

// FuzzParse feeds arbitrary bytes to the import parser: it must never
// panic, rows must come in file order with lines past the header, and no
// error may name a line before the file's start.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"country,instrument,action,date,source,as_of\nMEX,ICRMW,ratification,1999-03-08,UNTC,2026-01-01\n",
		"\ufeffCountry Code,Instrument,Action,Date,Source\r\nFR,CRC,signature,1990-01-26,\"a, b\"\r\n",
		"country,instrument,action,date,source\n\"unterminated\n",
		"country,instrument\n,,,,,,\n",
		"PK\x03\x04",
		"",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Add(tabulartest.XLSX(f, [][]any{{"country", "instrument", "action", "date", "source"}, {"MEX", "ICRMW", "ratification", 36227.0, "x"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs := Parse(data)
		last := 1
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("row line %d after %d", r.Line, last)
			}
			last = r.Line
		}
		for _, e := range errs {
			if e.Line < 0 || e.Code == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
	})
}
