// SPDX-License-Identifier: AGPL-3.0-or-later

package frameworks

import (
	"context"
	"errors"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/store"
)

// Audited object types.
const (
	objFramework = "framework"
	objNode      = "framework_node"
	objLink      = "framework_link"
)

// CreateFramework adds a framework of p's, placed after the others.
func (s *Service) CreateFramework(ctx context.Context, p access.Principal, in FrameworkInput) (Framework, error) {
	if !p.Can(PermWrite) {
		return Framework{}, ErrForbidden
	}
	norm, err := normalizeFramework(in, true)
	if err != nil {
		return Framework{}, err
	}
	now := s.clock.Now().UTC().UnixMicro()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var last int
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) FROM frameworks`), &last); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO frameworks (code, symbol, titles, summaries, position, shipped, created_by,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`,
			norm.Code, norm.Symbol, encodeTexts(norm.Titles), encodeTexts(norm.Summaries), last+1, p.UserID, now, now)
		if errors.Is(err, store.ErrConflict) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		return s.log(ctx, tx, p, "framework.create", objFramework, norm.Code, "code", "symbol", "title", "summary")
	})
	if err != nil {
		return Framework{}, err
	}
	return s.Framework(ctx, norm.Code)
}

// UpdateFramework replaces the symbol, titles and summaries of a framework
// an administrator made. The audit entry names the fields that changed.
func (s *Service) UpdateFramework(ctx context.Context, p access.Principal, code string, in FrameworkInput) (Framework, error) {
	if !p.Can(PermWrite) {
		return Framework{}, ErrForbidden
	}
	old, err := s.Framework(ctx, code)
	if err != nil {
		return old, err
	}
	if old.Shipped {
		return old, ErrShipped
	}
	norm, err := normalizeFramework(in, false)
	if err != nil {
		return old, err
	}
	var changed []string
	if norm.Symbol != old.Symbol {
		changed = append(changed, "symbol")
	}
	if encodeTexts(norm.Titles) != encodeTexts(old.Titles) {
		changed = append(changed, "title")
	}
	if encodeTexts(norm.Summaries) != encodeTexts(old.Summaries) {
		changed = append(changed, "summary")
	}
	if len(changed) == 0 {
		return old, nil
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE frameworks SET symbol = ?, titles = ?, summaries = ?, updated_at = ?
			WHERE code = ? AND shipped = 0`, norm.Symbol, encodeTexts(norm.Titles), encodeTexts(norm.Summaries),
			s.clock.Now().UTC().UnixMicro(), code)
		if err := oneRow(res, err); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "framework.update", objFramework, code, changed...)
	})
	if err != nil {
		return old, err
	}
	return s.Framework(ctx, code)
}

// DeleteFramework removes a framework an administrator made, with its
// nodes and every link to them.
func (s *Service) DeleteFramework(ctx context.Context, p access.Principal, code string) error {
	if !p.Can(PermWrite) {
		return ErrForbidden
	}
	f, err := s.Framework(ctx, code)
	if err != nil {
		return err
	}
	if f.Shipped {
		return ErrShipped
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		// Links first: on SQLite a cascade through two levels of
		// self-referencing nodes is slow to reason about, and deleting
		// them explicitly makes the order plain on both engines.
		if _, err := tx.Exec(ctx, `DELETE FROM framework_links WHERE node_a IN (SELECT id FROM framework_nodes
			WHERE framework = ?) OR node_b IN (SELECT id FROM framework_nodes WHERE framework = ?)`, code, code); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM frameworks WHERE code = ? AND shipped = 0`, code)
		if err := oneRow(res, err); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "framework.delete", objFramework, code)
	})
}

// writableFramework returns framework code for a change to its nodes:
// ErrNotFound when it does not exist, ErrShipped when it is shipped.
func (s *Service) writableFramework(ctx context.Context, q store.Queryer, code string) error {
	var shipped int
	err := store.ScanRow(q.QueryRow(ctx, `SELECT shipped FROM frameworks WHERE code = ?`, code), &shipped)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrNotFound
	case err != nil:
		return err
	case shipped == 1:
		return ErrShipped
	}
	return nil
}

