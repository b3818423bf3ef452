// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SeriesSummary is a series with what its published values cover.
type SeriesSummary struct {
	SeriesMeta
	Observations            int
	FirstPeriod, LastPeriod string
	// LastPublished is the latest publication of any of its values; zero
	// when it has none.
	LastPublished time.Time
}

// catalog is every series of the registry with its summary, and the
// version it was computed at.
type catalog struct {
	version  string
	versions map[string]int64
	series   []SeriesSummary
}

// publications returns each series' publication version
// (observations.Service.SeriesVersions), which every answer's version
// includes: a publication that only withdraws values leaves a series'
// newest published_at as it was, but must still change what is served.
func (s *Service) publications(ctx context.Context, codes []string) (string, map[string]int64, error) {
	vers, err := s.obs.SeriesVersions(ctx, codes)
	if err != nil {
		return "", nil, err
	}
	var b strings.Builder
	for _, c := range codes {
		b.WriteString(c)
		b.WriteByte('=')
		b.WriteString(strconv.FormatInt(vers[c], 10))
		b.WriteByte(';')
	}
	return b.String(), vers, nil
}

// latestPublished returns, for each code, the newest published_at of its
// published values (0 when none): one step down the index
// published_observations_published per series.
func (s *Service) latestPublished(ctx context.Context, codes []string) (map[string]int64, error) {
	out := make(map[string]int64, len(codes))
	for _, code := range codes {
		var at sql.NullInt64
		if err := s.db.Scan(s.db.QueryRow(ctx,
			`SELECT MAX(published_at) FROM published_observations WHERE series = ?`, code), &at); err != nil {
			return nil, err
		}
		out[code] = at.Int64
	}
	return out, nil
}

// version hashes what an answer about metas depends on: their metadata and
// their latest publications, plus the extra parts given (query, format).
func version(metas []SeriesMeta, latest map[string]int64, extra ...string) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, m := range metas {
		_ = enc.Encode(m) // hashing into memory cannot fail
		h.Write([]byte(strconv.FormatInt(latest[m.Code], 10)))
	}
	for _, e := range extra {
		h.Write([]byte{0})
		h.Write([]byte(e))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Catalog returns every series of the registry with a summary of its
// published values (series without any included, with zero counts), by
// code, and the version of the answer, which changes when a publication
// or the registry does. Summaries are computed again only then.
func (s *Service) Catalog(ctx context.Context) (string, []SeriesSummary, error) {
	metas, err := s.reg.AllSeries(ctx)
	if err != nil {
		return "", nil, err
	}
	slices.SortFunc(metas, func(a, b SeriesMeta) int { return compareStrings(a.Code, b.Code) })
	codes := make([]string, len(metas))
	for i, m := range metas {
		codes[i] = m.Code
	}
	latest, err := s.latestPublished(ctx, codes)
	if err != nil {
		return "", nil, err
	}
	pubs, vers, err := s.publications(ctx, codes)
	if err != nil {
		return "", nil, err
	}
	v := version(metas, latest, pubs)
	s.mu.Lock()
	c := s.catalog
	s.mu.Unlock()
	if c != nil && c.version == v {
		return v, c.series, nil
	}
	// A series not published since keeps its counts: only the series
	// just published (or withdrawn from) are counted again.
	prev := map[string]SeriesSummary{}
	if c != nil {
		for _, sum := range c.series {
			prev[sum.Code] = sum
		}
	}
	out := make([]SeriesSummary, len(metas))
	for i, m := range metas {
		out[i] = SeriesSummary{SeriesMeta: m}
		if latest[m.Code] == 0 {
			continue
		}
		if p, ok := prev[m.Code]; ok && p.Observations > 0 && c.versions[m.Code] == vers[m.Code] {
			p.SeriesMeta = m
			out[i] = p
			continue
		}
		if out[i], err = s.summarise(ctx, m, latest[m.Code]); err != nil {
			return "", nil, err
		}
	}
	s.mu.Lock()
	s.catalog = &catalog{version: v, versions: vers, series: out}
	s.mu.Unlock()
	return v, out, nil
}

// summarise counts a series' published values and finds their periods.
func (s *Service) summarise(ctx context.Context, m SeriesMeta, latest int64) (SeriesSummary, error) {
	sum := SeriesSummary{SeriesMeta: m}
	var first, last sql.NullString
	if err := s.db.Scan(s.db.QueryRow(ctx, `SELECT COUNT(*), MIN(period), MAX(period)
		FROM published_observations WHERE series = ?`, m.Code), &sum.Observations, &first, &last); err != nil {
		return sum, err
	}
	sum.FirstPeriod, sum.LastPeriod = first.String, last.String
	if latest > 0 {
		sum.LastPublished = time.UnixMicro(latest).UTC()
	}
	return sum, nil
}

// Published returns the series that have published values.
func Published(all []SeriesSummary) []SeriesSummary {
	var out []SeriesSummary
	for _, s := range all {
		if s.Observations > 0 {
			out = append(out, s)
		}
	}
	return out
}

// SeriesSummary returns one series with its summary; ErrNotFound for a
// code the registry does not know.
func (s *Service) SeriesSummary(ctx context.Context, code string) (string, SeriesSummary, error) {
	m, err := s.reg.Series(ctx, code)
	if err != nil {
		return "", SeriesSummary{}, err
	}
	latest, err := s.latestPublished(ctx, []string{m.Code})
	if err != nil {
		return "", SeriesSummary{}, err
	}
	pubs, _, err := s.publications(ctx, []string{m.Code})
	if err != nil {
		return "", SeriesSummary{}, err
	}
	sum, err := s.summarise(ctx, m, latest[m.Code])
	return version([]SeriesMeta{m}, latest, pubs), sum, err
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
