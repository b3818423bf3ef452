// SPDX-License-Identifier: AGPL-3.0-or-later

package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/store"
)

// batchRows is how many entries AppendBatchTx hands to the store at once,
// so that a batch of a million entries never sits in memory as rows.
const batchRows = 4096

// logColumns are the columns of audit_log, in the order entryRow gives
// them.
var logColumns = []string{"seq", "at", "actor_id", "org_id", "action", "object_type", "object_id", "fields",
	"outcome", "request_id", "prev_hash", "hash"}

// AppendBatchTx appends n entries inside tx as AppendTx would append each
// in turn, for writers that record many objects at once (an import of a
// million cases): entry(i) gives the i-th, the head is taken once and
// moved once, the entries share one time and are chained in order, and
// they are inserted by the engine's bulk path. An invalid entry fails the
// call with ErrInvalid, and tx must then roll back, as it must after any
// error. Call it last in tx, as AppendTx.
func (l *Log) AppendBatchTx(ctx context.Context, tx *store.Tx, n int, entry func(i int) Entry) error {
	if n <= 0 {
		return nil
	}
	var last int64
	var prev string
	err := store.ScanRow(tx.QueryRow(ctx, `UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash`, n),
		&last, &prev)
	if err != nil {
		return fmt.Errorf("audit: advancing the chain head: %w", err)
	}
	at := time.UnixMicro(l.clock.Now().UnixMicro()).UTC()
	seq := last - int64(n)
	rows := make([][]any, 0, min(n, batchRows))
	for i := range n {
		e := entry(i)
		if err := validate(&e); err != nil {
			return fmt.Errorf("entry %d of %d: %w", i+1, n, err)
		}
		seq++
		e.Seq, e.At, e.PrevHash = seq, at, prev
		e.Hash = entryHash(e)
		prev = e.Hash
		rows = append(rows, []any{e.Seq, at.UnixMicro(), e.ActorID, e.OrgID, e.Action, e.ObjectType, e.ObjectID,
			strings.Join(e.Fields, ","), e.Outcome, e.RequestID, e.PrevHash, e.Hash})
		if len(rows) == cap(rows) || i == n-1 {
			if err := tx.InsertRows(ctx, "audit_log", logColumns, rows); err != nil {
				return fmt.Errorf("audit: inserting entries up to %d: %w", e.Seq, err)
			}
			rows = rows[:0]
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, prev); err != nil {
		return fmt.Errorf("audit: moving the chain head: %w", err)
	}
	return nil
}
