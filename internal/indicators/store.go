// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

const indicatorColumns = `code, kind, names, definitions, methods, unit, unit_mult, polarity, target_value,
	target_year, disaggregations, custodian, source, computation, expression, aggregation, weight_series, shipped,
	created_by, created_at, updated_at`

func scanIndicator(sc store.Scanner) (Indicator, error) {
	var in Indicator
	var names, defs, methods, disagg string
	var target sql.NullFloat64
	var year sql.NullInt64
	var shipped int
	var created, updated int64
	err := sc.Scan(&in.Code, &in.Kind, &names, &defs, &methods, &in.Unit, &in.UnitMult, &in.Polarity, &target,
		&year, &disagg, &in.Custodian, &in.Source, &in.Computation, &in.Expression, &in.Aggregation,
		&in.WeightSeries, &shipped, &in.CreatedBy, &created, &updated)
	if err != nil {
		return in, err
	}
	for _, f := range []struct {
		s  string
		to *map[string]string
	}{{names, &in.Names}, {defs, &in.Definitions}, {methods, &in.Methods}} {
		if err := json.Unmarshal([]byte(f.s), f.to); err != nil {
			return in, err
		}
	}
	if target.Valid {
		in.TargetValue = &target.Float64
	}
	in.TargetYear = int(year.Int64)
	if disagg != "" {
		in.Disaggregations = strings.Split(disagg, ",")
	}
	in.Shipped = shipped == 1
	in.CreatedAt, in.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	return in, nil
}

// all reads every indicator with its nodes and series, by code. The
// registry holds hundreds at most, so lists are filtered and sorted here.
func (s *Service) all(ctx context.Context, q store.Queryer) ([]Indicator, error) {
	list, err := store.QueryAll(ctx, q, scanIndicator, `SELECT `+indicatorColumns+` FROM indicators ORDER BY code`)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]*Indicator, len(list))
	for i := range list {
		byCode[list[i].Code] = &list[i]
	}
	type pair struct{ a, b string }
	scanPair := func(sc store.Scanner) (pair, error) {
		var p pair
		return p, sc.Scan(&p.a, &p.b)
	}
	nodes, err := store.QueryAll(ctx, q, scanPair, `SELECT indicator, node_id FROM indicator_nodes ORDER BY indicator, node_id`)
	if err != nil {
		return nil, err
	}
	for _, p := range nodes {
		if in := byCode[p.a]; in != nil {
			in.Nodes = append(in.Nodes, p.b)
		}
	}
	series, err := store.QueryAll(ctx, q, scanPair, `SELECT indicator, code FROM series ORDER BY indicator, position, code`)
	if err != nil {
		return nil, err
	}
	for _, p := range series {
		if in := byCode[p.a]; in != nil {
			in.Series = append(in.Series, p.b)
		}
	}
	return list, nil
}

// List returns the indicators matching f, sorted as f asks.
func (s *Service) List(ctx context.Context, f Filter) ([]Indicator, error) {
	list, err := s.all(ctx, s.db)
	if err != nil {
		return nil, err
	}
	lang := cmp.Or(f.Lang, "en")
	query := strings.ToLower(strings.TrimSpace(f.Query))
	out := list[:0]
	for _, in := range list {
		switch {
		case f.Kind != "" && in.Kind != f.Kind,
			f.Computation != "" && in.Computation != f.Computation,
			f.Node != "" && !slices.Contains(in.Nodes, f.Node),
			query != "" && !matches(in, query):
			continue
		}
		out = append(out, in)
	}
	switch f.Sort {
	case "name":
		slices.SortStableFunc(out, func(a, b Indicator) int {
			return cmp.Compare(strings.ToLower(a.Name(lang)), strings.ToLower(b.Name(lang)))
		})
	case "kind":
		order := map[string]int{Structural: 0, Process: 1, Outcome: 2}
		slices.SortStableFunc(out, func(a, b Indicator) int { return cmp.Compare(order[a.Kind], order[b.Kind]) })
	}
	return out, nil
}

