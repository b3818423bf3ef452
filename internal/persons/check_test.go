// SPDX-License-Identifier: AGPL-3.0-or-later

package persons_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// Check says what Create would, and records nothing.
func TestCheckAgreesWithCreate(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cw := f.user(f.org(), access.RoleCaseworker, "")
		if err := f.svc.Check(sampleInput()); err != nil {
			t.Fatalf("Check(valid) = %v", err)
		}
		bad := sampleInput()
		bad.Attributes.Nationality = "ZZZ"
		bad.Identity.Phones = []string{"12"}
		checked := f.svc.Check(bad)
		_, created := f.svc.Create(ctx, cw, bad)
		var cve, ve *persons.ValidationError
		if !errors.As(checked, &cve) || !errors.As(created, &ve) || !reflect.DeepEqual(cve.Errors, ve.Errors) {
			t.Fatalf("Check = %v, Create = %v", checked, created)
		}
		if n := f.count(`SELECT COUNT(*) FROM persons`) + f.count(`SELECT COUNT(*) FROM audit_log`); n != 0 {
			t.Fatalf("checking left %d rows", n)
		}
	})
}
