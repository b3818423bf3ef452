// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Case is a protection case. Get fills Concerns, Persons and
// PendingTransfer; List fills Concerns only.
type Case struct {
	ID      string
	OrgID   string
	Number  string // YYYY-NNNNN, unique within OrgID
	OwnerID string // the caseworker
	TeamID  string // "" for none
	Status  Status
	Risk    Risk
	// Concerns are sorted by code.
	Concerns []Concern
	// Principal is where the case's principal person comes from and is,
	// as copied on the case for lists (zero without a principal).
	Principal PrincipalPlace
	// ClosureRequest is the request waiting for approval, nil when none.
	ClosureRequest *ClosureRequest
	// Closure says who closed the case and why, nil unless Status is
	// closed.
	Closure *Closure
	// Persons are the linked persons, the principal first.
	Persons []PersonLink
	// PendingTransfer is an offer of the case to another organisation
	// waiting for an answer, nil when none.
	PendingTransfer *Transfer
	CreatedBy       string
	CreatedAt       time.Time
	UpdatedAt       time.Time

	keyID string // the case's data key, "" once erased
}

// ClosureRequest is a caseworker's request to close a case.
type ClosureRequest struct {
	RequestedBy string
	RequestedAt time.Time
	Reason      ClosureReason
}

// Closure is an approved closure.
type Closure struct {
	RequestedBy string
	ApprovedBy  string
	Reason      ClosureReason
	ClosedAt    time.Time
}

// record locates the case for scope checks.
func (c Case) record() access.Record {
	return access.Record{OrgID: c.OrgID, OwnerID: c.OwnerID, TeamID: c.TeamID}
}

const caseColumns = `id, org_id, number, owner_id, COALESCE(team_id, ''), status, risk, COALESCE(data_key_id, ''),
	COALESCE(closure_requested_by, ''), closure_requested_at, closure_reason, COALESCE(closed_by, ''), closed_at,
	created_by, created_at, updated_at, principal_nationality, principal_country, principal_admin1`

