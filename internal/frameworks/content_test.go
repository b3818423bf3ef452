// SPDX-License-Identifier: AGPL-3.0-or-later

package frameworks

import (
	"strconv"
	"strings"
	"testing"
)

// TestShippedContent checks the content in the binary: every framework and
// node has a title and a summary in each of the six languages, the agenda
// has its eight points and the compact its 23 objectives, each numbered in
// order, every node cites a paragraph, and every link names two nodes of
// different frameworks (loadShipped refuses anything else).
func TestShippedContent(t *testing.T) {
	f := mustShipped(t)
	byCode := map[string]shippedFramework{}
	for _, fw := range f.Frameworks {
		byCode[fw.Code] = fw
		for _, lang := range Languages {
			if strings.TrimSpace(fw.Titles[lang]) == "" || strings.TrimSpace(fw.Summaries[lang]) == "" {
				t.Errorf("%s lacks a title or summary in %s", fw.Code, lang)
			}
		}
		for _, n := range fw.Nodes {
			for _, lang := range Languages {
				if strings.TrimSpace(n.Titles[lang]) == "" || strings.TrimSpace(n.Summaries[lang]) == "" {
					t.Errorf("%s:%s lacks a title or summary in %s", fw.Code, n.Code, lang)
				}
			}
			if n.Cites == "" {
				t.Errorf("%s:%s cites nothing", fw.Code, n.Code)
			}
		}
	}
	for code, want := range map[string]int{AgendaCode: 8, CompactCode: 23} {
		nodes := byCode[code].Nodes
		if len(nodes) != want {
			t.Errorf("%s has %d nodes, want %d", code, len(nodes), want)
		}
		for i, n := range nodes {
			if n.Code != strconv.Itoa(i+1) || n.Parent != "" {
				t.Errorf("%s node %d is %q under %q", code, i+1, n.Code, n.Parent)
			}
		}
	}
	if fw := byCode[ResolutionCode]; len(fw.Nodes) == 0 || fw.Nodes[len(fw.Nodes)-1].Code != "15" {
		t.Error("the resolution should end with operative paragraph 15")
	}
	for _, target := range []string{"10.7", "10.c", "8.7", "8.8", "16.2", "17.18"} {
		found := false
		for _, n := range byCode[SDGCode].Nodes {
			found = found || n.Code == target
		}
		if !found {
			t.Errorf("SDG target %s missing", target)
		}
	}
	// Each agenda point is linked to each of the other three frameworks.
	linked := map[string]map[string]bool{}
	for _, l := range f.Links {
		for _, pair := range [][2]string{{l[0], l[1]}, {l[1], l[0]}} {
			fw, _, _ := SplitNodeID(pair[1])
			if linked[pair[0]] == nil {
				linked[pair[0]] = map[string]bool{}
			}
			linked[pair[0]][fw] = true
		}
	}
	for i := 1; i <= 8; i++ {
		id := NodeID(AgendaCode, strconv.Itoa(i))
		for _, fw := range []string{ResolutionCode, CompactCode} {
			if !linked[id][fw] {
				t.Errorf("%s has no link to %s", id, fw)
			}
		}
	}
	if len(f.Links) < 100 {
		t.Errorf("only %d links", len(f.Links))
	}
}
