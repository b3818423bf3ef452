// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"context"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// NewRecord is a person made ready for a bulk writer (internal/caseimport
// registers a million persons in one transaction), so that it registers
// each exactly as Create does: the same checks (Prepare), the identity
// sealed the same way under a data key of its own (Seal), the same search
// tokens, the same rows (Batch) and the same audit fields.
type NewRecord struct {
	ID string
	// Key is the person's data key, set by Seal; its row goes in before
	// the person's.
	Key         *vault.FreshKey
	identity    Identity
	identityEnc []byte
	attrs       Attributes
	vulns       []string
	index       []indexRow
}

type indexRow struct{ kind, token string }

// Prepare checks a person (without a photo) as Create does and, when it is
// valid, returns it with its search tokens for organisation orgID. It
// touches no database and is safe for concurrent use.
func (s *Service) Prepare(orgID string, in Input, now time.Time) (NewRecord, []FieldError) {
	ident, attrs, vulns, errs := normalise(in.Identity, in.Attributes, in.Vulnerabilities, now)
	if len(errs) > 0 {
		return NewRecord{}, errs
	}
	r := NewRecord{ID: ids.New(), identity: ident, attrs: attrs, vulns: vulns}
	for _, e := range indexEntries(ident) {
		r.index = append(r.index, indexRow{e.kind, s.indexToken(orgID, e.kind, e.value)})
	}
	return r, nil
}

// Seal makes the person's data key and seals the identity under it. It
// touches no database and is safe for concurrent use.
func (s *Service) Seal(r *NewRecord) error {
	key, err := s.vault.FreshKey(keyPurpose)
	if err != nil {
		return err
	}
	b, err := identityPlaintext(r.identity)
	if err != nil {
		return err
	}
	if r.identityEnc, err = key.Seal(identityAD(r.ID), b); err != nil {
		return err
	}
	r.Key = key
	return nil
}

// DocumentTokens are the blind-index tokens of the person's document
// numbers, which ExistingDocuments looks up.
func (r NewRecord) DocumentTokens() []string {
	var out []string
	for _, e := range r.index {
		if e.kind == kindDocument {
			out = append(out, e.token)
		}
	}
	return out
}

// Attributes are the person's attributes, as they will be stored.
func (r NewRecord) Attributes() Attributes { return r.attrs }

// AuditFields names the fields Create's audit entry for the person would
// name.
func (r NewRecord) AuditFields() []string { return createdFields(r.identity, r.attrs, r.vulns) }

// createdFields names the fields a new person is given.
func createdFields(ident Identity, attrs Attributes, vulns []string) []string {
	fields := append(identityChanges(Identity{}, ident), attributeChanges(Attributes{Sex: SexUnknown}, attrs)...)
	if len(vulns) > 0 {
		fields = append(fields, fieldVulnerabilities)
	}
	return fields
}

// ExistingDocuments returns which of tokens (from DocumentTokens) already
// index a document of a person, so that an importer can tell a person who
// is already registered. Tokens are keyed with the organisation, so only
// that organisation's persons can match.
func ExistingDocuments(ctx context.Context, q store.Queryer, tokens []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(tokens); start += 500 {
		part := tokens[start:min(start+500, len(tokens))]
		args := make([]any, 0, len(part)+1)
		args = append(args, kindDocument)
		for _, t := range part {
			args = append(args, t)
		}
		found, err := store.QueryAll(ctx, q, func(sc store.Scanner) (string, error) {
			var t string
			return t, sc.Scan(&t)
		}, `SELECT token FROM person_index WHERE kind = ? AND token IN (`+store.Placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, t := range found {
			out[t] = true
		}
	}
	return out, nil
}

// Batch gathers sealed persons and inserts them with Tx.InsertRows, in the
// order their foreign keys need. The zero Batch is empty and ready.
type Batch struct {
	persons, index, vulns [][]any
}

var (
	personInsertColumns = []string{"id", "org_id", "owner_id", "team_id", "data_key_id", "identity_enc", "sex", "birth_year",
		"nationality", "country_of_birth", "languages", "current_country", "current_admin1", "created_at", "updated_at"}
	indexColumns         = []string{"person_id", "kind", "token"}
	vulnerabilityColumns = []string{"person_id", "code", "recorded_by", "recorded_at"}
)

// Add adds sealed person r, placed at rec (its organisation, owner and
// team), recorded by actorID at now, with the rows Create would write.
func (b *Batch) Add(r NewRecord, rec access.Record, actorID string, now time.Time) {
	at := r.attrs
	b.persons = append(b.persons, []any{r.ID, rec.OrgID, rec.OwnerID, nullIfEmpty(rec.TeamID), r.Key.ID, r.identityEnc,
		at.Sex, nullIfZero(at.BirthYear), at.Nationality, at.CountryOfBirth, strings.Join(at.Languages, " "),
		at.CurrentCountry, at.CurrentAdmin1, micros(now), micros(now)})
	for _, e := range r.index {
		b.index = append(b.index, []any{r.ID, e.kind, e.token})
	}
	for _, c := range r.vulns {
		b.vulns = append(b.vulns, []any{r.ID, c, actorID, micros(now)})
	}
}

// Insert inserts what was added, after the persons' data keys, and empties
// the batch.
func (b *Batch) Insert(ctx context.Context, tx *store.Tx) error {
	for _, t := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{{"persons", personInsertColumns, b.persons}, {"person_index", indexColumns, b.index},
		{"person_vulnerabilities", vulnerabilityColumns, b.vulns}} {
		if err := tx.InsertRows(ctx, t.table, t.columns, t.rows); err != nil {
			return err
		}
	}
	*b = Batch{persons: b.persons[:0], index: b.index[:0], vulns: b.vulns[:0]}
	return nil
}
