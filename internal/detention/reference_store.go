// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/store"
)

// The legal limits and the mandatory-notification list are shared
// reference data: public facts with their sources, readable without a
// permission and written by administrators (canAdminister with no
// organisation). Every write is audited with the actor's organisation.

const (
	limitType     = "detention_legal_limit"
	mandatoryType = "consular_mandatory_country"
)

var referenceFields = []string{"max_days", "source", "as_of"}

// LegalLimits returns every recorded legal limit, by country.
func (s *Service) LegalLimits(ctx context.Context) ([]LegalLimit, error) {
	return s.legalLimits(ctx, s.db, "")
}

// LegalLimitFor returns the legal limit of country (any ISO form), or nil
// when none is recorded.
func (s *Service) LegalLimitFor(ctx context.Context, country string) (*LegalLimit, error) {
	c, ok := countries.Lookup(country)
	if !ok {
		return nil, nil
	}
	ls, err := s.legalLimits(ctx, s.db, c.Alpha3)
	if err != nil || len(ls) == 0 {
		return nil, err
	}
	return &ls[0], nil
}

func (s *Service) legalLimits(ctx context.Context, q store.Queryer, country string) ([]LegalLimit, error) {
	query, args := `SELECT country, max_days, source, as_of, updated_by, updated_at FROM detention_legal_limits`, []any{}
	if country != "" {
		query, args = query+` WHERE country = ?`, append(args, country)
	}
	rows, err := q.Query(ctx, query+` ORDER BY country`, args...)
	if err != nil {
		return nil, err
	}
	var out []LegalLimit
	for rows.Next() {
		var l LegalLimit
		var at int64
		if err := rows.Scan(&l.Country, &l.MaxDays, &l.Source, &l.AsOf, &l.UpdatedBy, &at); err != nil {
			_ = rows.Close()
			return nil, err
		}
		l.UpdatedAt = fromMicros(at)
		out = append(out, l)
	}
	return out, closeRows(rows)
}

// PutLegalLimit records (or replaces) the legal limit of l.Country for p.
// The audit entry names the fields whose value changed.
func (s *Service) PutLegalLimit(ctx context.Context, p access.Principal, l LegalLimit) (LegalLimit, error) {
	if !canAdminister(p, "") {
		return LegalLimit{}, ErrForbidden
	}
	norm, errs := NormalizeLegalLimit(l, s.today())
	if err := invalid(errs); err != nil {
		return LegalLimit{}, err
	}
	norm.UpdatedBy, norm.UpdatedAt = p.UserID, canonical(s.now())
	var out LegalLimit
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.legalLimits(ctx, tx, norm.Country)
		if err != nil {
			return err
		}
		action, changed := "detention_limit.create", referenceFields
		if len(old) == 1 {
			o := old[0]
			action, changed = "detention_limit.update", nil
			for i, same := range []bool{o.MaxDays == norm.MaxDays, o.Source == norm.Source, o.AsOf == norm.AsOf} {
				if !same {
					changed = append(changed, referenceFields[i])
				}
			}
			if len(changed) == 0 {
				out = o
				return nil
			}
			_, err = tx.Exec(ctx, `UPDATE detention_legal_limits SET max_days = ?, source = ?, as_of = ?, updated_by = ?,
				updated_at = ? WHERE country = ?`, norm.MaxDays, norm.Source, norm.AsOf, norm.UpdatedBy,
				micros(norm.UpdatedAt), norm.Country)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO detention_legal_limits (country, max_days, source, as_of, updated_by,
				updated_at) VALUES (?, ?, ?, ?, ?, ?)`, norm.Country, norm.MaxDays, norm.Source, norm.AsOf,
				norm.UpdatedBy, micros(norm.UpdatedAt))
		}
		if err != nil {
			return err
		}
		out = norm
		return s.log(ctx, tx, p, p.OrgID, action, limitType, norm.Country, changed)
	})
	if err != nil {
		return LegalLimit{}, err
	}
	return out, nil
}

// DeleteLegalLimit removes the legal limit of country for p.
func (s *Service) DeleteLegalLimit(ctx context.Context, p access.Principal, country string) error {
	if !canAdminister(p, "") {
		return ErrForbidden
	}
	c, ok := countries.Lookup(country)
	if !ok {
		return ErrNotFound
	}
	return s.deleteReference(ctx, p, "detention_limit.delete", limitType, c.Alpha3,
		`DELETE FROM detention_legal_limits WHERE country = ?`, c.Alpha3)
}

func (s *Service) deleteReference(ctx context.Context, p access.Principal, action, objType, objID, query string, args ...any) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return s.log(ctx, tx, p, p.OrgID, action, objType, objID, nil)
	})
}

// MandatoryCountries returns the mandatory-notification agreements of
// detaining country detaining (any ISO form), or all of them when it is
// "", by detaining country then nationality.
func (s *Service) MandatoryCountries(ctx context.Context, detaining string) ([]MandatoryCountry, error) {
	if detaining != "" {
		c, ok := countries.Lookup(detaining)
		if !ok {
			return nil, nil
		}
		detaining = c.Alpha3
	}
	return s.mandatoryCountries(ctx, s.db, detaining, "")
}

func (s *Service) mandatoryCountries(ctx context.Context, q store.Queryer, detaining, nationality string) ([]MandatoryCountry, error) {
	query := `SELECT detaining_country, nationality, source, as_of, updated_by, updated_at
		FROM consular_mandatory_countries WHERE 1 = 1`
	var args []any
	if detaining != "" {
		query, args = query+` AND detaining_country = ?`, append(args, detaining)
	}
	if nationality != "" {
		query, args = query+` AND nationality = ?`, append(args, nationality)
	}
	rows, err := q.Query(ctx, query+` ORDER BY detaining_country, nationality`, args...)
	if err != nil {
		return nil, err
	}
	var out []MandatoryCountry
	for rows.Next() {
		var m MandatoryCountry
		var at int64
		if err := rows.Scan(&m.DetainingCountry, &m.Nationality, &m.Source, &m.AsOf, &m.UpdatedBy, &at); err != nil {
			_ = rows.Close()
			return nil, err
		}
		m.UpdatedAt = fromMicros(at)
		out = append(out, m)
	}
	return out, closeRows(rows)
}

// IsMandatory reports whether an agreement makes notification of the
// consulate of nationality mandatory when detaining detains its national.
func (s *Service) IsMandatory(ctx context.Context, detaining, nationality string) (bool, error) {
	return isMandatory(ctx, s.db, detaining, nationality)
}

func isMandatory(ctx context.Context, q store.Queryer, detaining, nationality string) (bool, error) {
	var n int
	err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM consular_mandatory_countries
		WHERE detaining_country = ? AND nationality = ?`, detaining, nationality), &n)
	return n > 0, err
}

