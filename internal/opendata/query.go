// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/observations"
)

// ParamError is a query parameter that cannot be answered: Param names it,
// Code says why ("invalid", "too_many", "unknown").
type ParamError struct{ Param, Code string }

func (e *ParamError) Error() string {
	return fmt.Sprintf("opendata: parameter %s: %s", e.Param, e.Code)
}

// Limits of a data query, so that a query string cannot make a statement
// with thousands of parameters.
const (
	maxSeries = 100
	maxAreas  = 300
)

// DataQuery selects published values.
type DataQuery struct {
	// Series are codes; none means every series with published values.
	Series []string
	// Areas are M49 codes (or ISO 3166-2 subdivisions); none means all.
	Areas []string
	// From and To bound the period, inclusively; "" is open.
	From, To string
	// Disagg is nil for every disaggregation, "" for totals only, or one
	// disaggregation key.
	Disagg *string
	Lang   string
	Format Format
}

// ParseDataQuery reads the filters of a data request: series (comma list;
// path, when given, is the one series of the path instead), area (comma
// list of M49 or ISO codes), from, to (periods) and disagg (a key such as
// SEX=F;AGE=Y15T64, or _T for totals only). The format and language are
// set by the caller.
func ParseDataQuery(v url.Values, path string) (DataQuery, error) {
	var q DataQuery
	if path != "" {
		q.Series = []string{strings.ToUpper(path)}
	} else if s := v.Get("series"); s != "" {
		for _, code := range splitList(s) {
			code = strings.ToUpper(code)
			if !observations.SeriesCode.MatchString(code) {
				return q, &ParamError{"series", "invalid"}
			}
			if !slices.Contains(q.Series, code) {
				q.Series = append(q.Series, code)
			}
		}
		if len(q.Series) > maxSeries {
			return q, &ParamError{"series", "too_many"}
		}
		slices.Sort(q.Series)
	}
	if s := v.Get("area"); s != "" {
		for _, a := range splitList(s) {
			code, err := observations.NormalizeArea(a)
			if err != nil {
				return q, &ParamError{"area", "invalid"}
			}
			if !slices.Contains(q.Areas, code) {
				q.Areas = append(q.Areas, code)
			}
		}
		if len(q.Areas) > maxAreas {
			return q, &ParamError{"area", "too_many"}
		}
		slices.Sort(q.Areas)
	}
	for _, b := range []struct {
		name string
		dst  *string
	}{{"from", &q.From}, {"to", &q.To}} {
		if s := v.Get(b.name); s != "" {
			p, err := observations.ParsePeriod(s)
			if err != nil {
				return q, &ParamError{b.name, "invalid"}
			}
			*b.dst = p.Text
		}
	}
	if q.From != "" && q.To != "" && q.From > q.To {
		return q, &ParamError{"to", "before_from"}
	}
	if v.Has("disagg") {
		s := strings.TrimSpace(v.Get("disagg"))
		switch s {
		case observations.Total, "":
			q.Disagg = observations.Totals()
		default:
			d, err := observations.ParseDisagg(s)
			if err != nil {
				return q, &ParamError{"disagg", "invalid"}
			}
			key := d.Key()
			q.Disagg = &key
		}
	}
	return q, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// normalized is the query in one spelling, for its ETag.
func (q DataQuery) normalized() string {
	d := "*"
	if q.Disagg != nil {
		d = "=" + *q.Disagg
	}
	return strings.Join([]string{strings.Join(q.Series, ","), strings.Join(q.Areas, ","), q.From, q.To, d,
		q.Lang, string(q.Format)}, "|")
}

func (q DataQuery) observations() observations.Query {
	return observations.Query{Layer: observations.LayerPublished, Series: q.Series, Areas: q.Areas,
		Disagg: q.Disagg, From: q.From, To: q.To}
}

// Prepared is a data query whose series are known: what a writer needs
// and the version (ETag) of the answer.
type Prepared struct {
	DataQuery
	Metas   map[string]SeriesMeta
	Version string
}

// ETag is the quoted entity tag of the answer.
func (p *Prepared) ETag() string { return `"` + p.Version + `"` }

// Prepare looks up the query's series (ErrNotFound for one the registry
// does not know; every series with published values when none is named)
// and the version of the answer: their metadata, latest publications, the
// query and the format.
func (s *Service) Prepare(ctx context.Context, q DataQuery) (*Prepared, error) {
	var metas []SeriesMeta
	if len(q.Series) == 0 {
		_, all, err := s.Catalog(ctx)
		if err != nil {
			return nil, err
		}
		for _, sum := range Published(all) {
			metas = append(metas, sum.SeriesMeta)
			q.Series = append(q.Series, sum.Code)
		}
	} else {
		for _, code := range q.Series {
			m, err := s.reg.Series(ctx, code)
			if err != nil {
				return nil, err
			}
			metas = append(metas, m)
		}
	}
	latest, err := s.latestPublished(ctx, q.Series)
	if err != nil {
		return nil, err
	}
	pubs, _, err := s.publications(ctx, q.Series)
	if err != nil {
		return nil, err
	}
	p := &Prepared{DataQuery: q, Metas: make(map[string]SeriesMeta, len(metas))}
	for _, m := range metas {
		p.Metas[m.Code] = m
	}
	p.Version = version(metas, latest, q.normalized(), pubs)
	return p, nil
}
