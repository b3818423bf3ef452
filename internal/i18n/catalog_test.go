// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// load returns the catalog, failing the test when the files do not load.
func load(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoad(t *testing.T) {
	t.Parallel()
	c := load(t)
	for _, lang := range Languages {
		if got := c.Locale(lang.Code); got.Code() != lang.Code || got.Dir() != lang.Dir {
			t.Errorf("Locale(%q) is %s, %s", lang.Code, got.Code(), got.Dir())
		}
	}
	for _, code := range []string{"", "xx", "EN", "de"} {
		if got := c.Locale(code).Code(); got != "en" {
			t.Errorf("Locale(%q) is %s, want the English fallback", code, got)
		}
	}
	if got := c.Locale("ar").Dir(); got != "rtl" {
		t.Errorf("Arabic is %s", got)
	}
}

// TestParseRejects checks that a malformed file, an empty message and an
// unknown plural category stop Load.
func TestParseRejects(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{
		"not JSON":         `{"a": "b"`,
		"not an object":    `["a"]`,
		"empty":            `{"a": ""}`,
		"a number":         `{"a": 1}`,
		"empty form":       `{"a": {"one": "x", "other": ""}}`,
		"unknown category": `{"a": {"single": "x", "other": "y"}}`,
		"nested object":    `{"a": {"other": {"x": "y"}}}`,
	} {
		if _, err := parse([]byte(src)); err == nil {
			t.Errorf("%s: %s parsed", name, src)
		}
	}
	msgs, err := parse([]byte(`{"a": "b", "c": {"one": "d", "other": "e"}}`))
	if err != nil || msgs["a"].text != "b" || msgs["c"].forms[plural.One] != "d" || msgs["c"].forms[plural.Other] != "e" {
		t.Errorf("parse = %+v, %v", msgs, err)
	}
}

// TestFilesAreCanonical checks that each file is valid JSON written the way
// the README describes (sorted keys, two-space indent, no escapes beyond
// JSON's own), by comparing it with its own re-encoding.
func TestFilesAreCanonical(t *testing.T) {
	t.Parallel()
	for _, lang := range Languages {
		name := "locales/" + lang.Code + ".json"
		b, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want.Bytes()) {
			got, exp := strings.Split(string(b), "\n"), strings.Split(want.String(), "\n")
			for i := range min(len(got), len(exp)) {
				if got[i] != exp[i] {
					t.Errorf("%s:%d is\n\t%s\nwant\n\t%s", name, i+1, got[i], exp[i])
					break
				}
			}
			if len(got) != len(exp) {
				t.Errorf("%s has %d lines, want %d", name, len(got), len(exp))
			}
		}
	}
}

// TestSameKeys checks that every language has exactly English's keys, each
// of the same kind (plain or plural).
func TestSameKeys(t *testing.T) {
	t.Parallel()
	c := load(t)
	en := c.locales["en"].msgs
	for _, lang := range Languages[1:] {
		msgs := c.locales[lang.Code].msgs
		for _, key := range slices.Sorted(maps.Keys(en)) {
			m, ok := msgs[key]
			switch {
			case !ok:
				t.Errorf("%s.json lacks %s", lang.Code, key)
			case (m.forms == nil) != (en[key].forms == nil):
				t.Errorf("%s.json: %s is plural in one language and plain in the other", lang.Code, key)
			}
		}
		for _, key := range slices.Sorted(maps.Keys(msgs)) {
			if _, ok := en[key]; !ok {
				t.Errorf("%s.json has %s, which en.json lacks", lang.Code, key)
			}
		}
	}
}

// TestPluralForms checks that each plural message has exactly the forms
// its language needs, as x/text's CLDR rules say.
func TestPluralForms(t *testing.T) {
	t.Parallel()
	c := load(t)
	for _, lang := range Languages {
		l := c.locales[lang.Code]
		want := formNames(slices.Collect(maps.Keys(requiredForms(l.tag))))
		for _, key := range slices.Sorted(maps.Keys(l.msgs)) {
			forms := l.msgs[key].forms
			if forms == nil {
				continue
			}
			if got := formNames(slices.Collect(maps.Keys(forms))); !slices.Equal(got, want) {
				t.Errorf("%s.json: %s has forms %v, want %v", lang.Code, key, got, want)
			}
		}
	}
}

// TestPlaceholders checks that every message has the placeholders of its
// English original. In a plural message every form has those of English's
// "other", except that a form standing for a single number may say it in
// words and leave {count} out.
func TestPlaceholders(t *testing.T) {
	t.Parallel()
	c := load(t)
	en := c.locales["en"].msgs
	for _, lang := range Languages {
		l := c.locales[lang.Code]
		single := singleNumberForms(l.tag)
		for _, key := range slices.Sorted(maps.Keys(l.msgs)) {
			m, ok := en[key]
			if !ok {
				continue // TestSameKeys reports it.
			}
			if m.forms == nil {
				if got, want := placeholders(l.msgs[key].text), placeholders(m.text); !slices.Equal(got, want) {
					t.Errorf("%s.json: %s has placeholders %v, want %v", lang.Code, key, got, want)
				}
				continue
			}
			want := placeholders(m.forms[plural.Other])
			for form, text := range l.msgs[key].forms {
				got := placeholders(text)
				if single[form] && !slices.Contains(got, "count") {
					got = slices.Sorted(slices.Values(append(got, "count")))
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s.json: %s.%s has placeholders %v, want %v", lang.Code, key, formName(form), got, want)
				}
			}
		}
	}
}

// placeholders returns the distinct placeholder names in text, sorted.
func placeholders(text string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return names
}

// probes returns the counts tried to find a language's plural forms: every
// number up to 200, where CLDR's rules for these languages differ, and a
// few large ones, where some rules look at the last digits or at millions.
func probes() []int {
	ns := make([]int, 0, 211)
	for n := range 201 {
		ns = append(ns, n)
	}
	return append(ns, 1000, 1001, 1002, 1003, 1011, 1021, 1_000_000, 1_000_001, 2_000_000, 1_000_000_000)
}

// requiredForms maps each form the plural rules of tag choose for some
// whole number to the numbers of probes that choose it, with "other"
// added: it is the form N falls back to, and CLDR gives it to every
// language.
func requiredForms(tag language.Tag) map[plural.Form][]int {
	forms := map[plural.Form][]int{plural.Other: nil}
	for _, n := range probes() {
		f := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)
		forms[f] = append(forms[f], n)
	}
	return forms
}

// singleNumberForms are the forms that stand for exactly one whole number.
func singleNumberForms(tag language.Tag) map[plural.Form]bool {
	out := map[plural.Form]bool{}
	for f, ns := range requiredForms(tag) {
		out[f] = len(ns) == 1
	}
	return out
}

func formName(f plural.Form) string {
	for name, form := range categories {
		if form == f {
			return name
		}
	}
	return "?"
}

func formNames(forms []plural.Form) []string {
	names := make([]string, len(forms))
	for i, f := range forms {
		names[i] = formName(f)
	}
	slices.Sort(names)
	return names
}
