// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/store"
)

// Term is one term of a vocabulary, shipped or added by an administrator.
type Term struct {
	Vocabulary string
	Code       string
	// Parent is the code of the term above it in a hierarchical
	// vocabulary, "" at the top (and always in a flat one).
	Parent string
	// Labels are the term's names by language code; an added term has
	// English at least, and Label falls back to it.
	Labels map[string]string
	// Shipped is true for a term of vocabularies.json.
	Shipped bool
	// RetiredAt is when the term was retired, nil while it is offered.
	RetiredAt *time.Time
}

// Label is the term's name in lang, else in English.
func (t Term) Label(lang string) string { return pickLabel(t.Labels, lang) }

// Depth is how deep the term sits in a hierarchical vocabulary: 0 at the
// top.
func (t Term) Depth() int { return depthOf(t.Code) }

// Retired reports whether the term was retired.
func (t Term) Retired() bool { return t.RetiredAt != nil }

// maxLabelRunes bounds an added term's label.
const maxLabelRunes = 200

// MaxTermDepth is the deepest level a term may be added at (0 being the
// top): a vocabulary three levels deep is already hard to choose from.
const MaxTermDepth = 2

// extRow is a row of violation_vocabulary_terms: an added term (labels
// set) or the retirement of a shipped one (labels empty).
type extRow struct {
	code, parent string
	labels       map[string]string
	retiredAt    *time.Time
}

// extensions are the rows of every vocabulary, by vocabulary and code.
type extensions map[string]map[string]extRow

// loadExtensions reads every row of violation_vocabulary_terms through q.
func loadExtensions(ctx context.Context, q store.Queryer) (extensions, error) {
	type row struct {
		vocabulary string
		r          extRow
	}
	rows, err := store.QueryAll(ctx, q, func(sc store.Scanner) (row, error) {
		var x row
		var labels string
		var retired sql.NullInt64
		if err := sc.Scan(&x.vocabulary, &x.r.code, &x.r.parent, &labels, &retired); err != nil {
			return x, err
		}
		if labels != "" {
			if err := json.Unmarshal([]byte(labels), &x.r.labels); err != nil {
				return x, err
			}
		}
		x.r.retiredAt = fromNullMicros(retired)
		return x, nil
	}, `SELECT vocabulary, code, parent, labels, retired_at FROM violation_vocabulary_terms`)
	if err != nil {
		return nil, err
	}
	out := extensions{}
	for _, x := range rows {
		if out[x.vocabulary] == nil {
			out[x.vocabulary] = map[string]extRow{}
		}
		out[x.vocabulary][x.r.code] = x.r
	}
	return out, nil
}

// terms merges the shipped terms of vocabulary name with its rows, in
// display order: the shipped order for flat vocabularies, added terms
// after; the code order (compareCodes) for hierarchical ones, so that an
// added term sits under its parent.
func (ext extensions) terms(name string) []Term {
	sv := shipped[name]
	rows := ext[name]
	out := make([]Term, 0, len(sv.terms)+len(rows))
	for _, st := range sv.terms {
		t := Term{Vocabulary: name, Code: st.code, Labels: st.labels, Shipped: true}
		if sv.hierarchical {
			t.Parent = parentOf(st.code)
		}
		if r, ok := rows[st.code]; ok {
			t.RetiredAt = r.retiredAt
		}
		out = append(out, t)
	}
	var added []Term
	for _, r := range rows {
		if !isShipped(name, r.code) {
			added = append(added, Term{Vocabulary: name, Code: r.code, Parent: r.parent, Labels: r.labels,
				RetiredAt: r.retiredAt})
		}
	}
	slices.SortFunc(added, func(a, b Term) int { return compareCodes(a.Code, b.Code) })
	out = append(out, added...)
	if sv.hierarchical {
		slices.SortStableFunc(out, func(a, b Term) int { return compareCodes(a.Code, b.Code) })
	}
	return out
}

// Terms returns every term of vocabulary name, retired ones included (they
// say so), in display order; ErrNotFound for an unknown vocabulary.
// Anyone may read them: they hold no personal data.
func (s *Service) Terms(ctx context.Context, name string) ([]Term, error) {
	if _, ok := shipped[name]; !ok {
		return nil, ErrNotFound
	}
	ext, err := loadExtensions(ctx, s.db)
	if err != nil {
		return nil, err
	}
	s.storeExtensions(ext)
	return ext.terms(name), nil
}

