// SPDX-License-Identifier: AGPL-3.0-or-later

// Package audit is Amparo's tamper-evident audit log (SECURITY-BAR 14): an
// append-only table in which every entry carries a SHA-256 over its own
// content and the hash of the entry before it, so that editing, deleting or
// inserting any entry breaks the chain and Verify names the first broken
// seq. Entries record who did what to which object and the NAMES of the
// fields involved, never their values: validation refuses anything that
// could carry a value, so the log itself can never leak personal data.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"regexp"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/store"
)

// GenesisHash is the prev_hash of entry 1 and the head's hash while the log
// is empty (the value migration 0001 seeds audit_head with).
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Outcomes an entry may record. An empty Outcome is stored as OutcomeOK.
const (
	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
	OutcomeFailed = "failed"
)

// Limits on what an entry may hold. Names and ids are short identifiers;
// anything longer is a programming error, not something to store.
const (
	maxNameLen = 64
	maxIDLen   = 64
	maxFields  = 256
)

// ErrInvalid wraps every validation failure of AppendTx and Append. Its
// messages name the offending attribute (and a field's position) but never
// repeat the rejected value, which might be personal data passed by mistake.
var ErrInvalid = errors.New("audit: invalid entry")

var (
	// nameRE is the shape of actions, object types and field names: the
	// comma that joins field names and every character a value needs (space,
	// '@', digits first, upper case) are outside it.
	nameRE = regexp.MustCompile(`^[a-z][a-z0-9_.]*$`)
	idRE   = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)
)

// Entry is one audit record. Callers set the descriptive attributes; the log
// sets Seq, At, PrevHash and Hash, overwriting whatever the caller put there.
type Entry struct {
	Seq        int64
	At         time.Time // UTC, microsecond precision, set by the log from its clock
	ActorID    string    // user id, "" for system or anonymous
	OrgID      string
	Action     string // e.g. "auth.login", "auth.login_failed", "user.create", "user.read", "token.revoke", "key.rotate", "export"
	ObjectType string
	ObjectID   string
	Fields     []string // NAMES of fields touched or read, never values
	Outcome    string   // "ok" (default when empty) or "denied" / "failed"
	RequestID  string
	PrevHash   string
	Hash       string
}

// Log appends to and reads the audit chain stored in audit_head and
// audit_log. It holds no state of its own beyond its handles and is safe for
// concurrent use; the database serialises appends.
type Log struct {
	db    *store.DB
	clock clock.Clock
}

// New returns the log stored in db, timestamping entries from c (nil means
// clock.System).
func New(db *store.DB, c clock.Clock) *Log {
	if c == nil {
		c = clock.System{}
	}
	return &Log{db: db, clock: c}
}

// Append validates e and appends it in a transaction of its own, returning the
// entry as stored. Use AppendTx when the audited change is itself a write, so
// that the two commit or vanish together.
func (l *Log) Append(ctx context.Context, e Entry) (Entry, error) {
	var out Entry
	err := l.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = l.AppendTx(ctx, tx, e)
		return err
	})
	if err != nil {
		return Entry{}, err
	}
	return out, nil
}

