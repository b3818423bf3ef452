// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// standards is the checkout's copy of the published standards.
const standards = "../../../shared/standards"

func needStandards(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{standards}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("standards not available (%s): %v", p, err)
	}
	return p
}

func write(t *testing.T, in *instance, p *Prepared) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := in.od.Write(context.Background(), &b, p); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriters(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		in := newInstance(t, db, Outbound{})
		in.publish(t, published)
		// A draft and an approved-but-unpublished value never leave.
		ctx := context.Background()
		if _, err := in.obs.Put(ctx, analystA, observations.KindForm, []observations.Observation{
			o("SM_POP_TOT", "076", "", "2021", 777777), o("SM_POP_TOT", "076", "", "2020", 666666)}); err != nil {
			t.Fatal(err)
		}
		approved := []observations.Observation{o("SI_RMT_COST", "MEX", "", "2024", 555555)}
		id, err := in.obs.Put(ctx, analystA, observations.KindForm, approved)
		if err != nil {
			t.Fatal(err)
		}
		keys := []observations.SetKey{{Series: "SI_RMT_COST", Area: "484", Period: "2024"}}
		if _, err := in.obs.Submit(ctx, analystA, keys); err != nil {
			t.Fatal(err)
		}
		if _, err := in.obs.Approve(ctx, analystB, keys); err != nil {
			t.Fatal(err)
		}
		_ = id

		all := DataQuery{}
		for _, f := range Formats() {
			all.Format = f
			out := write(t, in, in.prepare(t, all))
			// A source a spreadsheet would run as a formula is written as
			// text in every CSV format.
			if f == FormatCSV || f == FormatSDMXCSV || f == FormatHXL {
				if !bytes.Contains(out, []byte(`'=HYPERLINK`)) || bytes.Contains(out, []byte(`,=HYPERLINK`)) || bytes.Contains(out, []byte(`,"=HYPERLINK`)) {
					t.Errorf("%s: a formula in a source is not escaped", f)
				}
			}
			for _, secret := range []string{"777777", "666666", "555555"} {
				if bytes.Contains(out, []byte(secret)) {
					t.Errorf("%s: an unpublished value (%s) was written", f, secret)
				}
			}
		}

		t.Run("sdmx-csv", func(t *testing.T) {
			out := write(t, in, in.prepare(t, DataQuery{Format: FormatSDMXCSV}))
			checkSDMXCSV(t, out, len(published))
			if !bytes.Contains(out, []byte("dataflow,AMPARO:DF_MIGRATION(1.0),I,A,076,SM_POP_TOT,M,Y15T64,_T,_T,_T,_T,_T,_T,2020,300,A,0,NUMBER,,\r\n")) {
				t.Errorf("row of a breakdown not as expected:\n%s", out)
			}
			if !bytes.Contains(out, []byte(",Q,484,SI_RMT_COST,")) {
				t.Errorf("quarterly FREQ or ISO area not normalised:\n%s", out)
			}
		})
		t.Run("sdmx-json", func(t *testing.T) {
			for _, q := range []DataQuery{{}, {Series: []string{"SM_POP_TOT"}, Disagg: observations.Totals()},
				{Series: []string{"SI_RMT_COST"}, Areas: []string{"004"}}} {
				q.Format = FormatSDMXJSON
				q.Lang = "fr"
				out := write(t, in, in.prepare(t, q))
				checkSDMXJSON(t, out)
			}
			out := write(t, in, in.prepare(t, DataQuery{Format: FormatSDMXJSON}))
			values := sdmxJSONValues(t, out)
			if len(values) != len(published) || !slices.Contains(values, 480.5) || !slices.Contains(values, 5.25) {
				t.Errorf("SDMX-JSON values = %v", values)
			}
		})
		t.Run("hxl", func(t *testing.T) {
			out := write(t, in, in.prepare(t, DataQuery{Format: FormatHXL}))
			checkHXL(t, out, len(published))
		})
		t.Run("csv and json", func(t *testing.T) {
			out := write(t, in, in.prepare(t, DataQuery{Format: FormatCSV, Lang: "fr", Series: []string{"SI_RMT_COST"}}))
			recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 4 || !slices.Equal(recs[0], plainCSVHeader) || recs[1][1] != "Coût des envois de fonds" {
				t.Errorf("CSV = %q", recs)
			}
			out = write(t, in, in.prepare(t, DataQuery{Format: FormatJSON}))
			var doc struct {
				Series []struct {
					Code         string
					Observations []struct {
						Area, Period, Source, Footnote string
						Value                          float64
					}
				}
			}
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("JSON does not parse: %v\n%s", err, out)
			}
			n := 0
			for _, s := range doc.Series {
				n += len(s.Observations)
			}
			if len(doc.Series) != 2 || n != len(published) {
				t.Errorf("JSON has %d series and %d values", len(doc.Series), n)
			}
		})
		t.Run("filters", func(t *testing.T) {
			count := func(q DataQuery) int {
				q.Format = FormatSDMXCSV
				recs, err := csv.NewReader(bytes.NewReader(write(t, in, in.prepare(t, q)))).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				return len(recs) - 1
			}
			sf := "SEX=F"
			for _, c := range []struct {
				q    DataQuery
				want int
			}{
				{DataQuery{Series: []string{"SM_POP_TOT"}}, 5},
				{DataQuery{Series: []string{"SM_POP_TOT"}, Disagg: observations.Totals()}, 3},
				{DataQuery{Series: []string{"SM_POP_TOT"}, Disagg: &sf}, 1},
				{DataQuery{Areas: []string{"484"}}, 3},
				{DataQuery{From: "2020", To: "2020"}, 4},
				{DataQuery{From: "2023"}, 3},
				{DataQuery{To: "2019"}, 1},
			} {
				if got := count(c.q); got != c.want {
					t.Errorf("%+v: %d values, want %d", c.q, got, c.want)
				}
			}
		})
	})
}