// mandatoryID is the audit object id of an agreement: "USA-CHN".
func mandatoryID(m MandatoryCountry) string { return m.DetainingCountry + "-" + m.Nationality }

// PutMandatoryCountry records (or replaces the source of) a
// mandatory-notification agreement for p.
func (s *Service) PutMandatoryCountry(ctx context.Context, p access.Principal, m MandatoryCountry) (MandatoryCountry, error) {
	if !canAdminister(p, "") {
		return MandatoryCountry{}, ErrForbidden
	}
	norm, errs := NormalizeMandatoryCountry(m, s.today())
	if err := invalid(errs); err != nil {
		return MandatoryCountry{}, err
	}
	norm.UpdatedBy, norm.UpdatedAt = p.UserID, canonical(s.now())
	var out MandatoryCountry
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.mandatoryCountries(ctx, tx, norm.DetainingCountry, norm.Nationality)
		if err != nil {
			return err
		}
		action, changed := "consular_mandatory.create", []string{"source", "as_of"}
		if len(old) == 1 {
			o := old[0]
			action, changed = "consular_mandatory.update", nil
			if o.Source != norm.Source {
				changed = append(changed, "source")
			}
			if o.AsOf != norm.AsOf {
				changed = append(changed, "as_of")
			}
			if len(changed) == 0 {
				out = o
				return nil
			}
			_, err = tx.Exec(ctx, `UPDATE consular_mandatory_countries SET source = ?, as_of = ?, updated_by = ?,
				updated_at = ? WHERE detaining_country = ? AND nationality = ?`, norm.Source, norm.AsOf, norm.UpdatedBy,
				micros(norm.UpdatedAt), norm.DetainingCountry, norm.Nationality)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO consular_mandatory_countries (detaining_country, nationality, source,
				as_of, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, norm.DetainingCountry, norm.Nationality,
				norm.Source, norm.AsOf, norm.UpdatedBy, micros(norm.UpdatedAt))
		}
		if err != nil {
			return err
		}
		out = norm
		return s.log(ctx, tx, p, p.OrgID, action, mandatoryType, mandatoryID(norm), changed)
	})
	if err != nil {
		return MandatoryCountry{}, err
	}
	return out, nil
}

// DeleteMandatoryCountry removes an agreement for p.
func (s *Service) DeleteMandatoryCountry(ctx context.Context, p access.Principal, detaining, nationality string) error {
	if !canAdminister(p, "") {
		return ErrForbidden
	}
	d, ok1 := countries.Lookup(detaining)
	n, ok2 := countries.Lookup(nationality)
	if !ok1 || !ok2 {
		return ErrNotFound
	}
	m := MandatoryCountry{DetainingCountry: d.Alpha3, Nationality: n.Alpha3}
	return s.deleteReference(ctx, p, "consular_mandatory.delete", mandatoryType, mandatoryID(m),
		`DELETE FROM consular_mandatory_countries WHERE detaining_country = ? AND nationality = ?`,
		m.DetainingCountry, m.Nationality)
}
