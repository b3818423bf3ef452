// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

// MaxChartAreas bounds the areas one chart compares, as many as its
// palette tells apart.
const MaxChartAreas = 8

// Table orders.
const (
	SortArea   = "area"
	SortValue  = "value"
	SortPeriod = "period"
)

// ExploreQuery is what the explorer shows of one indicator.
type ExploreQuery struct {
	Indicator string
	// Areas are the countries and regions the chart compares (M49, or any
	// ISO 3166-1 code of a country); none means the world, for an
	// indicator that aggregates.
	Areas []string
	// Disagg is the disaggregation shown, as a key ("SEX=F"); "" the
	// totals.
	Disagg string
	// From and To bound the chart's periods, inclusively; "" is open.
	From, To string
	// Period is the period of the map and the table; "" the latest with
	// data.
	Period string
	// Sort orders the table: SortArea (by name in Lang, the default),
	// SortValue or SortPeriod; Desc reverses it.
	Sort string
	Desc bool
	Lang string
}

// Exploration is what the explorer shows.
type Exploration struct {
	Indicator indicators.Indicator
	// Query is the query as understood: codes in their canonical form,
	// defaults filled in.
	Query ExploreQuery
	// Disaggs are the disaggregations with published values, the totals
	// first; Periods the periods with values in Query.Disagg, in order.
	Disaggs, Periods []string
	// Lines are the chart's areas with their values in From..To, and
	// Categories the periods any of them has a value for, in order.
	Lines      []ChartLine
	Categories []string
	// Rows are the table: every area's value in Query.Period, sorted as
	// asked. The map shows those of countries.
	Rows []observations.Observation
}

// ChartLine is one area's values on the chart, by period.
type ChartLine struct {
	Area   string
	Values []observations.Observation
}

// Value returns the line's value in period, NaN when it has none.
func (l ChartLine) Value(period string) float64 {
	i := slices.IndexFunc(l.Values, func(o observations.Observation) bool { return o.Period == period })
	if i < 0 {
		return math.NaN()
	}
	return l.Values[i].Value
}

// Explore computes what the explorer shows of one indicator. An unknown
// indicator is ErrNotFound; a malformed area, disaggregation or period is a
// *fielderr.Error naming the parameter.
func (s *Service) Explore(ctx context.Context, q ExploreQuery) (*Exploration, error) {
	in, err := s.ind.Get(ctx, q.Indicator)
	if errors.Is(err, indicators.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	q.Indicator = in.Code
	if err := normalizeQuery(&q, in); err != nil {
		return nil, err
	}
	ex := &Exploration{Indicator: in, Query: q}
	if err := s.explorePeriods(ctx, ex); err != nil {
		return nil, err
	}
	if err := s.exploreChart(ctx, ex); err != nil {
		return nil, err
	}
	if err := s.exploreTable(ctx, ex); err != nil {
		return nil, err
	}
	return ex, nil
}

// normalizeQuery checks q and writes its codes canonically.
func normalizeQuery(q *ExploreQuery, in indicators.Indicator) error {
	fe := &fielderr.Error{}
	var areas []string
	for _, a := range q.Areas {
		if strings.TrimSpace(a) == "" {
			continue
		}
		code, err := observations.NormalizeArea(a)
		if err != nil {
			fe.Add("area", fielderr.CodeInvalid)
			break
		}
		if !slices.Contains(areas, code) {
			areas = append(areas, code)
		}
	}
	if len(areas) > MaxChartAreas {
		fe.Add("area", fielderr.CodeTooLong)
	}
	if len(areas) == 0 && in.Aggregation != indicators.NoAggregate {
		areas = []string{observations.World}
	}
	q.Areas = areas
	if d, err := observations.CanonicalDisagg(q.Disagg); err != nil {
		fe.Add("disagg", fielderr.CodeInvalid)
	} else {
		q.Disagg = d
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"from", &q.From}, {"to", &q.To}, {"period", &q.Period}} {
		*f.v = strings.TrimSpace(*f.v)
		if *f.v == "" {
			continue
		}
		p, err := observations.ParsePeriod(*f.v)
		if err != nil {
			fe.Add(f.name, fielderr.CodeInvalid)
			continue
		}
		*f.v = p.Text
	}
	switch q.Sort {
	case "":
		q.Sort = SortArea
	case SortArea, SortValue, SortPeriod:
	default:
		fe.Add("sort", fielderr.CodeInvalid)
	}
	return fe.OrNil()
}

// explorePeriods lists the disaggregations and periods with data and
// picks the map's period.
func (s *Service) explorePeriods(ctx context.Context, ex *Exploration) error {
	in, q := ex.Indicator, &ex.Query
	if stored(in) {
		if in.MainSeries() == "" {
			return nil
		}
		var err error
		if ex.Disaggs, err = s.disaggsOf(ctx, in.MainSeries()); err != nil {
			return err
		}
		if ex.Periods, err = s.periodsOf(ctx, in.MainSeries(), q.Disagg); err != nil {
			return err
		}
	} else {
		vals, err := s.ind.Values(ctx, observations.LayerPublished, in.Code, nil, "", "")
		if err != nil {
			return err
		}
		for _, o := range vals {
			if !slices.Contains(ex.Disaggs, o.Disagg) {
				ex.Disaggs = append(ex.Disaggs, o.Disagg)
			}
			if o.Disagg == q.Disagg && !slices.Contains(ex.Periods, o.Period) {
				ex.Periods = append(ex.Periods, o.Period)
			}
		}
		slices.SortFunc(ex.Disaggs, compareCodes)
		slices.SortFunc(ex.Periods, compareCodes)
	}
	if q.Period == "" && len(ex.Periods) > 0 {
		q.Period = ex.Periods[len(ex.Periods)-1]
	}
	return nil
}

