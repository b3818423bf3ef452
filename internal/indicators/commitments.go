// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/observations"
)

// CoreInstruments are the core UN human rights treaties of the commitments
// catalogue (the OHCHR list of nine, less the enforced-disappearance
// convention, which the catalogue does not hold).
var CoreInstruments = []string{"CERD", "ICESCR", "ICCPR", "CEDAW", "CAT", "CRC", "ICRMW", "CRPD"}

// commitmentMeasure is what a commitments indicator reads: "party:<code>"
// (1 when the state is a party to the instrument at the end of the year,
// 0 when it has only signed), or "count:core" (how many of the core
// instruments it is a party to at the end of the year).
type commitmentMeasure struct {
	instrument string // "" for the count
}

func parseCommitmentMeasure(s string) (commitmentMeasure, error) {
	kind, arg, _ := strings.Cut(s, ":")
	switch {
	case kind == "party":
		if _, ok := commitments.Instruments().Lookup(arg); ok {
			return commitmentMeasure{instrument: arg}, nil
		}
	case kind == "count" && arg == "core":
		return commitmentMeasure{}, nil
	}
	return commitmentMeasure{}, errors.New("indicators: unknown commitments measure")
}

// commitmentValues reads the ratification records for each year of
// from..to. A state with no record at all has no value (the shipped records
// are incomplete: no record is "no data", never "not a party").
func (s *Service) commitmentValues(ctx context.Context, in Indicator, areas []string, from, to string) ([]observations.Observation, error) {
	m, err := parseCommitmentMeasure(in.Expression)
	if err != nil {
		return nil, err
	}
	years, err := s.years(from, to)
	if err != nil {
		return nil, err
	}
	matrix, err := s.commits.Matrix(ctx)
	if err != nil {
		return nil, err
	}
	var out []observations.Observation
	for _, alpha3 := range matrix.Countries {
		c, ok := countries.Lookup(alpha3)
		if !ok || c.Numeric == "" || (len(areas) > 0 && !slices.Contains(areas, c.Numeric)) {
			continue
		}
		for _, y := range years {
			v, ok := commitmentValue(matrix, m, alpha3, y)
			if !ok {
				continue
			}
			out = append(out, observations.Observation{Series: in.MainSeries(), Area: c.Numeric, Period: yearText(y),
				Value: v, Status: observations.StatusFinal, Source: "commitments"})
		}
	}
	slices.SortFunc(out, func(a, b observations.Observation) int {
		if a.Area != b.Area {
			return compareText(a.Area, b.Area)
		}
		return compareText(a.Period, b.Period)
	})
	return out, nil
}

// commitmentValue is the measure for one state at the end of year.
func commitmentValue(matrix *commitments.Matrix, m commitmentMeasure, alpha3 string, year int) (float64, bool) {
	end := yearText(year) + "-12-31"
	bound := func(inst string) (party, signed bool) {
		st := matrix.At(alpha3, inst)
		party = st.Standing == commitments.Party && st.Date <= end
		signed = st.Signed != "" && st.Signed <= end
		return party, signed
	}
	if m.instrument != "" {
		party, signed := bound(m.instrument)
		switch {
		case party:
			return 1, true
		case signed:
			return 0, true
		}
		return 0, false
	}
	n := 0
	for _, inst := range CoreInstruments {
		if party, _ := bound(inst); party {
			n++
		}
	}
	return float64(n), true
}
