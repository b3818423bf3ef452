// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// CodeNotInCase: the person is not linked to the case.
const CodeNotInCase = "not_in_case"

const episodeType = "detention_episode"

// episodeFields names the fields of an episode, for the audit log, in the
// order changedEpisodeFields compares them.
var episodeFields = []string{"person_id", "facility_type", "facility_country", "authority", "start", "end",
	"legal_basis", "immigration_related", "judicial_reviews", "alternatives"}

const episodeColumns = `id, org_id, case_id, person_id, facility_type, facility_country, authority, start_at, end_at,
	legal_basis, immigration_related, created_by, created_at, updated_by, updated_at`

func scanEpisode(sc interface{ Scan(...any) error }) (Episode, error) {
	var e Episode
	var ft string
	var start, created, updated int64
	var end sql.NullInt64
	var imm int
	err := sc.Scan(&e.ID, &e.OrgID, &e.CaseID, &e.PersonID, &ft, &e.FacilityCountry, &e.Authority, &start, &end,
		&e.LegalBasis, &imm, &e.CreatedBy, &created, &e.UpdatedBy, &updated)
	e.FacilityType = FacilityType(ft)
	e.Start, e.End = fromMicros(start), fromNullMicros(end)
	e.ImmigrationRelated = imm == 1
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
	return e, err
}

// CreateEpisode records an episode of personID (a person of the case) in
// case caseID, which rec describes, for p (detention.write on the case).
func (s *Service) CreateEpisode(ctx context.Context, p access.Principal, rec access.Record, caseID, personID string, in EpisodeInput) (Episode, error) {
	var ep Episode
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.reachCase(ctx, tx, p, rec, caseID, PermWrite); err != nil {
			return err
		}
		now := s.now()
		norm, errs := NormalizeEpisode(in, now)
		inCase, err := s.personInCase(ctx, tx, caseID, personID)
		if err != nil {
			return err
		}
		if !inCase {
			errs = append([]FieldError{{Field: "person_id", Code: CodeNotInCase}}, errs...)
		}
		if err := invalid(errs); err != nil {
			return err
		}
		ep = Episode{ID: ids.New(), OrgID: rec.OrgID, CaseID: caseID, PersonID: personID, EpisodeInput: norm,
			CreatedBy: p.UserID, CreatedAt: canonical(now), UpdatedBy: p.UserID, UpdatedAt: canonical(now)}
		_, err = tx.Exec(ctx, `INSERT INTO detention_episodes (`+episodeColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ep.ID, ep.OrgID, ep.CaseID, ep.PersonID, string(ep.FacilityType), ep.FacilityCountry, ep.Authority,
			micros(ep.Start), nullMicros(ep.End), ep.LegalBasis, boolInt(ep.ImmigrationRelated),
			ep.CreatedBy, micros(ep.CreatedAt), ep.UpdatedBy, micros(ep.UpdatedAt))
		if err != nil {
			return err
		}
		if err := writeReviews(ctx, tx, ep.ID, ep.JudicialReviews); err != nil {
			return err
		}
		if err := writeAlternatives(ctx, tx, ep.ID, ep.Alternatives); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ep.OrgID, "detention.create", episodeType, ep.ID,
			changedEpisodeFields(Episode{}, ep))
	})
	if err != nil {
		return Episode{}, err
	}
	return ep, nil
}

