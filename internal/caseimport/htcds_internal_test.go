// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/tabular"
)

// templateColumns reads the HTCDS template's columns from the standard
// beside the repository, skipping the test, saying why, when it is not
// there.
func templateColumns(t *testing.T) []map[string]string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "standards", "htcds", "htcds-template-columns-2.0.csv")
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("the HTCDS standard is not at %s (a checkout without ../shared/standards): nothing to conform to", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestHTCDSPresetConforms checks that the preset reads the template's
// columns under the template's names (its misspelt one included) and the
// Field Standards' (as the export writes them), and knows the template's
// row of labels.
func TestHTCDSPresetConforms(t *testing.T) {
	m, err := Preset("htcds")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range templateColumns(t) {
		name, std := c["template_field_name"], c["standard_field_name"]
		if name != "" && m.Labels[name] != c["template_label"] {
			t.Errorf("column %d %s: label %q, the template's is %q", i+1, name, m.Labels[name], c["template_label"])
		}
		if field := m.Columns[std]; field != "" && name != "" && m.Columns[name] != field {
			t.Errorf("column %d: the template's %q does not read as the standard's %q (%s)", i+1, name, std, field)
		}
	}
	for _, col := range exploitation.HTCDSColumns {
		if strings.HasPrefix(col, "vic_") && m.Columns[col] == "" {
			t.Errorf("the export's %s is not read back", col)
		}
	}
}

// templateHeader is the template's first row: its hidden field names,
// with the misspelt one and the empty name of column 36.
func templateHeader() []string {
	h := slices.Clone(exploitation.HTCDSColumns)
	for i, c := range h {
		switch c {
		case "vic_TraffickingStatusDecisionMakingOrg":
			h[i] = "vic_TraffickinStatusDecisionMakingOrg"
		case "cas_ReasonForOutgoingReferral":
			h[i] = ""
		}
	}
	return h
}

func TestHTCDSLabelAndEmptyRows(t *testing.T) {
	m, err := Preset("htcds")
	if err != nil {
		t.Fatal(err)
	}
	l, errs := newLayout(m, tabular.Record{Line: 1, Fields: templateHeader()}, false)
	if len(errs) > 0 {
		t.Fatalf("header errors %v", errs)
	}
	labels := make([]string, len(exploitation.HTCDSColumns))
	for i, h := range templateHeader() {
		labels[i] = m.Labels[h]
	}
	labels[35] = "Reason for Outgoing Referral" // under the unnamed column
	row := func(cells map[string]string) tabular.Record {
		f := make([]string, len(exploitation.HTCDSColumns))
		for i, h := range templateHeader() {
			f[i] = cells[h]
		}
		return tabular.Record{Line: 3, Fields: f}
	}
	for _, c := range []struct {
		name  string
		rec   tabular.Record
		first bool
		skip  bool
	}{
		{"the template's labels", tabular.Record{Line: 2, Fields: labels}, true, true},
		{"labels after data", tabular.Record{Line: 2, Fields: labels}, false, false},
		{"a numbered empty row", row(map[string]string{"": "7", "cas_CaseOwner": "someone"}), false, true},
		{"a row with data", row(map[string]string{"": "1", "prs_FirstName": "Ana"}), true, false},
		{"a label and data", row(map[string]string{"prs_FirstName": "First Name", "prs_Gender": "Feminine"}), true, false},
	} {
		if got := l.skip(c.rec, c.first); got != c.skip {
			t.Errorf("%s: skip = %v, want %v", c.name, got, c.skip)
		}
	}
}

// FuzzHTCDSRow reads arbitrary cells in the template's columns with the
// htcds preset, as an import does, and checks them with the exploitation
// rules: nothing panics, every error names the row's line, a column of
// the file and a reason, and a record accepted reads back unchanged.
func FuzzHTCDSRow(f *testing.F) {
	f.Add("ActualVictimOfTrafficking", "NGO", "ForcedLabour;Servitude", "", "DebtBondage;WithholdsDocuments",
		"ThroughFriendsOrSocialEvents", "F_Construction", "NPL", "QAT", "Masculine", "NPL", "'+977 980 000 0000")
	f.Add("possible_victim", "police", "sexual_exploitation", "Prostitution", "x", "", "a", "Népal", "", "Feminine;", "NPL;IND", "")
	f.Add("", "", "", "Pornography", "", "", "Z_Unknown", "XX", "atlantis", "", "", "=1+1")
	m, err := Preset("htcds")
	if err != nil {
		f.Fatal(err)
	}
	header := templateHeader()
	l, errs := newLayout(m, tabular.Record{Line: 1, Fields: header}, false)
	if len(errs) > 0 {
		f.Fatal(errs)
	}
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status, decider, types, sexTypes, control, recruitment, industry, recCountry, expCountry,
		gender, citizenship, phone string) {
		cells := map[string]string{"vic_TraffickingStatus": status, "vic_TraffickinStatusDecisionMakingOrg": decider,
			"vic_TypeOfExploitation": types, "vic_TypeOfSexExploitation": sexTypes, "vic_MethodsOfControl": control,
			"vic_MethodOfRecruitment": recruitment, "vic_ForcedLabourIndustry": industry,
			"vic_LocationOfRecruitment": recCountry, "vic_LocationOfExploitation": expCountry, "prs_Gender": gender,
			"prs_Citizenship": citizenship, "prs_MobilePhone": phone}
		fields := make([]string, len(header))
		for i, h := range header {
			fields[i] = cells[h]
		}
		rec := tabular.Record{Line: 9, Fields: fields}
		r, errs := l.read(rec, now)
		for _, e := range errs {
			if e.Line != 9 || e.Code == "" || !slices.Contains(header, e.Field) {
				t.Fatalf("row error %+v", e)
			}
		}
		if r.exploit == nil {
			return
		}
		ex, ees := exploitation.Check(*r.exploit)
		for _, e := range ees {
			if col := l.columnOf(e.Field); e.Code == "" || !slices.Contains(header, col) {
				t.Fatalf("record error %+v in column %q", e, col)
			}
		}
		if len(ees) > 0 {
			return
		}
		if back, ees := exploitation.Check(ex.Input()); len(ees) > 0 || !slices.Equal(back.ControlMethods, ex.ControlMethods) ||
			back.TraffickingStatus != ex.TraffickingStatus || back.Sector != ex.Sector {
			t.Fatalf("%+v reads back as %+v, %v", ex, back, ees)
		}
	})
}