func matches(in Indicator, query string) bool {
	if strings.Contains(strings.ToLower(in.Code), query) {
		return true
	}
	for _, n := range in.Names {
		if strings.Contains(strings.ToLower(n), query) {
			return true
		}
	}
	return false
}

// Get returns one indicator.
func (s *Service) Get(ctx context.Context, code string) (Indicator, error) {
	return s.get(ctx, s.db, code)
}

func (s *Service) get(ctx context.Context, q store.Queryer, code string) (Indicator, error) {
	if !ValidCode(code) {
		return Indicator{}, ErrNotFound
	}
	in, err := scanIndicator(q.QueryRow(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return in, ErrNotFound
	}
	if err != nil {
		return in, err
	}
	if in.Nodes, err = store.QueryAll(ctx, q, scanString, `SELECT node_id FROM indicator_nodes WHERE indicator = ? ORDER BY node_id`, code); err != nil {
		return in, err
	}
	in.Series, err = store.QueryAll(ctx, q, scanString, `SELECT code FROM series WHERE indicator = ? ORDER BY position, code`, code)
	return in, err
}

func scanString(sc store.Scanner) (string, error) {
	var v string
	return v, sc.Scan(&v)
}

// ForNode returns the indicators linked to a framework node, by code.
func (s *Service) ForNode(ctx context.Context, nodeID string) ([]Indicator, error) {
	return s.List(ctx, Filter{Node: nodeID})
}

const seriesColumns = `code, indicator, names, unit, unit_mult, position`

func scanSeries(sc store.Scanner) (Series, error) {
	var se Series
	var names string
	if err := sc.Scan(&se.Code, &se.Indicator, &names, &se.Unit, &se.UnitMult, &se.Position); err != nil {
		return se, err
	}
	return se, json.Unmarshal([]byte(names), &se.Names)
}

// SeriesOf returns an indicator's series, the main one first.
func (s *Service) SeriesOf(ctx context.Context, indicator string) ([]Series, error) {
	if _, err := s.Get(ctx, indicator); err != nil {
		return nil, err
	}
	return store.QueryAll(ctx, s.db, scanSeries, `SELECT `+seriesColumns+` FROM series WHERE indicator = ? ORDER BY position, code`, indicator)
}

// SeriesInfo describes a series for the observations it may hold: its
// indicator, the dimensions it may be broken down by (the indicator's
// disaggregations) and its unit multiplier. An unknown series is
// observations.ErrUnknownSeries.
func (s *Service) SeriesInfo(ctx context.Context, code string) (observations.SeriesInfo, error) {
	if !ValidSeriesCode(code) {
		return observations.SeriesInfo{}, observations.ErrUnknownSeries
	}
	var info observations.SeriesInfo
	var disagg string
	err := store.ScanRow(s.db.QueryRow(ctx, `SELECT s.code, s.indicator, s.unit_mult, i.disaggregations
		FROM series s JOIN indicators i ON i.code = s.indicator WHERE s.code = ?`, code),
		&info.Code, &info.Indicator, &info.UnitMult, &disagg)
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, store.ErrNotFound) {
		return observations.SeriesInfo{}, observations.ErrUnknownSeries
	}
	if err != nil {
		return observations.SeriesInfo{}, err
	}
	if disagg != "" {
		info.Dimensions = strings.Split(disagg, ",")
	}
	return info, nil
}

// Create adds an indicator and its series (an indicator of Amparo's own
// gets its one series AMP_<code> when none is given).
func (s *Service) Create(ctx context.Context, p access.Principal, in Indicator, series []Series) (Indicator, error) {
	if !p.Can(PermWrite) {
		return Indicator{}, ErrForbidden
	}
	in.Shipped = false
	return s.write(ctx, p, in, series, true)
}

