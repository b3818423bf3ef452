// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"reflect"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/observations"
)

// parseAll runs a parser to the end and collects what it found.
func parseAll(p parser, in string) ([]parsedRow, []RowError) {
	var rows []parsedRow
	var errs []RowError
	p(strings.NewReader(in), &sink{
		layout: func(*layout) {},
		row: func(line int, o observations.Observation) bool {
			rows = append(rows, parsedRow{line, o})
			return true
		},
		fail: func(e RowError) bool {
			errs = append(errs, e)
			return len(errs) < 1000
		},
	})
	return rows, errs
}

func ob(series, area, disagg, period string, v float64) observations.Observation {
	return observations.Observation{Series: series, Area: area, Disagg: disagg, Period: period, Value: v}
}

func TestParsers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    parser
		in   string
		rows []parsedRow
		errs []RowError
	}{
		{"sdmx-csv 1.0", parseSDMXCSV,
			"DATAFLOW,FREQ,REF_AREA,SERIES,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT,COMMENT_OBS\n" +
				"UNSD:DF_SDG_GLH(1.0),A,076,SM_POP_TOT,F,Y15T64,2020,480,E,3,census\n" +
				"UNSD:DF_SDG_GLH(1.0),A,BRA,SM_POP_TOT,_T,_T,2020-A1,1000,,,\n",
			[]parsedRow{
				{2, observations.Observation{Series: "SM_POP_TOT", Area: "076", Disagg: "AGE=Y15T64;SEX=F", Period: "2020", Value: 480, Status: "E", UnitMult: 3, Footnote: "census"}},
				{3, ob("SM_POP_TOT", "BRA", "", "2020-A1", 1000)},
			}, nil},
		{"sdmx-csv 2.1 semicolon, labels, decimal comma", parseSDMXCSV,
			"STRUCTURE[|];STRUCTURE_ID;ACTION;REF_AREA: Reference area;SERIES: Series;TIME_PERIOD;OBS_VALUE;NATURE\n" +
				"dataflow;UNSD:DF(1.0): SDG;M;076: Brazil;SI_RMT_COST: Cost;2023-Q4;5,2;E\n",
			[]parsedRow{{2, observations.Observation{Series: "SI_RMT_COST", Area: "076", Period: "2023-Q4", Value: 5.2, Status: "E"}}}, nil},
		{"sdmx-csv labels=name", parseSDMXCSV,
			"STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,REF_AREA,Reference area,SERIES,Series,TIME_PERIOD,Time,OBS_VALUE,Value\n" +
				"dataflow,UNSD:DF(1.0),SDG,I,484,Mexico,SI_RMT_COST,Cost,2022,2022,4.5,\n",
			[]parsedRow{{2, ob("SI_RMT_COST", "484", "", "2022", 4.5)}}, nil},
		{"sdmx-csv errors", parseSDMXCSV,
			"STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE,SEX,INCOME_WEALTH_QUANTILE\n" +
				"dataflow,X:Y(1.0),D,076,S,2020,1,F,_T\n" +
				"dataflow,X:Y(1.0),I,076,S,2020,abc,X,Q1\n" +
				"dataflow,X:Y(1.0),I,076,S,2020,2,,\n" +
				"dataflow,X:Y(1.0),I,,S,2020,2,,,extra\n",
			[]parsedRow{{4, ob("S", "076", "", "2020", 2)}},
			[]RowError{
				{Line: 2, Field: "ACTION", Code: CodeNotSupported},
				{Line: 3, Field: "OBS_VALUE", Code: CodeNotNumber},
				{Line: 3, Field: "SEX", Code: CodeInvalid},
				{Line: 3, Field: "INCOME_WEALTH_QUANTILE", Code: CodeUnknownColumn},
				{Line: 5, Code: "wrong_field_count"},
			}},
		{"sdmx-csv missing columns", parseSDMXCSV,
			"DATAFLOW,REF_AREA,OBS_VALUE\nX,076,1\n", nil,
			[]RowError{{Line: 1, Field: "SERIES", Code: CodeMissingColumn}, {Line: 1, Field: "TIME_PERIOD", Code: CodeMissingColumn}}},
		{"sdg csv", parseSDGCSV,
			"Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Nature],[Reporting Type],[Sex],[Units]\n" +
				`10,10.7,10.7.2,SM_POP_TOT,"Population, total",76,Brazil,2020,"480",2020,,,,,IBGE,,note,15-64,E,G,FEMALE,NUMBER` + "\n" +
				`10,10.7,10.7.2,SM_POP_TOT,x,076,Brazil,2021,1000,2021,,,,,IBGE,,,ALLAGE,C,G,BOTHSEX,NUMBER` + "\n",
			[]parsedRow{
				{2, observations.Observation{Series: "SM_POP_TOT", Area: "76", Disagg: "AGE=Y15T64;SEX=F", Period: "2020", Value: 480, Status: "E", Source: "IBGE", Footnote: "note"}},
				{3, observations.Observation{Series: "SM_POP_TOT", Area: "076", Period: "2021", Value: 1000, Source: "IBGE"}},
			}, nil},
		{"sdg csv unknown dimension", parseSDGCSV,
			"SeriesCode,GeoAreaCode,TimePeriod,Value,[Type of skill]\nS,4,2020,1,SKILL_ICT\nS,4,2021,1,_T\n",
			[]parsedRow{{3, ob("S", "4", "", "2021", 1)}},
			[]RowError{{Line: 2, Field: "[Type of skill]", Code: CodeUnknownColumn}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := parseAll(tt.p, tt.in)
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("rows\n got %+v\nwant %+v", rows, tt.rows)
			}
			if !reflect.DeepEqual(errs, tt.errs) {
				t.Errorf("errors\n got %+v\nwant %+v", errs, tt.errs)
			}
		})
	}
}

func TestSDGCode(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ dim, in, want string }{
		{"SEX", "female", "F"}, {"SEX", "BOTHSEX", "_T"}, {"AGE", "15-64", "Y15T64"}, {"AGE", "65+", "Y_GE65"},
		{"AGE", "<15", "Y_LT15"}, {"AGE", "ALLAGE", "_T"}, {"AGE", "Y15T24", "Y15T24"}, {"URBANISATION", "Rural", "R"},
		{"MIGRATORY_STATUS", "MIGRANT", "MS_MIGRANT"},
	} {
		if got := sdgCode(c.dim, c.in); got != c.want {
			t.Errorf("sdgCode(%s, %q) = %q, want %q", c.dim, c.in, got, c.want)
		}
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"\ufeffDATAFLOW,REF_AREA\n":            FormatSDMXCSV,
		"STRUCTURE[;],STRUCTURE_ID\n":          FormatSDMXCSV,
		"  {\"data\":{}}":                      FormatSDMXJSON,
		"Goal,Target,SeriesCode,GeoAreaCode\n": FormatSDGCSV,
		"country,year,value\n":                 FormatCSV,
		"PK\x03\x04rest":                       FormatXLSX,
	} {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%q) = %q, want %q", in, got, want)
		}
	}
}
