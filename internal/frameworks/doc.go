// SPDX-License-Identifier: AGPL-3.0-or-later

// Package frameworks keeps the trees of goals and paragraphs that Amparo's
// indicators measure (DESIGN capability 6; A/68/190 points 6 and 7;
// resolution 67/172 ¶9(d) and ¶15): the eight points of the
// Secretary-General's agenda, the operative paragraphs of the resolution
// "Protection of migrants", the migration-related SDG targets and the 23
// objectives of the Global Compact for Safe, Orderly and Regular Migration,
// and the frameworks administrators add, such as a national action plan.
//
// A framework is a tree of nodes, each named by "<FRAMEWORK>:<code>"
// ("SDG:10.7", "A68190:7") with a title and a summary in the six UN
// languages and the paragraph it cites. Nodes of different frameworks are
// linked, undirected, where they deal with the same thing, so that a page
// can lead from an agenda point to the resolution's paragraphs, the SDG
// targets and the compact's objectives.
//
// The four shipped frameworks come in the binary (data/frameworks.json,
// sources in data/SOURCE.md) and EnsureShipped keeps the database in step
// with the file at every start. Their nodes are read-only; administrators
// (framework.write) may still link to and from them. Everything here is
// public: reading needs no principal, and every change is audited.
package frameworks
