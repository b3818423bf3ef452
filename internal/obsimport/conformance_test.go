// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/observations"
)

// standards is where the SDMX-CSV and SDMX-JSON specifications' own
// example files are kept beside the repository (not copied into it).
const standards = "../../../shared/standards"

func standardFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(standards, pattern))
	if len(files) == 0 {
		t.Skipf("no files %s under %s: the shared standards are not checked out beside the repository", pattern, standards)
	}
	return files
}

// TestSDMXCSVExamples reads every example message of SDMX-CSV 1.0, 2.0.0
// and 2.1.0: the header must be understood (separator, version, labels,
// one component per column or per id-and-name pair), every record read at
// its line, and every row either an observation or errors naming a line.
// The examples use made-up dimensions (DIM_1…), so their rows are refused
// for missing SDG columns; that refusal must name the columns.
func TestSDMXCSVExamples(t *testing.T) {
	t.Parallel()
	for _, file := range standardFiles(t, "sdmx-csv/*/examples/*.csv") {
		t.Run(filepath.Base(filepath.Dir(filepath.Dir(file)))+"/"+filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sep := sdmxSeparator(data)
			if sep == 0 {
				t.Fatalf("no separator found in %q", data[:min(len(data), 40)])
			}
			var header []string
			var records int
			readCSV(bytes.NewReader(data), sep, func(e RowError) bool {
				t.Errorf("read error %+v", e)
				return true
			}, func(line int, f []string) bool {
				header = append([]string(nil), f...)
				return true
			}, func(line int, f []string) bool {
				records++
				return true
			})
			// The same file read by encoding/csv alone, as a check on the
			// record count (a quoted line break is one record).
			cr := csv.NewReader(bytes.NewReader(data))
			cr.Comma, cr.FieldsPerRecord = sep, -1
			all, err := cr.ReadAll()
			if err != nil || records != len(all)-1 {
				t.Fatalf("records %d, encoding/csv %d, %v", records, len(all)-1, err)
			}
			l, _ := sdmxLayout(1, header, sep, func(RowError) bool { return true })
			if l == nil {
				t.Fatalf("header %q not understood", header)
			}
			// Every DIM_1 column of these examples holds the code A (with
			// its label where the message has labels).
			for _, c := range l.cols {
				if c.name == "DIM_1" {
					if got := l.code(all[1], c.idx); got != "A" && got != "" {
						t.Errorf("DIM_1 of the first row = %q", got)
					}
				}
			}
			_, errs := parseAll(parseSDMXCSV, string(data))
			if len(errs) == 0 {
				t.Fatal("a file without SDG columns was accepted")
			}
			for _, e := range errs {
				if e.Line < 1 || e.Code == "" {
					t.Errorf("error without a line or reason: %+v", e)
				}
			}
		})
	}
}

// writeSDMXCSV writes observations as SDMX-CSV 2.1, as Amparo's open data
// does, for the round trip.
func writeSDMXCSV(obs []observations.Observation) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "REF_AREA", "SERIES", "SEX", "AGE", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "SOURCE_DETAIL", "COMMENT_OBS"})
	for _, o := range obs {
		d, _ := observations.ParseDisagg(o.Disagg)
		_ = w.Write([]string{"dataflow", "AMPARO:DF_OBS(1.0)", "M", "A", o.Area, o.Series, d.Code("SEX"), d.Code("AGE"), o.Period,
			strconv.FormatFloat(o.Value, 'g', -1, 64), o.Status, strconv.Itoa(o.UnitMult), o.Source, o.Footnote})
	}
	w.Flush()
	return b.String()
}

func TestSDMXCSVRoundTrip(t *testing.T) {
	t.Parallel()
	in := []observations.Observation{
		{Series: "SM_POP_TOT", Area: "076", Disagg: "AGE=Y15T64;SEX=F", Period: "2020", Value: 480.25, Status: "E", UnitMult: 3, Source: "IBGE, census", Footnote: "line\nbreak"},
		{Series: "SI_RMT_COST", Area: "484", Period: "2023-Q4", Value: -0.5, Status: "A"},
	}
	rows, errs := parseAll(parseSDMXCSV, writeSDMXCSV(in))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []observations.Observation
	for _, r := range rows {
		got = append(got, r.obs)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip\n got %+v\nwant %+v", got, in)
	}
}

// countJSONObservations counts a message's observations independently of
// the parser: every entry of every observations object.
func countJSONObservations(t *testing.T, data []byte) int {
	var msg map[string]any
	if err := json.Unmarshal(data, &msg); err != nil {
		t.Fatal(err)
	}
	if d, ok := msg["data"].(map[string]any); ok {
		msg = d
	}
	n := 0
	sets, _ := msg["dataSets"].([]any)
	for _, s := range sets {
		ds, _ := s.(map[string]any)
		if strings.EqualFold(fmt.Sprint(ds["action"]), "delete") {
			continue
		}
		if obs, ok := ds["observations"].(map[string]any); ok {
			n += len(obs)
		}
		if series, ok := ds["series"].(map[string]any); ok {
			for _, one := range series {
				if obs, ok := one.(map[string]any)["observations"].(map[string]any); ok {
					n += len(obs)
				}
			}
		}
	}
	return n
}