// checkParent reports a parent that is not a node of the framework, or
// one that would make a cycle: the node itself or one of its descendants.
// self is "" when creating.
func (s *Service) checkParent(ctx context.Context, tx *store.Tx, framework, parent, self string) error {
	if parent == "" {
		return nil
	}
	seen := map[string]bool{}
	for id := parent; id != ""; {
		if id == self {
			return fielderr.One("parent", CodeCycle)
		}
		if seen[id] {
			// A loop already stored cannot be made by these checks; stop
			// rather than spin if one ever is.
			return fielderr.One("parent", CodeCycle)
		}
		seen[id] = true
		n, err := s.node(ctx, tx, id)
		if errors.Is(err, ErrNotFound) || (err == nil && n.Framework != framework) {
			return fielderr.One("parent", CodeUnknownParent)
		}
		if err != nil {
			return err
		}
		id = n.ParentID
	}
	return nil
}

// CreateNode adds a node to a framework an administrator made.
func (s *Service) CreateNode(ctx context.Context, p access.Principal, framework string, in NodeInput) (Node, error) {
	if !p.Can(PermWrite) {
		return Node{}, ErrForbidden
	}
	if !ValidFrameworkCode(framework) {
		return Node{}, ErrNotFound
	}
	norm, err := normalizeNode(framework, in, true)
	if err != nil {
		return Node{}, err
	}
	id := NodeID(framework, norm.Code)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.writableFramework(ctx, tx, framework); err != nil {
			return err
		}
		if err := s.checkParent(ctx, tx, framework, norm.ParentID, ""); err != nil {
			return err
		}
		pos, err := s.position(ctx, tx, framework, norm.ParentID, norm.Position)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO framework_nodes (id, framework, code, parent_id, position, cites, titles,
			summaries) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, framework, norm.Code, nullIfEmpty(norm.ParentID), pos,
			norm.Cites, encodeTexts(norm.Titles), encodeTexts(norm.Summaries))
		if errors.Is(err, store.ErrConflict) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		if err := s.touch(ctx, tx, framework); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "framework.node_add", objNode, auditID(id), "code", "parent", "position", "cites",
			"title", "summary")
	})
	if err != nil {
		return Node{}, err
	}
	return s.Node(ctx, id)
}

// position is the position a node takes: the one asked for, or after the
// last sibling under parent when 0.
func (s *Service) position(ctx context.Context, tx *store.Tx, framework, parent string, asked int) (int, error) {
	if asked > 0 {
		return asked, nil
	}
	var last int
	err := store.ScanRow(tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) FROM framework_nodes
		WHERE framework = ? AND COALESCE(parent_id, '') = ?`, framework, parent), &last)
	return last + 1, err
}

// UpdateNode replaces the parent, position, cites, titles and summaries
// of a node of a framework an administrator made. The audit entry names
// the fields that changed.
func (s *Service) UpdateNode(ctx context.Context, p access.Principal, id string, in NodeInput) (Node, error) {
	if !p.Can(PermWrite) {
		return Node{}, ErrForbidden
	}
	old, err := s.Node(ctx, id)
	if err != nil {
		return old, err
	}
	norm, err := normalizeNode(old.Framework, in, false)
	if err != nil {
		return old, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.writableFramework(ctx, tx, old.Framework); err != nil {
			return err
		}
		if err := s.checkParent(ctx, tx, old.Framework, norm.ParentID, id); err != nil {
			return err
		}
		pos := old.Position
		if norm.ParentID != old.ParentID || norm.Position != 0 {
			var perr error
			if pos, perr = s.position(ctx, tx, old.Framework, norm.ParentID, norm.Position); perr != nil {
				return perr
			}
		}
		changed := changedNodeFields(old, norm, pos)
		if len(changed) == 0 {
			return nil
		}
		res, err := tx.Exec(ctx, `UPDATE framework_nodes SET parent_id = ?, position = ?, cites = ?, titles = ?,
			summaries = ? WHERE id = ?`, nullIfEmpty(norm.ParentID), pos, norm.Cites, encodeTexts(norm.Titles),
			encodeTexts(norm.Summaries), id)
		if err := oneRow(res, err); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, old.Framework); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "framework.node_update", objNode, auditID(id), changed...)
	})
	if err != nil {
		return old, err
	}
	return s.Node(ctx, id)
}

func changedNodeFields(old Node, in NodeInput, pos int) []string {
	var out []string
	for _, c := range []struct {
		field    string
		was, now string
	}{
		{"parent", old.ParentID, in.ParentID}, {"cites", old.Cites, in.Cites},
		{"title", encodeTexts(old.Titles), encodeTexts(in.Titles)},
		{"summary", encodeTexts(old.Summaries), encodeTexts(in.Summaries)},
	} {
		if c.was != c.now {
			out = append(out, c.field)
		}
	}
	if pos != old.Position {
		out = append(out, "position")
	}
	return out
}

// DeleteNode removes a node of a framework an administrator made, with
// its descendants and every link to any of them.
func (s *Service) DeleteNode(ctx context.Context, p access.Principal, id string) error {
	if !p.Can(PermWrite) {
		return ErrForbidden
	}
	n, err := s.Node(ctx, id)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.writableFramework(ctx, tx, n.Framework); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM framework_nodes WHERE id = ?`, id)
		if err := oneRow(res, err); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, n.Framework); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "framework.node_delete", objNode, auditID(id))
	})
}

