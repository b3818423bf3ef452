// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/testutil"
)

// FuzzRecordPatch adds random keys to PATCH bodies (SECURITY-BAR 3): a body
// with any key the endpoint does not accept is refused with 422 and the
// stored record stays byte for byte the same.
func FuzzRecordPatch(f *testing.F) {
	for _, seed := range []struct{ key, value string }{
		{"colour", "red"}, {"is_demo", "true"}, {"id", "00000000000000000000000000"}, {"created_at", "1970"},
		{"name ", "x"}, {"", ""}, {"org_id", "other"}, {"is_sysadmin", "true"}, {"\u0000", "\u0000"},
	} {
		f.Add(seed.key, seed.value)
	}
	a := testutil.New(f, filepath.Join(f.TempDir(), "fuzz.db"))
	org := a.Org("Patch target")
	admin := a.NewUser(org.ID, access.RoleSysadmin, "")
	target := a.NewUser(org.ID, access.RoleViewer, "")
	records := map[string][]string{
		"/api/v1/organisations/" + org.ID: {"name", "country"},
		"/api/v1/users/" + target.ID:      {"name", "email"},
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		a := a.WithT(t)
		for path, allowed := range records {
			permitted := false
			for _, field := range allowed {
				permitted = permitted || strings.EqualFold(key, field)
			}
			if permitted {
				continue
			}
			before := a.Do(nil, "GET", path, admin.Token, nil)
			body, err := json.Marshal(map[string]string{key: value, "name": "Changed by fuzzing"})
			if err != nil {
				t.Skip("not representable as JSON")
			}
			res := a.Do(nil, "PATCH", path, admin.Token, body)
			if res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest {
				t.Fatalf("PATCH %s with key %q: status %d, want 422", path, key, res.Status)
			}
			after := a.Do(nil, "GET", path, admin.Token, nil)
			if string(before.Body) != string(after.Body) {
				t.Fatalf("PATCH %s with key %q changed the record:\n%s\n%s", path, key, before.Body, after.Body)
			}
		}
	})
}
