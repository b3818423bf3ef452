// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"strings"

	"github.com/amparo-project/amparo/internal/disclosure"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
)

// Suppressed is how a withheld count is written, on the pages and in the
// CSV and XLSX downloads (the statistical offices' "x"); HXL files leave
// the cell empty, so that the column stays numeric for HXL tools.
const Suppressed = "x"

// rowHeads are the HXL hashtags of the columns naming a table's rows (the
// code, then the name) by dimension; a table by place has three: the
// country's code and name, and the first-level area.
var rowHeads = map[Dimension][]string{
	Concern:             {"#impact+concern+code", "#impact+concern+name"},
	Nationality:         {"#country+origin+code", "#country+origin+name"},
	Sex:                 {"#group+sex+code", "#group+sex+name"},
	AgeBand:             {"#group+age+code", "#group+age+name"},
	Location:            {"#country+code", "#country+name", "#adm1+name"},
	DetentionLength:     {"#group+detention_length+code", "#group+detention_length+name"},
	ConsularCompliance:  {"#status+told+code", "#status+told+name"},
	ReferralStatus:      {"#status+referral+code", "#status+referral+name"},
	ActType:             {"#event+type+code", "#event+type+name"},
	PerpetratorCategory: {"#group+perpetrator+code", "#group+perpetrator+name"},
}

// sexAttributes are HXL's attributes of sex disaggregation (+f, +m, +i for
// people who are neither).
var sexAttributes = map[string]string{"female": "f", "male": "m", "other": "i", Unknown: "sex_unknown"}

// Export returns r as the table its downloads hold: exactly the table the
// page shows, with the names of the categories in loc's language beside
// their codes, a row of totals last, withheld counts written as suppressed
// (Suppressed for CSV and XLSX, nil for HXL), and the HXL hashtags of every
// column.
func (s *Service) Export(loc *i18n.Locale, r Result, suppressed any) export.Table {
	d, tab := r.Query.Dimension, r.Table
	name := "statistics-" + string(d)
	if r.Query.Column != "" {
		name += "-by-" + string(r.Query.Column)
	}
	t := export.Table{Name: name, Tags: append([]string(nil), rowHeads[d]...)}
	if d == Location {
		t.Header = []string{loc.T("statistics.col.country_code"), loc.T("statistics.col.country"), loc.T("statistics.col.admin1")}
	} else {
		t.Header = []string{loc.T("statistics.col.code"), loc.T("statistics.dim." + string(d))}
	}
	value := "#indicator+num+" + string(r.Unit)
	cell := func(c disclosure.Cell) any {
		if c.Suppressed {
			return suppressed
		}
		return c.Value
	}
	if tab.TwoWay() {
		for _, c := range tab.Cols {
			t.Header = append(t.Header, s.Label(loc, r.Query.Column, c))
			t.Tags = append(t.Tags, value+"+"+columnAttribute(r.Query.Column, c))
		}
		t.Header = append(t.Header, loc.T("statistics.total"))
		t.Tags = append(t.Tags, value+"+total")
	} else {
		t.Header = append(t.Header, loc.T("statistics.unit."+string(r.Unit)))
		t.Tags = append(t.Tags, value)
	}
	for i, code := range tab.Rows {
		var row []any
		if d == Location {
			country, admin1 := splitPlace(code)
			row = []any{country, countryNameOrEmpty(loc, country), admin1}
		} else {
			row = []any{code, s.Label(loc, d, code)}
		}
		for _, c := range tab.Cells[i] {
			row = append(row, cell(c))
		}
		if tab.TwoWay() {
			row = append(row, cell(tab.RowTotals[i]))
		}
		t.Rows = append(t.Rows, row)
	}
	total := []any{"total", loc.T("statistics.total")}
	if d == Location {
		total = append(total, "")
	}
	for _, c := range tab.ColTotals {
		total = append(total, cell(c))
	}
	t.Rows = append(t.Rows, append(total, cell(tab.Total)))
	return t
}

func countryNameOrEmpty(loc *i18n.Locale, code string) string {
	if code == "" {
		return loc.T("statistics.unknown")
	}
	return countryName(loc, code)
}

// columnAttribute is the HXL attribute of a column category: HXL's own for
// sexes, "age" and the band for age bands, the code otherwise, made into
// an attribute (lower-case letters, digits and underscores, starting with a
// letter).
func columnAttribute(d Dimension, code string) string {
	if d == Sex {
		if a, ok := sexAttributes[code]; ok {
			return a
		}
	}
	if d == AgeBand {
		if code == Unknown {
			return "age_unknown"
		}
		code = "age" + code // "age0_4", "age65_plus"
	}
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	out := b.String()
	if out == "" || out[0] < 'a' || out[0] > 'z' {
		out = "c" + out
	}
	return out
}