func scanCase(sc store.Scanner) (Case, error) {
	var c Case
	var requestedAt, closedAt sql.NullInt64
	var requestedBy, reason, closedBy string
	var created, updated int64
	err := sc.Scan(&c.ID, &c.OrgID, &c.Number, &c.OwnerID, &c.TeamID, &c.Status, &c.Risk, &c.keyID,
		&requestedBy, &requestedAt, &reason, &closedBy, &closedAt, &c.CreatedBy, &created, &updated,
		&c.Principal.Nationality, &c.Principal.Country, &c.Principal.Admin1)
	if err != nil {
		return Case{}, err
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	switch {
	case c.Status == StatusClosed && closedAt.Valid:
		c.Closure = &Closure{RequestedBy: requestedBy, ApprovedBy: closedBy, Reason: ClosureReason(reason),
			ClosedAt: fromMicros(closedAt.Int64)}
	case requestedAt.Valid:
		c.ClosureRequest = &ClosureRequest{RequestedBy: requestedBy, RequestedAt: fromMicros(requestedAt.Int64),
			Reason: ClosureReason(reason)}
	}
	return c, nil
}

// loadCase reads case id through q, without locking it.
func loadCase(ctx context.Context, q store.Queryer, id string) (Case, error) {
	c, err := scanCase(q.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = ?`, id))
	return c, notFound(err)
}

// lockCase reads case id inside tx and holds its row until tx ends (a row
// lock on PostgreSQL; SQLite's write transaction holds the database), so
// that the checks a write makes on the case stay true until it commits.
// The update changes nothing: it is the one portable way to lock a row.
func lockCase(ctx context.Context, tx *store.Tx, id string) (Case, error) {
	c, err := scanCase(tx.QueryRow(ctx, `UPDATE cases SET updated_at = updated_at WHERE id = ? RETURNING `+caseColumns, id))
	return c, notFound(err)
}

// reachForWrite locks case id and checks that p may exercise perm on it:
// ErrNotFound when p cannot even read it, ErrForbidden when p can read it
// but not do this.
func reachForWrite(ctx context.Context, tx *store.Tx, p access.Principal, id string, perm access.Permission) (Case, error) {
	if !ids.Valid(id) {
		return Case{}, ErrNotFound
	}
	c, err := lockCase(ctx, tx, id)
	if err != nil {
		return Case{}, err
	}
	return c, allowed(p, c, perm)
}

// allowed answers whether p may exercise perm on c, with the error the
// caller returns when not.
func allowed(p access.Principal, c Case, perm access.Permission) error {
	rec := c.record()
	switch {
	case p.Allows(perm, rec):
		return nil
	case p.Allows(PermRead, rec):
		return ErrForbidden
	default:
		return ErrNotFound
	}
}

// requireOpen refuses changes to a closed case: it must be reopened first.
func requireOpen(c Case) error {
	if c.Status == StatusClosed {
		return invalid("status", CodeClosed)
	}
	return nil
}

// touch marks the case changed now, so lists ordered by last change put
// it first; the copies of updated_at in case_concerns move with it.
func (s *Service) touch(ctx context.Context, tx *store.Tx, id string) error {
	now := micros(s.now())
	if _, err := tx.Exec(ctx, `UPDATE cases SET updated_at = ? WHERE id = ?`, now, id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE case_concerns SET case_updated_at = ? WHERE case_id = ?`, now, id)
	return err
}

// NewCase is what is needed to open a case.
type NewCase struct {
	// OwnerID is the caseworker; "" means the principal creating it.
	OwnerID string
	// TeamID is the team; "" means the owner's team in the organisation
	// (none when they have none).
	TeamID   string
	Risk     Risk
	Concerns []Concern
	// Persons are linked in the same transaction, so a case and its
	// principal person are recorded together or not at all.
	Persons []PersonLinkInput
}

// Create opens a case in p's organisation, numbered from the
// organisation's counter for the current year.
func (s *Service) Create(ctx context.Context, p access.Principal, in NewCase) (Case, error) {
	if p.OrgID == "" || !p.Can(PermCreate) {
		return Case{}, ErrForbidden
	}
	v := &ValidationError{}
	if in.OwnerID == "" {
		in.OwnerID = p.UserID
	}
	concerns := checkNew(v, in)
	if err := v.OrNil(); err != nil {
		return Case{}, err
	}
	var out Case
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rec, err := s.placement(ctx, tx, v, p.OrgID, in.OwnerID, in.TeamID, in.TeamID == "")
		if err != nil {
			return err
		}
		for i, l := range in.Persons {
			if err := personInOrg(ctx, tx, v, fmt.Sprintf("persons.%d.person_id", i), p.OrgID, l.PersonID); err != nil {
				return err
			}
		}
		if err := v.OrNil(); err != nil {
			return err
		}
		if !p.Allows(PermCreate, rec) {
			return ErrForbidden
		}
		now := s.now()
		keyID, err := s.vault.NewDataKey(ctx, tx, dataKeyPurpose)
		if err != nil {
			return err
		}
		number, err := nextNumber(ctx, tx, p.OrgID, now.Year())
		if err != nil {
			return err
		}
		id := ids.New()
		_, err = tx.Exec(ctx, `INSERT INTO cases (id, org_id, number, owner_id, team_id, status, risk, data_key_id,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, p.OrgID, number, rec.OwnerID, nullString(rec.TeamID), StatusNew, in.Risk, keyID, p.UserID,
			micros(now), micros(now))
		if err != nil {
			return err
		}
		if err := insertConcerns(ctx, tx, p.OrgID, id, concerns, now); err != nil {
			return err
		}
		for _, l := range in.Persons {
			if err := insertLink(ctx, tx, p, id, l, now); err != nil {
				return err
			}
		}
		fields := []string{"number", "owner_id", "status"}
		if rec.TeamID != "" {
			fields = append(fields, "team_id")
		}
		if in.Risk != RiskUnassessed {
			fields = append(fields, "risk")
		}
		if len(concerns) > 0 {
			fields = append(fields, "concerns")
		}
		if len(in.Persons) > 0 {
			fields = append(fields, "person")
		}
		if out, err = s.full(ctx, tx, id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "case.create", id, p.OrgID, fields...)
	})
	if err != nil {
		return Case{}, err
	}
	return out, nil
}

// placement checks an owner and team for a case of organisation orgID and
// returns the case's scope record. The owner must be an active member who
// could read the case; the team must be the organisation's. With
// defaultTeam, the team is the owner's own. Problems are added to v.
func (s *Service) placement(ctx context.Context, q store.Queryer, v *ValidationError, orgID, ownerID, teamID string, defaultTeam bool) (access.Record, error) {
	rec := access.Record{OrgID: orgID, OwnerID: ownerID, TeamID: teamID}
	m, ok, err := memberOf(ctx, q, orgID, ownerID)
	if err != nil {
		return rec, err
	}
	if !ok {
		v.Add("owner_id", CodeNotFound)
		return rec, nil
	}
	if defaultTeam {
		rec.TeamID = m.teamID
	} else if teamID != "" {
		found, err := teamInOrg(ctx, q, orgID, teamID)
		if err != nil {
			return rec, err
		}
		if !found {
			v.Add("team_id", CodeNotFound)
			return rec, nil
		}
	}
	if !m.principalOf(orgID, ownerID).Allows(PermRead, rec) {
		v.Add("owner_id", CodeCannotAccess)
	}
	return rec, nil
}

// nextNumber takes the next case number of organisation orgID for year.
// The upsert increments the counter row and holds its lock until the
// transaction ends, so concurrent transactions are given distinct,
// consecutive numbers (a rolled-back one gives its number back).
func nextNumber(ctx context.Context, tx *store.Tx, orgID string, year int) (string, error) {
	n, err := ReserveNumbers(ctx, tx, orgID, year, 1)
	if err != nil {
		return "", err
	}
	return formatNumber(year, n), nil
}

// ReserveNumbers takes n consecutive case numbers of organisation orgID
// for year, as nextNumber takes one, and returns the first; a bulk writer
// takes a block at once instead of one statement per case.
func ReserveNumbers(ctx context.Context, tx *store.Tx, orgID string, year, n int) (int64, error) {
	var last int64
	err := store.ScanRow(tx.QueryRow(ctx, `INSERT INTO case_numbers (org_id, year, last_number) VALUES (?, ?, ?)
		ON CONFLICT (org_id, year) DO UPDATE SET last_number = case_numbers.last_number + ?
		RETURNING last_number`, orgID, year, n, n), &last)
	if err != nil {
		return 0, fmt.Errorf("cases: numbering: %w", err)
	}
	return last - int64(n) + 1, nil
}

// formatNumber writes a case number: the year, a hyphen and the sequence
// within the year, zero-padded to five digits (more when needed).
func formatNumber(year int, n int64) string { return fmt.Sprintf("%04d-%05d", year, n) }

// checkConcerns validates a set of concerns and returns it sorted.
func checkConcerns(v *ValidationError, in []Concern) []Concern {
	out := slices.Clone(in)
	slices.Sort(out)
	for i, c := range out {
		switch {
		case !c.Valid():
			v.Add("concerns", CodeUnknown)
			return nil
		case i > 0 && out[i-1] == c:
			v.Add("concerns", CodeDuplicate)
			return nil
		}
	}
	return out
}

// insertConcerns records the concerns of case caseID of organisation
// orgID, last changed at updated, with the copies of the case's opening
// time and principal's attributes that statistics read (copyToConcerns).
func insertConcerns(ctx context.Context, tx *store.Tx, orgID, caseID string, concerns []Concern, updated time.Time) error {
	for _, c := range concerns {
		if _, err := tx.Exec(ctx, `INSERT INTO case_concerns (case_id, concern, case_org_id, case_updated_at,
			case_created_at, case_nationality, case_country, case_sex, case_birth_year)
			SELECT id, ?, ?, ?, created_at, principal_nationality, principal_country, principal_sex, principal_birth_year
			FROM cases WHERE id = ?`, c, orgID, micros(updated), caseID); err != nil {
			return err
		}
	}
	return nil
}

// full reads case id with its concerns, persons and pending transfer.
func (s *Service) full(ctx context.Context, q store.Queryer, id string) (Case, error) {
	c, err := loadCase(ctx, q, id)
	if err != nil {
		return Case{}, err
	}
	return s.fill(ctx, q, c)
}

func (s *Service) fill(ctx context.Context, q store.Queryer, c Case) (Case, error) {
	byCase, err := concernsOf(ctx, q, []string{c.ID})
	if err != nil {
		return Case{}, err
	}
	c.Concerns = byCase[c.ID]
	if c.Persons, err = linksOf(ctx, q, c.ID); err != nil {
		return Case{}, err
	}
	t, err := scanTransfer(q.QueryRow(ctx, `SELECT `+transferColumns+` FROM case_transfers WHERE case_id = ? AND status = ?`,
		c.ID, TransferPending))
	switch {
	case err == nil:
		c.PendingTransfer = &t
	case !errors.Is(err, sql.ErrNoRows):
		return Case{}, err
	}
	return c, nil
}

// concernsOf returns the concerns of each case in caseIDs, sorted.
func concernsOf(ctx context.Context, q store.Queryer, caseIDs []string) (map[string][]Concern, error) {
	out := map[string][]Concern{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(caseIDs))
	for i, id := range caseIDs {
		args[i] = id
	}
	type pair struct {
		caseID  string
		concern Concern
	}
	rows, err := store.QueryAll(ctx, q, func(sc store.Scanner) (pair, error) {
		var p pair
		return p, sc.Scan(&p.caseID, &p.concern)
	}, `SELECT case_id, concern FROM case_concerns WHERE case_id IN (`+store.Placeholders(len(caseIDs))+`)
		ORDER BY case_id, concern`, args...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.caseID] = append(out[r.caseID], r.concern)
	}
	return out, nil
}

// Get returns case id if p may read it, with its concerns, linked persons
// and pending transfer. Nothing sealed is read, so nothing is audited.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Case, error) {
	if !ids.Valid(id) {
		return Case{}, ErrNotFound
	}
	c, err := loadCase(ctx, s.db, id)
	if err != nil {
		return Case{}, err
	}
	if !p.Allows(PermRead, c.record()) {
		return Case{}, ErrNotFound
	}
	return s.fill(ctx, s.db, c)
}

// Reach returns the scope record of case id when p may exercise perm on
// it: ErrNotFound when p cannot read the case, ErrForbidden when p can
// read it but not do this. Packages that keep records belonging to a case
// (detention episodes, referrals) use it to decide access the same way.
func (s *Service) Reach(ctx context.Context, p access.Principal, id string, perm access.Permission) (access.Record, error) {
	if !ids.Valid(id) {
		return access.Record{}, ErrNotFound
	}
	c, err := loadCase(ctx, s.db, id)
	if err != nil {
		return access.Record{}, err
	}
	if err := allowed(p, c, perm); err != nil {
		return access.Record{}, err
	}
	return c.record(), nil
}

// Changes are the fields of a case Update may change; nil leaves a field
// as it is.
type Changes struct {
	Risk *Risk
	// Concerns replaces the whole set.
	Concerns *[]Concern
	OwnerID  *string
	// TeamID "" takes the case out of any team.
	TeamID *string
}

// Update changes a case's risk, concerns, owner or team. Moving a case to
// another owner or team needs case.update on the case both as it is and
// as it will be, so a caseworker cannot give a case away and a supervisor
// cannot move one out of reach of their team. The audit entry names the
// fields whose value changed; a change to nothing writes nothing.
func (s *Service) Update(ctx context.Context, p access.Principal, id string, ch Changes) (Case, error) {
	v := &ValidationError{}
	if ch.Risk != nil && !ch.Risk.Valid() {
		v.Add("risk", CodeUnknown)
	}
	var concerns []Concern
	if ch.Concerns != nil {
		concerns = checkConcerns(v, *ch.Concerns)
	}
	if ch.OwnerID != nil && !ids.Valid(*ch.OwnerID) {
		v.Add("owner_id", CodeNotFound)
	}
	if ch.TeamID != nil && *ch.TeamID != "" && !ids.Valid(*ch.TeamID) {
		v.Add("team_id", CodeNotFound)
	}
	if err := v.OrNil(); err != nil {
		return Case{}, err
	}
	return s.write(ctx, p, id, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		var fields []string
		owner, team := c.OwnerID, c.TeamID
		if ch.OwnerID != nil && *ch.OwnerID != c.OwnerID {
			owner = *ch.OwnerID
			fields = append(fields, "owner_id")
		}
		if ch.TeamID != nil && *ch.TeamID != c.TeamID {
			team = *ch.TeamID
			fields = append(fields, "team_id")
		}
		if owner != c.OwnerID || team != c.TeamID {
			rec, err := s.placement(ctx, tx, v, c.OrgID, owner, team, false)
			if err != nil {
				return "", nil, err
			}
			if err := v.OrNil(); err != nil {
				return "", nil, err
			}
			if !p.Allows(PermUpdate, rec) {
				return "", nil, ErrForbidden
			}
			if _, err := tx.Exec(ctx, `UPDATE cases SET owner_id = ?, team_id = ? WHERE id = ?`, owner, nullString(team), id); err != nil {
				return "", nil, err
			}
		}
		if ch.Risk != nil && *ch.Risk != c.Risk {
			if _, err := tx.Exec(ctx, `UPDATE cases SET risk = ? WHERE id = ?`, *ch.Risk, id); err != nil {
				return "", nil, err
			}
			fields = append(fields, "risk")
		}
		if ch.Concerns != nil {
			old, err := concernsOf(ctx, tx, []string{id})
			if err != nil {
				return "", nil, err
			}
			if !slices.Equal(old[id], concerns) {
				if _, err := tx.Exec(ctx, `DELETE FROM case_concerns WHERE case_id = ?`, id); err != nil {
					return "", nil, err
				}
				if err := insertConcerns(ctx, tx, c.OrgID, id, concerns, s.now()); err != nil {
					return "", nil, err
				}
				fields = append(fields, "concerns")
			}
		}
		if len(fields) == 0 {
			return "", nil, nil
		}
		return "case.update", fields, nil
	})
}
