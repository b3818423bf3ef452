// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

const ruleColumns = `id, code, names, left_expr, operator, right_expr, missing, importance, active, shipped,
	created_by, created_at, updated_at`

func scanRule(r store.Scanner) (Rule, error) {
	var ru Rule
	var names string
	var active, shipped int
	var created, updated int64
	err := r.Scan(&ru.ID, &ru.Code, &names, &ru.Left, &ru.Operator, &ru.Right, &ru.Missing, &ru.Importance,
		&active, &shipped, &ru.CreatedBy, &created, &updated)
	if err != nil {
		return Rule{}, err
	}
	if err := json.Unmarshal([]byte(names), &ru.Names); err != nil {
		return Rule{}, err
	}
	ru.Active, ru.Shipped = active == 1, shipped == 1
	ru.CreatedAt, ru.UpdatedAt = fromMicros(created), fromMicros(updated)
	return ru, nil
}

// Filter selects rules. Zero values select everything.
type Filter struct {
	ActiveOnly bool
	// Series keeps rules referring to any of these series.
	Series []string
}

// Rules lists rules by code. It needs observation.read.
func (s *Service) Rules(ctx context.Context, p access.Principal, f Filter) ([]Rule, error) {
	if !p.Can(PermRead) {
		return nil, ErrForbidden
	}
	return s.rules(ctx, s.db, f)
}

func (s *Service) rules(ctx context.Context, q store.Queryer, f Filter) ([]Rule, error) {
	query := `SELECT ` + ruleColumns + ` FROM validation_rules`
	if f.ActiveOnly {
		query += ` WHERE active = 1`
	}
	all, err := store.QueryAll(ctx, q, scanRule, query+` ORDER BY code`)
	if err != nil || len(f.Series) == 0 {
		return all, err
	}
	var out []Rule
	for _, r := range all {
		c, err := compile(r)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(c.series, func(x string) bool { return slices.Contains(f.Series, x) }) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Rule reads one rule by id. It needs observation.read.
func (s *Service) Rule(ctx context.Context, p access.Principal, id string) (Rule, error) {
	if !p.Can(PermRead) {
		return Rule{}, ErrForbidden
	}
	return s.rule(ctx, s.db, id)
}

func (s *Service) rule(ctx context.Context, q store.Queryer, id string) (Rule, error) {
	r, err := scanRule(q.QueryRow(ctx, `SELECT `+ruleColumns+` FROM validation_rules WHERE id = ?`, id))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Rule{}, ErrNotFound
		}
		return Rule{}, err
	}
	return r, nil
}

// Create adds a rule. It needs indicator.write; an invalid input is a
// *fielderr.Error.
func (s *Service) Create(ctx context.Context, p access.Principal, in Input) (Rule, error) {
	if !p.Can(PermWrite) {
		return Rule{}, ErrForbidden
	}
	if err := s.checkInput(ctx, &in); err != nil {
		return Rule{}, err
	}
	now := s.now()
	r := Rule{ID: ids.New(), Code: in.Code, Names: in.Names, Left: in.Left, Operator: in.Operator, Right: in.Right,
		Missing: in.Missing, Importance: in.Importance, Active: in.Active, CreatedBy: p.UserID,
		CreatedAt: now, UpdatedAt: now}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := insertRule(ctx, tx, r); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ActionRuleCreate, objRule, r.ID)
	})
	if errors.Is(err, store.ErrConflict) {
		return Rule{}, fielderr.One("code", CodeTaken)
	}
	return r, err
}

