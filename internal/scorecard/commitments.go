// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"

	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
)

// Commitments sums up the standing of a country, or of a region's member
// countries, towards the instruments of the commitments catalogue. A
// country without a record has "no data", never "not a party": the records
// are known to be incomplete.
type Commitments struct {
	// Instruments has one entry per instrument, in catalogue order.
	Instruments []InstrumentStanding
	// Party, Signatory and NoRecord count the entries' countries: for a
	// country, its instruments in each standing.
	Party, Signatory, NoRecord int
}

// InstrumentStanding is the standing towards one instrument: a country's
// Status, or for a region how many members are parties, signatories or
// without a record.
type InstrumentStanding struct {
	Code                       string
	Status                     commitments.Status
	Party, Signatory, NoRecord int
}

// commitments sums up the records for a country (area) or a region's
// members.
func (s *Service) commitments(ctx context.Context, area string, members []string, region bool) (Commitments, error) {
	var out Commitments
	m, err := s.com.Matrix(ctx)
	if err != nil {
		return out, err
	}
	states := members
	if !region {
		states = []string{area}
	}
	alpha3 := make([]string, 0, len(states))
	for _, code := range states {
		if c, ok := countries.Lookup(code); ok {
			alpha3 = append(alpha3, c.Alpha3)
		}
	}
	for _, in := range s.com.Catalog().All() {
		st := InstrumentStanding{Code: in.Code}
		for _, a3 := range alpha3 {
			status := m.At(a3, in.Code)
			if !region {
				st.Status = status
			}
			switch status.Standing {
			case commitments.Party:
				st.Party++
			case commitments.Signatory:
				st.Signatory++
			default:
				st.NoRecord++
			}
		}
		out.Party += st.Party
		out.Signatory += st.Signatory
		out.NoRecord += st.NoRecord
		out.Instruments = append(out.Instruments, st)
	}
	return out, nil
}
