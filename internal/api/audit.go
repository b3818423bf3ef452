// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/authn"
)

type auditJSON struct {
	Seq        int64    `json:"seq"`
	At         string   `json:"at"`
	ActorID    string   `json:"actor_id"`
	OrgID      string   `json:"org_id"`
	Action     string   `json:"action"`
	ObjectType string   `json:"object_type"`
	ObjectID   string   `json:"object_id"`
	Fields     []string `json:"fields"`
	Outcome    string   `json:"outcome"`
	RequestID  string   `json:"request_id"`
	PrevHash   string   `json:"prev_hash"`
	Hash       string   `json:"hash"`
}

// listAudit lists audit entries, newest first, within the reader's scope
// whatever the filter (see audit.Filter.Restrict).
func (a *API) listAudit(w http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	q := r.URL.Query()
	f := audit.Filter{OrgID: q.Get("org_id"), ActorID: q.Get("actor_id"), Action: q.Get("action"),
		ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id")}
	var bad []accounts.FieldError
	f.Restrict(p.Scope("audit.read"), p.OrgID, p.UserID)
	for name, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if s := q.Get(name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				bad = append(bad, accounts.FieldError{Field: name, Code: "invalid_time"})
			}
			*dst = t
		}
	}
	if s := q.Get("cursor"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			bad = append(bad, accounts.FieldError{Field: "cursor", Code: "invalid"})
		}
		f.Before = n
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			bad = append(bad, accounts.FieldError{Field: "limit", Code: "out_of_range"})
		}
		f.Limit = n
	}
	if len(bad) > 0 {
		a.fail(w, r, &accounts.ValidationError{Errors: bad})
		return
	}
	entries, next, err := a.audit.List(r.Context(), f)
	writeList(a, w, r, entries, seqCursor(next), err, toAuditEntry)
}

func toAuditEntry(e audit.Entry) auditJSON {
	fields := e.Fields
	if fields == nil {
		fields = []string{}
	}
	return auditJSON{e.Seq, ts(e.At), e.ActorID, e.OrgID, e.Action, e.ObjectType, e.ObjectID,
		fields, e.Outcome, e.RequestID, e.PrevHash, e.Hash}
}

// seqCursor is the cursor continuing below the sequence number next; 0
// means there is no further page.
func seqCursor(next int64) string {
	if next > 0 {
		return strconv.FormatInt(next, 10)
	}
	return ""
}