// exploreChart reads the chart's lines: countries' values, regions'
// aggregates (or their own values, for an indicator that does not
// aggregate).
func (s *Service) exploreChart(ctx context.Context, ex *Exploration) error {
	in, q := ex.Indicator, ex.Query
	var countries []string
	for _, a := range q.Areas {
		if !observations.IsRegionArea(a) {
			countries = append(countries, a)
		}
	}
	byArea := map[string][]observations.Observation{}
	if len(countries) > 0 {
		vals, err := s.values(ctx, in, countries, q.Disagg, q.From, q.To)
		if err != nil {
			return err
		}
		for _, o := range vals {
			byArea[o.Area] = append(byArea[o.Area], o)
		}
	}
	for _, a := range q.Areas {
		if !observations.IsRegionArea(a) {
			continue
		}
		vals, err := s.regionValues(ctx, in, a, q.Disagg, q.From, q.To)
		if err != nil {
			return err
		}
		byArea[a] = vals
	}
	seen := map[string]bool{}
	for _, a := range q.Areas {
		vals := byArea[a]
		slices.SortFunc(vals, func(x, y observations.Observation) int { return compareCodes(x.Period, y.Period) })
		ex.Lines = append(ex.Lines, ChartLine{Area: a, Values: vals})
		for _, o := range vals {
			if !seen[o.Period] {
				seen[o.Period] = true
				ex.Categories = append(ex.Categories, o.Period)
			}
		}
	}
	slices.SortFunc(ex.Categories, compareCodes)
	return nil
}

// inRange reports whether period lies in from..to, which bound the period
// text as observations.Query does: to "2020" takes in "2020-Q3".
func inRange(period, from, to string) bool {
	return (from == "" || period >= from) && (to == "" || period < to+"~")
}

// values are the indicator's values in one disaggregation for areas
// (every area when nil) and periods from..to.
func (s *Service) values(ctx context.Context, in indicators.Indicator, areas []string, disagg, from, to string) ([]observations.Observation, error) {
	if stored(in) {
		if in.MainSeries() == "" {
			return nil, nil
		}
		return s.obs.All(ctx, observations.Query{Series: []string{in.MainSeries()}, Areas: areas, Disagg: &disagg, From: from, To: to})
	}
	all, err := s.ind.Values(ctx, observations.LayerPublished, in.Code, areas, from, to)
	out := all[:0]
	for _, o := range all {
		if o.Disagg == disagg {
			out = append(out, o)
		}
	}
	return out, err
}

// regionValues are a region's values in one disaggregation and periods
// from..to: its own published values and, for an entered indicator, the
// aggregates of its members by the indicator's rule where it has none.
func (s *Service) regionValues(ctx context.Context, in indicators.Indicator, region, disagg, from, to string) ([]observations.Observation, error) {
	if in.Aggregation == indicators.NoAggregate || in.Computation == indicators.Live {
		return s.values(ctx, in, []string{region}, disagg, from, to)
	}
	var out []observations.Observation
	if in.Computation == indicators.Entered {
		all, err := s.enteredRegionValues(ctx, in, region, disagg)
		for _, o := range all {
			if inRange(o.Period, from, to) {
				out = append(out, o)
			}
		}
		return out, err
	}
	if disagg != "" {
		// The registry aggregates totals only.
		return nil, nil
	}
	trend, err := s.computedTrend(ctx, in, region)
	for _, o := range trend {
		if inRange(o.Period, from, to) {
			out = append(out, o)
		}
	}
	return out, err
}

// exploreTable reads every area's value in the map's period and sorts
// them.
func (s *Service) exploreTable(ctx context.Context, ex *Exploration) error {
	q := ex.Query
	if q.Period == "" {
		return nil
	}
	vals, err := s.values(ctx, ex.Indicator, nil, q.Disagg, q.Period, q.Period)
	if err != nil {
		return err
	}
	for _, o := range vals {
		if o.Period == q.Period {
			ex.Rows = append(ex.Rows, o)
		}
	}
	SortRows(ex.Rows, q.Sort, q.Desc, q.Lang)
	return nil
}

// SortRows orders a table's rows by area name in lang, value or period,
// ties broken by area code so that the order is always the same.
func SortRows(rows []observations.Observation, by string, desc bool, lang string) {
	names := map[string]string{}
	// A Collator is not safe for concurrent use, so each call makes its own.
	col := collate.New(language.Make(lang))
	if by == SortArea {
		for _, o := range rows {
			names[o.Area] = observations.AreaName(o.Area, lang)
		}
	}
	slices.SortStableFunc(rows, func(a, b observations.Observation) int {
		c := 0
		switch by {
		case SortValue:
			c = compareFloats(a.Value*pow10(a.UnitMult), b.Value*pow10(b.UnitMult))
		case SortPeriod:
			c = compareCodes(a.Period, b.Period)
		default:
			c = col.CompareString(names[a.Area], names[b.Area])
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = compareCodes(a.Area, b.Area)
		}
		return c
	})
}

func compareFloats(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
