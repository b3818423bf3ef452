// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"bufio"
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/observations"
)

func readAll(data []byte) ([]observations.Observation, error) {
	var out []observations.Observation
	err := ReadSDMXCSV(bytes.NewReader(data), func(_ int, o observations.Observation) error {
		out = append(out, o)
		return nil
	})
	return out, err
}

func writeSDMXCSV(obs []observations.Observation) []byte {
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	w := newSDMXCSV(bw)
	_ = w.head()
	for i := range obs {
		_ = w.row(&obs[i], &SeriesMeta{Code: obs[i].Series})
	}
	_ = w.end()
	_ = bw.Flush()
	return b.Bytes()
}

func TestReadSDMXCSV(t *testing.T) {
	in := []observations.Observation{
		{Series: "SM_POP_TOT", Area: "076", Disagg: "AGE=Y15T64;SEX=M", Period: "2020", Value: 300, Status: "A"},
		{Series: "SI_RMT_COST", Area: "484", Period: "2023-Q4", Value: 5.25, Status: "P", UnitMult: -2,
			Source: "a, \"b\"", Footnote: "x\ny"},
	}
	got, err := readAll(writeSDMXCSV(in))
	if err != nil || !slices.Equal(got, in) {
		t.Fatalf("round trip = %+v, %v", got, err)
	}
	// Columns in another order, and custom columns, are read.
	other := "STRUCTURE,ACTION,STRUCTURE_ID,TIME_PERIOD,REF_AREA,SERIES,OBS_VALUE,EXTRA\n" +
		"dataflow,I,AMPARO:DF_MIGRATION(1.0),2020,076,SM_POP_TOT,12,x\n"
	if got, err := readAll([]byte(other)); err != nil || len(got) != 1 || got[0].Value != 12 {
		t.Errorf("reordered = %+v, %v", got, err)
	}
	for name, c := range map[string]struct {
		data  string
		field string
		line  int
	}{
		"empty":          {"", "", 1},
		"not sdmx":       {"DATAFLOW,REF_AREA\n", "STRUCTURE", 1},
		"missing column": {"STRUCTURE,STRUCTURE_ID,REF_AREA,SERIES,TIME_PERIOD\n", "OBS_VALUE", 1},
		"other flow":     {"STRUCTURE,STRUCTURE_ID,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\ndataflow,X:Y(1.0),076,A,2020,1\n", "STRUCTURE_ID", 2},
		"delete":         {"STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\ndataflow,AMPARO:DF_MIGRATION(1.0),D,076,A,2020,-\n", "ACTION", 2},
		"nan":            {"STRUCTURE,STRUCTURE_ID,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\ndataflow,AMPARO:DF_MIGRATION(1.0),076,A,2020,NaN\n", "OBS_VALUE", 2},
		"field count":    {"STRUCTURE,STRUCTURE_ID,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\ndataflow,AMPARO:DF_MIGRATION(1.0),076\n", "", 2},
		"injected key":   {"STRUCTURE,STRUCTURE_ID,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE,SEX\ndataflow,AMPARO:DF_MIGRATION(1.0),076,A,2020,1,F;AGE=Y0T14\n", "SEX", 2},
	} {
		_, err := readAll([]byte(c.data))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Field != c.field || pe.Line != c.line {
			t.Errorf("%s: %v, want line %d field %q", name, err, c.line, c.field)
		}
	}
}

// FuzzReadSDMXCSV: any input is refused or read; what is read writes and
// reads back the same.
func FuzzReadSDMXCSV(f *testing.F) {
	f.Add(writeSDMXCSV([]observations.Observation{
		{Series: "SM_POP_TOT", Area: "076", Disagg: "SEX=F", Period: "2020", Value: 1.5, Status: "A", Footnote: "n"}}))
	f.Add([]byte("STRUCTURE,STRUCTURE_ID,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\ndataflow,AMPARO:DF_MIGRATION(1.0),076,A,2020,1e3\n"))
	f.Add([]byte("\ufeffSTRUCTURE,STRUCTURE_ID\n\"a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readAll(data)
		if err != nil {
			return
		}
		for _, o := range got {
			if strings.ContainsAny(o.Disagg, "\n\r") && !strings.Contains(string(data), "\n") {
				t.Fatalf("disaggregation %q from nowhere", o.Disagg)
			}
		}
		again, err := readAll(writeSDMXCSV(got))
		if err != nil {
			t.Fatalf("written output does not read back: %v", err)
		}
		if len(again) != len(got) {
			t.Fatalf("%d values read back, want %d", len(again), len(got))
		}
	})
}
