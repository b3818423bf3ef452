// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"regexp"
	"time"
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
