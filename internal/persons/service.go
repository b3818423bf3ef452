// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// Permissions, granted in internal/access/permissions.json.
const (
	permRead  access.Permission = "person.read"
	permWrite access.Permission = "person.write"
	permErase access.Permission = "person.erase"
)

// keyPurpose labels persons' data keys in data_keys.
const keyPurpose = "person"

// objectType names persons in audit entries.
const objectType = "person"

// Service is the persons domain.
type Service struct {
	db    *store.DB
	vault *vault.Vault
	audit *audit.Log
	clock clock.Clock
}

// Config holds the collaborators of a Service. The vault must have been
// initialised (vault.Init), since search tokens need its blind-index key.
// Clock nil means the system clock.
type Config struct {
	DB    *store.DB
	Vault *vault.Vault
	Audit *audit.Log
	Clock clock.Clock
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, vault: c.Vault, audit: c.Audit, clock: c.Clock}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// log appends an audit entry about person id for p inside tx. Call it last
// in tx (see audit.Log.AppendTx).
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, action, id, orgID string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, OrgID: orgID, Action: action, ObjectType: objectType, ObjectID: id,
		Fields: slices.Clone(fields), RequestID: requestid.From(ctx),
	})
	return err
}

// personRow is a persons row as stored.
type personRow struct {
	id, orgID, ownerID, teamID, keyID string
	identityEnc                       []byte
	sex                               string
	birthYear                         int
	nationality, countryOfBirth       string
	languages                         string
	currentCountry, currentAdmin1     string
	erasedAt                          *int64
	created, updated                  int64
}

// personColumns is what scanPersonRow expects, for persons aliased p.
const personColumns = `p.id, p.org_id, COALESCE(p.owner_id, ''), COALESCE(p.team_id, ''), COALESCE(p.data_key_id, ''),
	p.identity_enc, p.sex, COALESCE(p.birth_year, 0), p.nationality, p.country_of_birth, p.languages,
	p.current_country, p.current_admin1, p.erased_at, p.created_at, p.updated_at`

func scanPersonRow(sc interface{ Scan(...any) error }) (personRow, error) {
	var r personRow
	err := sc.Scan(&r.id, &r.orgID, &r.ownerID, &r.teamID, &r.keyID, &r.identityEnc, &r.sex, &r.birthYear,
		&r.nationality, &r.countryOfBirth, &r.languages, &r.currentCountry, &r.currentAdmin1, &r.erasedAt,
		&r.created, &r.updated)
	return r, err
}

func (r personRow) record() access.Record {
	return access.Record{OrgID: r.orgID, OwnerID: r.ownerID, TeamID: r.teamID}
}

func (r personRow) erased() bool { return r.erasedAt != nil }

func (r personRow) summary() Summary {
	sum := Summary{ID: r.id, OrgID: r.orgID, OwnerID: r.ownerID, TeamID: r.teamID,
		Attributes: Attributes{Sex: r.sex, BirthYear: r.birthYear, Nationality: r.nationality,
			CountryOfBirth: r.countryOfBirth, Languages: strings.Fields(r.languages),
			CurrentCountry: r.currentCountry, CurrentAdmin1: r.currentAdmin1},
		Erased: r.erased(), CreatedAt: fromMicros(r.created), UpdatedAt: fromMicros(r.updated)}
	if r.erasedAt != nil {
		t := fromMicros(*r.erasedAt)
		sum.ErasedAt = &t
	}
	return sum
}

// loadRow reads person id through q; ErrNotFound when there is none.
func loadRow(ctx context.Context, q store.Queryer, id string) (personRow, error) {
	r, err := scanPersonRow(q.QueryRow(ctx, `SELECT `+personColumns+` FROM persons p WHERE p.id = ?`, id))
	return r, notFound(err)
}

