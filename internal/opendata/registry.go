// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"context"
	"errors"

	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

// FromIndicators reads series from the indicators registry.
func FromIndicators(ind *indicators.Service) Registry { return indicatorRegistry{ind} }

type indicatorRegistry struct{ ind *indicators.Service }

func (r indicatorRegistry) AllSeries(ctx context.Context) ([]SeriesMeta, error) {
	list, err := r.ind.List(ctx, indicators.Filter{})
	if err != nil {
		return nil, err
	}
	var out []SeriesMeta
	for _, in := range list {
		series, err := r.ind.SeriesOf(ctx, in.Code)
		if err != nil {
			return nil, err
		}
		for _, se := range series {
			out = append(out, meta(in, se))
		}
	}
	return out, nil
}

func (r indicatorRegistry) Series(ctx context.Context, code string) (SeriesMeta, error) {
	info, err := r.ind.SeriesInfo(ctx, code)
	if errors.Is(err, observations.ErrUnknownSeries) {
		return SeriesMeta{}, ErrNotFound
	}
	if err != nil {
		return SeriesMeta{}, err
	}
	in, err := r.ind.Get(ctx, info.Indicator)
	if err != nil {
		return SeriesMeta{}, err
	}
	series, err := r.ind.SeriesOf(ctx, in.Code)
	if err != nil {
		return SeriesMeta{}, err
	}
	for _, se := range series {
		if se.Code == code {
			return meta(in, se), nil
		}
	}
	return SeriesMeta{}, ErrNotFound
}

// meta describes a series; a series without a unit of its own has its
// indicator's.
func meta(in indicators.Indicator, se indicators.Series) SeriesMeta {
	m := SeriesMeta{Code: se.Code, Indicator: in.Code, Names: se.Names, IndicatorNames: in.Names,
		Unit: se.Unit, UnitMult: se.UnitMult}
	if m.Unit == "" {
		m.Unit, m.UnitMult = in.Unit, in.UnitMult
	}
	if len(m.Names) == 0 {
		m.Names = in.Names
	}
	return m
}
