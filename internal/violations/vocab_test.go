// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/i18n"
)

// TestShippedVocabularies checks the shipped file: every vocabulary there,
// every term named in the six languages (loadVocabularies refuses
// otherwise), the perpetrator categories and intervention workflow the
// statistics and pages rely on, and hierarchical codes in display order.
func TestShippedVocabularies(t *testing.T) {
	t.Parallel()
	if got := len(Vocabularies()); got != len(vocabularyNames) {
		t.Fatalf("%d vocabularies", got)
	}
	want := map[string][]string{
		VocabPerpetratorCategory: {"border_guard", "police", "detention_staff", "other_official", "employer", "recruiter",
			"smuggler", "trafficker", "private_individual", "unknown"},
		VocabInterventionStatus: {"planned", "submitted", "in_progress", "concluded", "dismissed"},
		VocabInterventionType:   {"complaint", "litigation", "urgent_appeal", "medical_aid", "legal_aid", "other"},
		VocabInvolvement:        {"direct_perpetrator", "ordered", "assisted", "failed_to_act", "unknown"},
		VocabReliability:        {"A", "B", "C", "D", "E", "F"},
	}
	for name, codes := range want {
		if got := ShippedCodes(name); !slices.Equal(got, codes) {
			t.Errorf("%s ships %v, want %v", name, got, codes)
		}
	}
	for _, v := range Vocabularies() {
		codes := ShippedCodes(v.Name)
		if len(codes) == 0 {
			t.Errorf("%s ships no term", v.Name)
		}
		if v.Hierarchical && !slices.IsSortedFunc(codes, compareCodes) {
			t.Errorf("%s is not in code order", v.Name)
		}
		for _, c := range codes {
			for _, l := range i18n.Languages {
				if label, ok := shippedLabel(v.Name, c, l.Code); !ok || strings.TrimSpace(label) == "" {
					t.Errorf("%s %s has no %s label", v.Name, c, l.Code)
				}
			}
		}
	}
	for _, c := range ShippedCodes(VocabActType) {
		if InBranch(c, XenophobiaBranch) && c != XenophobiaBranch {
			return
		}
	}
	t.Error("no xenophobic or racist incident under the act-type branch " + XenophobiaBranch)
}

func TestLoadVocabulariesRefusesBadFiles(t *testing.T) {
	t.Parallel()
	good := string(vocabulariesJSON)
	for name, doc := range map[string]string{
		"not json":           "{",
		"missing label":      strings.Replace(good, `"zh": "杀害"`, `"zh": " "`, 1),
		"duplicate code":     strings.Replace(good, `"code": "10.20"`, `"code": "10.10"`, 1),
		"added-style code":   strings.Replace(good, `"code": "10.20"`, `"code": "10.x20"`, 1),
		"orphan":             strings.Replace(good, `"code": "10.20"`, `"code": "11.20"`, 1),
		"stray key":          strings.Replace(good, `"zh": "杀害"`, `"zh": "杀害", "de": "Tötung"`, 1),
		"missing vocabulary": strings.Replace(good, `"person_role"`, `"person_roles"`, 1),
	} {
		if _, err := loadVocabularies([]byte(doc)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestCompareCodes(t *testing.T) {
	t.Parallel()
	in := []string{"x2", "20.x1", "10", "20.10", "20", "x10", "10.x1", "20.5", "20.x10", "20.x2", "3"}
	slices.SortFunc(in, compareCodes)
	want := []string{"3", "10", "10.x1", "20", "20.5", "20.10", "20.x1", "20.x2", "20.x10", "x2", "x10"}
	if !slices.Equal(in, want) {
		t.Fatalf("sorted %v, want %v", in, want)
	}
	for _, tt := range []struct {
		code, branch string
		want         bool
	}{{"70", "70", true}, {"70.10", "70", true}, {"70.x1", "70", true}, {"700", "70", false}, {"7", "70", false}} {
		if got := InBranch(tt.code, tt.branch); got != tt.want {
			t.Errorf("InBranch(%s, %s) = %v", tt.code, tt.branch, got)
		}
	}
}
