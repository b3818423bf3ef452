// SPDX-License-Identifier: AGPL-3.0-or-later

package violations_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/violations"
)

// TestVocabularyAdministration: a system administrator adds terms with
// codes of their own under a parent, names them in the languages given
// (others fall back to English), retires and restores them; fixed
// vocabularies do not change; nobody else changes anything.
func TestVocabularyAdministration(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		add := func(name, parent string, labels map[string]string) (violations.Term, error) {
			return f.svc.AddTerm(ctx, f.sysadmin, name, violations.TermInput{Parent: parent, Labels: labels})
		}
		a, err := add(violations.VocabActType, "70", map[string]string{"en": "Online harassment", "fr": "Harcèlement en ligne"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := add(violations.VocabActType, "70", map[string]string{"en": "Doxxing"})
		if err != nil {
			t.Fatal(err)
		}
		top, err := add(violations.VocabActType, "", map[string]string{"en": "Environmental harm"})
		if err != nil {
			t.Fatal(err)
		}
		cat, err := add(violations.VocabPerpetratorCategory, "", map[string]string{"en": "Armed group", "ar": "جماعة مسلحة"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Code != "70.x1" || b.Code != "70.x2" || top.Code != "x1" || cat.Code != "x1" || a.Parent != "70" {
			t.Fatalf("codes %s %s %s %s", a.Code, b.Code, top.Code, cat.Code)
		}
		for _, tt := range []struct{ vocab, code, lang, want string }{
			{violations.VocabActType, "70.x1", "fr", "Harcèlement en ligne"},
			{violations.VocabActType, "70.x1", "zh", "Online harassment"},
			{violations.VocabPerpetratorCategory, "x1", "ar", "جماعة مسلحة"},
			{violations.VocabPerpetratorCategory, "police", "es", "Policía"},
			{violations.VocabPerpetratorCategory, "unknown", "xx", "Unknown"},
			{violations.VocabActType, "99.99", "en", "99.99"},
			{"no_such_vocabulary", "police", "en", "police"},
		} {
			if got := f.svc.Label(tt.vocab, tt.code, tt.lang); got != tt.want {
				t.Errorf("Label(%s, %s, %s) = %q, want %q", tt.vocab, tt.code, tt.lang, got, tt.want)
			}
		}
		terms, err := f.svc.Terms(ctx, violations.VocabActType)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(terms, func(t violations.Term) bool { return t.Code == "70.x1" })
		if i < 0 || terms[i-1].Code != "70.60" || terms[i+1].Code != "70.x2" || terms[len(terms)-1].Code != "x1" {
			t.Fatalf("added terms misplaced: %v", i)
		}

		deep, err := add(violations.VocabActType, "70.10", map[string]string{"en": "Attack on a shelter"})
		if err != nil || deep.Code != "70.10.x1" {
			t.Fatalf("a third level: %+v, %v", deep, err)
		}
		for _, tt := range []struct {
			name, vocab, parent string
			labels              map[string]string
			want                []string
		}{
			{"no English", violations.VocabActType, "", map[string]string{"fr": "Autre chose"}, []string{"labels.en:required"}},
			{"unknown language", violations.VocabActType, "", map[string]string{"en": "X", "de": "Y"}, []string{"labels.de:unknown"}},
			{"unknown parent", violations.VocabActType, "99", map[string]string{"en": "X"}, []string{"parent:unknown"}},
			{"too deep", violations.VocabActType, "70.10.x1", map[string]string{"en": "X"}, []string{"parent:too_many"}},
			{"parent in a flat vocabulary", violations.VocabConsequence, "death", map[string]string{"en": "X"}, []string{"parent:invalid"}},
			{"fixed vocabulary", violations.VocabReliability, "", map[string]string{"en": "G"}, []string{"vocabulary:not_extensible"}},
			{"two lines", violations.VocabConsequence, "", map[string]string{"en": "a\nb"}, []string{"labels.en:control_characters"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := add(tt.vocab, tt.parent, tt.labels)
				wantFieldErrors(t, err, tt.want...)
			})
		}
		if _, err := add("no_such_vocabulary", "", map[string]string{"en": "X"}); !errors.Is(err, violations.ErrNotFound) {
			t.Fatalf("unknown vocabulary: %v", err)
		}
		for _, p := range []struct {
			name string
			err  error
		}{{"supervisor", nil}, {"adminA", nil}} {
			pr := map[string]func() error{
				"supervisor": func() error {
					_, err := f.svc.AddTerm(ctx, f.supervisor, violations.VocabActType, violations.TermInput{Labels: map[string]string{"en": "X"}})
					return err
				},
				"adminA": func() error { _, err := f.svc.RetireTerm(ctx, f.adminA, violations.VocabActType, "10"); return err },
			}[p.name]
			if err := pr(); !errors.Is(err, violations.ErrForbidden) {
				t.Errorf("%s: %v, want ErrForbidden", p.name, err)
			}
		}

		if _, err := f.svc.RetireTerm(ctx, f.sysadmin, violations.VocabActType, "70.x1"); err != nil {
			t.Fatal(err)
		}
		if _, err := add(violations.VocabActType, "70.x1", map[string]string{"en": "X"}); err == nil {
			t.Fatal("a term added under a retired one")
		}
		if _, err := f.svc.RetireTerm(ctx, f.sysadmin, violations.VocabReliability, "A"); err == nil {
			t.Fatal("a term of a fixed vocabulary retired")
		}
		if _, err := f.svc.RetireTerm(ctx, f.sysadmin, violations.VocabActType, "70.x9"); !errors.Is(err, violations.ErrNotFound) {
			t.Fatalf("retiring an unknown term: %v", err)
		}
		got, err := f.svc.RetireTerm(ctx, f.sysadmin, violations.VocabActType, "70.x1")
		if err != nil || !got.Retired() {
			t.Fatalf("retiring twice: %+v, %v", got, err)
		}
		if got, err := f.svc.RestoreTerm(ctx, f.sysadmin, violations.VocabActType, "70.x1"); err != nil || got.Retired() {
			t.Fatalf("RestoreTerm: %+v, %v", got, err)
		}
		if got := f.actions("act_type-70-x1"); !slices.Equal(got, []string{"vocabulary.add:labels,parent",
			"vocabulary.retire:retired_at", "vocabulary.restore:retired_at"}) {
			t.Fatalf("audit %v", got)
		}
	})
}