// lockRow takes the row lock of person id for the rest of tx (on
// PostgreSQL; on SQLite the transaction already holds the write lock), so
// that read-modify-write changes of one person never interleave.
func lockRow(ctx context.Context, tx *store.Tx, id string) error {
	res, err := tx.Exec(ctx, `UPDATE persons SET updated_at = updated_at WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return ErrNotFound
	}
	return nil
}

// loadForChange locks and reads person id and checks that p may exercise
// perm on it: ErrNotFound when p can neither read the person nor exercise
// perm, ErrForbidden when p can read but not exercise perm.
func loadForChange(ctx context.Context, tx *store.Tx, p access.Principal, id string, perm access.Permission) (personRow, error) {
	if err := lockRow(ctx, tx, id); err != nil {
		return personRow{}, err
	}
	r, err := loadRow(ctx, tx, id)
	if err != nil {
		return r, err
	}
	rec := r.record()
	switch {
	case p.Allows(perm, rec):
		return r, nil
	case p.Allows(permRead, rec):
		return r, ErrForbidden
	default:
		return r, ErrNotFound
	}
}

func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// scopeFilter is access.ScopeSQL on persons aliased p.
func scopeFilter(p access.Principal, perm access.Permission) (cond string, args []any, ok bool) {
	return access.ScopeSQL(p, perm, "p")
}

// sealedIdentity is the sealed form of an Identity, as JSON. Its tags are
// stored: rename none of them.
type sealedIdentity struct {
	GivenName   string           `json:"given_name,omitempty"`
	FamilyName  string           `json:"family_name,omitempty"`
	Aliases     []string         `json:"aliases,omitempty"`
	DateOfBirth string           `json:"date_of_birth,omitempty"`
	Documents   []sealedDocument `json:"documents,omitempty"`
	Phones      []string         `json:"phones,omitempty"`
	Address     string           `json:"address,omitempty"`
}

type sealedDocument struct {
	Type    string `json:"type"`
	Number  string `json:"number"`
	Country string `json:"country,omitempty"`
}

// sealPad rounds the sealed identity's length up to a multiple of this
// many bytes, so that the ciphertext's length says little about how long
// the names and address are.
const sealPad = 256

func identityAD(id string) vault.AD {
	return vault.AD{Table: "persons", Field: "identity", RecordID: id}
}

func photoAD(id string) vault.AD {
	return vault.AD{Table: "person_photos", Field: "photo", RecordID: id}
}

func (s *Service) sealIdentity(ctx context.Context, q store.Queryer, keyID, personID string, id Identity) ([]byte, error) {
	b, err := identityPlaintext(id)
	if err != nil {
		return nil, err
	}
	return s.vault.Seal(ctx, q, keyID, identityAD(personID), b)
}

// identityPlaintext is what is sealed of an identity: its JSON, padded.
func identityPlaintext(id Identity) ([]byte, error) {
	si := sealedIdentity{GivenName: id.GivenName, FamilyName: id.FamilyName, Aliases: id.Aliases,
		DateOfBirth: id.DateOfBirth, Phones: id.Phones, Address: id.Address}
	for _, d := range id.Documents {
		si.Documents = append(si.Documents, sealedDocument(d))
	}
	b, err := json.Marshal(si)
	if err != nil {
		return nil, err
	}
	// JSON allows trailing white space.
	if r := len(b) % sealPad; r != 0 {
		b = append(b, strings.Repeat(" ", sealPad-r)...)
	}
	return b, nil
}

// openIdentity decrypts the identity of r. A row without a sealed identity
// (a minimal row) has an empty one. It returns vault.ErrErased when the
// data key is gone.
func (s *Service) openIdentity(ctx context.Context, q store.Queryer, r personRow) (Identity, error) {
	if r.erased() {
		return Identity{}, vault.ErrErased
	}
	if r.identityEnc == nil {
		return Identity{}, nil
	}
	b, err := s.vault.Open(ctx, q, r.keyID, identityAD(r.id), r.identityEnc)
	if err != nil {
		return Identity{}, err
	}
	var si sealedIdentity
	if err := json.Unmarshal(b, &si); err != nil {
		return Identity{}, fmt.Errorf("persons: sealed identity of %s: %w", r.id, err)
	}
	id := Identity{GivenName: si.GivenName, FamilyName: si.FamilyName, Aliases: si.Aliases,
		DateOfBirth: si.DateOfBirth, Phones: si.Phones, Address: si.Address}
	for _, d := range si.Documents {
		id.Documents = append(id.Documents, Document(d))
	}
	return id, nil
}

// ensureKey returns r's data key, making one (and recording it on the
// row) for a minimal row inserted without one.
func (s *Service) ensureKey(ctx context.Context, tx *store.Tx, r *personRow) error {
	if r.keyID != "" {
		return nil
	}
	keyID, err := s.vault.NewDataKey(ctx, tx, keyPurpose)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE persons SET data_key_id = ? WHERE id = ?`, keyID, r.id); err != nil {
		return err
	}
	r.keyID = keyID
	return nil
}

