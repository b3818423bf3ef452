// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"bufio"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

// sdmxJSONSchema is the schema SDMX-JSON 2.0.0 data messages name.
const sdmxJSONSchema = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json"

// sdmxJSON writes an SDMX-JSON 2.0.0 data message in the time-series view:
// the structure first, whose dimension values the series keys index, then
// one series per key with its observations keyed by the TIME_PERIOD index.
// The structure needs every area, disaggregation and period before the
// first value, so those are read first with DISTINCT queries (a few hundred
// codes each); the values themselves then stream as in the other formats,
// held only one key's periods at a time.
type sdmxJSON struct {
	w        *bufio.Writer
	p        *Prepared
	prepared time.Time
	empty    bool

	freqs, areas, series, periods map[string]int
	disagg                        [len(disaggDims)]map[string]int
	units                         map[string]int

	group    []observations.Observation // the values of one series, area and disaggregation
	groupKey [3]string
	firstKey bool
	buf      []byte
}

var freqNames = map[string]string{"A": "Annual", "S": "Half-yearly", "Q": "Quarterly", "M": "Monthly"}

var statusNames = map[string]string{
	observations.StatusFinal: "Normal value", observations.StatusProvisional: "Provisional value",
	observations.StatusEstimated: "Estimated value",
}

// dimNames name the dimensions and attributes (in English, the language of
// SDMX's cross-domain concepts).
var dimNames = map[string]string{
	"FREQ": "Frequency", "REF_AREA": "Reference area", "SERIES": "Series", "SEX": "Sex", "AGE": "Age",
	"URBANISATION": "Urbanisation", "MIGRATORY_STATUS": "Migratory status", "CITIZENSHIP": "Citizenship",
	"COUNTRY_OF_BIRTH": "Country of birth", "DISABILITY_STATUS": "Disability status", "ITEM": "Item",
	"TIME_PERIOD": "Time period", "OBS_VALUE": "Observation value", "OBS_STATUS": "Observation status",
	"UNIT_MULT": "Unit multiplier", "UNIT_MEASURE": "Unit of measure", "SOURCE_DETAIL": "Source details",
	"COMMENT_OBS": "Observation comment",
}

// whereSQL is the selection q streams (observations.Query's), for the
// DISTINCT queries on the published table.
func whereSQL(q DataQuery) (string, []any) { return q.observations().Where("") }

func (s *Service) distinct(ctx context.Context, column string, q DataQuery) ([]string, error) {
	where, args := whereSQL(q)
	return store.QueryAll(ctx, s.db, func(sc store.Scanner) (string, error) {
		var v string
		return v, sc.Scan(&v)
	}, "SELECT DISTINCT "+column+" FROM published_observations"+where+" ORDER BY "+column, args...)
}

func indexOf(values []string) map[string]int {
	m := make(map[string]int, len(values))
	for i, v := range values {
		m[v] = i
	}
	return m
}

