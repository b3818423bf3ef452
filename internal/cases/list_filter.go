// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/ids"
)

// Filter narrows List and Search. Zero values do not filter. Every
// criterion is a code, an id, a date or a case number, nothing that
// identifies a person, so that a filter may be put in a URL and saved;
// names, documents and phones are Search's Identity, which never is.
type Filter struct {
	Status  Status
	Concern Concern
	// Risk filters on a risk level; a pointer to RiskUnassessed finds the
	// cases not yet assessed.
	Risk    *Risk
	OwnerID string
	TeamID  string
	// Number is a case number, matched exactly; "2026-7" finds 2026-00007.
	Number string
	// Nationality, Country and Admin1 are the principal person's
	// nationality, current country (ISO 3166-1, any form: stored as
	// alpha-3) and current admin-1 area (as recorded on the person; it
	// needs Country).
	Nationality string
	Country     string
	Admin1      string
	// Alert is a kind of open alert (AlertSource.AlertKinds), such as a
	// child in immigration detention.
	Alert string
	// OpenedFrom (inclusive) and OpenedBefore (exclusive) bound when the
	// case was opened; zero leaves that end open.
	OpenedFrom, OpenedBefore time.Time
}

// Reason codes of filter fields, besides the common ones.
const (
	CodeUnknownCountry = "unknown_country"
	CodeNeedsCountry   = "needs_current_country"
	CodeDateOrder      = "date_order"
)

// maxAdmin1Runes is the longest admin-1 area a person may have
// (internal/persons), hence the longest worth filtering on.
const maxAdmin1Runes = 64

// numberRE is a case number as typed: the year, a hyphen, the sequence,
// with or without its leading zeros.
var numberRE = regexp.MustCompile(`^([0-9]{4})-0*([0-9]{1,12})$`)

// NormaliseNumber returns the case number s stands for, as formatNumber
// writes it ("2026-7" and " 2026-0007 " give "2026-00007"), and false when
// s is not a case number.
func NormaliseNumber(s string) (string, bool) {
	m := numberRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	year, _ := strconv.Atoi(m[1])
	n, _ := strconv.ParseInt(m[2], 10, 64)
	if n == 0 {
		return "", false
	}
	return formatNumber(year, n), true
}

// normalise checks f and returns it in stored form (country codes as
// alpha-3, the number as formatNumber writes it, the area trimmed), adding
// a field error to v for each criterion that cannot match anything.
// Whether the alert kind is known is the AlertSource's question.
func (f Filter) normalise(v *ValidationError) Filter {
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", CodeUnknown)
	}
	if f.Concern != "" && !f.Concern.Valid() {
		v.Add("concern", CodeUnknown)
	}
	if f.Risk != nil && !f.Risk.Valid() {
		v.Add("risk", CodeUnknown)
	}
	if f.OwnerID != "" && !ids.Valid(f.OwnerID) {
		v.Add("owner_id", CodeInvalid)
	}
	if f.TeamID != "" && !ids.Valid(f.TeamID) {
		v.Add("team_id", CodeInvalid)
	}
	if f.Number != "" {
		n, ok := NormaliseNumber(f.Number)
		if !ok {
			v.Add("number", CodeInvalid)
		}
		f.Number = n
	}
	f.Nationality = country(v, "nationality", f.Nationality)
	f.Country = country(v, "country", f.Country)
	if f.Admin1 != "" {
		f.Admin1 = v.Text("admin1", f.Admin1, maxAdmin1Runes, false)
		if f.Country == "" && f.Admin1 != "" {
			v.Add("admin1", CodeNeedsCountry)
		}
	}
	if !f.OpenedFrom.IsZero() && !f.OpenedBefore.IsZero() && !f.OpenedBefore.After(f.OpenedFrom) {
		v.Add("opened_to", CodeDateOrder)
	}
	return f
}

// country returns the alpha-3 code of the country code s names, "" for
// "", adding field to v when s is no country.
func country(v *ValidationError, field, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	c, ok := countries.Lookup(s)
	if !ok {
		v.Add(field, CodeUnknownCountry)
		return ""
	}
	return c.Alpha3
}

// Sort is the key a list is ordered by.
type Sort string

// Sort keys. Each orders by its key, then by id, so that the order is
// total and a cursor marks one place in it.
const (
	// SortUpdated orders by the last change: the default.
	SortUpdated Sort = "updated"
	// SortOpened orders by when the case was opened.
	SortOpened Sort = "opened"
	// SortNumber orders by case number: year, then sequence.
	SortNumber Sort = "number"
	// SortRisk orders by risk level (unassessed lowest), then last change.
	SortRisk Sort = "risk"
)

// Sorts lists every sort key.
var Sorts = []Sort{SortUpdated, SortOpened, SortNumber, SortRisk}

// Valid reports whether s is a sort key or "" (the default).
func (s Sort) Valid() bool {
	return s == "" || s == SortUpdated || s == SortOpened || s == SortNumber || s == SortRisk
}

// riskRank orders the risk levels: unassessed 0, then Risks from low (1)
// to critical (4).
func riskRank(r Risk) int {
	for i, level := range Risks {
		if level == r {
			return i + 1
		}
	}
	return 0
}

// riskRankSQL is riskRank in SQL, over cases.risk.
const riskRankSQL = `CASE cases.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END`

// Page is a cursor page request: Cursor is "" for the first page, else the
// cursor the previous page returned, for the same Sort and Ascending.
type Page struct {
	Cursor string
	Limit  int
	// Sort is the key, SortUpdated when ""; the order is descending
	// (newest, highest, most severe first) unless Ascending.
	Sort      Sort
	Ascending bool
}

// Page sizes for List.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

func (pg Page) limit() int {
	switch {
	case pg.Limit <= 0:
		return DefaultPageSize
	case pg.Limit > MaxPageSize:
		return MaxPageSize
	default:
		return pg.Limit
	}
}

func (pg Page) sort() Sort {
	if pg.Sort == "" {
		return SortUpdated
	}
	return pg.Sort
}

// PermAlerts is what filtering on an alert needs besides case.read:
// whether a case has an open detention alert is itself detention data.
const PermAlerts access.Permission = "detention.read"
