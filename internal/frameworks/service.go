// SPDX-License-Identifier: AGPL-3.0-or-later

package frameworks

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// PermWrite guards every change to frameworks, nodes and links.
const PermWrite access.Permission = "framework.write"

// Service is the frameworks domain.
type Service struct {
	db    *store.DB
	audit *audit.Log
	clock clock.Clock
}

// Config holds the collaborators of a Service.
type Config struct {
	DB    *store.DB
	Audit *audit.Log
	// Clock stamps changes; nil means the system clock.
	Clock clock.Clock
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock}
}

const frameworkColumns = `code, symbol, titles, summaries, position, shipped, created_at, updated_at`

func scanFramework(sc store.Scanner) (Framework, error) {
	var f Framework
	var titles, summaries string
	var shipped int
	var created, updated int64
	if err := sc.Scan(&f.Code, &f.Symbol, &titles, &summaries, &f.Position, &shipped, &created, &updated); err != nil {
		return f, err
	}
	f.Shipped = shipped == 1
	f.CreatedAt, f.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	var err error
	f.Titles, err = decodeTexts(titles)
	if err == nil {
		f.Summaries, err = decodeTexts(summaries)
	}
	return f, err
}

const nodeColumns = `id, framework, code, parent_id, position, cites, titles, summaries`

func scanNode(sc store.Scanner) (Node, error) {
	var n Node
	var parent sql.NullString
	var titles, summaries string
	if err := sc.Scan(&n.ID, &n.Framework, &n.Code, &parent, &n.Position, &n.Cites, &titles, &summaries); err != nil {
		return n, err
	}
	n.ParentID = parent.String
	var err error
	n.Titles, err = decodeTexts(titles)
	if err == nil {
		n.Summaries, err = decodeTexts(summaries)
	}
	return n, err
}

func decodeTexts(s string) (map[string]string, error) {
	m := map[string]string{}
	if s == "" {
		return m, nil
	}
	return m, json.Unmarshal([]byte(s), &m)
}

// encodeTexts writes texts as a JSON object with sorted keys, so that equal
// maps are equal strings (EnsureShipped compares them).
func encodeTexts(m map[string]string) string {
	if m == nil {
		m = map[string]string{}
	}
	b, _ := json.Marshal(m) // a map of strings always encodes
	return string(b)
}

// Frameworks returns every framework, shipped ones first in their order,
// then the others by position and code. Nodes is left empty.
func (s *Service) Frameworks(ctx context.Context) ([]Framework, error) {
	return store.QueryAll(ctx, s.db, scanFramework, `SELECT `+frameworkColumns+` FROM frameworks
		ORDER BY shipped DESC, position, code`)
}

