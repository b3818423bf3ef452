// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import "github.com/amparo-project/amparo/internal/ids"

// CheckNew answers what Create would say of in's own fields (ids of the
// right form, a known risk level and concerns, consistent links) before
// it looks anything up: a ValidationError or nil. A form that opens a case
// together with something else (registering the person it is for) checks
// both first, so that it shows every error at once and a refusal leaves
// nothing behind. Create checks again, with the database: passing is no
// promise.
func CheckNew(in NewCase) error {
	v := &ValidationError{}
	checkNew(v, in)
	return v.OrNil()
}

// checkNew adds the problems of in's own fields to v and returns its
// concerns sorted. OwnerID "" stands for the principal opening the case.
func checkNew(v *ValidationError, in NewCase) []Concern {
	if in.OwnerID != "" && !ids.Valid(in.OwnerID) {
		v.Add("owner_id", CodeNotFound)
	}
	if in.TeamID != "" && !ids.Valid(in.TeamID) {
		v.Add("team_id", CodeNotFound)
	}
	if !in.Risk.Valid() {
		v.Add("risk", CodeUnknown)
	}
	concerns := checkConcerns(v, in.Concerns)
	checkLinkInputs(v, in.Persons)
	return concerns
}

// CheckLink answers what LinkPerson would say of a role and relation:
// a ValidationError naming "role" or "relation", or nil.
func CheckLink(role PersonRole, rel Relation) error {
	if field, code := checkLink(role, rel); field != "" {
		return invalid(field, code)
	}
	return nil
}
