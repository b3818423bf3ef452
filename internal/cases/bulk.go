// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// NewRecord is a case made ready for a bulk writer (internal/caseimport
// opens a million cases in one transaction), so that it opens each exactly
// as Create does: the same checks (Prepare), a data key of its own (Seal),
// a number from the organisation's counter (ReserveNumbers, FormatNumber),
// the same rows (Batch) and the same audit fields.
type NewRecord struct {
	ID string
	// Key is the case's data key, set by Seal; its row goes in before the
	// case's.
	Key      *vault.FreshKey
	Number   string
	Status   Status
	Risk     Risk
	Concerns []Concern
	// Opened is when the case was opened, which may be before it was
	// recorded here; its year numbers the case.
	Opened time.Time
	// Principal is the principal person's place, copied onto the case as
	// every link of a principal copies it (principal_copy.go).
	Principal PrincipalPlace
	// PrincipalSex and PrincipalBirthYear are the principal person's,
	// copied onto the case and its concerns for statistics the same way;
	// "" (unknown) and 0 when not known.
	PrincipalSex       string
	PrincipalBirthYear int
}

// ImportStatuses are the statuses a case may be given when it is opened
// in bulk: any but closed, since closing needs a supervisor's approval.
var ImportStatuses = []Status{StatusNew, StatusAssessment, StatusCasePlan, StatusServices}

// Prepare checks a case to open in bulk: status (one of ImportStatuses;
// "" means new), risk and concerns (repeated ones counted once). It touches
// no database and is safe for concurrent use.
func Prepare(status Status, risk Risk, concerns []Concern, opened time.Time) (NewRecord, []FieldError) {
	v := &ValidationError{}
	if status == "" {
		status = StatusNew
	}
	switch {
	case status == StatusClosed:
		v.Add("status", CodeNotAllowed)
	case !status.Valid():
		v.Add("status", CodeUnknown)
	}
	if !risk.Valid() {
		v.Add("risk", CodeUnknown)
	}
	cs := checkConcerns(v, slices.Compact(slices.Sorted(slices.Values(concerns))))
	if len(v.Errors) > 0 {
		return NewRecord{}, v.Errors
	}
	return NewRecord{ID: ids.New(), Status: status, Risk: risk, Concerns: cs, Opened: opened.UTC()}, nil
}

// Seal makes the case's data key, under which its notes, tasks and
// attachments will be sealed. It touches no database.
func (s *Service) Seal(c *NewRecord) error {
	key, err := s.vault.FreshKey(dataKeyPurpose)
	c.Key = key
	return err
}

// FormatNumber writes a case number as Create numbers cases.
func FormatNumber(year int, n int64) string { return formatNumber(year, n) }

// ObjectType names cases in audit entries, for bulk writers that audit
// the cases they open (action "case.create", as Create).
const ObjectType = objectType

// AuditFields names what Create's audit entry would name for c placed at
// rec, with a principal person linked.
func (c NewRecord) AuditFields(rec access.Record) []string {
	fields := []string{"number", "owner_id", "status"}
	if rec.TeamID != "" {
		fields = append(fields, "team_id")
	}
	if c.Risk != RiskUnassessed {
		fields = append(fields, "risk")
	}
	if len(c.Concerns) > 0 {
		fields = append(fields, "concerns")
	}
	return append(fields, "person")
}

// Owner checks that ownerID may own cases of organisation orgID, as Create
// checks an owner, and returns the record a case of theirs is placed at
// (their team included); a ValidationError on owner_id when they may not.
func (s *Service) Owner(ctx context.Context, q store.Queryer, orgID, ownerID string) (access.Record, error) {
	v := &ValidationError{}
	if !ids.Valid(ownerID) {
		v.Add("owner_id", CodeNotFound)
		return access.Record{}, v
	}
	rec, err := s.placement(ctx, q, v, orgID, ownerID, "", true)
	if err != nil {
		return access.Record{}, err
	}
	return rec, v.OrNil()
}

// Batch gathers cases, each with its principal person, and inserts them
// with Tx.InsertRows in the order their foreign keys need. The zero Batch
// is empty and ready.
type Batch struct {
	cases, concerns, persons [][]any
}

var (
	caseInsertColumns = []string{"id", "org_id", "number", "owner_id", "team_id", "status", "risk", "data_key_id",
		"created_by", "created_at", "updated_at", "principal_nationality", "principal_country", "principal_admin1",
		"principal_sex", "principal_birth_year"}
	concernColumns = []string{"case_id", "concern", "case_org_id", "case_updated_at", "case_created_at",
		"case_nationality", "case_country", "case_sex", "case_birth_year"}
	linkInsertColumns = []string{"case_id", "person_id", "role", "relation", "created_by", "created_at"}
)

// Add adds case c, placed at rec, opened by actorID and recorded at now,
// with personID linked as its principal.
func (b *Batch) Add(c NewRecord, rec access.Record, personID, actorID string, now time.Time) {
	sex := c.PrincipalSex
	if sex == "" {
		sex = "unknown"
	}
	var birthYear any
	if c.PrincipalBirthYear != 0 {
		birthYear = c.PrincipalBirthYear
	}
	b.cases = append(b.cases, []any{c.ID, rec.OrgID, c.Number, rec.OwnerID, nullString(rec.TeamID), string(c.Status),
		string(c.Risk), c.Key.ID, actorID, micros(c.Opened), micros(now), c.Principal.Nationality, c.Principal.Country,
		c.Principal.Admin1, sex, birthYear})
	for _, k := range c.Concerns {
		b.concerns = append(b.concerns, []any{c.ID, string(k), rec.OrgID, micros(now), micros(c.Opened),
			c.Principal.Nationality, c.Principal.Country, sex, birthYear})
	}
	b.persons = append(b.persons, []any{c.ID, personID, string(RolePrincipal), string(RelationNone), actorID, micros(now)})
}

// Insert inserts what was added, after the cases' data keys and persons,
// and empties the batch.
func (b *Batch) Insert(ctx context.Context, tx *store.Tx) error {
	for _, t := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{{"cases", caseInsertColumns, b.cases}, {"case_concerns", concernColumns, b.concerns},
		{"case_persons", linkInsertColumns, b.persons}} {
		if err := tx.InsertRows(ctx, t.table, t.columns, t.rows); err != nil {
			return err
		}
	}
	*b = Batch{cases: b.cases[:0], concerns: b.concerns[:0], persons: b.persons[:0]}
	return nil
}