// checkSDMXCSV checks an answer against the SDMX-CSV 2.0.0 rules
// (HEADER-RULES.md 5–11) and the field guide's first example.
func checkSDMXCSV(t *testing.T, out []byte, rows int) {
	t.Helper()
	needStandards(t, "sdmx-csv", "2.0.0", "sdmx-csv-field-guide.md")
	if !bytes.Contains(out, []byte("\r\n")) {
		t.Error("lines do not end with CRLF (RFC 4180)")
	}
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll() // also: every row has the header's fields
	if err != nil {
		t.Fatal(err)
	}
	h := recs[0]
	if h[0] != "STRUCTURE" || h[1] != "STRUCTURE_ID" || h[2] != "ACTION" {
		t.Errorf("header starts %q, want STRUCTURE, STRUCTURE_ID, ACTION", h[:3])
	}
	seen := map[string]bool{}
	for _, c := range h {
		if seen[c] {
			t.Errorf("column %s twice", c)
		}
		seen[c] = true
	}
	// Dimensions, then the measure, then the attributes.
	obs := slices.Index(h, "OBS_VALUE")
	if slices.Index(h, "TIME_PERIOD") > obs || slices.Index(h, "OBS_STATUS") < obs {
		t.Errorf("header order %q", h)
	}
	if len(recs)-1 != rows {
		t.Errorf("%d rows, want %d", len(recs)-1, rows)
	}
	for _, r := range recs[1:] {
		if r[0] != "dataflow" || r[1] != "AMPARO:DF_MIGRATION(1.0)" || !slices.Contains([]string{"I", "A", "R", "D"}, r[2]) {
			t.Errorf("row starts %q", r[:3])
		}
	}
}

func checkSDMXJSON(t *testing.T, out []byte) {
	t.Helper()
	path := needStandards(t, "sdmx-json", "2.0.0", "sdmx-json-data-schema.json")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SDMX-JSON does not validate: %v\n%s", err, out)
	}
}

// sdmxJSONValues reads back every observation value of a message,
// checking that each series key indexes existing dimension values.
func sdmxJSONValues(t *testing.T, out []byte) []float64 {
	t.Helper()
	var msg struct {
		Data struct {
			Structures []struct {
				Dimensions struct {
					Series      []struct{ Values []any }
					Observation []struct{ Values []any }
				}
			}
			DataSets []struct {
				Series map[string]struct {
					Observations map[string][]any
				}
			}
		}
	}
	if err := json.Unmarshal(out, &msg); err != nil {
		t.Fatal(err)
	}
	dims := msg.Data.Structures[0].Dimensions
	var values []float64
	for key, s := range msg.Data.DataSets[0].Series {
		parts := strings.Split(key, ":")
		if len(parts) != len(dims.Series) {
			t.Fatalf("key %s has %d parts, want %d", key, len(parts), len(dims.Series))
		}
		for ti, ob := range s.Observations {
			var i int
			if err := json.Unmarshal([]byte(ti), &i); err != nil || i >= len(dims.Observation[0].Values) {
				t.Errorf("time index %s", ti)
			}
			values = append(values, ob[0].(float64))
		}
	}
	return values
}

