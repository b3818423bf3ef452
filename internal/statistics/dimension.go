// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"slices"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
)

// Dimension is what a table counts by: its rows or, for the second
// dimension, its columns.
type Dimension string

// The dimensions. ConsularNotified is only the columns of
// ConsularCompliance, whose rows are whether the person was told of their
// right.
const (
	Concern             Dimension = "concern"
	Nationality         Dimension = "nationality"
	Sex                 Dimension = "sex"
	AgeBand             Dimension = "age_band"
	Location            Dimension = "location"
	DetentionLength     Dimension = "detention_length"
	ConsularCompliance  Dimension = "consular_compliance"
	ConsularNotified    Dimension = "consular_notified"
	ReferralStatus      Dimension = "referral_status"
	ActType             Dimension = "act_type"
	PerpetratorCategory Dimension = "perpetrator_category"
)

// Unit is what a table counts, for its caption.
type Unit string

// Units.
const (
	UnitCases         Unit = "cases"
	UnitCaseConcerns  Unit = "case_concerns"
	UnitEpisodes      Unit = "detention_episodes"
	UnitNotifications Unit = "consular_notifications"
	UnitReferrals     Unit = "referrals"
	UnitActs          Unit = "acts"
	UnitPerpetrators  Unit = "perpetrators"
)

// spec describes a table by one row dimension.
type spec struct {
	unit Unit
	// columns are the second dimensions it may be crossed with; fixed is
	// the one it always has, when it has one.
	columns []Dimension
	fixed   Dimension
}

// personColumns are the second dimensions of every table whose unit
// concerns one person.
var personColumns = []Dimension{Sex, AgeBand}

var specs = map[Dimension]spec{
	Concern:             {unit: UnitCaseConcerns, columns: personColumns},
	Nationality:         {unit: UnitCases, columns: personColumns},
	Sex:                 {unit: UnitCases, columns: []Dimension{AgeBand}},
	AgeBand:             {unit: UnitCases, columns: []Dimension{Sex}},
	Location:            {unit: UnitCases, columns: personColumns},
	DetentionLength:     {unit: UnitEpisodes, columns: personColumns},
	ConsularCompliance:  {unit: UnitNotifications, fixed: ConsularNotified},
	ReferralStatus:      {unit: UnitReferrals, columns: personColumns},
	ActType:             {unit: UnitActs, columns: personColumns},
	PerpetratorCategory: {unit: UnitPerpetrators},
}

// Dimensions returns the dimensions a table may have as rows, in the order
// pages offer them.
func Dimensions() []Dimension {
	return []Dimension{Concern, Nationality, Sex, AgeBand, Location, DetentionLength, ConsularCompliance,
		ReferralStatus, ActType, PerpetratorCategory}
}

// ColumnDimensions returns the second dimensions tables may be crossed
// with, each where the table counts something about a person (a table by
// sex only by age band, and the reverse).
func ColumnDimensions() []Dimension { return slices.Clone(personColumns) }

// UnitOf returns what a table by d counts.
func UnitOf(d Dimension) Unit { return specs[d].unit }

// valid reports whether d is a row dimension.
func (d Dimension) valid() bool { _, ok := specs[d]; return ok }

// Unknown is the category of a count whose value is not recorded.
const Unknown = "unknown"

// categories returns the categories every table by d lists, even with a
// count of 0, in order; nil for the dimensions whose categories are only
// those found (nationality, place, act type). Categories found that are
// not listed here (such as a term an administrator added to a
// vocabulary) follow them, in the order of their codes.
func categories(d Dimension) []string {
	switch d {
	case Concern:
		out := make([]string, len(cases.Concerns))
		for i, c := range cases.Concerns {
			out[i] = string(c.Code)
		}
		return out
	case Sex:
		return persons.Sexes()
	case AgeBand:
		return ageBands()
	case DetentionLength:
		return detentionBands()
	case ConsularCompliance:
		return []string{ToldInTime, ToldLate, ToldUnknown}
	case ConsularNotified:
		return []string{NotifiedInTime, NotifiedLate, NotNotified, NotificationNotRequired, NotificationUndetermined}
	case ReferralStatus:
		out := []string{}
		for _, st := range referrals.Statuses() {
			out = append(out, string(st))
		}
		return out
	case PerpetratorCategory:
		return []string{"border_guard", "police", "detention_staff", "other_official", "employer", "recruiter",
			"smuggler", "trafficker", "private_individual", Unknown}
	}
	return nil
}
