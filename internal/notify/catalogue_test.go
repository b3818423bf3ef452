// SPDX-License-Identifier: AGPL-3.0-or-later

package notify

import (
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/i18n"
)

// The real catalogue has every word a digest uses, in every language, with
// the placeholders the message fills.
func TestCatalogueHasEveryDigestKey(t *testing.T) {
	t.Parallel()
	cat := i18n.MustLoad()
	for _, lang := range i18n.Languages {
		l := cat.Locale(lang.Code)
		for _, key := range Keys() {
			if !l.Has(key) {
				t.Errorf("%s has no message %q", lang.Code, key)
			}
		}
		// The count is written in the language's digits (Arabic-Indic in
		// Arabic), so only the label is looked for.
		if got := l.T(keyLine, "label", "L", "count", 7); !strings.Contains(got, "L") || strings.Contains(got, "{") {
			t.Errorf("%s %s = %q: a placeholder is lost", lang.Code, keyLine, got)
		}
	}
}
