// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Notification is the consular notification record of one detained foreign
// national in one episode (Vienna Convention on Consular Relations, art.
// 36(1)(b)): the authorities must tell the person "without delay" of their
// right to have their consulate informed, and inform it without delay if
// they so request — or whatever their wish, where a bilateral agreement
// makes notification mandatory.
type Notification struct {
	ID        string
	OrgID     string
	EpisodeID string
	NotificationInput
	CreatedBy string
	CreatedAt time.Time
	UpdatedBy string
	UpdatedAt time.Time
}

// NotificationInput is what a person records of a consular notification.
type NotificationInput struct {
	// Nationality is the ISO 3166-1 alpha-3 code of the state whose
	// consulate is concerned (for a dual national, one record per
	// nationality); any ISO form on input. It may not be the detaining
	// state: art. 36 protects foreign nationals.
	Nationality string
	// Consulate names the consular post (a code or a name, no personal
	// data); empty when not known.
	Consulate string
	// ArrestedAt is when the person was arrested or otherwise deprived of
	// liberty; every period is measured from it.
	ArrestedAt time.Time
	// ToldAt is when the person was told of their right; nil if not (yet).
	ToldAt *time.Time
	// Requested is whether the person asked for their consulate to be
	// notified; nil when the answer is not recorded.
	Requested *bool
	// NotifiedAt is when the consulate was notified; nil if not (yet).
	NotifiedAt *time.Time
	// FirstContactAt is the first contact between the consulate and the
	// person; nil if none (yet).
	FirstContactAt *time.Time
}

const maxConsulate = 200

// NormalizeNotification checks in and returns it in canonical form.
// detainingCountry is the alpha-3 code of the episode's facility country;
// now is the current time, which no recorded time may follow. Every time
// after the arrest must not precede it (a consulate may learn of a
// detention before the person is told, so the order of the other times is
// free).
func NormalizeNotification(in NotificationInput, detainingCountry string, now time.Time) (NotificationInput, []FieldError) {
	var errs []FieldError
	add := func(field, code string) { errs = append(errs, FieldError{Field: field, Code: code}) }
	out := in
	out.Nationality = strings.TrimSpace(in.Nationality)
	out.Consulate = strings.TrimSpace(in.Consulate)
	if c, code := country(out.Nationality); code != "" {
		add("nationality", code)
	} else {
		out.Nationality = c
		if c == detainingCountry {
			add("nationality", CodeSameCountry)
		}
	}
	checkText(out.Consulate, "consulate", maxConsulate, add)
	arrestOK := false
	if in.ArrestedAt.IsZero() {
		add("arrested_at", CodeRequired)
	} else {
		out.ArrestedAt = canonical(in.ArrestedAt)
		if out.ArrestedAt.After(now) {
			add("arrested_at", CodeFuture)
		} else {
			arrestOK = true
		}
	}
	after := func(field string, t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		c := canonical(*t)
		switch {
		case c.IsZero():
			add(field, CodeInvalidDate)
		case c.After(now):
			add(field, CodeFuture)
		case arrestOK && c.Before(out.ArrestedAt):
			add(field, CodeBeforeArrest)
		}
		return &c
	}
	out.ToldAt = after("told_at", in.ToldAt)
	if in.Requested != nil {
		r := *in.Requested
		out.Requested = &r
	}
	out.NotifiedAt = after("notified_at", in.NotifiedAt)
	out.FirstContactAt = after("first_contact_at", in.FirstContactAt)
	return out, errs
}

// MandatoryCountry records that the detaining state has agreed, with the
// state of Nationality, to notify that state's consulate of the detention
// of its nationals whatever their wish (a bilateral consular convention).
// Entered by a deployment with the published source; none ships with
// Amparo.
type MandatoryCountry struct {
	DetainingCountry string // ISO 3166-1 alpha-3
	Nationality      string // ISO 3166-1 alpha-3
	Source           string
	AsOf             string // YYYY-MM-DD
	UpdatedBy        string
	UpdatedAt        time.Time
}

