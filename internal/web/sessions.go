// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
)

// sessionsData is the list of one's own live sessions.
type sessionsData struct {
	Sessions []sessionRow
}

type sessionRow struct {
	ID                    string
	CreatedAt, LastSeenAt time.Time
	MFA                   bool
	// Current marks the session of this request, which has no End button:
	// signing out ends it.
	Current bool
}

// sessionList shows one's own live sessions, newest first.
func (w *Web) sessionList(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	current := ""
	if sess, _ := authn.SessionFrom(r.Context()); sess != nil {
		current = sess.ID
	}
	list, err := w.acc.ListSessions(r.Context(), p, current)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &sessionsData{Sessions: make([]sessionRow, len(list))}
	for i, s := range list {
		d.Sessions[i] = sessionRow{ID: s.ID, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, MFA: s.MFA, Current: s.ID == current}
	}
	w.render(rw, r, http.StatusOK, pageSessions, view{Data: d})
}

// sessionRevoke ends one of one's own sessions. Ending the current one is
// signing out, and is answered like it.
func (w *Web) sessionRevoke(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := w.acc.RevokeSession(r.Context(), authn.PrincipalFrom(r.Context()), id); err != nil {
		w.fail(rw, r, err)
		return
	}
	if sess, _ := authn.SessionFrom(r.Context()); sess != nil && sess.ID == id {
		authn.ClearCookie(rw)
		http.Redirect(rw, r, pathLogin, http.StatusSeeOther)
		return
	}
	http.Redirect(rw, r, pathSessions, http.StatusSeeOther)
}