// TestSDMXJSONSamples reads every sample message of SDMX-JSON 1.0, 2.0.0
// and 2.1.0. Their structures have no SERIES dimension, so the parser
// must say so, naming the column; with a series supplied as a data-set
// dimension, every observation must come through at a line of its own or
// be refused with a line.
func TestSDMXJSONSamples(t *testing.T) {
	t.Parallel()
	files := append(standardFiles(t, "sdmx-json/*/samples/*.json"), standardFiles(t, "sdmx-json/*/samples/exr/*.json")...)
	for _, file := range files {
		rel, _ := filepath.Rel(filepath.Join(standards, "sdmx-json"), file)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, errs := parseAll(parseSDMXJSON, string(data))
			if len(errs) == 0 {
				t.Fatal("a message without a SERIES dimension was accepted")
			}
			for _, e := range errs {
				if e.Line < 1 {
					t.Errorf("error without a line: %+v", e)
				}
			}
			want := countJSONObservations(t, data)
			got, refused := 0, 0
			jsonEach(t, data, func(line int, row map[string]string) {
				if line < 1 {
					t.Errorf("observation without a line: %v", row)
				}
				got++
			}, func(e RowError) {
				if e.Line < 1 {
					t.Errorf("refusal without a line: %+v", e)
				}
				refused++
			})
			// A data set refused whole (an unknown structure) is one
			// refusal for all its observations.
			if got > want || got+refused == 0 && want > 0 {
				t.Errorf("walked %d observations and refused %d; the message has %d", got, refused, want)
			}
			if refused == 0 && got != want {
				t.Errorf("walked %d observations, the message has %d", got, want)
			}
		})
	}
}

// jsonEach walks a message's observations as components and values,
// whatever its dimensions, through the parser's own walker.
func jsonEach(t *testing.T, data []byte, fn func(line int, row map[string]string), refuse func(RowError)) {
	d := &jsonDoc{data: data, dataSets: -1}
	for i, c := range data {
		if c == '\n' {
			d.lines = append(d.lines, i)
		}
	}
	if err := d.readTop(d.decoderAt(0), 0); err != nil {
		t.Fatal(err)
	}
	if d.dataSets < 0 {
		return
	}
	w := &jsonWalker{d: d, layouts: map[int]*jsonLayout{}}
	w.s = &sink{layout: func(*layout) {}, fail: func(e RowError) bool {
		refuse(e)
		return true
	}}
	w.each = func(line int, jl *jsonLayout) {
		row := map[string]string{}
		for _, c := range jl.l.cols {
			row[c.name] = jl.row[c.idx]
		}
		fn(line, row)
	}
	if err := w.dataSetsAt(d.dataSets); err != nil {
		t.Fatal(err)
	}
}

const sdgJSON = `{
 "meta": {"schema": "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json"},
 "data": {
  "dataSets": [{
   "structure": 0, "action": "Information",
   "series": {
    "0:0": {"attributes": [0], "observations": {"0": [480, 0], "1": ["520.5", 1, "estimate"]}},
    "0:1": {"observations": {"0": [1000, null]}}
   }
  }],
  "structures": [{
   "dimensions": {
    "dataSet": [{"id": "SERIES", "keyPosition": 0, "values": [{"id": "SM_POP_TOT"}]}],
    "series": [{"id": "REF_AREA", "keyPosition": 1, "values": [{"id": "076"}]},
               {"id": "SEX", "keyPosition": 2, "values": [{"id": "F"}, {"id": "_T"}]}],
    "observation": [{"id": "TIME_PERIOD", "keyPosition": 3, "values": [{"id": "2020"}, {"id": "2021"}]}]
   },
   "measures": {"observation": [{"id": "OBS_VALUE"}]},
   "attributes": {
    "dataSet": [], "series": [{"id": "SOURCE_DETAIL", "values": [{"id": "IBGE"}]}],
    "observation": [{"id": "OBS_STATUS", "values": [{"id": "A"}, {"id": "E"}]}, {"id": "COMMENT_OBS"}]
   }
  }]
 }
}`

func TestSDMXJSON(t *testing.T) {
	t.Parallel()
	rows, errs := parseAll(parseSDMXJSON, sdgJSON)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []parsedRow{
		{7, observations.Observation{Series: "SM_POP_TOT", Area: "076", Disagg: "SEX=F", Period: "2020", Value: 480, Status: "A", Source: "IBGE"}},
		{7, observations.Observation{Series: "SM_POP_TOT", Area: "076", Disagg: "SEX=F", Period: "2021", Value: 520.5, Status: "E", Source: "IBGE", Footnote: "estimate"}},
		{8, observations.Observation{Series: "SM_POP_TOT", Area: "076", Period: "2020", Value: 1000}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", rows, want)
	}
	del := strings.Replace(sdgJSON, `"Information"`, `"Delete"`, 1)
	if _, errs := parseAll(parseSDMXJSON, del); len(errs) != 1 || errs[0] != (RowError{Line: 4, Field: "action", Code: CodeNotSupported}) {
		t.Errorf("delete: %+v", errs)
	}
	if _, errs := parseAll(parseSDMXJSON, sdgJSON[:200]); len(errs) != 1 || errs[0].Line < 1 {
		t.Errorf("truncated: %+v", errs)
	}
}
