// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

// TrendPeriods is how many of the latest periods a trend shows.
const TrendPeriods = 10

// Scorecard is one area's standing on the points of a framework.
type Scorecard struct {
	// Framework is the framework's head (without its nodes).
	Framework frameworks.Framework
	// Area is the M49 code of the country or region.
	Area     string
	IsRegion bool
	// Members are a region's member countries, sorted; nil for a country.
	Members []string
	// Since is the first year that counts as recent for availability.
	Since        string
	Points       []Point
	Availability Availability
	Commitments  Commitments
	// MemberAvailability is each member country's availability, in the
	// order of Members; nil for a country.
	MemberAvailability []MemberAvailability
}

// Point is one top-level node of the framework with the indicators linked
// to it or to any node below it, by code.
type Point struct {
	Node  frameworks.Node
	Lines []Line
}

// Line is one indicator on a scorecard. Values are totals, in the
// indicator's unit and unit multiplier; for a region they are aggregates
// formed by the indicator's rule, or, when its rule is none, the values
// published for the region itself.
type Line struct {
	Indicator indicators.Indicator
	// Latest is the value of the latest period; nil when there is none.
	Latest *observations.Observation
	// Trend is the last TrendPeriods values, oldest first, Latest last.
	Trend    []observations.Observation
	Progress Progress
	// Recent and Migratory say, for a country, whether it has a recent
	// value, and one by migratory status (see Availability).
	Recent, Migratory bool
	// Reporting and ReportingMigratory count, for a region, the members
	// with a recent value and with one by migratory status.
	Reporting, ReportingMigratory int
}

// MemberAvailability is one member country's availability on a region's
// scorecard.
type MemberAvailability struct {
	Area string
	Availability
}

