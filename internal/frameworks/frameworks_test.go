// SPDX-License-Identifier: AGPL-3.0-or-later

package frameworks

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

var (
	analyst = access.Principal{UserID: "analyst0000000000000000000", Role: access.RoleAnalyst, MFA: true}
	viewer  = access.Principal{UserID: "viewer00000000000000000000", Role: access.RoleViewer, MFA: true}
)

type fixture struct {
	svc *Service
	log *audit.Log
	db  *store.DB
}

func newFixture(t *testing.T, db *store.DB) fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	svc := New(Config{DB: db, Audit: log, Clock: clk})
	if err := svc.EnsureShipped(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fixture{svc, log, db}
}

// actions returns the audited actions, oldest first.
func (f fixture) actions(t *testing.T) []string {
	t.Helper()
	entries, _, err := f.log.List(context.Background(), audit.Filter{Limit: audit.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	slices.Reverse(out)
	return out
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.Scan(db.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// nap makes an administrator's framework with a node.
func (f fixture) nap(t *testing.T) (Framework, Node) {
	t.Helper()
	ctx := context.Background()
	fw, err := f.svc.CreateFramework(ctx, analyst, FrameworkInput{Code: "NAP", Symbol: "Decree 12/2026",
		Titles: map[string]string{"en": "National action plan", "fr": "Plan d'action national"}})
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.svc.CreateNode(ctx, analyst, "NAP", NodeInput{Code: "1", Titles: map[string]string{"en": "Data"}})
	if err != nil {
		t.Fatal(err)
	}
	return fw, n
}

func TestEnsureShippedIsIdempotent(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		shipped, err := loadShipped(shippedJSON)
		if err != nil {
			t.Fatal(err)
		}
		nodes := 0
		for _, fw := range shipped.Frameworks {
			nodes += len(fw.Nodes)
		}
		if got := count(t, db, "frameworks"); got != 4 {
			t.Errorf("%d frameworks, want 4", got)
		}
		if got := count(t, db, "framework_nodes"); got != nodes {
			t.Errorf("%d nodes, want %d", got, nodes)
		}
		if got := count(t, db, "framework_links"); got != len(shipped.Links) {
			t.Errorf("%d links, want %d", got, len(shipped.Links))
		}
		_, napNode := f.nap(t)
		if err := f.svc.AddLink(ctx, analyst, napNode.ID, "A68190:7"); err != nil {
			t.Fatal(err)
		}
		before := len(f.actions(t))
		for range 2 {
			if err := f.svc.EnsureShipped(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if after := len(f.actions(t)); after != before {
			t.Errorf("a second run wrote %d audit entries", after-before)
		}

		// A release that retitles a node, drops another and a link:
		// shipped rows follow, the administrator's framework and link stay.
		changed, _ := loadShipped(shippedJSON)
		gcm := &changed.Frameworks[3]
		gcm.Nodes[0].Titles = map[string]string{"en": "Data, retitled"}
		gcm.Nodes = gcm.Nodes[:len(gcm.Nodes)-1]
		var links [][2]string
		for _, l := range changed.Links {
			if l[0] != "GCM:23" && l[1] != "GCM:23" && !(l[0] == "A68190:7" && l[1] == "GCM:1") {
				links = append(links, l)
			}
		}
		changed.Links = links
		if err := f.svc.ensure(ctx, changed); err != nil {
			t.Fatal(err)
		}
		n, err := f.svc.Node(ctx, "GCM:1")
		if err != nil || n.Title("fr") != "Data, retitled" {
			t.Errorf("GCM:1 = %+v, %v; want the new title, English for French", n, err)
		}
		if _, err := f.svc.Node(ctx, "GCM:23"); !errors.Is(err, ErrNotFound) {
			t.Errorf("dropped node: %v, want ErrNotFound", err)
		}
		if got := count(t, db, "framework_links"); got != len(links)+1 {
			t.Errorf("%d links, want %d shipped and the administrator's", got, len(links))
		}
		if got := f.actions(t); got[len(got)-1] != "framework.seed" {
			t.Errorf("last action %q, want framework.seed", got[len(got)-1])
		}
		if _, err := f.svc.Framework(ctx, "NAP"); err != nil {
			t.Errorf("the administrator's framework: %v", err)
		}
	})
}

func TestTreeOrder(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		tree, err := f.svc.Tree(ctx, ResolutionCode)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, n := range tree.Nodes {
			codes = append(codes, n.Code)
		}
		want := []string{"1", "2", "3", "3.a", "3.b", "3.c", "3.d", "3.e", "4", "4.a"}
		if !reflect.DeepEqual(codes[:len(want)], want) {
			t.Errorf("order %v, want it to start %v", codes[:len(want)], want)
		}
		if codes[len(codes)-1] != "15" {
			t.Errorf("last node %q, want 15", codes[len(codes)-1])
		}
		if tree.Nodes[3].Depth != 1 || tree.Nodes[3].ParentID != "RESPM:3" || tree.Nodes[2].Depth != 0 {
			t.Errorf("depths: %+v %+v", tree.Nodes[2], tree.Nodes[3])
		}
		if kids := tree.Children("RESPM:4"); len(kids) != 10 || kids[9].Code != "4.j" {
			t.Errorf("children of 4: %d", len(kids))
		}
		fws, err := f.svc.Frameworks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, fw := range fws {
			order = append(order, fw.Code)
		}
		if !reflect.DeepEqual(order, []string{"A68190", "RESPM", "SDG", "GCM"}) {
			t.Errorf("frameworks %v", order)
		}
		// A node added with a position goes there; without, after the last.
		f.nap(t)
		if _, err := f.svc.CreateNode(ctx, analyst, "NAP", NodeInput{Code: "0", Position: 1,
			Titles: map[string]string{"en": "Zero"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateNode(ctx, analyst, "NAP", NodeInput{Code: "2", Titles: map[string]string{"en": "Two"}}); err != nil {
			t.Fatal(err)
		}
		nap, _ := f.svc.Tree(ctx, "NAP")
		var got []string
		for _, n := range nap.Nodes {
			got = append(got, n.Code)
		}
		if !reflect.DeepEqual(got, []string{"0", "1", "2"}) {
			t.Errorf("NAP order %v", got)
		}
	})
}

func TestValidation(t *testing.T) {
	en := map[string]string{"en": "Title"}
	cases := []struct {
		name string
		fw   *FrameworkInput
		node *NodeInput
		want []FieldError
	}{
		{"valid framework", &FrameworkInput{Code: "NAP2026", Titles: en}, nil, nil},
		{"framework code missing", &FrameworkInput{Titles: en}, nil, []FieldError{{Field: "code", Code: CodeRequired}}},
		{"framework code lower case", &FrameworkInput{Code: "nap", Titles: en}, nil, []FieldError{{Field: "code", Code: CodeInvalid}}},
		{"framework code with underscore", &FrameworkInput{Code: "NAP_1", Titles: en}, nil, []FieldError{{Field: "code", Code: CodeInvalid}}},
		{"framework code too long", &FrameworkInput{Code: "ABCDEFGHIJKLM", Titles: en}, nil, []FieldError{{Field: "code", Code: CodeInvalid}}},
		{"title only in French", &FrameworkInput{Code: "NAP", Titles: map[string]string{"fr": "Plan"}}, nil,
			[]FieldError{{Field: "title.en", Code: CodeRequired}}},
		{"unknown language", &FrameworkInput{Code: "NAP", Titles: map[string]string{"en": "Plan", "de": "Plan"}}, nil,
			[]FieldError{{Field: "title.de", Code: CodeUnknownLang}}},
		{"control character", &FrameworkInput{Code: "NAP", Titles: map[string]string{"en": "a\x00b"}}, nil,
			[]FieldError{{Field: "title.en", Code: CodeControlChars}}},
		{"valid node", nil, &NodeInput{Code: "4.a", ParentID: "NAP:4", Titles: en, Summaries: map[string]string{"en": "Two\nlines"}}, nil},
		{"node code lower case first", nil, &NodeInput{Code: "edit", Titles: en}, []FieldError{{Field: "code", Code: CodeInvalid}}},
		{"node code with dash", nil, &NodeInput{Code: "4-a", Titles: en}, []FieldError{{Field: "code", Code: CodeInvalid}}},
		{"node code empty part", nil, &NodeInput{Code: "4..a", Titles: en}, []FieldError{{Field: "code", Code: CodeInvalid}}},
		{"node code too long", nil, &NodeInput{Code: "12345678901234567", Titles: en}, []FieldError{{Field: "code", Code: CodeInvalid}}},
		{"parent in another framework", nil, &NodeInput{Code: "1", ParentID: "SDG:10", Titles: en},
			[]FieldError{{Field: "parent", Code: CodeUnknownParent}}},
		{"negative position", nil, &NodeInput{Code: "1", Position: -1, Titles: en}, []FieldError{{Field: "position", Code: CodeOutOfRange}}},
		{"no title", nil, &NodeInput{Code: "1"}, []FieldError{{Field: "title.en", Code: CodeRequired}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.fw != nil {
				_, err = normalizeFramework(*c.fw, true)
			} else {
				_, err = normalizeNode("NAP", *c.node, true)
			}
			var got []FieldError
			var ve *fielderr.Error
			if errors.As(err, &ve) {
				got = ve.Errors
			} else if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("errors %v, want %v", got, c.want)
			}
		})
	}
}

func TestWritesAndRules(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		fieldCode := func(err error) string {
			var ve *fielderr.Error
			if errors.As(err, &ve) && len(ve.Errors) > 0 {
				return ve.Errors[0].Field + ":" + ve.Errors[0].Code
			}
			return ""
		}
		_, n1 := f.nap(t)
		if _, err := f.svc.CreateFramework(ctx, analyst, FrameworkInput{Code: "NAP", Titles: map[string]string{"en": "x"}}); !errors.Is(err, ErrConflict) {
			t.Errorf("second NAP: %v", err)
		}
		if _, err := f.svc.CreateFramework(ctx, viewer, FrameworkInput{Code: "VIEW", Titles: map[string]string{"en": "x"}}); !errors.Is(err, ErrForbidden) {
			t.Errorf("viewer creates: %v", err)
		}
		child, err := f.svc.CreateNode(ctx, analyst, "NAP", NodeInput{Code: "1.1", ParentID: n1.ID, Titles: map[string]string{"en": "Child"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateNode(ctx, analyst, "NAP", NodeInput{Code: "1", Titles: map[string]string{"en": "again"}}); !errors.Is(err, ErrConflict) {
			t.Errorf("duplicate node: %v", err)
		}
		if _, err := f.svc.CreateNode(ctx, analyst, "NAP", NodeInput{Code: "9", ParentID: "NAP:8", Titles: map[string]string{"en": "x"}}); fieldCode(err) != "parent:unknown_parent" {
			t.Errorf("unknown parent: %v", err)
		}
		// Cycles: a node under itself or under its own descendant.
		for _, parent := range []string{n1.ID, child.ID} {
			_, err := f.svc.UpdateNode(ctx, analyst, n1.ID, NodeInput{ParentID: parent, Titles: n1.Titles})
			if fieldCode(err) != "parent:cycle" {
				t.Errorf("parent %s: %v, want a cycle", parent, err)
			}
		}
		upd, err := f.svc.UpdateNode(ctx, analyst, child.ID, NodeInput{Cites: "art. 2", Titles: map[string]string{"en": "Child", "es": "Hijo"}})
		if err != nil || upd.ParentID != "" || upd.Cites != "art. 2" || upd.Title("es") != "Hijo" {
			t.Errorf("update: %+v, %v", upd, err)
		}

		// Shipped nodes are read-only; links to them are not.
		if _, err := f.svc.CreateNode(ctx, analyst, SDGCode, NodeInput{Code: "99", Titles: map[string]string{"en": "x"}}); !errors.Is(err, ErrShipped) {
			t.Errorf("node in SDG: %v", err)
		}
		if _, err := f.svc.UpdateNode(ctx, analyst, "SDG:10.7", NodeInput{Titles: map[string]string{"en": "x"}}); !errors.Is(err, ErrShipped) {
			t.Errorf("update SDG:10.7: %v", err)
		}
		if err := f.svc.DeleteNode(ctx, analyst, "SDG:10.7"); !errors.Is(err, ErrShipped) {
			t.Errorf("delete SDG:10.7: %v", err)
		}
		if _, err := f.svc.UpdateFramework(ctx, analyst, SDGCode, FrameworkInput{Titles: map[string]string{"en": "x"}}); !errors.Is(err, ErrShipped) {
			t.Errorf("update SDG: %v", err)
		}
		if err := f.svc.DeleteFramework(ctx, analyst, SDGCode); !errors.Is(err, ErrShipped) {
			t.Errorf("delete SDG: %v", err)
		}
		if err := f.svc.RemoveLink(ctx, analyst, "A68190:7", "GCM:1"); !errors.Is(err, ErrShipped) {
			t.Errorf("remove shipped link: %v", err)
		}

		// Links: across frameworks only, once, read from both ends.
		if err := f.svc.AddLink(ctx, analyst, "A68190:7", n1.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AddLink(ctx, analyst, n1.ID, "A68190:7"); !errors.Is(err, ErrConflict) {
			t.Errorf("same link again: %v", err)
		}
		if err := f.svc.AddLink(ctx, analyst, n1.ID, child.ID); fieldCode(err) != "b:same_framework" {
			t.Errorf("link within NAP: %v", err)
		}
		if err := f.svc.AddLink(ctx, analyst, n1.ID, "SDG:99.z"); fieldCode(err) != "b:unknown_node" {
			t.Errorf("link to nothing: %v", err)
		}
		if err := f.svc.AddLink(ctx, viewer, n1.ID, "SDG:10.7"); !errors.Is(err, ErrForbidden) {
			t.Errorf("viewer links: %v", err)
		}
		from, _ := f.svc.Links(ctx, n1.ID)
		to, _ := f.svc.Links(ctx, "A68190:7")
		if len(from) != 1 || from[0].ID != "A68190:7" || !slices.ContainsFunc(to, func(n Node) bool { return n.ID == n1.ID }) {
			t.Errorf("links from NAP:1 %v, to A68190:7 %d", from, len(to))
		}
		if to[0].Framework != ResolutionCode {
			t.Errorf("links of A68190:7 start with %s, want the resolution's", to[0].Framework)
		}
		byNode, err := f.svc.FrameworkLinks(ctx, AgendaCode)
		if err != nil || len(byNode["A68190:7"]) != len(to) || len(byNode[n1.ID]) != 0 {
			t.Errorf("framework links: %d, %v", len(byNode["A68190:7"]), err)
		}

		// Deleting cascades to children and links.
		if err := f.svc.DeleteNode(ctx, analyst, n1.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Node(ctx, child.ID); err != nil {
			t.Errorf("the moved child should stay: %v", err)
		}
		if after, _ := f.svc.Links(ctx, "A68190:7"); len(after) != len(to)-1 {
			t.Errorf("link to a deleted node left: %d", len(after))
		}
		if err := f.svc.AddLink(ctx, analyst, child.ID, "GCM:1"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteFramework(ctx, analyst, "NAP"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Node(ctx, child.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("node of a deleted framework: %v", err)
		}
		if got, want := count(t, db, "framework_links"), len(mustShipped(t).Links); got != want {
			t.Errorf("%d links left, want the %d shipped", got, want)
		}
		want := []string{"framework.seed", "framework.create", "framework.node_add", "framework.node_add", "framework.node_update",
			"framework.link_add", "framework.node_delete", "framework.link_add", "framework.delete"}
		if got := f.actions(t); !reflect.DeepEqual(got, want) {
			t.Errorf("audited %v, want %v", got, want)
		}
	})
}

func mustShipped(t *testing.T) shippedFile {
	t.Helper()
	f, err := loadShipped(shippedJSON)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
