// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/fielderr"
)

// Observation is one value of a series for an area, a period and a
// disaggregation (Disagg is the key's one spelling, "" for the total).
type Observation struct {
	Series, Area, Disagg, Period string
	Value                        float64
	Status                       string
	UnitMult                     int
	Source, Footnote             string
	ImportID, ChangedBy          string
	ChangedAt                    time.Time
}

// Key names one observation.
type Key struct{ Series, Area, Disagg, Period string }

// Key returns the observation's key.
func (o Observation) Key() Key { return Key{o.Series, o.Area, o.Disagg, o.Period} }

// SetKey names one approval set: a series, an area and a period.
type SetKey struct{ Series, Area, Period string }

// SetKey returns the set the observation belongs to.
func (o Observation) SetKey() SetKey { return SetKey{o.Series, o.Area, o.Period} }

// Field length limits.
const (
	maxSource   = 500
	maxFootnote = 1000
)

// SeriesCode is the form of a series code.
var SeriesCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,39}$`)

// Reason codes beyond fielderr's own.
const (
	CodeRequired     = "required"
	CodeUnknown      = "unknown"
	CodeNotAllowed   = "not_allowed"
	CodeNotFinite    = "not_finite"
	CodeDuplicate    = "duplicate"
	CodeOutOfRange   = "out_of_range"
	CodeNotPublished = "not_published"
)

// normalize checks o and puts every field into its one spelling; info is
// its series. It returns the field errors, naming fields as import files
// and forms do.
func normalize(o *Observation, info SeriesInfo) *fielderr.Error {
	var e fielderr.Error
	var err error
	if o.Area, err = NormalizeArea(o.Area); err != nil {
		e.Add("area", fielderr.CodeInvalid)
	}
	if p, err := ParsePeriod(o.Period); err != nil {
		e.Add("period", fielderr.CodeInvalid)
	} else {
		o.Period = p.Text
	}
	if d, err := ParseDisagg(o.Disagg); err != nil {
		e.Add("disagg", fielderr.CodeInvalid)
	} else {
		for dim := range d {
			if !slices.Contains(info.Dimensions, dim) {
				e.Add("disagg", CodeNotAllowed)
				break
			}
		}
		o.Disagg = d.Key()
	}
	if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
		e.Add("value", CodeNotFinite)
	}
	o.Status = strings.ToUpper(strings.TrimSpace(o.Status))
	if o.Status == "" {
		o.Status = StatusFinal
	}
	if !slices.Contains(Statuses(), o.Status) {
		e.Add("status", fielderr.CodeInvalid)
	}
	if o.UnitMult < -15 || o.UnitMult > 15 {
		e.Add("unit_mult", CodeOutOfRange)
	}
	o.Source = e.Text("source", o.Source, maxSource, false)
	o.Footnote = e.Text("footnote", o.Footnote, maxFootnote, true)
	return &e
}
