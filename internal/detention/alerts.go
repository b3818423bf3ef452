// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"cmp"
	"slices"
	"time"
)

// Config holds an organisation's settings for the rules. A zero field means
// its default (DefaultConfig).
type Config struct {
	// WarnDays: the approaching_legal_maximum alert opens this many days
	// before the legal maximum is reached. Default 7: a week is the least
	// a lawyer needs to bring a case before the maximum passes.
	WarnDays int
	// ReviewDays: the no_judicial_review alert opens when no court has
	// reviewed the detention this many days after it began. Default 2 (48
	// hours), the benchmark the Human Rights Committee sets for bringing a
	// detained person before a judge (General Comment No. 35, ¶33);
	// national law may set a shorter or longer period.
	ReviewDays int
	// ConsularHours: the time after arrest within which the person must be
	// told of their right to consular contact, and the consulate notified
	// when that is required. The Vienna Convention says "without delay";
	// default 72 hours.
	ConsularHours int
}

// Defaults and bounds of Config.
const (
	DefaultWarnDays      = 7
	DefaultReviewDays    = 2
	DefaultConsularHours = 72

	MaxWarnDays      = 365
	MaxReviewDays    = 365
	MaxConsularHours = 720
)

// DefaultConfig returns the settings of an organisation that has set none.
func DefaultConfig() Config {
	return Config{WarnDays: DefaultWarnDays, ReviewDays: DefaultReviewDays, ConsularHours: DefaultConsularHours}
}

// WithDefaults returns c with every zero (or negative) field set to its
// default.
func (c Config) WithDefaults() Config {
	d := DefaultConfig()
	if c.WarnDays <= 0 {
		c.WarnDays = d.WarnDays
	}
	if c.ReviewDays <= 0 {
		c.ReviewDays = d.ReviewDays
	}
	if c.ConsularHours <= 0 {
		c.ConsularHours = d.ConsularHours
	}
	return c
}

// ValidateConfig reports settings out of bounds. Zero is not accepted on
// input (it would silently mean the default).
func ValidateConfig(c Config) []FieldError {
	var errs []FieldError
	for _, f := range []struct {
		name     string
		v, limit int
	}{
		{"warn_days", c.WarnDays, MaxWarnDays},
		{"review_days", c.ReviewDays, MaxReviewDays},
		{"consular_hours", c.ConsularHours, MaxConsularHours},
	} {
		switch {
		case f.v < 1:
			errs = append(errs, FieldError{Field: f.name, Code: CodeTooSmall})
		case f.v > f.limit:
			errs = append(errs, FieldError{Field: f.name, Code: CodeTooLarge})
		}
	}
	return errs
}

// AlertKind names a condition that calls for action.
type AlertKind string

// Alert kinds.
const (
	// An open immigration-detention episode of a child or possible child.
	AlertChildInImmigrationDetention AlertKind = "child_in_immigration_detention"
	// An open immigration-detention episode longer than the legal maximum.
	AlertPastLegalMaximum AlertKind = "past_legal_maximum"
	// An open immigration-detention episode within Config.WarnDays of it.
	AlertApproachingLegalMaximum AlertKind = "approaching_legal_maximum"
	// An open episode with no judicial review within Config.ReviewDays.
	AlertNoJudicialReview AlertKind = "no_judicial_review"
	// A detained foreign national not told of their right to consular
	// contact within Config.ConsularHours of arrest.
	AlertConsularRightNotTold AlertKind = "consular_right_not_told"
	// A consulate not notified within Config.ConsularHours of arrest when
	// the person asked or the agreement makes notification mandatory.
	AlertConsulateNotNotified AlertKind = "consulate_not_notified"
)

// Priority orders alerts: higher is more urgent.
type Priority int

// Priorities.
const (
	PriorityLow      Priority = 1
	PriorityMedium   Priority = 2
	PriorityHigh     Priority = 3
	PriorityCritical Priority = 4
)

func (p Priority) String() string {
	switch p {
	case PriorityCritical:
		return "critical"
	case PriorityHigh:
		return "high"
	case PriorityMedium:
		return "medium"
	case PriorityLow:
		return "low"
	}
	return "none"
}

// priorities gives each kind its priority. A child in immigration detention
// outranks everything; a missed deadline outranks an approaching one.
var priorities = map[AlertKind]Priority{
	AlertChildInImmigrationDetention: PriorityCritical,
	AlertPastLegalMaximum:            PriorityHigh,
	AlertNoJudicialReview:            PriorityHigh,
	AlertConsularRightNotTold:        PriorityHigh,
	AlertConsulateNotNotified:        PriorityHigh,
	AlertApproachingLegalMaximum:     PriorityMedium,
}

// PriorityOf returns the priority of kind.
func PriorityOf(kind AlertKind) Priority { return priorities[kind] }

