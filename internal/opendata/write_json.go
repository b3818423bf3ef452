// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"bufio"
	"encoding/json"
	"strconv"
	"time"

	"github.com/amparo-project/amparo/internal/observations"
)

// plainJSON writes {"meta": …, "series": [{…, "observations": [ … ]}]}: one
// object per series that has values, its observations written as they
// come, so the answer streams like the CSV formats.
type plainJSON struct {
	w        *bufio.Writer
	p        *Prepared
	prepared time.Time
	current  string // the series whose observations are open; "" before the first
	first    bool   // no observation of current written yet
	areas    map[string][]byte
	buf      []byte
}

func newPlainJSON(w *bufio.Writer, p *Prepared, now time.Time) *plainJSON {
	return &plainJSON{w: w, p: p, prepared: now, areas: map[string][]byte{}}
}

// jsonMeta is the head of a JSON answer.
type jsonMeta struct {
	Prepared string   `json:"prepared"`
	Lang     string   `json:"lang"`
	Series   []string `json:"series"`
	Areas    []string `json:"areas"`
	From     string   `json:"from,omitempty"`
	To       string   `json:"to,omitempty"`
	Disagg   *string  `json:"disagg,omitempty"`
}

// jsonSeries opens a series' object; its observations follow.
type jsonSeries struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Indicator     string `json:"indicator"`
	IndicatorName string `json:"indicator_name"`
	Unit          string `json:"unit"`
	UnitMult      int    `json:"unit_mult"`
}

func (j *plainJSON) head() error {
	areas := j.p.Areas
	if areas == nil {
		areas = []string{}
	}
	series := j.p.Series
	if series == nil {
		series = []string{}
	}
	meta, err := json.Marshal(jsonMeta{Prepared: j.prepared.Format(time.RFC3339), Lang: j.p.Lang, Series: series,
		Areas: areas, From: j.p.From, To: j.p.To, Disagg: j.p.Disagg})
	if err != nil {
		return err
	}
	j.w.WriteString(`{"meta":`)
	j.w.Write(meta)
	_, err = j.w.WriteString(`,"series":[`)
	return err
}

func (j *plainJSON) row(o *observations.Observation, m *SeriesMeta) error {
	if o.Series != j.current {
		if j.current != "" {
			j.w.WriteString("]},")
		}
		head, err := json.Marshal(jsonSeries{Code: m.Code, Name: m.Name(j.p.Lang), Indicator: m.Indicator,
			IndicatorName: m.IndicatorName(j.p.Lang), Unit: m.Unit, UnitMult: m.UnitMult})
		if err != nil {
			return err
		}
		j.w.Write(head[:len(head)-1]) // leave the object open for its observations
		j.w.WriteString(`,"observations":[`)
		j.current, j.first = o.Series, true
	}
	b := j.buf[:0]
	if !j.first {
		b = append(b, ',')
	}
	j.first = false
	b = append(b, `{"area":"`...)
	b = append(b, o.Area...)
	b = append(b, `","area_name":`...)
	b = append(b, j.areaName(o.Area)...)
	b = append(b, `,"period":"`...)
	b = append(b, o.Period...)
	b = append(b, `","freq":"`...)
	b = append(b, freqOf(o.Period)...)
	b = append(b, `","disagg":"`...)
	b = append(b, o.Disagg...)
	b = append(b, `","value":`...)
	b = strconv.AppendFloat(b, o.Value, 'f', -1, 64)
	b = append(b, `,"status":"`...)
	b = append(b, o.Status...)
	b = append(b, `","unit_mult":`...)
	b = strconv.AppendInt(b, int64(o.UnitMult), 10)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, o.Source)
	b = append(b, `,"footnote":`...)
	b = appendJSONString(b, o.Footnote)
	b = append(b, '}')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *plainJSON) areaName(code string) []byte {
	if b, ok := j.areas[code]; ok {
		return b
	}
	b := appendJSONString(nil, observations.AreaName(code, j.p.Lang))
	j.areas[code] = b
	return b
}

func (j *plainJSON) end() error {
	if j.current != "" {
		j.w.WriteString("]}")
	}
	_, err := j.w.WriteString("]}\n")
	return err
}

// appendJSONString appends s as a JSON string. Codes and most texts need
// no escaping; those that do go through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s) // a string always marshals
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
