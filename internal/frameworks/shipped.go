// SPDX-License-Identifier: AGPL-3.0-or-later

package frameworks

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
)

// shippedJSON is the content of the shipped frameworks; data/SOURCE.md
// names the documents it summarises.
//
//go:embed data/frameworks.json
var shippedJSON []byte

// shippedFile is the layout of data/frameworks.json. Nodes are listed
// parents before children; a node's place in the list is its position.
type shippedFile struct {
	Frameworks []shippedFramework `json:"frameworks"`
	Links      [][2]string        `json:"links"`
}

type shippedFramework struct {
	Code      string            `json:"code"`
	Symbol    string            `json:"symbol"`
	Titles    map[string]string `json:"titles"`
	Summaries map[string]string `json:"summaries"`
	Nodes     []shippedNode     `json:"nodes"`
}

type shippedNode struct {
	Code      string            `json:"code"`
	Parent    string            `json:"parent,omitempty"` // the parent's code, in the same framework
	Cites     string            `json:"cites"`
	Titles    map[string]string `json:"titles"`
	Summaries map[string]string `json:"summaries"`
}

// loadShipped parses and checks the shipped content: every framework and
// node valid as an administrator's would have to be, each parent listed
// before its children, and every link between existing nodes of two
// different frameworks, listed once.
func loadShipped(data []byte) (shippedFile, error) {
	var f shippedFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("frameworks: shipped content: %w", err)
	}
	nodes := map[string]bool{}
	for _, fw := range f.Frameworks {
		if _, err := normalizeFramework(FrameworkInput{Code: fw.Code, Symbol: fw.Symbol, Titles: fw.Titles,
			Summaries: fw.Summaries}, true); err != nil {
			return f, fmt.Errorf("frameworks: shipped framework %s: %w", fw.Code, err)
		}
		for _, n := range fw.Nodes {
			in := NodeInput{Code: n.Code, Cites: n.Cites, Titles: n.Titles, Summaries: n.Summaries}
			if n.Parent != "" {
				in.ParentID = NodeID(fw.Code, n.Parent)
				if !nodes[in.ParentID] {
					return f, fmt.Errorf("frameworks: shipped node %s:%s: parent %s not listed before it", fw.Code, n.Code, n.Parent)
				}
			}
			if _, err := normalizeNode(fw.Code, in, true); err != nil {
				return f, fmt.Errorf("frameworks: shipped node %s:%s: %w", fw.Code, n.Code, err)
			}
			id := NodeID(fw.Code, n.Code)
			if nodes[id] {
				return f, fmt.Errorf("frameworks: shipped node %s listed twice", id)
			}
			nodes[id] = true
		}
	}
	links := map[[2]string]bool{}
	for _, l := range f.Links {
		a, b := l[0], l[1]
		if b < a {
			a, b = b, a
		}
		fa, _, _ := SplitNodeID(a)
		fb, _, _ := SplitNodeID(b)
		switch {
		case !nodes[a] || !nodes[b]:
			return f, fmt.Errorf("frameworks: shipped link %s–%s names an unknown node", l[0], l[1])
		case fa == fb:
			return f, fmt.Errorf("frameworks: shipped link %s–%s within one framework", l[0], l[1])
		case links[[2]string{a, b}]:
			return f, fmt.Errorf("frameworks: shipped link %s–%s listed twice", l[0], l[1])
		}
		links[[2]string{a, b}] = true
	}
	return f, nil
}

// EnsureShipped brings the shipped frameworks, their nodes and links in
// the database in step with the content in the binary: what is missing is
// added, what differs is updated, and shipped rows the content no longer
// has are removed. Frameworks and links administrators made are never
// touched (an administrator's link that the content now ships becomes a
// shipped one). Nothing is written, and nothing audited, when the database
// already matches, so it runs at every start.
func (s *Service) EnsureShipped(ctx context.Context) error {
	f, err := loadShipped(shippedJSON)
	if err != nil {
		return err
	}
	return s.ensure(ctx, f)
}

// ensure is EnsureShipped for the content f, which tests vary.
func (s *Service) ensure(ctx context.Context, f shippedFile) error {
	now := s.clock.Now().UTC().UnixMicro()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var changed []string
		fwChanged, err := s.ensureFrameworks(ctx, tx, f, now)
		if err != nil {
			return err
		}
		if fwChanged {
			changed = append(changed, "frameworks")
		}
		nodesChanged := false
		for _, fw := range f.Frameworks {
			c, err := s.ensureNodes(ctx, tx, fw)
			if err != nil {
				return err
			}
			nodesChanged = nodesChanged || c
		}
		if nodesChanged {
			changed = append(changed, "nodes")
		}
		linksChanged, err := s.ensureLinks(ctx, tx, f)
		if err != nil {
			return err
		}
		if linksChanged {
			changed = append(changed, "links")
		}
		if len(changed) == 0 {
			return nil
		}
		return s.log(ctx, tx, access.System, "framework.seed", objFramework, "", changed...)
	})
}

