// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"math"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/fielderr"
)

// normCache remembers how each distinct area, period and disaggregation
// key of a batch is spelt, or that it is invalid, so that a file of
// millions of rows parses each of them once.
type normCache struct {
	areas, periods, disaggs map[string]normalized
}

type normalized struct {
	text string
	dims []string // a disaggregation's dimensions
	ok   bool
}

func newNormCache() normCache {
	return normCache{areas: map[string]normalized{}, periods: map[string]normalized{}, disaggs: map[string]normalized{}}
}

// normalize is the package's normalize with the cache: it puts o into its
// one spelling and answers the first bad field and its reason, "" when o
// is valid.
func (c *normCache) normalize(o *Observation, info SeriesInfo) (field, code string) {
	area, ok := c.areas[o.Area]
	if !ok {
		text, err := NormalizeArea(o.Area)
		area = normalized{text: text, ok: err == nil}
		c.areas[strings.Clone(o.Area)] = area
	}
	if !area.ok {
		return "area", fielderr.CodeInvalid
	}
	period, ok := c.periods[o.Period]
	if !ok {
		p, err := ParsePeriod(o.Period)
		period = normalized{text: p.Text, ok: err == nil}
		c.periods[strings.Clone(o.Period)] = period
	}
	if !period.ok {
		return "period", fielderr.CodeInvalid
	}
	disagg, ok := c.disaggs[o.Disagg]
	if !ok {
		d, err := ParseDisagg(o.Disagg)
		disagg = normalized{text: d.Key(), ok: err == nil}
		for dim := range d {
			disagg.dims = append(disagg.dims, dim)
		}
		c.disaggs[strings.Clone(o.Disagg)] = disagg
	}
	if !disagg.ok {
		return "disagg", fielderr.CodeInvalid
	}
	for _, dim := range disagg.dims {
		if !slices.Contains(info.Dimensions, dim) {
			return "disagg", CodeNotAllowed
		}
	}
	o.Area, o.Period, o.Disagg = area.text, period.text, disagg.text
	if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
		return "value", CodeNotFinite
	}
	switch o.Status {
	case StatusFinal, StatusProvisional, StatusEstimated:
	case "":
		o.Status = StatusFinal
	default:
		if s := strings.ToUpper(strings.TrimSpace(o.Status)); slices.Contains(Statuses(), s) {
			o.Status = s
		} else {
			return "status", fielderr.CodeInvalid
		}
	}
	if o.UnitMult < -15 || o.UnitMult > 15 {
		return "unit_mult", CodeOutOfRange
	}
	if o.Source != "" || o.Footnote != "" {
		var e fielderr.Error
		o.Source = e.Text("source", o.Source, maxSource, false)
		o.Footnote = e.Text("footnote", o.Footnote, maxFootnote, true)
		if len(e.Errors) > 0 {
			return e.Errors[0].Field, e.Errors[0].Code
		}
	}
	return "", ""
}