// Framework returns one framework without its nodes.
func (s *Service) Framework(ctx context.Context, code string) (Framework, error) {
	if !ValidFrameworkCode(code) {
		return Framework{}, ErrNotFound
	}
	f, err := scanFramework(s.db.QueryRow(ctx, `SELECT `+frameworkColumns+` FROM frameworks WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	return f, err
}

// Tree returns a framework with every node, parents before children, each
// parent's children by position then code, each with its depth.
func (s *Service) Tree(ctx context.Context, code string) (Framework, error) {
	f, err := s.Framework(ctx, code)
	if err != nil {
		return f, err
	}
	nodes, err := store.QueryAll(ctx, s.db, scanNode, `SELECT `+nodeColumns+` FROM framework_nodes
		WHERE framework = ? ORDER BY position, code`, code)
	if err != nil {
		return f, err
	}
	f.Nodes = treeOrder(nodes)
	return f, nil
}

// treeOrder puts nodes (sorted by position) in depth-first order, setting
// each one's depth. A node whose parent is missing (which the foreign key
// forbids) would be left out rather than loop.
func treeOrder(nodes []Node) []Node {
	children := map[string][]Node{}
	for _, n := range nodes {
		children[n.ParentID] = append(children[n.ParentID], n)
	}
	out := make([]Node, 0, len(nodes))
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, n := range children[parent] {
			n.Depth = depth
			out = append(out, n)
			walk(n.ID, depth+1)
		}
	}
	walk("", 0)
	return out
}

// Node returns one node by its id ("SDG:10.7").
func (s *Service) Node(ctx context.Context, id string) (Node, error) {
	return s.node(ctx, s.db, id)
}

func (s *Service) node(ctx context.Context, q store.Queryer, id string) (Node, error) {
	if _, _, ok := SplitNodeID(id); !ok {
		return Node{}, ErrNotFound
	}
	nodes, err := store.QueryAll(ctx, q, scanNode, `SELECT `+nodeColumns+` FROM framework_nodes WHERE id = ?`, id)
	if err != nil {
		return Node{}, err
	}
	if len(nodes) == 0 {
		return Node{}, ErrNotFound
	}
	return nodes[0], nil
}

// Links returns the nodes linked to node id, in either direction, by
// framework (in the frameworks' order) then position. An unknown node has
// no links.
func (s *Service) Links(ctx context.Context, id string) ([]Node, error) {
	all, err := s.linksWhere(ctx, `l.node_a = ? OR l.node_b = ?`, id, id)
	if err != nil {
		return nil, err
	}
	return all[id], nil
}

// FrameworkLinks returns, for each node of framework code that has links,
// the nodes linked to it, in the order Links gives.
func (s *Service) FrameworkLinks(ctx context.Context, code string) (map[string][]Node, error) {
	all, err := s.linksWhere(ctx, `a.framework = ? OR b.framework = ?`, code, code)
	if err != nil {
		return nil, err
	}
	for id := range all {
		if fw, _, _ := SplitNodeID(id); fw != code {
			delete(all, id)
		}
	}
	return all, nil
}

// Link is one undirected link, its ends in id order.
type Link struct {
	A, B    string
	Shipped bool
}

// AllLinks returns every link, by their ends.
func (s *Service) AllLinks(ctx context.Context) ([]Link, error) {
	return store.QueryAll(ctx, s.db, func(sc store.Scanner) (Link, error) {
		var l Link
		var shipped int
		err := sc.Scan(&l.A, &l.B, &shipped)
		l.Shipped = shipped == 1
		return l, err
	}, `SELECT node_a, node_b, shipped FROM framework_links ORDER BY node_a, node_b`)
}

// linksWhere reads the links matching cond (over the link l and its two
// nodes a and b) and returns, for each end, the nodes at the other end.
func (s *Service) linksWhere(ctx context.Context, cond string, args ...any) (map[string][]Node, error) {
	type pair struct{ a, b Node }
	cols := func(t string) string {
		return t + `.id, ` + t + `.framework, ` + t + `.code, ` + t + `.parent_id, ` + t + `.position, ` + t + `.cites, ` +
			t + `.titles, ` + t + `.summaries`
	}
	pairs, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (pair, error) {
		var p pair
		var pa, pb sql.NullString
		var ta, sa, tb, sb string
		err := sc.Scan(&p.a.ID, &p.a.Framework, &p.a.Code, &pa, &p.a.Position, &p.a.Cites, &ta, &sa,
			&p.b.ID, &p.b.Framework, &p.b.Code, &pb, &p.b.Position, &p.b.Cites, &tb, &sb)
		if err != nil {
			return p, err
		}
		p.a.ParentID, p.b.ParentID = pa.String, pb.String
		for _, x := range []struct {
			dst *map[string]string
			src string
		}{{&p.a.Titles, ta}, {&p.a.Summaries, sa}, {&p.b.Titles, tb}, {&p.b.Summaries, sb}} {
			if *x.dst, err = decodeTexts(x.src); err != nil {
				return p, err
			}
		}
		return p, nil
	}, `SELECT `+cols("a")+`, `+cols("b")+` FROM framework_links l
		JOIN framework_nodes a ON a.id = l.node_a JOIN framework_nodes b ON b.id = l.node_b WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	order, err := s.frameworkOrder(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]Node{}
	for _, p := range pairs {
		out[p.a.ID] = append(out[p.a.ID], p.b)
		out[p.b.ID] = append(out[p.b.ID], p.a)
	}
	for id := range out {
		slices.SortFunc(out[id], func(x, y Node) int {
			if d := order[x.Framework] - order[y.Framework]; d != 0 {
				return d
			}
			if d := x.Position - y.Position; d != 0 {
				return d
			}
			return strings.Compare(x.Code, y.Code)
		})
	}
	return out, nil
}

// frameworkOrder maps each framework's code to its place in Frameworks.
func (s *Service) frameworkOrder(ctx context.Context) (map[string]int, error) {
	fs, err := s.Frameworks(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]int, len(fs))
	for i, f := range fs {
		m[f.Code] = i
	}
	return m, nil
}

// log appends an audit entry for p inside tx. Frameworks are no
// organisation's, so the entry names none.
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, action, objType, objID string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, Action: action, ObjectType: objType, ObjectID: objID,
		Fields: slices.Clone(fields), RequestID: requestid.From(ctx),
	})
	return err
}
