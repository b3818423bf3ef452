// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

// Scope is what an on-demand run checks: the rules referring to Series
// (every active rule when empty), over Areas (all when empty) and the
// periods From to To inclusive (open when empty).
type Scope struct {
	Series []string `json:"series,omitempty"`
	Areas  []string `json:"areas,omitempty"`
	From   string   `json:"from,omitempty"`
	To     string   `json:"to,omitempty"`
}

// RunReport is an on-demand run: what it checked and how many violations
// it found. Stored is how many of them were kept (at most MaxStored).
type RunReport struct {
	ID         string
	Scope      Scope
	Rules      int // rules evaluated
	Checked    int // (rule, area, period) evaluations not skipped
	Violations int
	Stored     int
	CreatedBy  string
	CreatedAt  time.Time
}

// MaxStored is how many violations a run keeps: a rule wrong everywhere in
// a large data set says so in its first hundred thousand rows.
const MaxStored = 100_000

const maxScopeList = 1000

// check normalises the scope and returns its field errors.
func (sc *Scope) check() error {
	var e fielderr.Error
	if len(sc.Series) > maxScopeList || len(sc.Areas) > maxScopeList {
		e.Add("scope", fielderr.CodeTooLong)
	}
	series := sc.Series[:0:0]
	for _, s := range sc.Series {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "" {
			continue
		}
		if !observations.SeriesCode.MatchString(s) {
			e.Add("series", fielderr.CodeInvalid)
			break
		}
		if !slices.Contains(series, s) {
			series = append(series, s)
		}
	}
	areas := sc.Areas[:0:0]
	for _, a := range sc.Areas {
		if strings.TrimSpace(a) == "" {
			continue
		}
		code, err := observations.NormalizeArea(a)
		if err != nil {
			e.Add("areas", fielderr.CodeInvalid)
			break
		}
		if !slices.Contains(areas, code) {
			areas = append(areas, code)
		}
	}
	sc.Series, sc.Areas = series, areas
	for _, f := range []struct {
		name string
		p    *string
	}{{"from", &sc.From}, {"to", &sc.To}} {
		if *f.p = strings.TrimSpace(*f.p); *f.p == "" {
			continue
		}
		p, err := observations.ParsePeriod(*f.p)
		if err != nil {
			e.Add(f.name, fielderr.CodeInvalid)
			continue
		}
		*f.p = p.Text
	}
	return e.OrNil()
}

// Run checks the active rules in scope against the working values and
// stores the report. It needs observation.write; it is audited.
func (s *Service) Run(ctx context.Context, p access.Principal, sc Scope) (RunReport, error) {
	if !p.Can(PermRun) {
		return RunReport{}, ErrForbidden
	}
	if err := sc.check(); err != nil {
		return RunReport{}, err
	}
	rules, err := s.activeRules(ctx, s.db, sc.Series)
	if err != nil {
		return RunReport{}, err
	}
	vals, err := loadValues(ctx, s.db, rules, valueRange{Areas: sc.Areas, From: sc.From, To: sc.To})
	if err != nil {
		return RunReport{}, err
	}
	found, checked := evaluate(rules, vals, groupsWithValues(vals))
	rep := RunReport{ID: ids.New(), Scope: sc, Rules: len(rules), Checked: checked, Violations: len(found),
		Stored: min(len(found), MaxStored), CreatedBy: p.UserID, CreatedAt: s.now()}
	scope, err := json.Marshal(sc)
	if err != nil {
		return RunReport{}, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO validation_runs (id, scope, rules, checked, violations, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, rep.ID, string(scope), rep.Rules, rep.Checked, rep.Violations,
			rep.CreatedBy, micros(rep.CreatedAt))
		if err != nil {
			return err
		}
		rows := make([][]any, rep.Stored)
		for i, v := range found[:rep.Stored] {
			rows[i] = []any{rep.ID, v.RuleID, v.Area, v.Period, nullFloat(v.Left), nullFloat(v.Right)}
		}
		if err := tx.InsertRows(ctx, "validation_violations",
			[]string{"run_id", "rule_id", "area", "period", "left_value", "right_value"}, rows); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ActionRun, objRun, rep.ID)
	})
	return rep, err
}

func nullFloat(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

const runColumns = `r.id, r.scope, r.rules, r.checked, r.violations, r.created_by, r.created_at,
	(SELECT COUNT(*) FROM validation_violations v WHERE v.run_id = r.id)`

func scanRun(sc store.Scanner) (RunReport, error) {
	var r RunReport
	var scope string
	var at int64
	if err := sc.Scan(&r.ID, &scope, &r.Rules, &r.Checked, &r.Violations, &r.CreatedBy, &at, &r.Stored); err != nil {
		return RunReport{}, err
	}
	r.CreatedAt = fromMicros(at)
	return r, json.Unmarshal([]byte(scope), &r.Scope)
}

// Runs lists the stored runs, newest first, and how many there are. It
// needs observation.read. limit is 50 when <= 0 and at most 500.
func (s *Service) Runs(ctx context.Context, p access.Principal, limit, offset int) ([]RunReport, int, error) {
	if !p.Can(PermRead) {
		return nil, 0, ErrForbidden
	}
	var total int
	if err := s.db.Scan(s.db.QueryRow(ctx, `SELECT COUNT(*) FROM validation_runs`), &total); err != nil {
		return nil, 0, err
	}
	runs, err := store.QueryAll(ctx, s.db, scanRun, `SELECT `+runColumns+` FROM validation_runs r
		ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?`, pageLimit(limit), max(offset, 0))
	return runs, total, err
}

// RunByID reads one stored run. It needs observation.read.
func (s *Service) RunByID(ctx context.Context, p access.Principal, id string) (RunReport, error) {
	if !p.Can(PermRead) {
		return RunReport{}, ErrForbidden
	}
	r, err := scanRun(s.db.QueryRow(ctx, `SELECT `+runColumns+` FROM validation_runs r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return RunReport{}, ErrNotFound
	}
	return r, err
}

// EachViolation walks the stored violations of run id in the order of
// rule code, area and period, skipping offset of them and stopping after
// limit (all when limit <= 0). It needs observation.read.
func (s *Service) EachViolation(ctx context.Context, p access.Principal, id string, limit, offset int,
	fn func(Violation) error) error {
	if _, err := s.RunByID(ctx, p, id); err != nil {
		return err
	}
	query := `SELECT v.rule_id, COALESCE(r.code, ''), COALESCE(r.importance, ''), COALESCE(r.operator, ''),
		v.area, v.period, v.left_value, v.right_value
		FROM validation_violations v LEFT JOIN validation_rules r ON r.id = v.rule_id
		WHERE v.run_id = ? ORDER BY r.code, v.area, v.period`
	args := []any{id}
	if limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, limit, max(offset, 0))
	}
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v Violation
		var l, r sql.NullFloat64
		if err := rows.Scan(&v.RuleID, &v.RuleCode, &v.Importance, &v.Operator, &v.Area, &v.Period, &l, &r); err != nil {
			return err
		}
		if l.Valid {
			v.Left = &l.Float64
		}
		if r.Valid {
			v.Right = &r.Float64
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}
