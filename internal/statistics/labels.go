// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/i18n"
)

// Label names category code of dimension d in loc's language: the
// existing names of concerns, sexes, countries and referral statuses, the
// statistics' own for bands and compliance, and the Labels of the Config
// for act types and perpetrator categories. A code without a name is shown
// as it is.
func (s *Service) Label(loc *i18n.Locale, d Dimension, code string) string {
	if code == Unknown {
		return loc.T("statistics.unknown")
	}
	key := ""
	switch d {
	case Concern:
		key = "concern." + code
	case Sex:
		key = "cases.sex." + code
	case AgeBand:
		key = "statistics.age." + code
	case DetentionLength:
		key = "statistics.detention." + code
	case ConsularCompliance, ConsularNotified:
		key = "statistics.consular." + code
	case ReferralStatus:
		key = "referral.status." + code
	case Nationality:
		return countryName(loc, code)
	case Location:
		country, admin1 := splitPlace(code)
		if admin1 == "" {
			return countryName(loc, country)
		}
		return loc.T("statistics.place", "country", countryName(loc, country), "area", admin1)
	case ActType, PerpetratorCategory:
		if s.labels != nil {
			if l := s.labels(string(d), code, loc.Code()); l != "" {
				return l
			}
		}
		return code
	}
	if key != "" && loc.Has(key) {
		return loc.T(key)
	}
	return code
}

func countryName(loc *i18n.Locale, code string) string {
	if c, ok := countries.Lookup(code); ok {
		return c.Name(loc.Code())
	}
	return code
}