func (s *Service) personInCase(ctx context.Context, q store.Queryer, caseID, personID string) (bool, error) {
	if !ids.Valid(personID) {
		return false, nil
	}
	var n int
	err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM case_persons WHERE case_id = ? AND person_id = ?`,
		caseID, personID), &n)
	return n > 0, err
}

// UpdateEpisode replaces what is recorded of episode id of case caseID for
// p. The person cannot change. The audit entry names the fields whose value
// changed; a change to nothing writes nothing.
func (s *Service) UpdateEpisode(ctx context.Context, p access.Principal, rec access.Record, caseID, id string, in EpisodeInput) (Episode, error) {
	var ep Episode
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.reachCase(ctx, tx, p, rec, caseID, PermWrite); err != nil {
			return err
		}
		old, err := s.loadEpisode(ctx, tx, rec.OrgID, caseID, id)
		if err != nil {
			return err
		}
		now := s.now()
		norm, errs := NormalizeEpisode(in, now)
		if norm.FacilityCountry != old.FacilityCountry && len(errs) == 0 {
			// Consular notification protects foreign nationals only.
			var n int
			if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COUNT(*) FROM consular_notifications
				WHERE episode_id = ? AND nationality = ?`, id, norm.FacilityCountry), &n); err != nil {
				return err
			}
			if n > 0 {
				errs = append(errs, FieldError{Field: "facility_country", Code: CodeSameCountry})
			}
		}
		if err := invalid(errs); err != nil {
			return err
		}
		ep = old
		ep.EpisodeInput = norm
		changed := changedEpisodeFields(old, ep)
		if len(changed) == 0 {
			ep = old
			return nil
		}
		ep.UpdatedBy, ep.UpdatedAt = p.UserID, canonical(now)
		_, err = tx.Exec(ctx, `UPDATE detention_episodes SET facility_type = ?, facility_country = ?, authority = ?,
			start_at = ?, end_at = ?, legal_basis = ?, immigration_related = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			string(ep.FacilityType), ep.FacilityCountry, ep.Authority, micros(ep.Start), nullMicros(ep.End),
			ep.LegalBasis, boolInt(ep.ImmigrationRelated), ep.UpdatedBy, micros(ep.UpdatedAt), ep.ID)
		if err != nil {
			return err
		}
		if slices.Contains(changed, "judicial_reviews") {
			if _, err := tx.Exec(ctx, `DELETE FROM detention_reviews WHERE episode_id = ?`, ep.ID); err != nil {
				return err
			}
			if err := writeReviews(ctx, tx, ep.ID, ep.JudicialReviews); err != nil {
				return err
			}
		}
		if slices.Contains(changed, "alternatives") {
			if _, err := tx.Exec(ctx, `DELETE FROM detention_alternatives WHERE episode_id = ?`, ep.ID); err != nil {
				return err
			}
			if err := writeAlternatives(ctx, tx, ep.ID, ep.Alternatives); err != nil {
				return err
			}
		}
		return s.log(ctx, tx, p, ep.OrgID, "detention.update", episodeType, ep.ID, changed)
	})
	if err != nil {
		return Episode{}, err
	}
	return ep, nil
}

// changedEpisodeFields names the fields whose value differs between a and
// b (against a zero Episode: the fields b records).
func changedEpisodeFields(a, b Episode) []string {
	endEq := (a.End == nil) == (b.End == nil) && (a.End == nil || a.End.Equal(*b.End))
	same := []bool{
		a.PersonID == b.PersonID, a.FacilityType == b.FacilityType, a.FacilityCountry == b.FacilityCountry,
		a.Authority == b.Authority, a.Start.Equal(b.Start), endEq, a.LegalBasis == b.LegalBasis,
		a.ImmigrationRelated == b.ImmigrationRelated,
		slices.EqualFunc(a.JudicialReviews, b.JudicialReviews, func(x, y time.Time) bool { return x.Equal(y) }),
		slices.Equal(a.Alternatives, b.Alternatives),
	}
	var out []string
	for i, eq := range same {
		if !eq {
			out = append(out, episodeFields[i])
		}
	}
	return out
}

func writeReviews(ctx context.Context, tx *store.Tx, episodeID string, reviews []time.Time) error {
	for _, r := range reviews {
		if _, err := tx.Exec(ctx, `INSERT INTO detention_reviews (episode_id, reviewed_at) VALUES (?, ?)`,
			episodeID, micros(r)); err != nil {
			return err
		}
	}
	return nil
}

func writeAlternatives(ctx context.Context, tx *store.Tx, episodeID string, alts []Alternative) error {
	for _, a := range alts {
		if _, err := tx.Exec(ctx, `INSERT INTO detention_alternatives (episode_id, kind, considered, applied)
			VALUES (?, ?, ?, ?)`, episodeID, string(a.Kind), boolInt(a.Considered), boolInt(a.Applied)); err != nil {
			return err
		}
	}
	return nil
}

// loadEpisode reads episode id of case caseID in organisation orgID, with
// its reviews and alternatives; ErrNotFound if there is no such episode.
func (s *Service) loadEpisode(ctx context.Context, q store.Queryer, orgID, caseID, id string) (Episode, error) {
	if !ids.Valid(id) {
		return Episode{}, ErrNotFound
	}
	ep, err := scanEpisode(q.QueryRow(ctx, `SELECT `+episodeColumns+` FROM detention_episodes
		WHERE id = ? AND case_id = ? AND org_id = ?`, id, caseID, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return Episode{}, ErrNotFound
	}
	if err != nil {
		return Episode{}, err
	}
	eps := []Episode{ep}
	if err := loadChildren(ctx, q, eps); err != nil {
		return Episode{}, err
	}
	return eps[0], nil
}

// loadChildren fills in the judicial reviews and alternatives of eps.
func loadChildren(ctx context.Context, q store.Queryer, eps []Episode) error {
	at := make(map[string]int, len(eps))
	idList := make([]string, len(eps))
	for i, e := range eps {
		at[e.ID], idList[i] = i, e.ID
	}
	for _, chunk := range chunks(idList, 500) {
		in := `(` + store.Placeholders(len(chunk)) + `)`
		rows, err := q.Query(ctx, `SELECT episode_id, reviewed_at FROM detention_reviews WHERE episode_id IN `+in+`
			ORDER BY episode_id, reviewed_at`, store.Args(chunk)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var v int64
			if err := rows.Scan(&id, &v); err != nil {
				_ = rows.Close()
				return err
			}
			eps[at[id]].JudicialReviews = append(eps[at[id]].JudicialReviews, fromMicros(v))
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		rows, err = q.Query(ctx, `SELECT episode_id, kind, considered, applied FROM detention_alternatives
			WHERE episode_id IN `+in, store.Args(chunk)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, kind string
			var considered, applied int
			if err := rows.Scan(&id, &kind, &considered, &applied); err != nil {
				_ = rows.Close()
				return err
			}
			eps[at[id]].Alternatives = append(eps[at[id]].Alternatives,
				Alternative{Kind: AlternativeKind(kind), Considered: considered == 1, Applied: applied == 1})
		}
		if err := closeRows(rows); err != nil {
			return err
		}
	}
	for i := range eps {
		slices.SortFunc(eps[i].Alternatives, func(a, b Alternative) int {
			return slices.Index(AlternativeKinds, a.Kind) - slices.Index(AlternativeKinds, b.Kind)
		})
	}
	return nil
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// GetEpisode returns episode id of case caseID for p (detention.read on
// the case), auditing the read.
func (s *Service) GetEpisode(ctx context.Context, p access.Principal, rec access.Record, caseID, id string) (Episode, error) {
	var ep Episode
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.reachCase(ctx, tx, p, rec, caseID, PermRead); err != nil {
			return err
		}
		var err error
		if ep, err = s.loadEpisode(ctx, tx, rec.OrgID, caseID, id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ep.OrgID, "detention.read", episodeType, ep.ID, episodeFields)
	})
	if err != nil {
		return Episode{}, err
	}
	return ep, nil
}

// ListEpisodes returns the episodes of case caseID for p, earliest start
// first, auditing the read of each.
func (s *Service) ListEpisodes(ctx context.Context, p access.Principal, rec access.Record, caseID string) ([]Episode, error) {
	var out []Episode
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.reachCase(ctx, tx, p, rec, caseID, PermRead); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+episodeColumns+` FROM detention_episodes WHERE case_id = ? AND org_id = ?
			ORDER BY start_at, id`, caseID, rec.OrgID)
		if err != nil {
			return err
		}
		for rows.Next() {
			ep, err := scanEpisode(rows)
			if err != nil {
				_ = rows.Close()
				return err
			}
			out = append(out, ep)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		if err := loadChildren(ctx, tx, out); err != nil {
			return err
		}
		for _, ep := range out {
			if err := s.log(ctx, tx, p, ep.OrgID, "detention.read", episodeType, ep.ID, episodeFields); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
