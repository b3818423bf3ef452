// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"net/url"
	"slices"
	"time"
)

// Criteria are what a case list is asked for besides its page: a filter
// and an order. None of it identifies a person, so criteria may be written
// as a URL's query string (Values), which is how the list pages and the
// API take them and how saved searches keep them.
type Criteria struct {
	Filter    Filter
	Sort      Sort
	Ascending bool
}

// CriteriaParams are the query parameters ParseCriteria reads, each
// holding one value: the filter's fields, then the order ("sort" one of
// Sorts, "dir" asc or desc). Dates are YYYY-MM-DD in UTC, opened_to
// included.
var CriteriaParams = []string{"status", "concern", "risk", "owner_id", "team_id", "number", "nationality", "country",
	"admin1", "alert", "opened_from", "opened_to", "sort", "dir"}

// riskUnassessedParam stands for RiskUnassessed (the empty string) in a
// query string, where empty means no filter.
const riskUnassessedParam = "unassessed"

// ParseCriteria reads the criteria in q, ignoring parameters not in
// CriteriaParams (the caller decides whether those are errors), and checks
// them as List does, but for the alert kind, which only List knows.
// Problems come back as one ValidationError naming every parameter at
// fault.
func ParseCriteria(q url.Values) (Criteria, error) {
	v := &ValidationError{}
	get := func(name string) string {
		vals := q[name]
		if len(vals) > 1 {
			v.Add(name, CodeInvalid)
		}
		if len(vals) == 0 {
			return ""
		}
		return vals[0]
	}
	var c Criteria
	f := &c.Filter
	f.Status, f.Concern = Status(get("status")), Concern(get("concern"))
	switch r := get("risk"); r {
	case "":
	case riskUnassessedParam:
		f.Risk = new(RiskUnassessed)
	default:
		f.Risk = new(Risk(r))
		if *f.Risk == RiskUnassessed {
			v.Add("risk", CodeUnknown)
		}
	}
	f.OwnerID, f.TeamID, f.Number = get("owner_id"), get("team_id"), get("number")
	f.Nationality, f.Country, f.Admin1, f.Alert = get("nationality"), get("country"), get("admin1"), get("alert")
	date := func(name string) time.Time {
		s := get(name)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Add(name, "invalid_date")
		}
		return t
	}
	f.OpenedFrom = date("opened_from")
	if to := date("opened_to"); !to.IsZero() {
		f.OpenedBefore = to.AddDate(0, 0, 1)
	}
	c.Sort = Sort(get("sort"))
	if !c.Sort.Valid() {
		v.Add("sort", CodeUnknown)
	}
	switch get("dir") {
	case "", "desc":
	case "asc":
		c.Ascending = true
	default:
		v.Add("dir", CodeUnknown)
	}
	c.Filter.normalise(v)
	return c, v.OrNil()
}

// Values writes c as ParseCriteria reads it, leaving out what is not set
// and the default order. Encode sorts the parameters, so equal criteria
// encode alike.
func (c Criteria) Values() url.Values {
	q := url.Values{}
	set := func(name, value string) {
		if value != "" {
			q.Set(name, value)
		}
	}
	f := c.Filter
	set("status", string(f.Status))
	set("concern", string(f.Concern))
	if f.Risk != nil {
		risk := string(*f.Risk)
		if *f.Risk == RiskUnassessed {
			risk = riskUnassessedParam
		}
		set("risk", risk)
	}
	set("owner_id", f.OwnerID)
	set("team_id", f.TeamID)
	set("number", f.Number)
	set("nationality", f.Nationality)
	set("country", f.Country)
	set("admin1", f.Admin1)
	set("alert", f.Alert)
	if !f.OpenedFrom.IsZero() {
		set("opened_from", f.OpenedFrom.UTC().Format(time.DateOnly))
	}
	if !f.OpenedBefore.IsZero() {
		set("opened_to", f.OpenedBefore.UTC().AddDate(0, 0, -1).Format(time.DateOnly))
	}
	if c.Sort != SortUpdated {
		set("sort", string(c.Sort))
	}
	if c.Ascending {
		set("dir", "asc")
	}
	return q
}

// Page returns the page request of c's order from cursor, of limit cases.
func (c Criteria) Page(cursor string, limit int) Page {
	return Page{Cursor: cursor, Limit: limit, Sort: c.Sort, Ascending: c.Ascending}
}

// Empty reports whether c asks for nothing but the default order.
func (c Criteria) Empty() bool {
	return len(c.Values()) == 0
}

// UnknownParams returns the parameters of q that are neither criteria nor
// one of also, sorted, for callers that refuse them.
func UnknownParams(q url.Values, also ...string) []string {
	var out []string
	for name := range q {
		if !slices.Contains(CriteriaParams, name) && !slices.Contains(also, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