// AddLink links two nodes of different frameworks; either may be shipped.
func (s *Service) AddLink(ctx context.Context, p access.Principal, a, b string) error {
	if !p.Can(PermWrite) {
		return ErrForbidden
	}
	a, b, err := s.linkEnds(ctx, a, b)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO framework_links (node_a, node_b, shipped) VALUES (?, ?, 0)`, a, b)
		if errors.Is(err, store.ErrConflict) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		return s.log(ctx, tx, p, "framework.link_add", objLink, linkAuditID(a, b))
	})
}

// RemoveLink removes a link an administrator added; a shipped link is
// read-only.
func (s *Service) RemoveLink(ctx context.Context, p access.Principal, a, b string) error {
	if !p.Can(PermWrite) {
		return ErrForbidden
	}
	if b < a {
		a, b = b, a
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var shipped int
		err := store.ScanRow(tx.QueryRow(ctx, `SELECT shipped FROM framework_links WHERE node_a = ? AND node_b = ?`, a, b), &shipped)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return ErrNotFound
		case err != nil:
			return err
		case shipped == 1:
			return ErrShipped
		}
		if _, err := tx.Exec(ctx, `DELETE FROM framework_links WHERE node_a = ? AND node_b = ?`, a, b); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "framework.link_delete", objLink, linkAuditID(a, b))
	})
}

// linkEnds checks the two ends of a new link and returns them in id
// order: both must exist, in different frameworks.
func (s *Service) linkEnds(ctx context.Context, a, b string) (string, string, error) {
	var ve fielderr.Error
	na, errA := s.Node(ctx, a)
	nb, errB := s.Node(ctx, b)
	for _, e := range []struct {
		field string
		err   error
	}{{"a", errA}, {"b", errB}} {
		switch {
		case errors.Is(e.err, ErrNotFound):
			ve.Add(e.field, CodeUnknownNode)
		case e.err != nil:
			return "", "", e.err
		}
	}
	if len(ve.Errors) == 0 && na.Framework == nb.Framework {
		ve.Add("b", CodeSameFramework)
	}
	if err := ve.OrNil(); err != nil {
		return "", "", err
	}
	if b < a {
		a, b = b, a
	}
	return a, b, nil
}

// touch marks a framework changed.
func (s *Service) touch(ctx context.Context, tx *store.Tx, code string) error {
	_, err := tx.Exec(ctx, `UPDATE frameworks SET updated_at = ? WHERE code = ?`, s.clock.Now().UTC().UnixMicro(), code)
	return err
}

// oneRow turns a statement that touched no row into ErrNotFound.
func oneRow(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return ErrNotFound
	}
	return nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
