// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/observations"
)

// newCSV is an RFC 4180 writer (CRLF line ends), as SDMX-CSV requires and
// the other CSV formats follow. Text cells (names, sources, footnotes) go
// through export.FormulaSafe, as in every CSV Amparo writes, since open
// data is opened in spreadsheets too.
func newCSV(w io.Writer) *csv.Writer {
	c := csv.NewWriter(w)
	c.UseCRLF = true
	return c
}

// areaNames caches area names in one language: a large answer names the
// same few hundred areas millions of times.
type areaNames struct {
	lang  string
	names map[string]string
}

func (a *areaNames) name(code string) string {
	if n, ok := a.names[code]; ok {
		return n
	}
	if a.names == nil {
		a.names = map[string]string{}
	}
	n := observations.AreaName(code, a.lang)
	a.names[code] = n
	return n
}

// plainCSV is one row per value with the codes, the names in the asked
// language beside them, and the disaggregation as its key.
type plainCSV struct {
	w     *csv.Writer
	lang  string
	areas areaNames
	rec   []string
}

var plainCSVHeader = []string{"series", "series_name", "indicator", "indicator_name", "area", "area_name", "period",
	"disaggregation", "value", "unit", "unit_mult", "status", "source", "footnote"}

func newPlainCSV(w io.Writer, p *Prepared) *plainCSV {
	return &plainCSV{w: newCSV(w), lang: p.Lang, areas: areaNames{lang: p.Lang}, rec: make([]string, len(plainCSVHeader))}
}

func (c *plainCSV) head() error { return c.w.Write(plainCSVHeader) }

func (c *plainCSV) row(o *observations.Observation, m *SeriesMeta) error {
	r := c.rec
	r[0], r[1], r[2], r[3] = o.Series, export.FormulaSafe(m.Name(c.lang)), m.Indicator, export.FormulaSafe(m.IndicatorName(c.lang))
	r[4], r[5], r[6], r[7] = o.Area, export.FormulaSafe(c.areas.name(o.Area)), o.Period, o.Disagg
	r[8], r[9], r[10], r[11] = number(o.Value), m.Unit, strconv.Itoa(o.UnitMult), o.Status
	r[12], r[13] = export.FormulaSafe(o.Source), export.FormulaSafe(o.Footnote)
	return c.w.Write(r)
}

func (c *plainCSV) end() error { c.w.Flush(); return c.w.Error() }

// sdmxCSV is SDMX-CSV 2.0.0: STRUCTURE, STRUCTURE_ID and ACTION, then the
// dimensions, the measure and the attributes in the structure's order, one
// observation per row, codes as ids.
type sdmxCSV struct {
	w   *csv.Writer
	rec []string
}

// SDMXCSVHeader is the header row of SDMX-CSV answers.
var SDMXCSVHeader = append(append(append([]string{"STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "REF_AREA", "SERIES"},
	disaggDims[:]...), "TIME_PERIOD", "OBS_VALUE"), attributeIDs...)

// attributeIDs are the attributes, after the measure.
var attributeIDs = []string{"OBS_STATUS", "UNIT_MULT", "UNIT_MEASURE", "SOURCE_DETAIL", "COMMENT_OBS"}

func newSDMXCSV(w io.Writer) *sdmxCSV {
	return &sdmxCSV{w: newCSV(w), rec: make([]string, len(SDMXCSVHeader))}
}

func (c *sdmxCSV) head() error { return c.w.Write(SDMXCSVHeader) }

func (c *sdmxCSV) row(o *observations.Observation, m *SeriesMeta) error {
	r := c.rec
	// Information: these are the values as they stand, not a change.
	r[0], r[1], r[2] = "dataflow", StructureID, "I"
	r[3], r[4], r[5] = freqOf(o.Period), o.Area, o.Series
	d := splitDisagg(o.Disagg)
	copy(r[6:], d[:])
	i := 6 + len(d)
	r[i], r[i+1] = o.Period, number(o.Value)
	r[i+2], r[i+3], r[i+4] = o.Status, strconv.Itoa(o.UnitMult), m.Unit
	r[i+5], r[i+6] = export.FormulaSafe(o.Source), export.FormulaSafe(o.Footnote)
	return c.w.Write(r)
}

func (c *sdmxCSV) end() error { c.w.Flush(); return c.w.Error() }

// hxl is CSV with a row of HXL hashtags under the header row, so that
// humanitarian tools recognise the columns. Only core hashtags are used
// (#indicator, #country, #region, #adm1, #loc, #date, #meta, #description);
// what has no core hashtag is told by attributes, which HXL lets a
// publisher add: the disaggregation codes are #meta with the dimension's
// name, as HXL's sex and age attributes (+f, +m, +children) qualify counts
// of people rather than name a category in a row.
type hxl struct {
	w     *csv.Writer
	lang  string
	areas areaNames
	rec   []string
}

// HXLColumns are the header row and the hashtag row of HXL answers.
var HXLColumns = [][2]string{
	{"Series", "#indicator+code"},
	{"Series name", "#indicator+name"},
	{"Indicator", "#indicator+code+parent"},
	{"Country (M49)", "#country+code+v_m49"},
	{"Region (M49)", "#region+code+v_m49"},
	{"Subnational area (ISO 3166-2)", "#adm1+code+v_iso3166_2"},
	{"Area name", "#loc+name"},
	{"Period", "#date+period"},
	{"Sex", "#meta+code+sex"},
	{"Age", "#meta+code+age"},
	{"Urbanisation", "#meta+code+urbanisation"},
	{"Migratory status", "#meta+code+migratory_status"},
	{"Citizenship (M49)", "#meta+code+citizenship"},
	{"Country of birth (M49)", "#meta+code+country_of_birth"},
	{"Disability status", "#meta+code+disability_status"},
	{"Item", "#meta+code+item"},
	{"Value", "#indicator+num"},
	{"Unit", "#meta+unit"},
	{"Unit multiplier", "#meta+unit_mult"},
	{"Observation status", "#meta+obs_status"},
	{"Source", "#meta+source"},
	{"Footnote", "#description+footnote"},
}

func newHXL(w io.Writer, p *Prepared) *hxl {
	return &hxl{w: newCSV(w), lang: p.Lang, areas: areaNames{lang: p.Lang}, rec: make([]string, len(HXLColumns))}
}

func (h *hxl) head() error {
	for i, c := range HXLColumns {
		h.rec[i] = c[0]
	}
	if err := h.w.Write(h.rec); err != nil {
		return err
	}
	for i, c := range HXLColumns {
		h.rec[i] = c[1]
	}
	return h.w.Write(h.rec)
}

func (h *hxl) row(o *observations.Observation, m *SeriesMeta) error {
	r := h.rec
	r[0], r[1], r[2] = o.Series, export.FormulaSafe(m.Name(h.lang)), m.Indicator
	r[3], r[4], r[5] = "", "", ""
	r[3+areaKind(o.Area)] = o.Area
	r[6], r[7] = export.FormulaSafe(h.areas.name(o.Area)), o.Period
	d := splitDisagg(o.Disagg)
	copy(r[8:], d[:])
	i := 8 + len(d)
	r[i], r[i+1], r[i+2], r[i+3] = number(o.Value), m.Unit, strconv.Itoa(o.UnitMult), o.Status
	r[i+4], r[i+5] = export.FormulaSafe(o.Source), export.FormulaSafe(o.Footnote)
	return h.w.Write(r)
}

func (h *hxl) end() error { h.w.Flush(); return h.w.Error() }