// Alert is a condition of an open episode that calls for action. It names
// records by id only and carries no personal data.
type Alert struct {
	Kind     AlertKind
	Priority Priority
	OrgID    string
	CaseID   string
	PersonID string
	// EpisodeID is the episode concerned; NotificationID the consular
	// notification record for the consular kinds.
	EpisodeID      string
	NotificationID string
	// Since is when the condition arose: the start of detention for a
	// child, the missed deadline for past_legal_maximum, no_judicial_review
	// and the consular kinds, the opening of the warning window for
	// approaching_legal_maximum.
	Since time.Time
	// Due is the deadline at stake: the start of detention for a child
	// (action is due immediately), the legal maximum for the two limit
	// kinds, the end of the review or consular period for the others.
	Due time.Time
	// Child is the child status behind a child alert.
	Child ChildStatus
}

func newAlert(kind AlertKind, ep Episode, since, due time.Time) Alert {
	return Alert{Kind: kind, Priority: priorities[kind], OrgID: ep.OrgID, CaseID: ep.CaseID, PersonID: ep.PersonID,
		EpisodeID: ep.ID, Since: since, Due: due}
}

// Evaluate returns the alerts the episode ep raises at now, most urgent
// first. person is what is known of the detained person's birth; limit is
// the legal maximum of the episode's facility country, or nil when none is
// recorded (a limit of another country is ignored). A closed episode, or
// one not yet begun, raises none.
//
//   - child_in_immigration_detention (critical): immigration detention of
//     a person who was a child, or possibly a child, at the start
//     (ChildAtStart); due immediately.
//   - past_legal_maximum (high): immigration detention, now after
//     limit.Deadline(start).
//   - approaching_legal_maximum (medium): immigration detention, now
//     within cfg.WarnDays days before the deadline, the deadline included.
//   - no_judicial_review (high): any detention, now more than
//     cfg.ReviewDays days after the start and no judicial review has
//     happened (a review at or before now; later dates are scheduled
//     hearings). A review, even late, closes the alert; whether it came in
//     time is ReviewedInTime's question.
func Evaluate(ep Episode, person BirthInfo, limit *LegalLimit, cfg Config, now time.Time) []Alert {
	if !ep.OpenAt(now) {
		return nil
	}
	cfg = cfg.WithDefaults()
	var out []Alert
	if ep.ImmigrationDetention() {
		if c := ChildAtStart(ep, person); c.MayBeChild() {
			a := newAlert(AlertChildInImmigrationDetention, ep, ep.Start, ep.Start)
			a.Child = c
			out = append(out, a)
		}
		if limit != nil && limit.Country == ep.FacilityCountry && limit.HasMaximum() {
			deadline := limit.Deadline(ep.Start)
			warnFrom := deadline.Add(-time.Duration(cfg.WarnDays) * Day)
			if warnFrom.Before(ep.Start) {
				warnFrom = ep.Start
			}
			switch {
			case now.After(deadline):
				out = append(out, newAlert(AlertPastLegalMaximum, ep, deadline, deadline))
			case !now.Before(warnFrom):
				out = append(out, newAlert(AlertApproachingLegalMaximum, ep, warnFrom, deadline))
			}
		}
	}
	due := ReviewDeadline(ep, cfg)
	if now.After(due) && !reviewedBy(ep, now) {
		out = append(out, newAlert(AlertNoJudicialReview, ep, due, due))
	}
	SortAlerts(out)
	return out
}

// ReviewDeadline returns the end of the period within which a court should
// have reviewed the detention: the start plus cfg.ReviewDays days.
func ReviewDeadline(ep Episode, cfg Config) time.Time {
	return ep.Start.UTC().Add(time.Duration(cfg.WithDefaults().ReviewDays) * Day)
}

// ReviewedInTime says whether a court reviewed the detention within
// cfg.ReviewDays of its start, for statistics: Yes if a review is recorded
// by ReviewDeadline; No if none is and the deadline has passed at now (for
// a closed episode, the person was held past the deadline without review;
// a person released before it answers NotApplicable); Unknown while the
// period is still running.
func ReviewedInTime(ep Episode, cfg Config, now time.Time) Answer {
	due := ReviewDeadline(ep, cfg)
	if reviewedBy(ep, due) {
		return Yes
	}
	if ep.End != nil && !ep.End.After(due) {
		return NotApplicable
	}
	if now.After(due) {
		return No
	}
	return Unknown
}

// reviewedBy reports whether a judicial review happened at or before t.
// Reviews are validated not to precede the start.
func reviewedBy(ep Episode, t time.Time) bool {
	for _, r := range ep.JudicialReviews {
		if !r.After(t) {
			return true
		}
	}
	return false
}

// SortAlerts orders alerts most urgent first: by priority, then the
// earliest Since, then kind and record ids, so that the order is total.
func SortAlerts(as []Alert) {
	slices.SortFunc(as, func(a, b Alert) int {
		return cmp.Or(
			cmp.Compare(b.Priority, a.Priority),
			a.Since.Compare(b.Since),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.EpisodeID, b.EpisodeID),
			cmp.Compare(a.NotificationID, b.NotificationID),
		)
	})
}
