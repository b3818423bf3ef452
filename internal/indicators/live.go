// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"context"
	"errors"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/statistics"
)

// liveMeasures are the measures a live indicator may name: those
// internal/statistics computes through disclosure control.
var liveMeasures = func() map[string]bool {
	m := map[string]bool{}
	for _, name := range statistics.Measures() {
		m[name] = true
	}
	return m
}()

// ErrWithheld is the answer for a live value that disclosure control
// withholds: it would rest on fewer than k records.
var ErrWithheld = errors.New("indicators: value withheld by disclosure control")

// LiveResult is a live value for one country and period.
type LiveResult struct {
	Indicator string
	Area      string // M49 code of the country
	Period    string
	statistics.MeasureResult
}

// LiveValue computes a live indicator for one country (an M49 code or any
// ISO 3166-1 code) and period from the current case data, protected by
// disclosure control, for a principal who may read working data
// (observation.read) and statistics.
func (s *Service) LiveValue(ctx context.Context, p access.Principal, code, area, period string) (LiveResult, error) {
	if !p.Can(PermObservationRead) {
		return LiveResult{}, ErrForbidden
	}
	in, err := s.Get(ctx, code)
	if err != nil {
		return LiveResult{}, err
	}
	if in.Computation != Live {
		return LiveResult{}, ErrNotComputable
	}
	fe := &fielderr.Error{}
	m49, err := observations.NormalizeArea(area)
	var alpha3 string
	if err == nil {
		if c, ok := countries.Lookup(m49); ok && observations.IsCountryArea(m49) {
			alpha3 = c.Alpha3
		}
	}
	if alpha3 == "" {
		fe.Add("area", "not_a_country")
	}
	per, err := observations.ParsePeriod(period)
	if err != nil {
		fe.Add("period", fielderr.CodeInvalid)
	}
	if err := fe.OrNil(); err != nil {
		return LiveResult{}, err
	}
	r, err := s.stats.Measure(ctx, p, in.Expression, alpha3, per.Start, per.End.AddDate(0, 0, 1))
	if errors.Is(err, statistics.ErrForbidden) {
		return LiveResult{}, ErrForbidden
	}
	if err != nil {
		return LiveResult{}, err
	}
	return LiveResult{Indicator: in.Code, Area: m49, Period: per.Text, MeasureResult: r}, nil
}

// LiveValues computes a live indicator on the working layer for each
// country of areas and each year of from..to, leaving out withheld values:
// what Values gives for other computations, for a principal who may read
// working data.
func (s *Service) LiveValues(ctx context.Context, p access.Principal, code string, areas []string, from, to string) ([]observations.Observation, error) {
	in, err := s.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	years, err := s.years(from, to)
	if err != nil {
		return nil, err
	}
	var out []observations.Observation
	for _, a := range areas {
		if !observations.IsCountryArea(a) {
			continue
		}
		for _, y := range years {
			r, err := s.LiveValue(ctx, p, code, a, yearText(y))
			if err != nil {
				return nil, err
			}
			if r.Withheld {
				continue
			}
			out = append(out, liveObservation(r, in.MainSeries()))
		}
	}
	return out, nil
}

// RecordLive computes a live value and records it as a draft observation
// of the indicator's main series (a batch of kind "live"), so that it can
// be reviewed, approved and published like any other value: the only way a
// live figure leaves the system. A withheld value is ErrWithheld and
// records nothing. It needs observation.write besides what LiveValue needs.
func (s *Service) RecordLive(ctx context.Context, p access.Principal, code, area, period string) (observations.Observation, error) {
	r, err := s.LiveValue(ctx, p, code, area, period)
	if err != nil {
		return observations.Observation{}, err
	}
	if r.Withheld {
		return observations.Observation{}, ErrWithheld
	}
	in, err := s.Get(ctx, code)
	if err != nil {
		return observations.Observation{}, err
	}
	o := liveObservation(r, in.MainSeries())
	o.UnitMult = in.UnitMult
	id, err := s.obs.Put(ctx, p, observations.KindLive, []observations.Observation{o})
	if errors.Is(err, observations.ErrForbidden) {
		return observations.Observation{}, ErrForbidden
	}
	if err != nil {
		return observations.Observation{}, err
	}
	o.ImportID = id
	return o, nil
}

func liveObservation(r LiveResult, series string) observations.Observation {
	return observations.Observation{Series: series, Area: r.Area, Period: r.Period, Value: r.Value,
		Status: observations.StatusProvisional, Source: "live:" + r.Measure,
		Footnote: "Computed from case data at " + r.At.Format("2006-01-02 15:04 UTC") + " under disclosure control"}
}
