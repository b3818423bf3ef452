// SPDX-License-Identifier: AGPL-3.0-or-later

package retention

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
)

// Result counts what one run shredded.
type Result struct {
	Cases   int // cases whose data key was destroyed
	Persons int // persons erased because all their cases were
}

// batch is how many expired cases a run takes at a time: each is shredded
// in its own transaction, so a long backlog never holds a lock for long.
const batch = 200

// actor is who shreds in organisation orgID: the system, with an
// organisation administrator's reach in that organisation only, because it
// carries out the period that organisation's administrator set. The audit
// log names it "system".
func actor(orgID string) access.Principal {
	return access.Principal{UserID: access.System.UserID, OrgID: orgID, Role: access.RoleOrgAdmin, MFA: true}
}

// Cutoff is the closing time before which a case has outlived a period of
// days at now.
func Cutoff(now time.Time, days int) time.Time { return now.Add(-time.Duration(days) * Day) }

// Run shreds, in every organisation that set a period, the closed cases
// closed before now minus the period, then erases the persons left with
// shredded cases only. It stops at the first error, leaving what it did
// done: the next run carries on from there.
func (s *Service) Run(ctx context.Context, now time.Time) (Result, error) {
	var res Result
	type period struct {
		orgID string
		days  int
	}
	periods, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (period, error) {
		var p period
		err := sc.Scan(&p.orgID, &p.days)
		return p, err
	}, `SELECT org_id, closed_case_days FROM org_retention ORDER BY org_id`)
	if err != nil {
		return res, err
	}
	for _, p := range periods {
		r, err := s.runOrg(ctx, p.orgID, Cutoff(now, p.days))
		res.Cases += r.Cases
		res.Persons += r.Persons
		if err != nil {
			return res, fmt.Errorf("retention: organisation %s: %w", p.orgID, err)
		}
	}
	return res, nil
}

// runOrg shreds organisation orgID's cases closed before cutoff and erases
// the persons they leave behind.
func (s *Service) runOrg(ctx context.Context, orgID string, cutoff time.Time) (Result, error) {
	var res Result
	who := actor(orgID)
	for {
		caseIDs, err := s.cases.ExpiredClosed(ctx, orgID, cutoff, batch)
		if err != nil {
			return res, err
		}
		shredded := 0
		for _, id := range caseIDs {
			done, err := s.cases.Shred(ctx, who, id, cutoff)
			if err != nil {
				return res, err
			}
			if done {
				shredded++
			}
		}
		res.Cases += shredded
		// A full batch of which none could be shredded would come back
		// the same: stop rather than loop.
		if len(caseIDs) < batch || shredded == 0 {
			break
		}
	}
	// Looked for after every run, not only for the cases this run shredded,
	// so that persons a crashed run left behind are erased now.
	personIDs, err := s.cases.PersonsOnlyInShredded(ctx, orgID)
	if err != nil {
		return res, err
	}
	for _, id := range personIDs {
		switch err := s.persons.Erase(ctx, who, id); {
		case errors.Is(err, persons.ErrNotFound):
			// A person of another organisation linked to this one's case
			// is not this organisation's to erase.
		case err != nil:
			return res, err
		default:
			res.Persons++
		}
	}
	return res, nil
}
