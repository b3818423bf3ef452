// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"fmt"
	"regexp"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Locale is one language's messages and formats. It is safe for concurrent
// use: a message.Printer keeps no state between calls.
type Locale struct {
	lang    Language
	tag     language.Tag
	msgs    map[string]entry
	printer *message.Printer
}

func newLocale(lang Language, msgs map[string]entry) *Locale {
	tag := language.MustParse(lang.Code)
	return &Locale{lang: lang, tag: tag, msgs: msgs, printer: message.NewPrinter(tag)}
}

// Code returns the language's code, for the lang attribute.
func (l *Locale) Code() string { return l.lang.Code }

// Dir returns the writing direction, "rtl" or "ltr", for the dir attribute.
func (l *Locale) Dir() string { return l.lang.Dir }

// Has reports whether key is a plain message, for templates that turn a
// code into words and need a fallback for a code they do not know.
func (l *Locale) Has(key string) bool {
	e, ok := l.msgs[key]
	return ok && e.forms == nil
}

// T returns the plain message key with its placeholders filled. args are
// name, value pairs: T("home.greeting", "name", n) fills {name}. Numbers
// are written as Number writes them and a time.Time as Date does. A key
// that is missing, or is a plural message, comes back as ⟦key⟧.
func (l *Locale) T(key string, args ...any) string {
	e, ok := l.msgs[key]
	if !ok || e.forms != nil {
		return missing(key)
	}
	return l.fill(e.text, args)
}

// N returns the plural message key in the form CLDR's rules choose for
// count, with {count} and the other placeholders filled as T fills them.
// A key that is missing, or is a plain message, comes back as ⟦key⟧.
func (l *Locale) N(key string, count int, args ...any) string {
	e, ok := l.msgs[key]
	if !ok || e.forms == nil {
		return missing(key)
	}
	text, ok := e.forms[l.pluralForm(count)]
	if !ok {
		// Every language has "other" (the tests check), the form CLDR
		// falls back to.
		text = e.forms[plural.Other]
	}
	return l.fill(text, append([]any{"count", count}, args...))
}

// pluralForm is the CLDR cardinal category of the integer count. Rules are
// written for non-negative numbers, so the sign is dropped.
func (l *Locale) pluralForm(count int) plural.Form {
	if count < 0 {
		count = -count
	}
	return plural.Cardinal.MatchPlural(l.tag, count, 0, 0, 0, 0)
}

// missing is what a missing message shows: the key, wrapped so that it
// stands out on the page and a test can find it.
func missing(key string) string { return "⟦" + key + "⟧" }

// placeholder matches a {name} in a message.
var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// fill replaces each {name} in text with its value from the name, value
// pairs of args. A placeholder without a value is left as it is, visible.
func (l *Locale) fill(text string, args []any) string {
	if len(args) == 0 {
		return text
	}
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		name := m[1 : len(m)-1]
		for i := 0; i+1 < len(args); i += 2 {
			if args[i] == name {
				return l.format(args[i+1])
			}
		}
		return m
	})
}

// format writes a placeholder's value in the locale's conventions.
func (l *Locale) format(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case time.Time:
		return l.Date(v)
	}
	if isNumber(v) {
		return l.Number(v)
	}
	return fmt.Sprint(v)
}