// Update replaces an indicator's fields, nodes and series (series nil
// keeps those it has). A series no
// longer listed is removed with the indicator's link to it; its
// observations stay, as observations are kept by series code.
func (s *Service) Update(ctx context.Context, p access.Principal, code string, in Indicator, series []Series) (Indicator, error) {
	if !p.Can(PermWrite) {
		return Indicator{}, ErrForbidden
	}
	in.Code = code
	if series == nil {
		// No series given: the indicator keeps its own.
		cur, err := store.QueryAll(ctx, s.db, scanSeries, `SELECT `+seriesColumns+` FROM series WHERE indicator = ? ORDER BY position, code`, code)
		if err != nil {
			return Indicator{}, err
		}
		series = cur
	}
	return s.write(ctx, p, in, series, false)
}

// Delete removes an indicator of Amparo's users; shipped indicators are
// part of the shipped frameworks and come back at the next start, so they
// are refused with ErrShipped.
func (s *Service) Delete(ctx context.Context, p access.Principal, code string) error {
	if !p.Can(PermWrite) {
		return ErrForbidden
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.get(ctx, tx, code)
		if err != nil {
			return err
		}
		if cur.Shipped {
			return ErrShipped
		}
		if _, err := tx.Exec(ctx, `DELETE FROM indicators WHERE code = ?`, code); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "indicator.delete", code)
	})
}

// write validates and stores in, creating it or replacing the one with its
// code, in one audited transaction.
func (s *Service) write(ctx context.Context, p access.Principal, in Indicator, series []Series, create bool) (Indicator, error) {
	in, series, fe := normalize(in, series)
	var out Indicator
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.get(ctx, tx, in.Code)
		switch {
		case create && err == nil:
			fe.Add("code", "taken")
		case !create && errors.Is(err, ErrNotFound):
			return ErrNotFound
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		if err := s.checkReferences(ctx, tx, in, fe); err != nil {
			return err
		}
		if err := fe.OrNil(); err != nil {
			return err
		}
		now := s.now()
		in.UpdatedAt = now
		if create {
			in.CreatedBy, in.CreatedAt = p.UserID, now
		} else {
			in.CreatedBy, in.CreatedAt, in.Shipped = cur.CreatedBy, cur.CreatedAt, cur.Shipped
		}
		if err := storeIndicator(ctx, tx, in, series, create); err != nil {
			return err
		}
		if create {
			err = s.log(ctx, tx, p, "indicator.create", in.Code)
		} else {
			err = s.log(ctx, tx, p, "indicator.update", in.Code)
		}
		if err != nil {
			return err
		}
		out, err = s.get(ctx, tx, in.Code)
		return err
	})
	return out, err
}

// checkReferences checks what needs the database: a formula's series and
// the weight series exist (and are not this indicator's), another
// indicator does not own the series given, and the nodes exist.
func (s *Service) checkReferences(ctx context.Context, q store.Queryer, in Indicator, fe *fielderr.Error) error {
	owner := func(code string) (string, error) {
		var ind string
		err := store.ScanRow(q.QueryRow(ctx, `SELECT indicator FROM series WHERE code = ?`, code), &ind)
		if errors.Is(err, sql.ErrNoRows) || errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		return ind, err
	}
	for _, code := range in.Series {
		ind, err := owner(code)
		if err != nil {
			return err
		}
		if ind != "" && ind != in.Code {
			fe.Add("series", "taken")
		}
	}
	var refs []string
	if in.Computation == Formula {
		if e, err := expr.Parse(in.Expression); err == nil {
			for _, r := range e.Refs() {
				refs = append(refs, r.Series)
			}
		}
	}
	for _, code := range refs {
		ind, err := owner(code)
		if err != nil {
			return err
		}
		if ind == "" {
			fe.Add("expression", CodeUnknownSeries)
			break
		}
	}
	if in.WeightSeries != "" && ValidSeriesCode(in.WeightSeries) {
		ind, err := owner(in.WeightSeries)
		if err != nil {
			return err
		}
		if ind == "" && !slices.Contains(in.Series, in.WeightSeries) {
			fe.Add("weight_series", CodeUnknownSeries)
		}
	}
	if s.nodeOK != nil {
		for _, n := range in.Nodes {
			ok, err := s.nodeOK(ctx, n)
			if err != nil {
				return err
			}
			if !ok {
				fe.Add("nodes", CodeUnknown)
				break
			}
		}
	}
	return nil
}