// AppendTx validates e and appends it inside tx, returning the entry as it
// will be stored if tx commits; if tx rolls back, the entry, its seq and the
// head update all vanish and the chain stays linear. An invalid entry is
// rejected with ErrInvalid before anything is written.
//
// The first statement locks the chain head (a row lock on PostgreSQL, the
// write lock on SQLite) until tx ends, so concurrent appends queue rather than
// fork the chain. Call AppendTx as the last statement of tx: that keeps the
// head locked for the shortest time and means a transaction never waits for
// another row lock while holding the head, which could deadlock. On
// PostgreSQL tx must run at READ COMMITTED (store.InTx's default), so that a
// waiting append re-reads the head its predecessor committed.
func (l *Log) AppendTx(ctx context.Context, tx *store.Tx, e Entry) (Entry, error) {
	if err := validate(&e); err != nil {
		return Entry{}, err
	}
	err := store.ScanRow(tx.QueryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`),
		&e.Seq, &e.PrevHash)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: advancing the chain head: %w", err)
	}
	// The clock is read only once the head is held, so that At never
	// decreases along the chain while the clock itself moves forward.
	e.At = time.UnixMicro(l.clock.Now().UnixMicro()).UTC()
	e.Hash = entryHash(e)
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (seq, at, actor_id, org_id, action, object_type, object_id,
		fields, outcome, request_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UnixMicro(), e.ActorID, e.OrgID, e.Action, e.ObjectType, e.ObjectID,
		strings.Join(e.Fields, ","), e.Outcome, e.RequestID, e.PrevHash, e.Hash)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: inserting entry %d: %w", e.Seq, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, e.Hash); err != nil {
		return Entry{}, fmt.Errorf("audit: moving the chain head: %w", err)
	}
	return e, nil
}

// validate checks every caller-set attribute of e and fills in the default
// outcome. Errors wrap ErrInvalid and never contain the rejected value.
func validate(e *Entry) error {
	if e.Action == "" {
		return fmt.Errorf("%w: action is required", ErrInvalid)
	}
	if !isName(e.Action) {
		return fmt.Errorf("%w: action must match %s and be at most %d characters", ErrInvalid, nameRE, maxNameLen)
	}
	if e.ObjectType != "" && !isName(e.ObjectType) {
		return fmt.Errorf("%w: object type must match %s and be at most %d characters", ErrInvalid, nameRE, maxNameLen)
	}
	if len(e.Fields) > maxFields {
		return fmt.Errorf("%w: more than %d field names", ErrInvalid, maxFields)
	}
	for i, f := range e.Fields {
		if !isName(f) {
			return fmt.Errorf("%w: field name %d of %d must match %s and be at most %d characters",
				ErrInvalid, i+1, len(e.Fields), nameRE, maxNameLen)
		}
	}
	for _, id := range []struct{ what, v string }{
		{"actor id", e.ActorID},
		{"org id", e.OrgID},
		{"object id", e.ObjectID},
		{"request id", e.RequestID},
	} {
		if len(id.v) > maxIDLen || !idRE.MatchString(id.v) {
			return fmt.Errorf("%w: %s must be at most %d characters of [A-Za-z0-9_-]", ErrInvalid, id.what, maxIDLen)
		}
	}
	switch e.Outcome {
	case "":
		e.Outcome = OutcomeOK
	case OutcomeOK, OutcomeDenied, OutcomeFailed:
	default:
		return fmt.Errorf("%w: outcome must be %q, %q or %q", ErrInvalid, OutcomeOK, OutcomeDenied, OutcomeFailed)
	}
	return nil
}

func isName(s string) bool { return len(s) <= maxNameLen && nameRE.MatchString(s) }

// hashDomain opens every hashed message, so that a chain hash can never be
// mistaken for a hash of anything else, and versions the encoding below.
const hashDomain = "amparo.audit.v1"

// entryHash returns the lower-case hex SHA-256 of e's canonical encoding: the
// domain tag, prev_hash, then seq and at (Unix microseconds) as 8-byte
// big-endian integers, then actor_id, org_id, action, object_type,
// object_id, the field names joined by ",", outcome and request_id. Every
// string is preceded by its length as an 8-byte big-endian integer, so no
// two different entries encode alike however their strings are chosen.
// Changing this function invalidates every stored chain.
func entryHash(e Entry) string {
	h := sha256.New()
	writeString(h, hashDomain)
	writeString(h, e.PrevHash)
	writeInt(h, e.Seq)
	writeInt(h, e.At.UnixMicro())
	for _, s := range []string{e.ActorID, e.OrgID, e.Action, e.ObjectType, e.ObjectID,
		strings.Join(e.Fields, ","), e.Outcome, e.RequestID} {
		writeString(h, s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeInt(h hash.Hash, v int64) {
	var b [8]byte
	// Two's complement is the intended encoding: distinct int64s stay distinct.
	binary.BigEndian.PutUint64(b[:], uint64(v)) // #nosec G115 -- bit-for-bit reinterpretation, not a narrowing.
	h.Write(b[:])
}

func writeString(h hash.Hash, s string) {
	writeInt(h, int64(len(s)))
	h.Write([]byte(s))
}
