// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"golang.org/x/text/feature/plural"
)

//go:embed locales/*.json
var files embed.FS

// Catalog holds every language's messages. It is safe for concurrent use:
// nothing in it changes after Load.
type Catalog struct {
	locales map[string]*Locale
}

// Load parses the embedded translation files. It fails on a file that is
// missing or malformed, or on a message that is empty or uses a plural
// category CLDR does not know; whether the files agree with each other is
// for the tests to say, as that is a translator's mistake to show in
// review, not a reason to refuse to start.
func Load() (*Catalog, error) {
	c := &Catalog{locales: make(map[string]*Locale, len(Languages))}
	for _, lang := range Languages {
		b, err := files.ReadFile("locales/" + lang.Code + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		msgs, err := parse(b)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s.json: %w", lang.Code, err)
		}
		c.locales[lang.Code] = newLocale(lang, msgs)
	}
	return c, nil
}

// MustLoad is Load for program start, where a broken translation file is a
// build mistake that must stop the server.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Locale returns the locale of code, or English's for a code that is not
// one of Languages.
func (c *Catalog) Locale(code string) *Locale {
	if l, ok := c.locales[code]; ok {
		return l
	}
	return c.locales[Default]
}

// entry is one message: a plain text, or one text per plural category.
type entry struct {
	text  string
	forms map[plural.Form]string // nil for a plain message
}

// categories maps CLDR's plural category names, as written in the files,
// to x/text's forms.
var categories = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two,
	"few": plural.Few, "many": plural.Many, "other": plural.Other,
}

// parse reads one translation file: a JSON object whose values are strings
// or objects of category → string.
func parse(b []byte) (map[string]entry, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	msgs := make(map[string]entry, len(raw))
	// Keys are visited in order, so that errors come out in the order a
	// translator reads the file.
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		e, err := parseEntry(raw[key])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
			continue
		}
		msgs[key] = e
	}
	return msgs, errors.Join(errs...)
}

func parseEntry(v json.RawMessage) (entry, error) {
	if bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) {
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			return entry{}, err
		}
		e := entry{forms: make(map[plural.Form]string, len(forms))}
		for _, name := range slices.Sorted(maps.Keys(forms)) {
			form, ok := categories[name]
			if !ok {
				return entry{}, fmt.Errorf("%q is not a CLDR plural category", name)
			}
			if forms[name] == "" {
				return entry{}, fmt.Errorf("%s: empty", name)
			}
			e.forms[form] = forms[name]
		}
		return e, nil
	}
	var text string
	if err := json.Unmarshal(v, &text); err != nil {
		return entry{}, errors.New("neither a string nor an object of plural forms")
	}
	if text == "" {
		return entry{}, errors.New("empty")
	}
	return entry{text: text}, nil
}
