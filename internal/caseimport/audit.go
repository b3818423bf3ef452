// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"bytes"
	"context"
	"slices"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// idLen is the length of a record id (internal/ids).
const idLen = 26

// auditAll appends, in one chained batch, a "case.create" entry for every
// row created, naming the fields cases.Create would name and, prefixed
// "person.", those persons.Create would name for the principal person
// created with it (one entry per row rather than two halves the audit
// log's share of a large import), and last a "case.import" entry naming
// the import.
//
// The entries are chained in the order of their cases' ids, so that the
// log's index by object is written in order too.
func (r *run) auditAll(ctx context.Context, tx *store.Tx) error {
	reqID := requestid.From(ctx)
	n := r.created + 1
	id := func(row int) []byte { return r.createdIDs[row*idLen : (row+1)*idLen] }
	order := make([]int, r.created)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(id(a), id(b)) })
	return r.s.audit.AppendBatchTx(ctx, tx, n, func(i int) audit.Entry {
		e := audit.Entry{ActorID: r.p.UserID, OrgID: r.rec.OrgID, RequestID: reqID}
		if i == n-1 {
			e.Action, e.ObjectType, e.ObjectID = "case.import", "case_import", r.importID
			e.Fields = []string{"cases", "persons"}
			return e
		}
		e.Action, e.ObjectType = "case.create", cases.ObjectType
		e.ObjectID = string(id(order[i]))
		e.Fields = r.fieldLists[r.createdFields[order[i]]]
		return e
	})
}
