// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// Permissions, granted in internal/access/permissions.json.
const (
	// PermRead and PermWrite are needed on the event (own, team or
	// organisation scope).
	PermRead  access.Permission = "violation.read"
	PermWrite access.Permission = "violation.write"
	// PermVocabularyWrite lets a user add and retire vocabulary terms, for
	// every organisation of the instance.
	PermVocabularyWrite access.Permission = "vocabulary.write"
	// PermCaseRead and PermPersonRead are needed on a case or person to
	// link it to an event (and on a person to name them as a victim).
	PermCaseRead   access.Permission = "case.read"
	PermPersonRead access.Permission = "person.read"
)

// Audit object types.
const (
	objEvent      = "violation_event"
	objVocabulary = "violation_vocabulary"
)

// keyPurpose labels the events' data keys in data_keys.
const keyPurpose = "violation_event"

// ErasedMarker stands in for sealed content whose event key was destroyed.
const ErasedMarker = "[erased]"

// CaseReacher decides access to a case; *cases.Service is one. It answers
// an error for a case p may not exercise perm on.
type CaseReacher interface {
	Reach(ctx context.Context, p access.Principal, caseID string, perm access.Permission) (access.Record, error)
}

// PersonReacher decides access to a person without reading their
// identity; *persons.Service is one.
type PersonReacher interface {
	Reach(ctx context.Context, p access.Principal, id string, perm access.Permission) (persons.Summary, error)
}

// Service is the violations domain.
type Service struct {
	db      *store.DB
	vault   *vault.Vault
	audit   *audit.Log
	clock   clock.Clock
	cases   CaseReacher
	persons PersonReacher
	// vocab is the added vocabulary terms as Label last read them, nil
	// when they must be read again.
	vocab atomic.Pointer[vocabCache]
}

// Config holds the collaborators of a Service. Clock nil means the system
// clock. Without Cases no case can be linked, without Persons no person
// (nor victim).
type Config struct {
	DB      *store.DB
	Vault   *vault.Vault
	Audit   *audit.Log
	Clock   clock.Clock
	Cases   CaseReacher
	Persons PersonReacher
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, vault: c.Vault, audit: c.Audit, clock: c.Clock, cases: c.Cases, persons: c.Persons}
}

// now is the current time to the microsecond, the precision stored.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func fromNullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

// nullText stores "" as NULL, for optional text columns.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// logEvent appends an audit entry about event id of organisation orgID
// for p inside tx. Call it last in tx (see audit.Log.AppendTx).
func (s *Service) logEvent(ctx context.Context, tx *store.Tx, p access.Principal, action, id, orgID string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, OrgID: orgID, Action: action, ObjectType: objEvent, ObjectID: id,
		Fields: slices.Clone(fields), RequestID: requestid.From(ctx),
	})
	return err
}

// logVocabulary appends an audit entry about a term of a vocabulary. The
// object id names the vocabulary and the code, its dots turned to hyphens,
// as audit ids take letters, digits, "_" and "-" only.
func (s *Service) logVocabulary(ctx context.Context, tx *store.Tx, p access.Principal, action, name, code string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, OrgID: p.OrgID, Action: action, ObjectType: objVocabulary,
		ObjectID: name + "-" + strings.ReplaceAll(code, ".", "-"),
		Fields:   slices.Clone(fields), RequestID: requestid.From(ctx),
	})
	return err
}

// notFound turns "no row" into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// seal seals text under the event's key, bound to the row and field.
func (s *Service) seal(ctx context.Context, q store.Queryer, keyID, table, field, id, text string) ([]byte, error) {
	return s.vault.SealString(ctx, q, keyID, vault.AD{Table: table, Field: field, RecordID: id}, text)
}

// open opens a sealed field, answering ErasedMarker once the event's key
// is destroyed.
func (s *Service) open(ctx context.Context, q store.Queryer, keyID, table, field, id string, sealed []byte) (string, error) {
	v, err := s.vault.OpenString(ctx, q, keyID, vault.AD{Table: table, Field: field, RecordID: id}, sealed)
	if errors.Is(err, vault.ErrErased) {
		return ErasedMarker, nil
	}
	return v, err
}

// Page is a cursor page request. Cursor is what the previous page
// returned; Limit is 50 when <= 0 and at most 500.
type Page struct {
	Cursor string
	Limit  int
}

func (pg Page) limit() int {
	switch {
	case pg.Limit <= 0:
		return 50
	case pg.Limit > 500:
		return 500
	default:
		return pg.Limit
	}
}

// scopeFilter is access.ScopeSQL on violation_events aliased e.
func scopeFilter(p access.Principal, perm access.Permission) (cond string, args []any, ok bool) {
	return access.ScopeSQL(p, perm, "e")
}
