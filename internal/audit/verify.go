// SPDX-License-Identifier: AGPL-3.0-or-later

package audit

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/amparo-project/amparo/internal/store"
)

// ErrBroken is returned by VerifyReport when the chain is broken.
var ErrBroken = errors.New("audit: chain broken")

// Break locates the first broken link of the chain. Reason is one of
// "hash mismatch" (the entry's content no longer matches its hash),
// "prev_hash does not match seq N" (seq 0 is the genesis), "gap before seq N"
// or "head does not match last entry"; for the last, Seq is the first seq at
// which audit_log and audit_head disagree.
type Break struct {
	Seq    int64
	Reason string
}

// head is a reading of the audit_head row.
type head struct {
	seq  int64
	hash string
}

func (l *Log) readHead(ctx context.Context) (head, error) {
	var h head
	err := l.db.Scan(l.db.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`), &h.seq, &h.hash)
	if err != nil {
		return head{}, fmt.Errorf("audit: reading the chain head: %w", err)
	}
	return h, nil
}

// Verify walks the whole chain in seq order, streaming rows rather than
// loading them, and checks that seqs run 1, 2, 3… without gaps, that each
// prev_hash is the previous entry's hash (GenesisHash for seq 1), that each
// hash matches its entry's content, and that audit_head names the last
// entry, so that deleting the newest entries or adding one behind the head's
// back is caught too. It returns the number of entries checked before the
// first break, and brk nil when the chain is intact; err reports only a
// failure to read.
//
// Verify may run while others append. It reads the head before and after
// streaming the rows in one statement, whose snapshot lies between the two
// readings; because every append moves the head and inserts its row in one
// transaction, an intact chain's last streamed entry lies between the two
// head seqs and matches whichever reading names it, so concurrent appends
// never look like a break.
func (l *Log) Verify(ctx context.Context) (checked int64, brk *Break, err error) {
	before, err := l.readHead(ctx)
	if err != nil {
		return 0, nil, err
	}
	rows, err := l.db.Query(ctx, `SELECT `+entryColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, nil, fmt.Errorf("audit: reading the chain: %w", err)
	}
	defer rows.Close()
	last := head{seq: 0, hash: GenesisHash}
	// hashAtBefore is the streamed hash of entry before.seq, once seen.
	hashAtBefore := ""
	if before.seq == 0 {
		hashAtBefore = GenesisHash
	}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return checked, nil, fmt.Errorf("audit: reading the chain: %w", err)
		}
		switch {
		case e.Seq != last.seq+1:
			return checked, &Break{Seq: e.Seq, Reason: fmt.Sprintf("gap before seq %d", e.Seq)}, nil
		case e.PrevHash != last.hash:
			return checked, &Break{Seq: e.Seq, Reason: fmt.Sprintf("prev_hash does not match seq %d", last.seq)}, nil
		case entryHash(e) != e.Hash:
			return checked, &Break{Seq: e.Seq, Reason: "hash mismatch"}, nil
		}
		checked++
		last = head{seq: e.Seq, hash: e.Hash}
		if e.Seq == before.seq {
			hashAtBefore = e.Hash
		}
	}
	if err := rows.Err(); err != nil {
		return checked, nil, fmt.Errorf("audit: reading the chain: %w", err)
	}
	after, err := l.readHead(ctx)
	if err != nil {
		return checked, nil, err
	}
	const reason = "head does not match last entry"
	switch {
	case last.seq < before.seq:
		// Entries the head vouched for before the walk began are missing.
		return checked, &Break{Seq: last.seq + 1, Reason: reason}, nil
	case last.seq > after.seq:
		// Entries exist that no head ever covered: the head never moves back.
		return checked, &Break{Seq: after.seq + 1, Reason: reason}, nil
	case hashAtBefore != before.hash:
		return checked, &Break{Seq: before.seq, Reason: reason}, nil
	case last.seq == after.seq && last.hash != after.hash:
		return checked, &Break{Seq: after.seq, Reason: reason}, nil
	}
	return checked, nil, nil
}

// VerifyReport runs l.Verify and prints the verdict to w, for the command
// line: "audit chain intact: N entries" or "audit chain BROKEN at seq N:
// reason". It returns an error wrapping ErrBroken when the chain is broken,
// and any error from reading the chain or writing to w.
func VerifyReport(ctx context.Context, l *Log, w io.Writer) error {
	n, brk, err := l.Verify(ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		if _, err := fmt.Fprintf(w, "audit chain BROKEN at seq %d: %s\n", brk.Seq, brk.Reason); err != nil {
			return err
		}
		return fmt.Errorf("%w at seq %d: %s", ErrBroken, brk.Seq, brk.Reason)
	}
	seq, hash, err := l.Head(ctx)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "audit chain intact: %d entries\nhead: %d:%s\n", n, seq, hash)
	return err
}

// Head returns the newest entry's sequence number and hash. Recorded
// outside the database (a ticket, another host), it anchors the chain: a
// later CheckAnchor proves that no one rewrote the log up to that entry,
// which the chain alone cannot show against someone able to rewrite the
// whole tail and the head row.
func (l *Log) Head(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := l.db.Scan(l.db.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`), &seq, &hash)
	return seq, hash, err
}

// CheckAnchor reports whether entry seq still has the hash recorded for it
// earlier (see Head). It returns ErrBroken when the entry is missing or its
// hash differs.
func (l *Log) CheckAnchor(ctx context.Context, seq int64, hash string) error {
	var got string
	err := l.db.Scan(l.db.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, seq), &got)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: anchored entry %d is missing", ErrBroken, seq)
	}
	if err != nil {
		return err
	}
	if got != hash {
		return fmt.Errorf("%w: entry %d no longer has the anchored hash", ErrBroken, seq)
	}
	return nil
}
