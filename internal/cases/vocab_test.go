// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"regexp"
	"slices"
	"testing"
)

func TestWorkflowTransitions(t *testing.T) {
	// Every pair of statuses, with the move the workflow allows or "" for
	// none: the whole table, so that adding a transition is a decision
	// this test records.
	want := map[[2]Status]Move{
		{StatusNew, StatusAssessment}:      MoveAdvance,
		{StatusAssessment, StatusCasePlan}: MoveAdvance,
		{StatusCasePlan, StatusServices}:   MoveAdvance,
		{StatusCasePlan, StatusAssessment}: MoveStepBack,
		{StatusServices, StatusCasePlan}:   MoveStepBack,
		{StatusNew, StatusClosed}:          MoveClose,
		{StatusAssessment, StatusClosed}:   MoveClose,
		{StatusCasePlan, StatusClosed}:     MoveClose,
		{StatusServices, StatusClosed}:     MoveClose,
		{StatusClosed, StatusAssessment}:   MoveReopen,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			t.Run(string(from)+"→"+string(to), func(t *testing.T) {
				move, ok := TransitionOf(from, to)
				w, allowed := want[[2]Status{from, to}]
				if ok != allowed || move != w {
					t.Errorf("TransitionOf = %q, %v; want %q, %v", move, ok, w, allowed)
				}
			})
		}
	}
	if len(Transitions) != len(want) {
		t.Errorf("%d transitions, want %d (a duplicate?)", len(Transitions), len(want))
	}
	if _, ok := TransitionOf("archived", StatusNew); ok {
		t.Error("a transition from an unknown status")
	}
}

// codeRE is the shape of every vocabulary code: stored, used in audit
// field names and translation keys.
var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func TestConcernVocabulary(t *testing.T) {
	seen := map[Concern]bool{}
	for _, c := range Concerns {
		if !codeRE.MatchString(string(c.Code)) {
			t.Errorf("concern %q is not a code", c.Code)
		}
		if seen[c.Code] {
			t.Errorf("concern %q twice", c.Code)
		}
		seen[c.Code] = true
		if c.Seed == "" {
			t.Errorf("concern %q cites no seed paragraph", c.Code)
		}
		if !c.Code.Valid() {
			t.Errorf("%q not Valid", c.Code)
		}
	}
	// The concerns the protection-cases issue names must all be there.
	for _, c := range []Concern{"detention", "consular_access", "labour_exploitation", "trafficking",
		"gender_based_violence", "child_protection", "family_separation", "documentation", "health",
		"legal_status", "refoulement_risk", "xenophobic_violence"} {
		if !seen[c] {
			t.Errorf("concern %q missing", c)
		}
	}
	for _, bad := range []Concern{"", "Detention", "torture "} {
		if bad.Valid() {
			t.Errorf("%q is Valid", bad)
		}
	}
}

func TestOtherVocabularies(t *testing.T) {
	for name, codes := range map[string][]string{
		"statuses":        codesOf(Statuses),
		"risks":           codesOf(Risks),
		"person roles":    codesOf(PersonRoles),
		"relations":       codesOf(Relations),
		"closure reasons": codesOf(ClosureReasons),
	} {
		for i, c := range codes {
			if !codeRE.MatchString(c) || slices.Contains(codes[:i], c) {
				t.Errorf("%s: %q is not a code, or repeated", name, c)
			}
		}
	}
	if !RiskUnassessed.Valid() || Risk("severe").Valid() {
		t.Error("Risk.Valid")
	}
	if ClosureReason("").Valid() || !ClosureDuplicate.Valid() {
		t.Error("ClosureReason.Valid")
	}
}

func codesOf[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func TestCheckLink(t *testing.T) {
	cases := []struct {
		role        PersonRole
		rel         Relation
		field, code string
	}{
		{RolePrincipal, RelationNone, "", ""},
		{RolePrincipal, RelationSpouse, "relation", CodeNotAllowed},
		{RoleFamilyMember, RelationChild, "", ""},
		{RoleFamilyMember, RelationNone, "relation", CodeRequired},
		{RoleFamilyMember, RelationNotRelated, "relation", CodeRequired},
		{RoleGroupMember, RelationNone, "", ""},
		{RoleGroupMember, RelationNotRelated, "", ""},
		{RoleGroupMember, RelationSibling, "", ""},
		{RoleGroupMember, "cousin", "relation", CodeUnknown},
		{"", RelationNone, "role", CodeRequired},
		{"smuggler", RelationNone, "role", CodeUnknown},
	}
	for _, c := range cases {
		field, code := checkLink(c.role, c.rel)
		if field != c.field || code != c.code {
			t.Errorf("checkLink(%q, %q) = %q, %q; want %q, %q", c.role, c.rel, field, code, c.field, c.code)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		year int
		n    int64
		want string
	}{
		{2026, 1, "2026-00001"},
		{2026, 99999, "2026-99999"},
		{2026, 100000, "2026-100000"},
	} {
		if got := formatNumber(c.year, c.n); got != c.want {
			t.Errorf("formatNumber(%d, %d) = %q, want %q", c.year, c.n, got, c.want)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name    string
		content string
		want    string
	}{
		{"pdf", "%PDF-1.7\n%âãÏÓ\n", MediaPDF},
		{"jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", MediaJPEG},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", MediaPNG},
		{"gif", "GIF89a", ""},
		{"html", "<!doctype html><script>", ""},
		{"svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">", ""},
		{"zip (docx)", "PK\x03\x04", ""},
		{"pdf not at the start", " %PDF-1.7", ""},
		{"truncated png signature", "\x89PNG\r\n", ""},
		{"empty", "", ""},
	} {
		if got := Sniff([]byte(c.content)); got != c.want {
			t.Errorf("%s: Sniff = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{
		"scan.pdf":                      "scan.pdf",
		`C:\Users\ana\Desktop\scan.pdf`: "scan.pdf",
		"/home/ana/photo.jpg":           "photo.jpg",
		"../../etc/passwd":              "passwd",
		"folder/":                       "",
		"pasaporte escaneado (1).pdf":   "pasaporte escaneado (1).pdf",
		"документ/паспорт копия 2.png":   "паспорт копия 2.png",
		`mixed/separators\and/name.jpeg`: "name.jpeg",
	} {
		if got := baseName(in); got != want {
			t.Errorf("baseName(%q) = %q, want %q", in, got, want)
		}
	}
}
