// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"math"
	"strconv"

	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

// Status says where a value stands towards its indicator's target.
type Status string

// The statuses. An indicator whose polarity is neutral has no better
// direction, so even with a target value it is NoTarget.
const (
	Met      Status = "met"       // the latest value reaches the target
	OnTrack  Status = "on_track"  // not yet, but its trend reaches it by the target year
	OffTrack Status = "off_track" // not reached, and its trend does not reach it (or there is no trend to tell)
	NoTarget Status = "no_target" // no target value, or a neutral polarity
	NoData   Status = "no_data"   // a target, but no published value
)

// Progress is the distance of a value to its target.
type Progress struct {
	Status Status
	// Distance is how far the latest value is from the target in the
	// better direction, in the indicator's unit: 0 once met; meaningful
	// for Met, OnTrack and OffTrack only.
	Distance float64
	// Projected is the value the trend gives for the target year, NaN when
	// there is none.
	Projected float64
}

// Assess places the latest of trend (totals in the indicator's unit, oldest
// first) against the indicator's target. The trend's straight line from its
// first to its last value, carried to the target year, tells a value not
// yet at its target on track or off track; a target year already past, or
// a trend of fewer than two periods, leaves it off track.
func Assess(in indicators.Indicator, trend []observations.Observation) Progress {
	p := Progress{Status: NoTarget, Projected: math.NaN()}
	if in.TargetValue == nil || (in.Polarity != indicators.Higher && in.Polarity != indicators.Lower) {
		return p
	}
	if len(trend) == 0 {
		p.Status = NoData
		return p
	}
	target := *in.TargetValue
	last := trend[len(trend)-1]
	reached := func(v float64) bool {
		if in.Polarity == indicators.Higher {
			return v >= target
		}
		return v <= target
	}
	if reached(last.Value) {
		p.Status = Met
		return p
	}
	p.Distance = math.Abs(target - last.Value)
	p.Status = OffTrack
	first := trend[0]
	t0, ok0 := yearOf(first.Period)
	t1, ok1 := yearOf(last.Period)
	if in.TargetYear == 0 || !ok0 || !ok1 || t1 <= t0 || float64(in.TargetYear)+1 <= t1 {
		return p
	}
	rate := (last.Value - first.Value) / (t1 - t0)
	// The target year's value is read at its end.
	p.Projected = last.Value + rate*(float64(in.TargetYear)+1-t1)
	if reached(p.Projected) {
		p.Status = OnTrack
	}
	return p
}

// yearOf is the moment a period ends, in years: 2020 ends at 2021.0,
// 2020-Q2 at 2020.5.
func yearOf(period string) (float64, bool) {
	p, err := observations.ParsePeriod(period)
	if err != nil {
		return 0, false
	}
	end := p.End.AddDate(0, 0, 1)
	return float64(end.Year()) + float64(end.YearDay()-1)/365, true
}

func yearText(y int) string { return strconv.Itoa(y) }
