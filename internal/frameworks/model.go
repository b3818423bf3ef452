// SPDX-License-Identifier: AGPL-3.0-or-later

package frameworks

import (
	"regexp"
	"strings"
	"time"
)

// Languages are the languages titles and summaries are written in; English
// is required, the others fall back to it.
var Languages = []string{"en", "fr", "es", "ru", "ar", "zh"}

// The codes of the shipped frameworks.
const (
	AgendaCode     = "A68190" // the eight points of A/68/190
	ResolutionCode = "RESPM"  // GA resolution 67/172 "Protection of migrants"
	SDGCode        = "SDG"    // the migration-related SDG targets
	CompactCode    = "GCM"    // the objectives of A/RES/73/195
)

// Framework is a tree of goals or paragraphs. Nodes is filled by Tree
// only: every node of the framework, parents before their children, each
// parent's children by position.
type Framework struct {
	Code      string
	Symbol    string // the document it cites, e.g. "A/68/190"; may be ""
	Titles    map[string]string
	Summaries map[string]string
	Position  int
	// Shipped is true for a framework that comes with the release: its
	// nodes are read-only.
	Shipped   bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Nodes     []Node
}

// Node is one goal, target, objective or paragraph.
type Node struct {
	ID        string // "<framework>:<code>"
	Framework string
	Code      string
	ParentID  string // "" for a top-level node
	Cites     string // the paragraph it cites, e.g. "para. 4 (a)"
	Titles    map[string]string
	Summaries map[string]string
	Position  int
	// Depth is 0 for a top-level node, set by Tree; other reads leave it 0.
	Depth int
}

// Title returns the framework's title in lang, or in English when it has
// none in lang.
func (f Framework) Title(lang string) string { return text(f.Titles, lang) }

// Summary returns the framework's summary in lang, or in English.
func (f Framework) Summary(lang string) string { return text(f.Summaries, lang) }

// Title returns the node's title in lang, or in English.
func (n Node) Title(lang string) string { return text(n.Titles, lang) }

// Summary returns the node's summary in lang, or in English.
func (n Node) Summary(lang string) string { return text(n.Summaries, lang) }

func text(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	return m["en"]
}

// Children returns the nodes of f (as Tree fills it) whose parent is id,
// "" for the top level, in order.
func (f Framework) Children(id string) []Node {
	var out []Node
	for _, n := range f.Nodes {
		if n.ParentID == id {
			out = append(out, n)
		}
	}
	return out
}

// The shapes of codes. A framework's code is upper-case letters and digits;
// a node's starts with a digit or an upper-case letter and has dot-separated
// parts ("4.a", "10.c", "17.18", "A1"), so it can never be one of the
// lower-case words the pages put after a framework's address ("edit",
// "delete", "nodes"). Neither holds "-" or "_", which the audit log's ids
// use as separators (auditID).
var (
	frameworkCodeRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,11}$`)
	nodeCodeRE      = regexp.MustCompile(`^[0-9A-Z][0-9A-Za-z]*(\.[0-9A-Za-z]+)*$`)
)

// maxNodeCode bounds a node's code, so that a link's audit id (two node
// ids) stays within the log's 64 characters.
const maxNodeCode = 16

// ValidFrameworkCode reports whether s has the shape of a framework's code.
func ValidFrameworkCode(s string) bool { return frameworkCodeRE.MatchString(s) }

// ValidNodeCode reports whether s has the shape of a node's code.
func ValidNodeCode(s string) bool { return len(s) <= maxNodeCode && nodeCodeRE.MatchString(s) }

// NodeID returns the id of node code of framework.
func NodeID(framework, code string) string { return framework + ":" + code }

// SplitNodeID returns the framework and node code of id, and whether id
// has the shape of a node id.
func SplitNodeID(id string) (framework, code string, ok bool) {
	framework, code, ok = strings.Cut(id, ":")
	return framework, code, ok && ValidFrameworkCode(framework) && ValidNodeCode(code)
}

// auditID is how the audit log names a node, whose ids hold ':' and '.',
// which the log's ids may not: "SDG:10.7" is "SDG-10_7". Neither framework
// nor node codes hold '-' or '_', so the name reads back unambiguously.
func auditID(nodeID string) string {
	return strings.NewReplacer(":", "-", ".", "_").Replace(nodeID)
}

// linkAuditID names the link between a and b (a < b) in the audit log.
func linkAuditID(a, b string) string { return auditID(a) + "--" + auditID(b) }
