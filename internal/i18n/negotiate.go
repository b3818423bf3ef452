// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import "golang.org/x/text/language"

// matcher picks among Languages for an Accept-Language header. x/text's
// matcher knows which languages are close (a reader of Swiss French gets
// French, one of Latin American Spanish gets Spanish, one of Traditional
// Chinese gets Simplified Chinese rather than English).
var matcher = func() language.Matcher {
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.MustParse(l.Code)
	}
	return language.NewMatcher(tags)
}()

// Negotiate chooses the language of a response: the lang query parameter
// when it names one of Languages (the reader just chose it), then the
// language cookie (the reader chose it before), then the best match of the
// browser's Accept-Language header, then English. Each value that is not a
// valid choice is skipped, never an error: they all come from the client.
func Negotiate(query, cookie, acceptLanguage string) string {
	for _, code := range []string{query, cookie} {
		if Valid(code) {
			return code
		}
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	if _, i, conf := matcher.Match(tags...); conf != language.No {
		return Languages[i].Code
	}
	return Default
}