// Scorecard computes the scorecard of area (an M49 country or region code,
// or any ISO 3166-1 code of a country) on framework.
func (s *Service) Scorecard(ctx context.Context, framework, area string) (*Scorecard, error) {
	code, err := observations.NormalizeArea(area)
	if err != nil || !(observations.IsCountryArea(code) || observations.IsRegionArea(code)) {
		return nil, ErrNotFound
	}
	tree, err := s.fw.Tree(ctx, framework)
	if errors.Is(err, frameworks.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	sc := &Scorecard{Area: code, IsRegion: observations.IsRegionArea(code), Since: s.since()}
	sc.Framework = tree
	sc.Framework.Nodes = nil
	if sc.Points, err = s.points(ctx, tree); err != nil {
		return nil, err
	}
	if sc.IsRegion {
		sc.Members = observations.RegionMembers(code)
		err = s.fillRegion(ctx, sc)
	} else {
		err = s.fillCountry(ctx, sc)
	}
	if err != nil {
		return nil, err
	}
	sc.Commitments, err = s.commitments(ctx, sc.Area, sc.Members, sc.IsRegion)
	return sc, err
}

// points lists the framework's top-level nodes with the indicators linked
// to each or to any node below it, from one read of the registry.
func (s *Service) points(ctx context.Context, tree frameworks.Framework) ([]Point, error) {
	top := map[string]int{} // node id → index of its top-level ancestor's point
	var out []Point
	for _, n := range tree.Nodes {
		if n.ParentID == "" {
			top[n.ID] = len(out)
			out = append(out, Point{Node: n})
			continue
		}
		// Tree lists parents before their children.
		top[n.ID] = top[n.ParentID]
	}
	list, err := s.ind.List(ctx, indicators.Filter{})
	if err != nil {
		return nil, err
	}
	for _, in := range list {
		for _, id := range in.Nodes {
			i, ok := top[id]
			if !ok {
				continue
			}
			p := &out[i]
			if !slices.ContainsFunc(p.Lines, func(l Line) bool { return l.Indicator.Code == in.Code }) {
				p.Lines = append(p.Lines, Line{Indicator: in})
			}
		}
	}
	for i := range out {
		slices.SortFunc(out[i].Lines, func(a, b Line) int { return compareCodes(a.Indicator.Code, b.Indicator.Code) })
	}
	return out, nil
}

// lines calls fn for every line of sc.
func (sc *Scorecard) lines(fn func(l *Line) error) error {
	for i := range sc.Points {
		for j := range sc.Points[i].Lines {
			if err := fn(&sc.Points[i].Lines[j]); err != nil {
				return err
			}
		}
	}
	return nil
}

// fillCountry fills a country's lines: entered indicators from one read of
// their main series' totals and two of the index (which have recent
// values, which by migratory status), computed ones through the indicator
// registry.
func (s *Service) fillCountry(ctx context.Context, sc *Scorecard) error {
	var series []string
	err := sc.lines(func(l *Line) error {
		if stored(l.Indicator) && l.Indicator.MainSeries() != "" {
			series = append(series, l.Indicator.MainSeries())
		}
		return nil
	})
	if err != nil {
		return err
	}
	totals := map[string][]observations.Observation{}
	recent, migratory := map[string]bool{}, map[string]bool{}
	if len(series) > 0 {
		q := observations.Query{Series: series, Areas: []string{sc.Area}, Disagg: observations.Totals()}
		if err := s.obs.Each(ctx, q, func(o observations.Observation) error {
			totals[o.Series] = append(totals[o.Series], o)
			return nil
		}); err != nil {
			return err
		}
		for _, m := range []struct {
			set       map[string]bool
			migratory bool
		}{{recent, false}, {migratory, true}} {
			found, err := s.seriesWith(ctx, sc.Area, series, sc.Since, m.migratory)
			if err != nil {
				return err
			}
			for _, code := range found {
				m.set[code] = true
			}
		}
	}
	seen := map[string]bool{} // an indicator under two points counts once
	return sc.lines(func(l *Line) error {
		in := l.Indicator
		var vals []observations.Observation
		switch in.Computation {
		case indicators.Entered, indicators.Live:
			vals = totals[in.MainSeries()]
			l.Recent, l.Migratory = recent[in.MainSeries()], migratory[in.MainSeries()]
		default:
			all, err := s.ind.Values(ctx, observations.LayerPublished, in.Code, []string{sc.Area}, "", "")
			if err != nil {
				return err
			}
			for _, o := range all {
				if o.Disagg == "" {
					vals = append(vals, o)
				}
				if o.Period >= sc.Since {
					l.Recent = true
					l.Migratory = l.Migratory || byMigratoryStatus(o.Disagg)
				}
			}
		}
		setTrend(l, vals)
		if seen[in.Code] {
			return nil
		}
		seen[in.Code] = true
		sc.Availability.Indicators++
		if l.Recent {
			sc.Availability.Recent++
		}
		if l.Migratory {
			sc.Availability.Migratory++
		}
		return nil
	})
}

// setTrend sets a line's trend, latest value and progress from its totals
// (sorted by period).
func setTrend(l *Line, vals []observations.Observation) {
	vals = slices.Clone(vals)
	slices.SortFunc(vals, func(a, b observations.Observation) int { return compareCodes(a.Period, b.Period) })
	if len(vals) > TrendPeriods {
		vals = vals[len(vals)-TrendPeriods:]
	}
	for i := range vals {
		vals[i] = inUnit(l.Indicator, vals[i])
	}
	l.Trend = vals
	if len(vals) > 0 {
		l.Latest = &l.Trend[len(vals)-1]
	}
	l.Progress = Assess(l.Indicator, l.Trend)
}

// inUnit restates o in its indicator's unit multiplier, which its target
// is given in.
func inUnit(in indicators.Indicator, o observations.Observation) observations.Observation {
	if o.UnitMult != in.UnitMult {
		o.Value *= pow10(o.UnitMult - in.UnitMult)
		o.UnitMult = in.UnitMult
	}
	return o
}

// fillRegion fills a region's lines with aggregates and its members'
// availability.
func (s *Service) fillRegion(ctx context.Context, sc *Scorecard) error {
	members := make([]MemberAvailability, len(sc.Members))
	for i, m := range sc.Members {
		members[i].Area = m
	}
	seen := map[string]bool{} // an indicator under two points counts once
	err := sc.lines(func(l *Line) error {
		in := l.Indicator
		vals, err := s.regionTrend(ctx, in, sc.Area)
		if err != nil {
			return err
		}
		setTrend(l, vals)
		sets, err := s.countryAvailability(ctx, in)
		if err != nil {
			return err
		}
		counted := seen[in.Code]
		seen[in.Code] = true
		for i := range members {
			m := &members[i]
			if !counted {
				m.Indicators++
			}
			if sets.recent[m.Area] {
				l.Reporting++
				if !counted {
					m.Recent++
				}
			}
			if sets.migratory[m.Area] {
				l.ReportingMigratory++
				if !counted {
					m.Migratory++
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range members {
		sc.Availability.add(m.Availability)
	}
	sc.MemberAvailability = members
	return nil
}

// stored reports whether an indicator's published values are observations
// of its main series: an entered one's, and a live one's, whose counts are
// published only by being recorded as observations and approved.
func stored(in indicators.Indicator) bool {
	return in.Computation == indicators.Entered || in.Computation == indicators.Live
}

// regionTrend is a region's totals of an indicator over the last
// TrendPeriods periods: the region's own published values, and for the
// periods without one the aggregate of its members by the indicator's rule.
func (s *Service) regionTrend(ctx context.Context, in indicators.Indicator, region string) ([]observations.Observation, error) {
	switch {
	case in.Aggregation == indicators.NoAggregate || in.Computation == indicators.Live:
		return s.ownValues(ctx, in, region)
	case in.Computation == indicators.Entered:
		if in.MainSeries() == "" {
			return nil, nil
		}
		out, err := s.enteredRegionValues(ctx, in, region, "")
		if len(out) > TrendPeriods {
			out = out[len(out)-TrendPeriods:]
		}
		return out, err
	}
	key, err := s.computedKey(ctx, in)
	if err != nil {
		return nil, err
	}
	return remembered(ctx, s, "trendc|"+key+"|"+region, func() ([]observations.Observation, error) {
		return s.computedTrend(ctx, in, region)
	})
}

// computedKey names what a computed indicator's values depend on besides
// the published data, for keeping them: its definition, and for a
// commitments indicator the version of the ratification records, which
// the commitments service's shared matrix stands for (it makes a new one
// for each version).
func (s *Service) computedKey(ctx context.Context, in indicators.Indicator) (string, error) {
	key := in.Code + "|" + in.Expression + "|" + in.UpdatedAt.String()
	if in.Computation == indicators.Commitments {
		m, err := s.com.Matrix(ctx)
		if err != nil {
			return "", err
		}
		key += fmt.Sprintf("|%p", m)
	}
	return key, nil
}

// ownValues are the totals published for an area itself.
func (s *Service) ownValues(ctx context.Context, in indicators.Indicator, area string) ([]observations.Observation, error) {
	var out []observations.Observation
	if stored(in) {
		if in.MainSeries() == "" {
			return nil, nil
		}
		return s.obs.All(ctx, observations.Query{Series: []string{in.MainSeries()}, Areas: []string{area},
			Disagg: observations.Totals()})
	}
	all, err := s.ind.Values(ctx, observations.LayerPublished, in.Code, []string{area}, "", "")
	for _, o := range all {
		if o.Disagg == "" {
			out = append(out, o)
		}
	}
	return out, err
}

// computedTrend aggregates a computed indicator (formula, composite,
// commitments) for the region through the registry, for the last
// TrendPeriods periods in which any member has a value.
func (s *Service) computedTrend(ctx context.Context, in indicators.Indicator, region string) ([]observations.Observation, error) {
	vals, err := s.ind.Values(ctx, observations.LayerPublished, in.Code, observations.RegionMembers(region), "", "")
	if err != nil {
		return nil, err
	}
	var periods []string
	for _, o := range vals {
		if o.Disagg == "" && !slices.Contains(periods, o.Period) {
			periods = append(periods, o.Period)
		}
	}
	slices.SortFunc(periods, compareCodes)
	if len(periods) > TrendPeriods {
		periods = periods[len(periods)-TrendPeriods:]
	}
	var out []observations.Observation
	for _, p := range periods {
		o, ok, err := s.ind.Aggregate(ctx, observations.LayerPublished, in.Code, region, p)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, o)
		}
	}
	return out, nil
}

// compareCodes orders codes and periods as text, which orders periods of
// one frequency in time and indicator codes as the registry lists them.
func compareCodes(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
