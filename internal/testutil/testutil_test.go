// SPDX-License-Identifier: AGPL-3.0-or-later

package testutil

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
)

func TestHarnessUsersCanUseTheAPI(t *testing.T) {
	Each(t, func(t *testing.T, a *App) {
		org := a.Org("Harness")
		u := a.NewUser(org.ID, access.RoleViewer, "")
		if !strings.HasPrefix(u.Name, "SNTL-name-") || !strings.Contains(u.Email, "sntl-email-") {
			t.Fatalf("fixture fields lack sentinels: %q %q", u.Name, u.Email)
		}
		var seen int
		a.Observe = func(*http.Request, int, http.Header, []byte) { seen++ }
		res := a.Do(nil, "GET", "/api/v1/organisations/"+org.ID, u.Token, nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), "Harness") || seen != 1 {
			t.Fatalf("GET organisation with harness token: %d %s (observed %d)", res.Status, res.Body, seen)
		}
		p, err := a.Accounts.AuthenticateToken(context.Background(), u.Token)
		if err != nil || p.Role != access.RoleViewer || p.OrgID != org.ID {
			t.Fatalf("token principal = %+v, %v", p, err)
		}
	})
}