func insertRule(ctx context.Context, tx *store.Tx, r Rule) error {
	names, err := json.Marshal(r.Names)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO validation_rules (`+ruleColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Code, string(names), r.Left, r.Operator, r.Right, r.Missing, r.Importance,
		boolInt(r.Active), boolInt(r.Shipped), r.CreatedBy, micros(r.CreatedAt), micros(r.UpdatedAt))
	return err
}

// Update changes a rule, shipped ones included (an office may adapt them).
// It needs indicator.write; the audit entry names the fields changed.
func (s *Service) Update(ctx context.Context, p access.Principal, id string, in Input) (Rule, error) {
	if !p.Can(PermWrite) {
		return Rule{}, ErrForbidden
	}
	if err := s.checkInput(ctx, &in); err != nil {
		return Rule{}, err
	}
	var out Rule
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.rule(ctx, tx, id)
		if err != nil {
			return err
		}
		out = old
		out.Code, out.Names, out.Left, out.Operator, out.Right = in.Code, in.Names, in.Left, in.Operator, in.Right
		out.Missing, out.Importance, out.Active, out.UpdatedAt = in.Missing, in.Importance, in.Active, s.now()
		changed := changedFields(old, out)
		if len(changed) == 0 {
			return nil
		}
		names, err := json.Marshal(out.Names)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE validation_rules SET code = ?, names = ?, left_expr = ?, operator = ?,
			right_expr = ?, missing = ?, importance = ?, active = ?, updated_at = ? WHERE id = ?`,
			out.Code, string(names), out.Left, out.Operator, out.Right, out.Missing, out.Importance,
			boolInt(out.Active), micros(out.UpdatedAt), id)
		if err != nil {
			return err
		}
		return s.log(ctx, tx, p, ActionRuleUpdate, objRule, id, changed...)
	})
	if errors.Is(err, store.ErrConflict) {
		return Rule{}, fielderr.One("code", CodeTaken)
	}
	return out, err
}

// SetActive turns a rule on or off, keeping everything else.
func (s *Service) SetActive(ctx context.Context, p access.Principal, id string, active bool) (Rule, error) {
	if !p.Can(PermWrite) {
		return Rule{}, ErrForbidden
	}
	r, err := s.rule(ctx, s.db, id)
	if err != nil {
		return Rule{}, err
	}
	return s.Update(ctx, p, id, InputOf(r, active))
}

// InputOf is the input that would make rule r, with active as given.
func InputOf(r Rule, active bool) Input {
	return Input{Code: r.Code, Names: maps.Clone(r.Names), Left: r.Left, Operator: r.Operator, Right: r.Right,
		Missing: r.Missing, Importance: r.Importance, Active: active}
}

func changedFields(a, b Rule) []string {
	var f []string
	add := func(cond bool, name string) {
		if cond {
			f = append(f, name)
		}
	}
	add(a.Code != b.Code, "code")
	add(!maps.Equal(a.Names, b.Names), "names")
	add(a.Left != b.Left, "left_expr")
	add(a.Operator != b.Operator, "operator")
	add(a.Right != b.Right, "right_expr")
	add(a.Missing != b.Missing, "missing")
	add(a.Importance != b.Importance, "importance")
	add(a.Active != b.Active, "active")
	return f
}

// checkInput normalises in and checks it, the series its expressions name
// included.
func (s *Service) checkInput(ctx context.Context, in *Input) error {
	fe, left, right := in.check()
	for _, side := range []struct {
		field string
		x     *expr.Expr
	}{{"left_expr", left}, {"right_expr", right}} {
		if side.x == nil {
			continue
		}
		code, err := s.checkRefs(ctx, side.x.Refs())
		if err != nil {
			return err
		}
		if code != "" {
			fe.Add(side.field, code)
		}
	}
	return fe.OrNil()
}

// checkRefs answers the reason code of the first reference to a series
// that does not exist or to a dimension the series is not broken down by.
func (s *Service) checkRefs(ctx context.Context, refs []expr.Ref) (string, error) {
	if s.series == nil {
		return "", nil
	}
	for _, r := range refs {
		info, err := s.series(ctx, r.Series)
		if errors.Is(err, observations.ErrUnknownSeries) || (err == nil && info.Code == "") {
			return CodeUnknownSeries, nil
		}
		if err != nil {
			return "", err
		}
		d, err := observations.ParseDisagg(r.Disagg)
		if err != nil {
			return CodeDimensionNotAllowed, nil
		}
		for dim := range d {
			if !slices.Contains(info.Dimensions, dim) {
				return CodeDimensionNotAllowed, nil
			}
		}
	}
	return "", nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