func (s *Service) ensureFrameworks(ctx context.Context, tx *store.Tx, f shippedFile, now int64) (bool, error) {
	existing, err := store.QueryAll(ctx, tx, scanFramework, `SELECT `+frameworkColumns+` FROM frameworks`)
	if err != nil {
		return false, err
	}
	byCode := map[string]Framework{}
	for _, fw := range existing {
		byCode[fw.Code] = fw
	}
	changed := false
	keep := map[string]bool{}
	for i, fw := range f.Frameworks {
		keep[fw.Code] = true
		titles, summaries := encodeTexts(fw.Titles), encodeTexts(fw.Summaries)
		old, ok := byCode[fw.Code]
		switch {
		case !ok:
			_, err = tx.Exec(ctx, `INSERT INTO frameworks (code, symbol, titles, summaries, position, shipped, created_at,
				updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, fw.Code, fw.Symbol, titles, summaries, i+1, now, now)
		case !old.Shipped:
			return false, fmt.Errorf("frameworks: the shipped framework %s has the code of one an administrator made", fw.Code)
		case old.Symbol != fw.Symbol || encodeTexts(old.Titles) != titles || encodeTexts(old.Summaries) != summaries ||
			old.Position != i+1:
			_, err = tx.Exec(ctx, `UPDATE frameworks SET symbol = ?, titles = ?, summaries = ?, position = ?, updated_at = ?
				WHERE code = ?`, fw.Symbol, titles, summaries, i+1, now, fw.Code)
		default:
			continue
		}
		if err != nil {
			return false, err
		}
		changed = true
	}
	for _, old := range existing {
		if old.Shipped && !keep[old.Code] {
			if _, err := tx.Exec(ctx, `DELETE FROM frameworks WHERE code = ?`, old.Code); err != nil {
				return false, err
			}
			changed = true
		}
	}
	return changed, nil
}

func (s *Service) ensureNodes(ctx context.Context, tx *store.Tx, fw shippedFramework) (bool, error) {
	existing, err := store.QueryAll(ctx, tx, scanNode, `SELECT `+nodeColumns+` FROM framework_nodes WHERE framework = ?`, fw.Code)
	if err != nil {
		return false, err
	}
	byID := map[string]Node{}
	for _, n := range existing {
		byID[n.ID] = n
	}
	changed := false
	keep := map[string]bool{}
	for i, n := range fw.Nodes {
		id := NodeID(fw.Code, n.Code)
		keep[id] = true
		parent := ""
		if n.Parent != "" {
			parent = NodeID(fw.Code, n.Parent)
		}
		titles, summaries := encodeTexts(n.Titles), encodeTexts(n.Summaries)
		old, ok := byID[id]
		switch {
		case !ok:
			_, err = tx.Exec(ctx, `INSERT INTO framework_nodes (id, framework, code, parent_id, position, cites, titles,
				summaries) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, fw.Code, n.Code, nullIfEmpty(parent), i+1, n.Cites, titles, summaries)
		case old.ParentID != parent || old.Position != i+1 || old.Cites != n.Cites || encodeTexts(old.Titles) != titles ||
			encodeTexts(old.Summaries) != summaries:
			_, err = tx.Exec(ctx, `UPDATE framework_nodes SET parent_id = ?, position = ?, cites = ?, titles = ?, summaries = ?
				WHERE id = ?`, nullIfEmpty(parent), i+1, n.Cites, titles, summaries, id)
		default:
			continue
		}
		if err != nil {
			return false, err
		}
		changed = true
	}
	// Children before parents, so that no delete waits on a cascade.
	slices.Reverse(existing)
	for _, old := range existing {
		if !keep[old.ID] {
			res, err := tx.Exec(ctx, `DELETE FROM framework_nodes WHERE id = ?`, old.ID)
			if err := oneRow(res, err); err != nil && !errors.Is(err, ErrNotFound) {
				return false, err
			}
			changed = true
		}
	}
	return changed, nil
}

func (s *Service) ensureLinks(ctx context.Context, tx *store.Tx, f shippedFile) (bool, error) {
	type pair struct {
		a, b    string
		shipped bool
	}
	existing, err := store.QueryAll(ctx, tx, func(sc store.Scanner) (pair, error) {
		var p pair
		var shipped int
		err := sc.Scan(&p.a, &p.b, &shipped)
		p.shipped = shipped == 1
		return p, err
	}, `SELECT node_a, node_b, shipped FROM framework_links`)
	if err != nil {
		return false, err
	}
	have := map[[2]string]bool{} // the link's shipped flag
	for _, p := range existing {
		have[[2]string{p.a, p.b}] = p.shipped
	}
	changed := false
	want := map[[2]string]bool{}
	for _, l := range f.Links {
		a, b := l[0], l[1]
		if b < a {
			a, b = b, a
		}
		key := [2]string{a, b}
		want[key] = true
		shipped, ok := have[key]
		switch {
		case !ok:
			_, err = tx.Exec(ctx, `INSERT INTO framework_links (node_a, node_b, shipped) VALUES (?, ?, 1)`, a, b)
		case !shipped:
			_, err = tx.Exec(ctx, `UPDATE framework_links SET shipped = 1 WHERE node_a = ? AND node_b = ?`, a, b)
		default:
			continue
		}
		if err != nil {
			return false, err
		}
		changed = true
	}
	for _, p := range existing {
		if p.shipped && !want[[2]string{p.a, p.b}] {
			if _, err := tx.Exec(ctx, `DELETE FROM framework_links WHERE node_a = ? AND node_b = ?`, p.a, p.b); err != nil {
				return false, err
			}
			changed = true
		}
	}
	return changed, nil
}
