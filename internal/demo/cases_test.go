// SPDX-License-Identifier: AGPL-3.0-or-later

package demo_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/demo"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestCases opens synthetic cases in the demo organisation through the
// bulk import, and refuses once the database holds a real organisation.
func TestCases(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		if _, err := demo.Cases(ctx, a.DB, a.Accounts, a.CaseImport, 5, a.Clock.Now(), nil); err == nil {
			t.Fatal("demo cases without the demo organisation")
		}
		if _, err := demo.Seed(ctx, a.DB, a.Accounts); err != nil {
			t.Fatal(err)
		}
		rep, err := demo.Cases(ctx, a.DB, a.Accounts, a.CaseImport, 25, a.Clock.Now(), nil)
		if err != nil || rep.Created != 25 || rep.ImportID == "" {
			t.Fatalf("Cases = %+v, %v", rep, err)
		}
		var n int
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM cases c JOIN organisations o ON o.id = c.org_id
			WHERE o.is_demo = 1 AND c.principal_country = 'MEX'`), &n); err != nil || n != 25 {
			t.Fatalf("%d demo cases, %v", n, err)
		}
		// The persons are clearly synthetic: their names say so.
		var worker struct{ id, org string }
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT owner_id, org_id FROM cases LIMIT 1`), &worker.id, &worker.org); err != nil {
			t.Fatal(err)
		}
		p := access.Principal{UserID: worker.id, OrgID: worker.org, Role: access.RoleCaseworker, MFA: true}
		found, err := a.Persons.Search(ctx, p, persons.SearchQuery{Name: "Demo Person 000025"})
		if err != nil || len(found) != 1 {
			t.Fatalf("search = %v, %v", found, err)
		}
		// A second run adds as many again, numbered after the first.
		if rep, err := demo.Cases(ctx, a.DB, a.Accounts, a.CaseImport, 5, a.Clock.Now(), nil); err != nil || rep.Created != 5 {
			t.Fatalf("a second run = %+v, %v", rep, err)
		}
		if found, err := a.Persons.Search(ctx, p, persons.SearchQuery{Name: "Demo Person 000030"}); err != nil || len(found) != 1 {
			t.Fatalf("the second run's last person: %v, %v", found, err)
		}
		a.Org("A real organisation")
		if _, err := demo.Cases(ctx, a.DB, a.Accounts, a.CaseImport, 5, a.Clock.Now(), nil); !errors.Is(err, demo.ErrRealData) {
			t.Fatalf("with a real organisation: %v, want ErrRealData", err)
		}
	})
}

func TestWriteCasesIsRepeatable(t *testing.T) {
	now := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	var a, b bytes.Buffer
	if err := demo.WriteCases(&a, 1, 100, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.WriteCases(&b, 1, 100, now); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || bytes.Count(a.Bytes(), []byte("\n")) != 101 {
		t.Errorf("two runs differ, or the line count is wrong")
	}
}
