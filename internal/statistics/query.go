// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
)

// Query asks for one table: its rows, its columns ("" for none) and which
// records it counts.
type Query struct {
	Dimension Dimension
	Column    Dimension
	Filter    Filter
}

// Filter narrows the records a table counts. The zero Filter counts
// everything. Every field holds codes and quarters only, never anything
// about a person, so that a filter may travel in an address.
//
// For cases, and for the detention episodes, consular notifications and
// referrals of cases, From and To bound the quarter the case was opened in
// and Nationality and Country are the case's principal person's, but for a
// consular notification Nationality is the one whose consulate it concerns
// (the detained national's own). For the
// acts and perpetrators of violations they bound the quarter the event
// began in, Country is the event's, and Nationality the victim's (for a
// perpetrator, a victim's of an act of the event); the employers and
// recruiters of an exploitation case count as its case's.
type Filter struct {
	// OrgID counts one organisation's records only; "" counts all.
	OrgID string
	// From and To are the first and last quarter counted; zero for no
	// bound.
	From, To Quarter
	// Nationality and Country are ISO 3166-1 alpha-3 codes; "" for any.
	Nationality, Country string
}

// Quarter is a quarter of a year; the zero Quarter is none.
type Quarter struct{ Year, Q int }

var quarterRE = regexp.MustCompile(`^([0-9]{4})-Q([1-4])$`)

// ParseQuarter reads a quarter written as "2026-Q3".
func ParseQuarter(s string) (Quarter, bool) {
	m := quarterRE.FindStringSubmatch(s)
	if m == nil {
		return Quarter{}, false
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	if y < 1900 {
		return Quarter{}, false
	}
	return Quarter{Year: y, Q: q}, true
}

// IsZero reports whether q is no quarter.
func (q Quarter) IsZero() bool { return q.Year == 0 }

// String writes q as "2026-Q3", or "" for no quarter.
func (q Quarter) String() string {
	if q.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-Q%d", q.Year, q.Q)
}

// Start is the first instant of q, in UTC.
func (q Quarter) Start() time.Time {
	return time.Date(q.Year, time.Month(3*q.Q-2), 1, 0, 0, 0, 0, time.UTC)
}

// End is the first instant after q.
func (q Quarter) End() time.Time { return q.Start().AddDate(0, 3, 0) }

// Before reports whether q comes before r.
func (q Quarter) Before(r Quarter) bool { return q.Year < r.Year || (q.Year == r.Year && q.Q < r.Q) }

// maxParam is the longest value a parameter may have; longer ones are
// refused unread.
const maxParam = 64

// ParseQuery reads a table's query: dimension names its rows, and values
// the rest as an address's query string carries them — column, org, from,
// to, nationality, country. Other parameters are ignored. Countries may be
// given in any ISO 3166-1 form and come back as alpha-3. A table whose
// dimension always has columns gets them when column is not given. Invalid
// parameters give a fielderr.Error naming each.
func ParseQuery(dimension string, values url.Values) (Query, error) {
	v := &fielderr.Error{}
	get := func(name string) string {
		s := values.Get(name)
		if len(s) > maxParam {
			v.Add(name, fielderr.CodeTooLong)
			return ""
		}
		return s
	}
	q := Query{Dimension: Dimension(dimension), Column: Dimension(get("column"))}
	if len(dimension) > maxParam || !q.Dimension.valid() {
		v.Add("dimension", "unknown")
	} else {
		sp := specs[q.Dimension]
		switch {
		case q.Column == "":
			q.Column = sp.fixed
		case sp.fixed != "" && q.Column != sp.fixed, sp.fixed == "" && !slices.Contains(sp.columns, q.Column):
			v.Add("column", "not_available")
		}
	}
	if org := get("org"); org != "" {
		if !ids.Valid(org) {
			v.Add("org", fielderr.CodeInvalid)
		}
		q.Filter.OrgID = org
	}
	for _, f := range []struct {
		name string
		to   *Quarter
	}{{"from", &q.Filter.From}, {"to", &q.Filter.To}} {
		if s := get(f.name); s != "" {
			var ok bool
			if *f.to, ok = ParseQuarter(s); !ok {
				v.Add(f.name, fielderr.CodeInvalid)
			}
		}
	}
	if !q.Filter.From.IsZero() && !q.Filter.To.IsZero() && q.Filter.To.Before(q.Filter.From) {
		v.Add("to", "date_order")
	}
	for _, f := range []struct {
		name string
		to   *string
	}{{"nationality", &q.Filter.Nationality}, {"country", &q.Filter.Country}} {
		if s := get(f.name); s != "" {
			c, ok := countries.Lookup(s)
			if !ok {
				v.Add(f.name, "unknown_country")
				continue
			}
			*f.to = c.Alpha3
		}
	}
	if err := v.OrNil(); err != nil {
		return Query{}, err
	}
	return q, nil
}

// Values writes q's parameters as ParseQuery reads them (without the
// dimension), leaving out those not set, so that a page can link the
// same table in another form.
func (q Query) Values() url.Values {
	out := url.Values{}
	set := func(k, v string) {
		if v != "" {
			out.Set(k, v)
		}
	}
	if q.Column != specs[q.Dimension].fixed {
		set("column", string(q.Column))
	}
	set("org", q.Filter.OrgID)
	set("from", q.Filter.From.String())
	set("to", q.Filter.To.String())
	set("nationality", q.Filter.Nationality)
	set("country", q.Filter.Country)
	return out
}