// NormalizeMandatoryCountry checks m and returns it in canonical form;
// today as for NormalizeLegalLimit.
func NormalizeMandatoryCountry(m MandatoryCountry, today string) (MandatoryCountry, []FieldError) {
	var errs []FieldError
	add := func(field, code string) { errs = append(errs, FieldError{Field: field, Code: code}) }
	out := MandatoryCountry{DetainingCountry: strings.TrimSpace(m.DetainingCountry),
		Nationality: strings.TrimSpace(m.Nationality), Source: strings.TrimSpace(m.Source), AsOf: strings.TrimSpace(m.AsOf)}
	detOK := false
	if c, code := country(out.DetainingCountry); code != "" {
		add("detaining_country", code)
	} else {
		out.DetainingCountry, detOK = c, true
	}
	if c, code := country(out.Nationality); code != "" {
		add("nationality", code)
	} else {
		out.Nationality = c
		if detOK && c == out.DetainingCountry {
			add("nationality", CodeSameCountry)
		}
	}
	checkSource(out.Source, add)
	out.AsOf = checkAsOf(out.AsOf, today, add)
	return out, errs
}

// Status is where one consular obligation stands.
type Status string

// Statuses.
const (
	StatusInTime      Status = "in_time"      // done within the limit
	StatusLate        Status = "late"         // done after the limit
	StatusOverdue     Status = "overdue"      // not done, and the limit has passed
	StatusPending     Status = "pending"      // not done, and the limit has not passed
	StatusNotRequired Status = "not_required" // the person declined and notification is not mandatory
	// StatusUndetermined: whether notification is required cannot be
	// known, because the person's wish is not recorded and notification is
	// not mandatory. It is never presumed required: notifying a consulate
	// against a person's wish can endanger them (for instance a person
	// seeking asylum from that state).
	StatusUndetermined Status = "undetermined"
)

// Done reports whether the obligation was met, in time or late.
func (s Status) Done() bool { return s == StatusInTime || s == StatusLate }

// Compliance is the assessment of one notification record.
type Compliance struct {
	// Mandatory: a bilateral agreement makes notification mandatory.
	Mandatory bool
	// Told is whether the person was told of their right within the limit
	// (the told_in_time rule).
	Told         Status
	ToldDeadline time.Time
	// NotificationRequired is Yes when the person asked or notification is
	// mandatory, No when the person declined and it is not mandatory,
	// Unknown when the wish is not recorded and it is not mandatory.
	NotificationRequired Answer
	// Notified is whether the consulate was notified within the limit
	// (the notified_in_time rule): StatusNotRequired or
	// StatusUndetermined when NotificationRequired is No or Unknown.
	Notified       Status
	NotifyDeadline time.Time
	// NotifiedAgainstWish: the consulate was notified although the person
	// declined and no agreement made it mandatory.
	NotifiedAgainstWish bool
}

// Assess computes the compliance of n at now. mandatory says whether an
// agreement between the detaining state and n.Nationality makes
// notification mandatory. Both periods run from the arrest and last
// cfg.ConsularHours; an act exactly at the limit is in time.
func Assess(n Notification, mandatory bool, cfg Config, now time.Time) Compliance {
	limit := time.Duration(cfg.WithDefaults().ConsularHours) * time.Hour
	deadline := n.ArrestedAt.UTC().Add(limit)
	c := Compliance{Mandatory: mandatory, ToldDeadline: deadline, NotifyDeadline: deadline}
	c.Told = timeliness(n.ToldAt, deadline, now)
	switch {
	case mandatory || (n.Requested != nil && *n.Requested):
		c.NotificationRequired = Yes
		c.Notified = timeliness(n.NotifiedAt, deadline, now)
	case n.Requested != nil:
		c.NotificationRequired = No
		c.Notified = StatusNotRequired
		c.NotifiedAgainstWish = n.NotifiedAt != nil
	default:
		c.NotificationRequired = Unknown
		c.Notified = StatusUndetermined
	}
	return c
}

// timeliness places an act that was due by deadline.
func timeliness(done *time.Time, deadline, now time.Time) Status {
	switch {
	case done != nil && !done.After(deadline):
		return StatusInTime
	case done != nil:
		return StatusLate
	case now.After(deadline):
		return StatusOverdue
	default:
		return StatusPending
	}
}

