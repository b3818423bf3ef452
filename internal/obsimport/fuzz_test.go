// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"os"
	"path/filepath"
	"testing"
)

// fuzzParser checks that a parser never panics, that every error names a
// line unless it is about the whole file, and that every observation has
// a line.
func fuzzParser(t *testing.T, p parser, in string) {
	rows, errs := parseAll(p, in)
	for _, e := range errs {
		if e.Line < 0 || e.Code == "" || (e.Line == 0 && e.Field != "") {
			t.Fatalf("error %+v", e)
		}
	}
	for _, r := range rows {
		if r.line < 1 {
			t.Fatalf("row without a line: %+v", r)
		}
	}
}

// addStandards seeds a fuzz target with the specifications' examples
// when they are beside the repository.
func addStandards(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join(standards, pattern))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(string(data))
		}
	}
}

func FuzzSDMXCSV(f *testing.F) {
	f.Add(goodSDMX)
	f.Add("DATAFLOW;REF_AREA: Area;SERIES;TIME_PERIOD;OBS_VALUE\nX;076: Brazil;S;2020;1,5\n")
	f.Add("STRUCTURE[|],STRUCTURE_ID,STRUCTURE_NAME,ACTION,REF_AREA,Area,SERIES,S,TIME_PERIOD,T,OBS_VALUE,V\n")
	addStandards(f, "sdmx-csv/*/examples/*.csv")
	f.Fuzz(func(t *testing.T, in string) { fuzzParser(t, parseSDMXCSV, in) })
}

func FuzzSDGCSV(f *testing.F) {
	f.Add("SeriesCode,GeoAreaCode,TimePeriod,Value,[Sex],[Age],[Nature],[Units]\nSM_POP_TOT,76,2020,1,FEMALE,15-64,E,NUMBER\n")
	f.Add("SeriesCode,GeoAreaCode,TimePeriod,Value,[X]\nS,4,2020,\"1\n2\",Q\n")
	f.Fuzz(func(t *testing.T, in string) { fuzzParser(t, parseSDGCSV, in) })
}

func FuzzSDMXJSON(f *testing.F) {
	f.Add(sdgJSON)
	f.Add(`{"dataSets":[{"series":{"0":{"observations":{"0":[1]}}}}],"structure":{"dimensions":{"series":[{"id":"SERIES","values":[{"id":"S"}]}]}}}`)
	addStandards(f, "sdmx-json/*/samples/exr/*.json")
	f.Fuzz(func(t *testing.T, in string) { fuzzParser(t, parseSDMXJSON, in) })
}

func FuzzMappedCSV(f *testing.F) {
	m := &Mapping{Area: "country", Period: "year", Value: "value", Series: "series", Footnote: "note",
		Dimensions: map[string]string{"SEX": "sex"}}
	f.Add("country,year,value,series,note,sex\nBRA,2020,1,S,x,FEMALE\n")
	f.Add("country,year\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, in string) { fuzzParser(t, parseMapped(m), in) })
}