// storeIndicator writes in and replaces its nodes and series.
func storeIndicator(ctx context.Context, tx *store.Tx, in Indicator, series []Series, create bool) error {
	names, _ := json.Marshal(in.Names)
	defs, _ := json.Marshal(nonNil(in.Definitions))
	methods, _ := json.Marshal(nonNil(in.Methods))
	var target any
	if in.TargetValue != nil {
		target = *in.TargetValue
	}
	var year any
	if in.TargetYear != 0 {
		year = in.TargetYear
	}
	shipped := 0
	if in.Shipped {
		shipped = 1
	}
	args := []any{in.Kind, string(names), string(defs), string(methods), in.Unit, in.UnitMult, in.Polarity, target,
		year, strings.Join(in.Disaggregations, ","), in.Custodian, in.Source, in.Computation, in.Expression,
		in.Aggregation, in.WeightSeries, shipped, in.CreatedBy, in.CreatedAt.UnixMicro(), in.UpdatedAt.UnixMicro()}
	var err error
	if create {
		_, err = tx.Exec(ctx, `INSERT INTO indicators (kind, names, definitions, methods, unit, unit_mult, polarity,
			target_value, target_year, disaggregations, custodian, source, computation, expression, aggregation,
			weight_series, shipped, created_by, created_at, updated_at, code)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, in.Code)...)
	} else {
		_, err = tx.Exec(ctx, `UPDATE indicators SET kind = ?, names = ?, definitions = ?, methods = ?, unit = ?,
			unit_mult = ?, polarity = ?, target_value = ?, target_year = ?, disaggregations = ?, custodian = ?,
			source = ?, computation = ?, expression = ?, aggregation = ?, weight_series = ?, shipped = ?,
			created_by = ?, created_at = ?, updated_at = ? WHERE code = ?`, append(args, in.Code)...)
	}
	if errors.Is(err, store.ErrConflict) {
		return ErrConflict
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM indicator_nodes WHERE indicator = ?`, in.Code); err != nil {
		return err
	}
	for _, n := range in.Nodes {
		if _, err := tx.Exec(ctx, `INSERT INTO indicator_nodes (indicator, node_id) VALUES (?, ?)`, in.Code, n); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM series WHERE indicator = ?`, in.Code); err != nil {
		return err
	}
	for _, se := range series {
		if err := insertSeries(ctx, tx, se, in.UpdatedAt); err != nil {
			return err
		}
	}
	return nil
}

func insertSeries(ctx context.Context, tx *store.Tx, se Series, at time.Time) error {
	names, _ := json.Marshal(nonNil(se.Names))
	_, err := tx.Exec(ctx, `INSERT INTO series (code, indicator, names, unit, unit_mult, position, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, se.Code, se.Indicator, string(names), se.Unit, se.UnitMult, se.Position, at.UnixMicro())
	if errors.Is(err, store.ErrConflict) {
		return fielderr.One("series", "taken")
	}
	return err
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// log appends an audit entry for p inside tx. Indicators are no
// organisation's, so the entry names none.
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, action, code string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: p.UserID, Action: action, ObjectType: "indicator",
		ObjectID: auditID(code), RequestID: requestid.From(ctx)})
	return err
}

// auditID is an indicator code as the audit log's object ids are written
// (no dots): 10.7.2 is 10_7_2.
func auditID(code string) string { return strings.ReplaceAll(code, ".", "_") }