// ConsularAlerts returns the overdue alerts of the notification n of the
// episode ep at now: consular_right_not_told when the person has not been
// told of their right and the limit has passed, consulate_not_notified when
// notification is required (asked for, or mandatory) and has not happened
// by the limit. A closed episode raises none: the failure is then a fact
// for the compliance rates, not something anyone can still put right.
func ConsularAlerts(ep Episode, n Notification, mandatory bool, cfg Config, now time.Time) []Alert {
	if !ep.OpenAt(now) {
		return nil
	}
	c := Assess(n, mandatory, cfg, now)
	var out []Alert
	if c.Told == StatusOverdue {
		a := newAlert(AlertConsularRightNotTold, ep, c.ToldDeadline, c.ToldDeadline)
		a.NotificationID = n.ID
		out = append(out, a)
	}
	if c.Notified == StatusOverdue {
		a := newAlert(AlertConsulateNotNotified, ep, c.NotifyDeadline, c.NotifyDeadline)
		a.NotificationID = n.ID
		out = append(out, a)
	}
	SortAlerts(out)
	return out
}

// GroupBy chooses the groups of ComplianceRates.
type GroupBy string

// Groupings.
const (
	ByNationality GroupBy = "nationality" // the nationality whose consulate is concerned
	ByAuthority   GroupBy = "authority"   // the detaining authority ("" when not recorded)
	ByTotal       GroupBy = "total"       // one group of everything, with key ""
)

// ComplianceRecord is one assessed notification with the attributes
// ComplianceRates groups by.
type ComplianceRecord struct {
	Nationality string
	Authority   string
	Compliance  Compliance
}

// Ratio is a rate kept as its counts, so that nothing is lost to rounding
// and disclosure control can work on the counts.
type Ratio struct{ Num, Den int }

// Value returns Num/Den; ok is false when Den is 0 (no rate can be given).
func (r Ratio) Value() (v float64, ok bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// ComplianceRate is the compliance of one group of records.
type ComplianceRate struct {
	Key     string
	Records int
	// Telling the person of their right.
	ToldInTime, ToldLate, NotTold, ToldPending int
	// Notifying the consulate, where required.
	NotificationRequired                                     int
	NotifiedInTime, NotifiedLate, NotNotified, NotifyPending int
	NotificationNotRequired, NotificationUndetermined        int
	NotifiedAgainstWish                                      int
	// ToldRate is ToldInTime over the records whose telling is decided (in
	// time, late, or overdue); pending records are left out because their
	// outcome is not known yet. NotifiedRate is the same for notification,
	// over the records where it is required.
	ToldRate, NotifiedRate Ratio
}

// ComplianceRates counts compliance per group of records, groups sorted by
// key. Any GroupBy other than ByNationality and ByAuthority gives one group
// of everything (ByTotal). An empty input gives no groups.
func ComplianceRates(records []ComplianceRecord, by GroupBy) []ComplianceRate {
	groups := map[string]*ComplianceRate{}
	for _, r := range records {
		var key string
		switch by {
		case ByNationality:
			key = r.Nationality
		case ByAuthority:
			key = r.Authority
		}
		g := groups[key]
		if g == nil {
			g = &ComplianceRate{Key: key}
			groups[key] = g
		}
		g.add(r.Compliance)
	}
	out := make([]ComplianceRate, 0, len(groups))
	for _, g := range groups {
		g.ToldRate = Ratio{g.ToldInTime, g.ToldInTime + g.ToldLate + g.NotTold}
		g.NotifiedRate = Ratio{g.NotifiedInTime, g.NotifiedInTime + g.NotifiedLate + g.NotNotified}
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b ComplianceRate) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

func (g *ComplianceRate) add(c Compliance) {
	g.Records++
	switch c.Told {
	case StatusInTime:
		g.ToldInTime++
	case StatusLate:
		g.ToldLate++
	case StatusOverdue:
		g.NotTold++
	case StatusPending:
		g.ToldPending++
	}
	if c.NotificationRequired == Yes {
		g.NotificationRequired++
	}
	switch c.Notified {
	case StatusInTime:
		g.NotifiedInTime++
	case StatusLate:
		g.NotifiedLate++
	case StatusOverdue:
		g.NotNotified++
	case StatusPending:
		g.NotifyPending++
	case StatusNotRequired:
		g.NotificationNotRequired++
	case StatusUndetermined:
		g.NotificationUndetermined++
	}
	if c.NotifiedAgainstWish {
		g.NotifiedAgainstWish++
	}
}
