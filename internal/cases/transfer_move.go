// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"errors"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
)

// PersonMover is what moving a case to another organisation needs of the
// persons linked to it (internal/persons, whose *Service is one). A
// person's record belongs to one organisation, whose key its search tokens
// are made with, so the persons go with the case.
type PersonMover interface {
	// TransferConsentMissingTx returns those of personIDs whose identity
	// would reach organisation orgID without their consent in force,
	// read inside tx.
	TransferConsentMissingTx(ctx context.Context, tx *store.Tx, personIDs []string, orgID string) ([]string, error)
	// MoveTx places personIDs in organisation to.OrgID with to's owner
	// and team, remaking their search tokens with that organisation's key,
	// and audits each for p. It appends audit entries, so it comes last
	// but one in tx, before the case's own entry.
	MoveTx(ctx context.Context, tx *store.Tx, p access.Principal, personIDs []string, to access.Record) error
}

// PartMover moves what another package keeps about case caseID (detention
// episodes and consular notifications, referrals, the exploitation record
// and its perpetrators) to organisation orgID, inside the transaction that
// accepts the transfer, so that a case never arrives without its parts.
// detention.MoveCaseTx, referrals.MoveCaseTx and exploitation.MoveCaseTx
// are ones; the packages that keep them import this one, so they are given
// to New rather than called by name.
type PartMover func(ctx context.Context, tx *store.Tx, caseID, orgID string) error

// Reason codes of a transfer refused for its persons.
const (
	// CodeSharedPerson: a person of the case is linked to another case,
	// which would stay behind without them; unlink them first.
	CodeSharedPerson = "shared_person"
	// CodeConsentRequired: a person of the case has not consented to
	// their record going to the receiving organisation.
	CodeConsentRequired = "consent_required"
)

// errNoPersonMover means the service was built without Config.Persons and
// asked to move a case with persons: a wiring mistake, refused rather than
// leaving the persons behind.
var errNoPersonMover = errors.New("cases: a case with persons cannot move without the persons domain (Config.Persons)")

// movablePersons returns the persons linked to case caseID after checking
// that they may all go to organisation toOrgID with it: none is linked to
// another case, which would stay behind without them (CodeSharedPerson),
// and each has consented to their record going there
// (CodeConsentRequired). Both answer a field error on "persons".
func (s *Service) movablePersons(ctx context.Context, tx *store.Tx, caseID, toOrgID string) ([]string, error) {
	links, err := linksOf(ctx, tx, caseID)
	if err != nil || len(links) == 0 {
		return nil, err
	}
	if s.persons == nil {
		return nil, errNoPersonMover
	}
	personIDs := make([]string, len(links))
	args := make([]any, 0, len(links)+1)
	for i, l := range links {
		personIDs[i] = l.PersonID
		args = append(args, l.PersonID)
	}
	var shared int
	if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_persons WHERE person_id IN (`+
		store.Placeholders(len(personIDs))+`) AND case_id <> ?`, append(args, caseID)...), &shared); err != nil {
		return nil, err
	}
	if shared > 0 {
		return nil, invalid("persons", CodeSharedPerson)
	}
	missing, err := s.persons.TransferConsentMissingTx(ctx, tx, personIDs, toOrgID)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, invalid("persons", CodeConsentRequired)
	}
	return personIDs, nil
}

// moveParts runs the part movers for case caseID going to orgID.
func (s *Service) moveParts(ctx context.Context, tx *store.Tx, caseID, orgID string) error {
	for _, mv := range s.movers {
		if err := mv(ctx, tx, caseID, orgID); err != nil {
			return err
		}
	}
	return nil
}