// checkHXL checks that every hashtag is a core HXL hashtag and every
// attribute well-formed (core or the publisher's own, lower case).
func checkHXL(t *testing.T, out []byte, rows int) {
	t.Helper()
	core := needStandards(t, "hxl", "hxl-core-hashtags.hxl.csv")
	f, err := os.ReadFile(core)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]bool{}
	for _, r := range recs {
		if strings.HasPrefix(r[0], "#") && !strings.HasPrefix(r[0], "#valid") {
			tags[r[0]] = true
		}
	}
	got, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != rows+2 {
		t.Errorf("%d lines, want header, hashtags and %d rows", len(got), rows)
	}
	for _, spec := range got[1] {
		parts := strings.Split(spec, "+")
		if !tags[parts[0]] {
			t.Errorf("%s: %s is not a core HXL hashtag", spec, parts[0])
		}
		for _, a := range parts[1:] {
			if a == "" || strings.ToLower(a) != a || strings.ContainsAny(a, " #") {
				t.Errorf("%s: attribute %q is not well-formed", spec, a)
			}
		}
	}
	// A country, a region and a subdivision land in their own columns.
	for _, r := range got[2:] {
		filled := 0
		for _, c := range r[3:6] {
			if c != "" {
				filled++
			}
		}
		if filled != 1 {
			t.Errorf("row %q: %d area columns filled", r, filled)
		}
	}
}

func TestETagChangesWithPublication(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		in := newInstance(t, db, Outbound{})
		in.publish(t, published[:2])
		q := DataQuery{Series: []string{"SM_POP_TOT"}, Format: FormatCSV}
		e1 := in.prepare(t, q).ETag()
		if e2 := in.prepare(t, q).ETag(); e1 != e2 {
			t.Errorf("same data, ETags %s and %s", e1, e2)
		}
		q2 := q
		q2.Format = FormatHXL
		if in.prepare(t, q2).ETag() == e1 {
			t.Error("another format has the same ETag")
		}
		other := DataQuery{Series: []string{"SI_RMT_COST"}, Format: FormatCSV}
		eOther := in.prepare(t, other).ETag()
		in.publish(t, published[3:4])
		if in.prepare(t, q).ETag() == e1 {
			t.Error("a publication did not change the ETag")
		}
		if in.prepare(t, other).ETag() != eOther {
			t.Error("a publication of another series changed the ETag")
		}
		// Withdrawing values and publishing that leaves no newer
		// published_at behind, and must still change the ETag.
		ctx := context.Background()
		e3 := in.prepare(t, q).ETag()
		set := observations.SetKey{Series: "SM_POP_TOT", Area: "484", Period: "2019"}
		if _, err := in.obs.DeleteSet(ctx, analystA, set); err != nil {
			t.Fatal(err)
		}
		if _, err := in.obs.Submit(ctx, analystA, []observations.SetKey{set}); err != nil {
			t.Fatal(err)
		}
		if _, err := in.obs.Approve(ctx, analystB, []observations.SetKey{set}); err != nil {
			t.Fatal(err)
		}
		if _, err := in.obs.Publish(ctx, analystB, []observations.SetKey{set}); err != nil {
			t.Fatal(err)
		}
		if in.prepare(t, q).ETag() == e3 {
			t.Error("a publication that withdrew values did not change the ETag")
		}
		if in.prepare(t, other).ETag() != eOther {
			t.Error("a withdrawal from another series changed the ETag")
		}
		in.publish(t, published[3:4])
		// The catalogue follows too.
		v1, all, err := in.od.Catalog(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pub := Published(all)
		if len(pub) != 1 || pub[0].Observations != 3 || pub[0].FirstPeriod != "2019" || pub[0].LastPeriod != "2020" {
			t.Errorf("catalogue = %+v", pub)
		}
		in.publish(t, published[5:6])
		v2, all, _ := in.od.Catalog(context.Background())
		if v1 == v2 || len(Published(all)) != 2 {
			t.Errorf("catalogue after a publication: version %s → %s, %d series", v1, v2, len(Published(all)))
		}
		if _, err := in.od.Prepare(context.Background(), DataQuery{Series: []string{"NO_SUCH"}}); err != ErrNotFound {
			t.Errorf("unknown series: %v", err)
		}
	})
}