func (s *Service) newSDMXJSON(ctx context.Context, w *bufio.Writer, p *Prepared) (*sdmxJSON, error) {
	j := &sdmxJSON{w: w, p: p, prepared: s.now(), firstKey: true}
	if len(p.Series) == 0 {
		j.empty = true
		return j, nil
	}
	series, err := s.distinct(ctx, "series", p.DataQuery)
	if err != nil {
		return nil, err
	}
	areas, err := s.distinct(ctx, "area", p.DataQuery)
	if err != nil {
		return nil, err
	}
	disaggs, err := s.distinct(ctx, "disagg", p.DataQuery)
	if err != nil {
		return nil, err
	}
	periods, err := s.distinct(ctx, "period", p.DataQuery)
	if err != nil {
		return nil, err
	}
	if len(series) == 0 {
		j.empty = true
		return j, nil
	}
	var freqs []string
	for _, f := range []string{"A", "S", "Q", "M"} {
		if slices.ContainsFunc(periods, func(p string) bool { return freqOf(p) == f }) {
			freqs = append(freqs, f)
		}
	}
	j.freqs, j.areas, j.series, j.periods = indexOf(freqs), indexOf(areas), indexOf(series), indexOf(periods)
	var codes [len(disaggDims)][]string
	for _, key := range disaggs {
		d := splitDisagg(key)
		for i, c := range d {
			if !slices.Contains(codes[i], c) {
				codes[i] = append(codes[i], c)
			}
		}
	}
	for i := range codes {
		slices.Sort(codes[i])
		j.disagg[i] = indexOf(codes[i])
	}
	var units []string
	for _, code := range series {
		if u := p.Metas[code].Unit; u != "" && !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	slices.Sort(units)
	j.units = indexOf(units)
	return j, nil
}

// Structure types, as the schema names their fields.
type (
	sjValue struct {
		ID    string            `json:"id,omitempty"`
		Name  string            `json:"name,omitempty"`
		Names map[string]string `json:"names,omitempty"`
		Start string            `json:"start,omitempty"`
		End   string            `json:"end,omitempty"`
	}
	sjComponent struct {
		ID           string            `json:"id"`
		Name         string            `json:"name"`
		Names        map[string]string `json:"names"`
		KeyPosition  *int              `json:"keyPosition,omitempty"`
		Roles        []string          `json:"roles,omitempty"`
		Relationship map[string]any    `json:"relationship,omitempty"`
		Format       map[string]any    `json:"format,omitempty"`
		Values       []sjValue         `json:"values,omitempty"`
	}
)

func component(id string) sjComponent {
	return sjComponent{ID: id, Name: dimNames[id], Names: map[string]string{"en": dimNames[id]}}
}

func (j *sdmxJSON) named(id, name string) sjValue {
	return sjValue{ID: id, Name: name, Names: map[string]string{j.p.Lang: name}}
}

// sortedKeys lists an index's values in index order.
func sortedKeys(m map[string]int) []string {
	out := make([]string, len(m))
	for v, i := range m {
		out[i] = v
	}
	return out
}

func (j *sdmxJSON) dimension(id string, pos int, values []sjValue) sjComponent {
	c := component(id)
	c.KeyPosition = &pos
	c.Values = values
	switch id {
	case "FREQ", "REF_AREA", "TIME_PERIOD":
		c.Roles = []string{id}
	}
	return c
}

func (j *sdmxJSON) structure() map[string]any {
	lang := j.p.Lang
	var seriesDims []sjComponent
	var v []sjValue
	for _, f := range sortedKeys(j.freqs) {
		v = append(v, sjValue{ID: f, Name: freqNames[f], Names: map[string]string{"en": freqNames[f]}})
	}
	seriesDims = append(seriesDims, j.dimension("FREQ", 0, v))
	v = nil
	for _, a := range sortedKeys(j.areas) {
		v = append(v, j.named(a, observations.AreaName(a, lang)))
	}
	seriesDims = append(seriesDims, j.dimension("REF_AREA", 1, v))
	v = nil
	for _, code := range sortedKeys(j.series) {
		m := j.p.Metas[code]
		v = append(v, j.named(code, m.Name(lang)))
	}
	seriesDims = append(seriesDims, j.dimension("SERIES", 2, v))
	for i, dim := range disaggDims {
		v = nil
		for _, c := range sortedKeys(j.disagg[i]) {
			name := c
			switch {
			case c == observations.Total:
				name = "Total"
			case dim == "CITIZENSHIP" || dim == "COUNTRY_OF_BIRTH":
				name = observations.AreaName(c, lang)
			}
			v = append(v, j.named(c, name))
		}
		seriesDims = append(seriesDims, j.dimension(dim, 3+i, v))
	}
	v = nil
	for _, p := range sortedKeys(j.periods) {
		val := sjValue{ID: p, Name: p, Names: map[string]string{"en": p}}
		if per, err := observations.ParsePeriod(p); err == nil {
			val.Start = per.Start.Format(time.RFC3339)
			val.End = per.End.Add(24*time.Hour - time.Second).Format(time.RFC3339)
		}
		v = append(v, val)
	}
	timeDim := j.dimension("TIME_PERIOD", 3+len(disaggDims), v)

	unit := component("UNIT_MEASURE")
	unit.Relationship = map[string]any{"dimensions": []string{"SERIES"}}
	for _, u := range sortedKeys(j.units) {
		unit.Values = append(unit.Values, sjValue{ID: u, Name: u, Names: map[string]string{"en": u}})
	}
	status := component("OBS_STATUS")
	status.Relationship = map[string]any{"observation": map[string]any{}}
	for _, s := range observations.Statuses() {
		status.Values = append(status.Values, sjValue{ID: s, Name: statusNames[s], Names: map[string]string{"en": statusNames[s]}})
	}
	direct := func(id, dataType string) sjComponent {
		c := component(id)
		c.Relationship = map[string]any{"observation": map[string]any{}}
		c.Format = map[string]any{"dataType": dataType}
		return c
	}
	seriesAttrs := []sjComponent{}
	if len(unit.Values) > 0 {
		seriesAttrs = append(seriesAttrs, unit)
	}
	measure := component("OBS_VALUE")
	measure.Format = map[string]any{"dataType": "Double"}
	measure.Roles = []string{"PRIMARY"}
	return map[string]any{
		"links": []map[string]string{{"urn": dataflowURN, "rel": "dataflow"}},
		"name":  "Amparo " + DataflowID, "names": map[string]string{"en": "Amparo " + DataflowID},
		"dimensions": map[string]any{"dataSet": []sjComponent{}, "series": seriesDims, "observation": []sjComponent{timeDim}},
		"measures":   map[string]any{"observation": []sjComponent{measure}},
		"attributes": map[string]any{"series": seriesAttrs, "observation": []sjComponent{status,
			direct("UNIT_MULT", "Integer"), direct("SOURCE_DETAIL", "String"), direct("COMMENT_OBS", "String")}},
		"dataSets": []int{0},
	}
}

func (j *sdmxJSON) head() error {
	langs := []string{j.p.Lang}
	if j.p.Lang != "en" {
		langs = append(langs, "en")
	}
	meta, err := json.Marshal(map[string]any{
		"schema": sdmxJSONSchema, "id": "AMPARO-" + j.p.Version, "prepared": j.prepared.Format(time.RFC3339),
		"test": false, "contentLanguages": langs, "sender": map[string]string{"id": Agency, "name": "Amparo"},
	})
	if err != nil {
		return err
	}
	j.w.WriteString(`{"meta":`)
	j.w.Write(meta)
	if j.empty {
		_, err := j.w.WriteString(`,"data":{"structures":[],"dataSets":[]}`)
		return err
	}
	st, err := json.Marshal(j.structure())
	if err != nil {
		return err
	}
	j.w.WriteString(`,"data":{"structures":[`)
	j.w.Write(st)
	_, err = j.w.WriteString(`],"dataSets":[{"structure":0,"action":"Information","links":[{"urn":"` + dataflowURN + `","rel":"dataflow"}],"series":{`)
	return err
}

func (j *sdmxJSON) row(o *observations.Observation, _ *SeriesMeta) error {
	key := [3]string{o.Series, o.Area, o.Disagg}
	if len(j.group) > 0 && key != j.groupKey {
		if err := j.flush(); err != nil {
			return err
		}
	}
	j.groupKey = key
	j.group = append(j.group, *o)
	return nil
}

// flush writes the held values of one series, area and disaggregation: one
// SDMX series per frequency among their periods.
func (j *sdmxJSON) flush() error {
	g := j.group
	defer func() { j.group = g[:0] }()
	d := splitDisagg(j.groupKey[2])
	for _, f := range sortedKeys(j.freqs) {
		b := j.buf[:0]
		wrote := false
		for i := range g {
			o := &g[i]
			if freqOf(o.Period) != f {
				continue
			}
			if !wrote {
				if !j.firstKey {
					b = append(b, ',')
				}
				j.firstKey = false
				b = append(b, '"')
				b = strconv.AppendInt(b, int64(j.freqs[f]), 10)
				for _, idx := range []int{j.areas[o.Area], j.series[o.Series]} {
					b = append(b, ':')
					b = strconv.AppendInt(b, int64(idx), 10)
				}
				for k, c := range d {
					b = append(b, ':')
					b = strconv.AppendInt(b, int64(j.disagg[k][c]), 10)
				}
				b = append(b, `":{"attributes":[`...)
				if u, ok := j.units[j.p.Metas[o.Series].Unit]; ok && len(j.units) > 0 {
					b = strconv.AppendInt(b, int64(u), 10)
				} else if len(j.units) > 0 {
					b = append(b, "null"...)
				}
				b = append(b, `],"observations":{`...)
				wrote = true
			} else {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = strconv.AppendInt(b, int64(j.periods[o.Period]), 10)
			b = append(b, `":[`...)
			b = strconv.AppendFloat(b, o.Value, 'f', -1, 64)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(slices.Index(observations.Statuses(), o.Status)), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(o.UnitMult), 10)
			for _, text := range []string{o.Source, o.Footnote} {
				b = append(b, ',')
				if text == "" {
					b = append(b, "null"...)
				} else {
					b = appendJSONString(b, text)
				}
			}
			b = append(b, ']')
		}
		if wrote {
			b = append(b, "}}"...)
			if _, err := j.w.Write(b); err != nil {
				return err
			}
		}
		j.buf = b
	}
	return nil
}

func (j *sdmxJSON) end() error {
	if j.empty {
		_, err := j.w.WriteString("}\n")
		return err
	}
	if len(j.group) > 0 {
		if err := j.flush(); err != nil {
			return err
		}
	}
	_, err := j.w.WriteString("}}]}}\n")
	return err
}
