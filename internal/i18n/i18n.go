// SPDX-License-Identifier: AGPL-3.0-or-later

// Package i18n holds Amparo's translations and formats numbers and dates
// for the six UN languages the interface speaks: English, French, Spanish,
// Russian, Arabic and Chinese (Simplified).
//
// The words live in locales/<code>.json, one flat JSON object per language,
// embedded in the binary so that a running server never lacks a file; see
// locales/README.md for the format translators work with. The package's
// tests keep the six files in step: same keys, same placeholders, the plural
// forms each language needs, and nothing left empty. A key missing at run
// time all the same is shown wrapped in ⟦ ⟧, so that it is noticed rather
// than silently blank.
//
// Plural rules, digits and separators come from golang.org/x/text, which
// carries CLDR's data, rather than from tables written here.
package i18n

import "slices"

// Language is one language of the interface.
type Language struct {
	// Code is the language's BCP 47 code, as used in the lang attribute,
	// the lang query parameter and the file name.
	Code string
	// Name is the language's name in itself (its endonym), as a language
	// switcher shows it, so that a reader finds their language without
	// reading the current one.
	Name string
	// Dir is the writing direction: "rtl" or "ltr".
	Dir string
}

// Languages lists the interface languages in the UN's order, English
// first; English is also the fallback for anything unknown.
var Languages = []Language{
	{Code: "en", Name: "English", Dir: "ltr"},
	{Code: "fr", Name: "Français", Dir: "ltr"},
	{Code: "es", Name: "Español", Dir: "ltr"},
	{Code: "ru", Name: "Русский", Dir: "ltr"},
	{Code: "ar", Name: "العربية", Dir: "rtl"},
	{Code: "zh", Name: "中文", Dir: "ltr"},
}

// Default is the language used when nothing better is known.
const Default = "en"

// Valid reports whether code is one of Languages.
func Valid(code string) bool {
	return slices.ContainsFunc(Languages, func(l Language) bool { return l.Code == code })
}
