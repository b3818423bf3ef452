// SPDX-License-Identifier: AGPL-3.0-or-later

package notify

import (
	"errors"
	"fmt"
	"strings"

	"github.com/amparo-project/amparo/internal/i18n"
)

// Kind is a kind of alert a digest counts. Its field is unexported so that
// only this package can make one: a caller cannot turn a name or a free
// text into a Kind, and so cannot put one into an e-mail. A new kind of
// alert gets a variable here, a place in Kinds and a translation key.
type Kind struct{ code string }

// Kinds of alert, with the codes of internal/detention's AlertKind.
var (
	KindChildInImmigrationDetention = Kind{"child_in_immigration_detention"}
	KindPastLegalMaximum            = Kind{"past_legal_maximum"}
	KindApproachingLegalMaximum     = Kind{"approaching_legal_maximum"}
	KindNoJudicialReview            = Kind{"no_judicial_review"}
	KindConsularRightNotTold        = Kind{"consular_right_not_told"}
	KindConsulateNotNotified        = Kind{"consulate_not_notified"}
	// KindOther counts alerts of kinds this package does not name yet, so
	// that a new kind is still counted before it gets its own line.
	KindOther = Kind{"other"}
)

// kinds is the order of a digest's lines: most urgent first, as the inbox
// orders them, and "other" last.
var kinds = []Kind{
	KindChildInImmigrationDetention,
	KindPastLegalMaximum,
	KindNoJudicialReview,
	KindConsularRightNotTold,
	KindConsulateNotNotified,
	KindApproachingLegalMaximum,
	KindOther,
}

// Kinds returns every kind, in the order a digest lists them.
func Kinds() []Kind { return append([]Kind(nil), kinds...) }

// KindFor returns the kind whose code is code, or KindOther for a code this
// package does not know (the code itself never reaches the message).
func KindFor(code string) Kind {
	for _, k := range kinds {
		if k.code == code {
			return k
		}
	}
	return KindOther
}

// Code returns the kind's code, such as "past_legal_maximum".
func (k Kind) Code() string { return k.code }

// Key returns the translation key of the kind's label in a digest.
func (k Kind) Key() string { return "notify.kind." + k.code }

func (k Kind) known() bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Digest is what one e-mail tells one user: how many things wait in their
// inbox, by kind. It holds counts and a language code and cannot hold
// anything else; the package's tests fail if a field of another type is
// added.
type Digest struct {
	// Lang is the language of the message, one of i18n.Languages; empty
	// means i18n.Default.
	Lang string
	// Alerts counts new or open alerts by kind; kinds with zero are left
	// out of the message.
	Alerts map[Kind]int
	// TasksDue counts tasks due soon; TasksOverdue tasks past their date.
	TasksDue     int
	TasksOverdue int
}

// ErrEmpty is returned for a digest with nothing to tell: no e-mail is sent
// for an empty inbox.
var ErrEmpty = errors.New("notify: empty digest")

// lang returns the digest's language, checked against the fixed list, so
// that the one string a Digest holds can only ever be a language code.
func (d Digest) lang() (string, error) {
	if d.Lang == "" {
		return i18n.Default, nil
	}
	if !i18n.Valid(d.Lang) {
		return "", errors.New("notify: digest language is not an interface language")
	}
	return d.Lang, nil
}

// check reports a digest that cannot be sent: an unknown language, an
// invalid kind (the zero Kind), a negative count, or nothing to count.
func (d Digest) check() error {
	if _, err := d.lang(); err != nil {
		return err
	}
	total := 0
	for k, n := range d.Alerts {
		if !k.known() {
			return errors.New("notify: digest has an alert of no known kind")
		}
		if n < 0 {
			return fmt.Errorf("notify: negative count for %s", k.code)
		}
		total += n
	}
	if d.TasksDue < 0 || d.TasksOverdue < 0 {
		return errors.New("notify: negative task count")
	}
	if total+d.TasksDue+d.TasksOverdue == 0 {
		return ErrEmpty
	}
	return nil
}

// Translation keys of the message, besides Kind.Key.
const (
	keySubject      = "notify.digest.subject"
	keyIntro        = "notify.digest.intro"
	keyLine         = "notify.digest.line"
	keyTasksDue     = "notify.digest.tasks_due"
	keyTasksOverdue = "notify.digest.tasks_overdue"
	keyOpen         = "notify.digest.open"
	keyFooter       = "notify.digest.footer"
)

// Keys returns every translation key a digest may use, for the catalogue's
// tests.
func Keys() []string {
	out := []string{keySubject, keyIntro, keyLine, keyTasksDue, keyTasksOverdue, keyOpen, keyFooter}
	for _, k := range kinds {
		out = append(out, k.Key())
	}
	return out
}

// Texts returns the message key in one language with its placeholders
// filled from name, value pairs, as i18n.Locale.T does.
type Texts func(key string, args ...any) string

// text writes the digest's subject and body in t. The only values passed to
// t are counts and the labels t itself returned.
func (d Digest) text(t Texts, link string) (subject, body string) {
	var b strings.Builder
	line := func(label string, n int) {
		if n > 0 {
			b.WriteString(oneLine(t(keyLine, "label", label, "count", n)))
			b.WriteString("\n")
		}
	}
	b.WriteString(oneLine(t(keyIntro)))
	b.WriteString("\n\n")
	for _, k := range kinds {
		line(t(k.Key()), d.Alerts[k])
	}
	line(t(keyTasksOverdue), d.TasksOverdue)
	line(t(keyTasksDue), d.TasksDue)
	b.WriteString("\n")
	b.WriteString(oneLine(t(keyOpen)))
	b.WriteString("\n")
	b.WriteString(link)
	b.WriteString("\n\n-- \n")
	b.WriteString(oneLine(t(keyFooter)))
	b.WriteString("\n")
	return oneLine(t(keySubject)), b.String()
}

// oneLine replaces control characters with spaces, so that no text from the
// catalogue can break a line of the message (or, in the subject, start a
// header).
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