// writeIndex replaces the search tokens of person personID of orgID with
// those of id. Tokens are keyed with the organisation, so the same name,
// document or phone in two organisations gives unrelated tokens and the
// index cannot link records across organisations.
func (s *Service) writeIndex(ctx context.Context, tx *store.Tx, personID, orgID string, id Identity) error {
	if _, err := tx.Exec(ctx, `DELETE FROM person_index WHERE person_id = ?`, personID); err != nil {
		return err
	}
	entries := indexEntries(id)
	if len(entries) == 0 {
		return nil
	}
	args := make([]any, 0, 3*len(entries))
	for _, e := range entries {
		args = append(args, personID, e.kind, s.indexToken(orgID, e.kind, e.value))
	}
	_, err := tx.Exec(ctx, `INSERT INTO person_index (person_id, kind, token) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(entries)), ", "), args...)
	return err
}

// indexToken is the blind index of a normalised value of kind within
// orgID. Neither part can contain a NUL, which separates them.
func (s *Service) indexToken(orgID, kind, value string) string {
	return s.vault.BlindIndex(indexDomain[kind], orgID+"\x00"+value)
}

// loadVulnerabilities returns the codes recorded for person id, in
// vocabulary order.
func loadVulnerabilities(ctx context.Context, q store.Queryer, id string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT code FROM person_vulnerabilities WHERE person_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sortVulnerabilities(out)
	return out, rows.Err()
}

// writeVulnerabilities makes the codes recorded for person id equal want,
// keeping when and by whom the codes already there were recorded.
func (s *Service) writeVulnerabilities(ctx context.Context, tx *store.Tx, p access.Principal, id string, have, want []string) error {
	for _, c := range have {
		if !slices.Contains(want, c) {
			if _, err := tx.Exec(ctx, `DELETE FROM person_vulnerabilities WHERE person_id = ? AND code = ?`, id, c); err != nil {
				return err
			}
		}
	}
	for _, c := range want {
		if !slices.Contains(have, c) {
			if _, err := tx.Exec(ctx, `INSERT INTO person_vulnerabilities (person_id, code, recorded_by, recorded_at)
				VALUES (?, ?, ?, ?)`, id, c, p.UserID, micros(s.now())); err != nil {
				return err
			}
		}
	}
	return nil
}

// hasPhoto reports whether a photo is held for person id.
func hasPhoto(ctx context.Context, q store.Queryer, id string) (bool, error) {
	var n int
	err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM person_photos WHERE person_id = ?`, id), &n)
	return n > 0, err
}

// Page is a cursor page request. Cursor is the last id of the previous
// page; Limit is 50 when <= 0 and at most 500.
type Page struct {
	Cursor string
	Limit  int
}

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > 500:
		return 500
	default:
		return p.Limit
	}
}

// querySummaries runs a query selecting personColumns and returns the
// summaries of its rows.
func querySummaries(ctx context.Context, q store.Queryer, query string, args ...any) ([]Summary, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []Summary
	for rows.Next() {
		r, err := scanPersonRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.summary())
	}
	return out, rows.Err()
}
