// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"errors"
	"reflect"
	"testing"

	"github.com/amparo-project/amparo/internal/ids"
)

// CheckNew and CheckLink answer with the field errors Create and
// LinkPerson give for the same input.
func TestCheckNewAndCheckLink(t *testing.T) {
	person := ids.New()
	for _, tc := range []struct {
		name string
		err  error
		want []FieldError
	}{
		{"valid", CheckNew(NewCase{Risk: RiskHigh, Concerns: []Concern{"detention", "health"}}), nil},
		{"owner by default", CheckNew(NewCase{Persons: []PersonLinkInput{{PersonID: person, Role: RolePrincipal}}}), nil},
		{"bad ids", CheckNew(NewCase{OwnerID: "x", TeamID: "y"}),
			[]FieldError{{Field: "owner_id", Code: CodeNotFound}, {Field: "team_id", Code: CodeNotFound}}},
		{"unknown risk and concern", CheckNew(NewCase{Risk: "extreme", Concerns: []Concern{"weather"}}),
			[]FieldError{{Field: "risk", Code: CodeUnknown}, {Field: "concerns", Code: CodeUnknown}}},
		{"two principals", CheckNew(NewCase{Persons: []PersonLinkInput{{PersonID: person, Role: RolePrincipal},
			{PersonID: ids.New(), Role: RolePrincipal}}}), []FieldError{{Field: "persons.1.role", Code: CodePrincipalExists}}},
		{"family member", CheckLink(RoleFamilyMember, RelationSibling), nil},
		{"no role", CheckLink("", RelationNone), []FieldError{{Field: "role", Code: CodeRequired}}},
		{"family member unrelated", CheckLink(RoleFamilyMember, RelationNone), []FieldError{{Field: "relation", Code: CodeRequired}}},
		{"principal related", CheckLink(RolePrincipal, RelationChild), []FieldError{{Field: "relation", Code: CodeNotAllowed}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ve *ValidationError
			switch {
			case tc.want == nil && tc.err != nil:
				t.Fatalf("got %v, want nil", tc.err)
			case tc.want != nil && (!errors.As(tc.err, &ve) || !reflect.DeepEqual(ve.Errors, tc.want)):
				t.Fatalf("got %v, want %v", tc.err, tc.want)
			}
		})
	}
}
