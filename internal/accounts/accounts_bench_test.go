// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil"
)

// The benchmarks below measure the authenticated JSON read of
// docs/PERFORMANCE.md without the network: token authentication, the
// organisation query, and the whole handler chain. They run on SQLite, and
// on PostgreSQL too when AMPARO_TEST_POSTGRES_URL is set. Timing is
// reported, never asserted. For a CPU profile:
//
//	go test -run '^$' -bench GetOrganisationHandler -cpuprofile cpu.out ./internal/accounts/
//	go tool pprof -top cpu.out

// benchEach runs fn once per engine as a sub-benchmark with a fresh app,
// an organisation and an org_admin with a token limited to
// organisation.read.
func benchEach(b *testing.B, fn func(b *testing.B, a *testutil.App, orgID, token string)) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			a := testutil.New(b, storetest.URL(b, engine))
			org := a.Org("Bench")
			admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
			_, secret, err := a.Accounts.IssueToken(ctx, admin.Principal, "bench", "organisation.read", 0)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			fn(b, a, org.ID, secret)
		})
	}
}

func BenchmarkAuthenticateToken(b *testing.B) {
	benchEach(b, func(b *testing.B, a *testutil.App, _, token string) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := a.Accounts.AuthenticateToken(ctx, token); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkGetOrganisation(b *testing.B) {
	benchEach(b, func(b *testing.B, a *testutil.App, orgID, token string) {
		p, err := a.Accounts.AuthenticateToken(ctx, token)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := a.Accounts.GetOrganisation(ctx, p, orgID); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkGetOrganisationHandler is GET /api/v1/organisations/{id} through
// the full middleware chain (request id, headers, access log, metrics,
// compression, authentication, routing), served in process.
func BenchmarkGetOrganisationHandler(b *testing.B) {
	benchEach(b, func(b *testing.B, a *testutil.App, orgID, token string) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req := httptest.NewRequest(http.MethodGet, "/api/v1/organisations/"+orgID, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				a.Handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Errorf("status %d: %s", rec.Code, rec.Body)
					return
				}
			}
		})
	})
}
