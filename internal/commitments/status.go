// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"context"
	"strconv"
)

// Standing is what the records say of one state and one instrument.
type Standing string

// The standings. NoRecord means the records hold nothing: the state may
// or may not be bound, as the shipped data is incomplete.
const (
	Party     Standing = "party"
	Signatory Standing = "signatory"
	NoRecord  Standing = "none"
)

// Status is one state's standing towards one instrument. For a party,
// Action and Date are those of the first act that bound it; Signed is the
// date of signature, if one is recorded.
type Status struct {
	Standing Standing
	Action   Action
	Date     string
	Signed   string
}

// statusOf folds the records of one state and one instrument.
func statusOf(recs []Record) Status {
	st := Status{Standing: NoRecord}
	for _, r := range recs {
		switch {
		case r.Action == Signature:
			st.Signed = r.Date
			if st.Standing == NoRecord {
				st.Standing, st.Date = Signatory, r.Date
			}
		case r.Action.Binding() && (st.Standing != Party || r.Date < st.Date):
			st.Standing, st.Action, st.Date = Party, r.Action, r.Date
		}
	}
	return st
}

// Matrix is the standing of every state with records towards every
// instrument.
type Matrix struct {
	// Countries lists the alpha-3 codes of the states with any record.
	Countries []string
	cells     map[cellKey]Status
}

type cellKey struct{ country, instrument string }

// At returns the status of country towards instrument.
func (m *Matrix) At(country, instrument string) Status {
	if st, ok := m.cells[cellKey{country, instrument}]; ok {
		return st
	}
	return Status{Standing: NoRecord}
}

// Statuses groups records (sorted by country and instrument, as List
// returns them) into a matrix.
func Statuses(recs []Record) *Matrix {
	m := &Matrix{cells: map[cellKey]Status{}}
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].Country == recs[i].Country && recs[j].Instrument == recs[i].Instrument {
			j++
		}
		if len(m.Countries) == 0 || m.Countries[len(m.Countries)-1] != recs[i].Country {
			m.Countries = append(m.Countries, recs[i].Country)
		}
		m.cells[cellKey{recs[i].Country, recs[i].Instrument}] = statusOf(recs[i:j])
		i = j
	}
	return m
}

// Matrix returns the standing of every state towards every instrument.
// It is computed from every record once per version of the records and
// kept: most requests cost one read of the version. The matrix returned
// is shared and must not be changed.
func (s *Service) Matrix(ctx context.Context) (*Matrix, error) {
	var version int64
	if err := s.db.QueryRow(ctx, `SELECT version FROM ratifications_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, err
	}
	if c := s.matrix.Load(); c != nil && c.version == version {
		return c.m, nil
	}
	recs, err := s.List(ctx, Filter{})
	if err != nil {
		return nil, err
	}
	m := Statuses(recs)
	// Records read after the version may be newer than it; the next
	// request then sees a new version and recomputes, so the cache can
	// be ahead of its version but never behind.
	s.matrix.Store(&versionedMatrix{version: version, m: m})
	return m, nil
}

// YearCount is the number of parties at the end of a year.
type YearCount struct {
	Year    int
	Parties int
}

// Timeline counts the parties to an instrument at the end of each year,
// from the year of the first binding act to the year of the latest as_of
// date (or of the last act), from the recorded acts.
func Timeline(m *Matrix, instrument string, lastYear int) []YearCount {
	perYear := map[int]int{}
	first := 0
	for _, c := range m.Countries {
		st := m.At(c, instrument)
		if st.Standing != Party {
			continue
		}
		y, _ := strconv.Atoi(st.Date[:4])
		perYear[y]++
		if first == 0 || y < first {
			first = y
		}
	}
	if first == 0 {
		return nil
	}
	lastYear = max(lastYear, first)
	for y := range perYear {
		lastYear = max(lastYear, y)
	}
	out := make([]YearCount, 0, lastYear-first+1)
	total := 0
	for y := first; y <= lastYear; y++ {
		total += perYear[y]
		out = append(out, YearCount{Year: y, Parties: total})
	}
	return out
}

// Coverage says how much the records cover and as of when, for the notice
// that the data is incomplete.
type Coverage struct {
	Records   int
	Countries int
	// OldestAsOf and NewestAsOf bound the as_of dates; both "" without
	// records.
	OldestAsOf, NewestAsOf string
}

// Coverage reads the extent of the records.
func (s *Service) Coverage(ctx context.Context) (Coverage, error) {
	var c Coverage
	var oldest, newest *string
	err := s.db.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT country), MIN(as_of), MAX(as_of) FROM ratifications`).
		Scan(&c.Records, &c.Countries, &oldest, &newest)
	if oldest != nil {
		c.OldestAsOf, c.NewestAsOf = *oldest, *newest
	}
	return c, err
}

// HasInstrument reports whether any state has a record for instrument.
func (m *Matrix) HasInstrument(instrument string) bool {
	for k := range m.cells {
		if k.instrument == instrument {
			return true
		}
	}
	return false
}