// AllTerms returns the terms of every vocabulary by name, as Terms gives
// them, read at once for a page that needs several.
func (s *Service) AllTerms(ctx context.Context) (map[string][]Term, error) {
	ext, err := loadExtensions(ctx, s.db)
	if err != nil {
		return nil, err
	}
	s.storeExtensions(ext)
	out := make(map[string][]Term, len(vocabularyNames))
	for _, name := range vocabularyNames {
		out[name] = ext.terms(name)
	}
	return out, nil
}

// vocabCacheTTL is how long Label trusts the added terms it read: another
// server sharing the database may add or retire one meanwhile, which its
// labels then show at most this late.
const vocabCacheTTL = 30 * time.Second

// vocabCache is the added terms as last read, and when.
type vocabCache struct {
	at  time.Time
	ext extensions
}

func (s *Service) storeExtensions(ext extensions) {
	s.vocab.Store(&vocabCache{at: s.clock.Now(), ext: ext})
}

// cachedExtensions returns the added terms, read again when older than
// vocabCacheTTL, or older than a second when miss says a code was not
// found in them (a term just added by another server). A failed read keeps
// what was known.
func (s *Service) cachedExtensions(miss bool) extensions {
	c := s.vocab.Load()
	now := s.clock.Now()
	if c != nil {
		age := now.Sub(c.at)
		if age < vocabCacheTTL && (!miss || age < time.Second) {
			return c.ext
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ext, err := loadExtensions(ctx, s.db)
	if err != nil {
		if c != nil {
			return c.ext
		}
		return extensions{}
	}
	s.storeExtensions(ext)
	return ext
}

// Label names code of vocabulary in lang (an i18n language code; English
// when the term has no label in lang), for pages, downloads and statistics.
// A retired term keeps its name. A code the vocabulary does not know comes
// back as it is, so a figure is never left without a heading.
func (s *Service) Label(vocabulary, code, lang string) string {
	if l, ok := shippedLabel(vocabulary, code, lang); ok {
		return l
	}
	r, ok := s.cachedExtensions(false)[vocabulary][code]
	if !ok {
		r, ok = s.cachedExtensions(true)[vocabulary][code]
	}
	if ok && len(r.labels) > 0 {
		return pickLabel(r.labels, lang)
	}
	return code
}

// checkCode checks that code is a term of vocabulary that may be recorded:
// offered (not retired), or the value the record holds already (current),
// which a retired term may stay. An empty code passes unless required. It
// returns the code trimmed.
func checkCode(ctx context.Context, q store.Queryer, v *ValidationError, field, vocabulary, code, current string, required bool) (string, error) {
	code = strings.TrimSpace(code)
	switch {
	case code == "":
		if required {
			v.Add(field, CodeRequired)
		}
		return "", nil
	case code == current:
		return code, nil
	case len(code) > 64:
		v.Add(field, CodeUnknown)
		return "", nil
	}
	var retired sql.NullInt64
	var labels string
	err := store.ScanRow(q.QueryRow(ctx, `SELECT retired_at, labels FROM violation_vocabulary_terms
		WHERE vocabulary = ? AND code = ?`, vocabulary, code), &retired, &labels)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if !isShipped(vocabulary, code) {
			v.Add(field, CodeUnknown)
		}
	case err != nil:
		return "", err
	case retired.Valid:
		v.Add(field, CodeRetired)
	}
	return code, nil
}

// TermInput is a term an administrator adds: its parent in a hierarchical
// vocabulary ("" for the top level) and its labels by language code,
// English required, the others falling back to it.
type TermInput struct {
	Parent string
	Labels map[string]string
}

// AddTerm adds a term to an extensible vocabulary and returns it. Its code
// is made here: the parent's code and "x" with the next number under that
// parent ("20.x1", or "x1" at the top and in flat vocabularies), which no
// shipped code can ever be. It needs vocabulary.write (ErrForbidden) and is
// audited as vocabulary.add.
func (s *Service) AddTerm(ctx context.Context, p access.Principal, name string, in TermInput) (Term, error) {
	if !p.Can(PermVocabularyWrite) {
		return Term{}, ErrForbidden
	}
	voc, ok := LookupVocabulary(name)
	if !ok {
		return Term{}, ErrNotFound
	}
	if !voc.Extensible {
		return Term{}, invalid("vocabulary", CodeNotExtensible)
	}
	v := &ValidationError{}
	labels := checkLabels(v, in.Labels)
	parent := strings.TrimSpace(in.Parent)
	if parent != "" && !voc.Hierarchical {
		v.Add("parent", CodeInvalid)
	}
	if err := v.OrNil(); err != nil {
		return Term{}, err
	}
	var out Term
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if parent != "" {
			if _, err := checkCode(ctx, tx, v, "parent", name, parent, "", true); err != nil {
				return err
			}
			if v.OrNil() == nil && depthOf(parent) >= MaxTermDepth {
				v.Add("parent", CodeTooMany)
			}
			if err := v.OrNil(); err != nil {
				return err
			}
		}
		code, err := nextCode(ctx, tx, name, parent)
		if err != nil {
			return err
		}
		b, err := json.Marshal(labels)
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `INSERT INTO violation_vocabulary_terms (vocabulary, code, parent, labels, created_by,
			created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			name, code, parent, string(b), p.UserID, micros(now), p.UserID, micros(now)); err != nil {
			return err
		}
		out = Term{Vocabulary: name, Code: code, Parent: parent, Labels: labels}
		fields := []string{"labels"}
		if parent != "" {
			fields = append(fields, "parent")
		}
		return s.logVocabulary(ctx, tx, p, "vocabulary.add", name, code, fields...)
	})
	if err != nil {
		return Term{}, err
	}
	s.vocab.Store(nil)
	return out, nil
}

// checkLabels checks an added term's labels: English required, only the
// six languages, one line each.
func checkLabels(v *ValidationError, in map[string]string) map[string]string {
	out := map[string]string{}
	for lang, label := range in {
		field := "labels." + lang
		if !i18n.Valid(lang) {
			v.Add(field, CodeUnknown)
			continue
		}
		if label = v.Text(field, label, maxLabelRunes, false); label != "" {
			out[lang] = label
		}
	}
	if out[i18n.Default] == "" && len(v.Errors) == 0 {
		v.Add("labels."+i18n.Default, CodeRequired)
	}
	return out
}

// nextCode is the code of the next term added under parent (a number after
// the highest "x" segment there), read in the adding transaction.
func nextCode(ctx context.Context, tx *store.Tx, name, parent string) (string, error) {
	codes, err := store.QueryAll(ctx, tx, func(sc store.Scanner) (string, error) {
		var c string
		return c, sc.Scan(&c)
	}, `SELECT code FROM violation_vocabulary_terms WHERE vocabulary = ? AND parent = ?`, name, parent)
	if err != nil {
		return "", err
	}
	prefix := "x"
	if parent != "" {
		prefix = parent + ".x"
	}
	next := 1
	for _, c := range codes {
		if n, err := strconv.Atoi(strings.TrimPrefix(c, prefix)); err == nil && strings.HasPrefix(c, prefix) && n >= next {
			next = n + 1
		}
	}
	return prefix + strconv.Itoa(next), nil
}

// RetireTerm stops offering a term of an extensible vocabulary, shipped or
// added; records holding it keep it, and it keeps its name. Retiring a
// retired term does nothing. Audited as vocabulary.retire.
func (s *Service) RetireTerm(ctx context.Context, p access.Principal, name, code string) (Term, error) {
	return s.setRetired(ctx, p, name, code, true)
}

// RestoreTerm offers a retired term again. Audited as vocabulary.restore.
func (s *Service) RestoreTerm(ctx context.Context, p access.Principal, name, code string) (Term, error) {
	return s.setRetired(ctx, p, name, code, false)
}

func (s *Service) setRetired(ctx context.Context, p access.Principal, name, code string, retire bool) (Term, error) {
	if !p.Can(PermVocabularyWrite) {
		return Term{}, ErrForbidden
	}
	voc, ok := LookupVocabulary(name)
	if !ok {
		return Term{}, ErrNotFound
	}
	var out Term
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		ext, err := loadExtensions(ctx, tx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(ext.terms(name), func(t Term) bool { return t.Code == code })
		if i < 0 {
			return ErrNotFound
		}
		if !voc.Extensible {
			return invalid("vocabulary", CodeNotExtensible)
		}
		out = ext.terms(name)[i]
		if out.Retired() == retire {
			return nil
		}
		now := s.now()
		var retiredAt any
		out.RetiredAt = nil
		action := "vocabulary.restore"
		if retire {
			retiredAt, out.RetiredAt, action = micros(now), &now, "vocabulary.retire"
		}
		if _, err := tx.Exec(ctx, `INSERT INTO violation_vocabulary_terms (vocabulary, code, parent, retired_at, created_by,
			created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (vocabulary, code) DO UPDATE SET retired_at = excluded.retired_at,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			name, code, out.Parent, retiredAt, p.UserID, micros(now), p.UserID, micros(now)); err != nil {
			return err
		}
		return s.logVocabulary(ctx, tx, p, action, name, code, "retired_at")
	})
	if err != nil {
		return Term{}, err
	}
	s.vocab.Store(nil)
	return out, nil
}
