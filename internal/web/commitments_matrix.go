// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
)

// m49Regions are the five regions of the UN M49 standard, by code, for
// the region filter.
var m49Regions = []string{"002", "019", "142", "150", "009"}

// matrixData is the countries × instruments page.
type matrixData struct {
	Instruments []instrumentHead
	Rows        []matrixRow
	Coverage    coverageNote
	// Region and Query are the filter as given; Regions the choices.
	Region, Query string
	Regions       []option
	// Shown and Total count the countries shown and in all.
	Shown, Total int
	// Cols is the number of columns, for the empty table's one cell.
	Cols      int
	Downloads downloads
	CanEdit   bool
	// Labels are the standings in words, looked up once for the
	// thousands of cells rather than once per cell.
	Labels map[string]string
}

// option is one choice of a select.
type option struct{ Value, Label string }

type instrumentHead struct{ Code, Short, Title string }

type matrixRow struct {
	Alpha3, Name string
	Cells        []matrixCell
}

// matrixCell is one state's standing towards one instrument; Year is the
// year of the act that gave it.
type matrixCell struct {
	Standing   string
	Year       string
	Instrument string
}

// coverageNote says how much the records cover, for the notice that they
// are incomplete.
type coverageNote struct {
	Records, Countries int
	AsOf               string // the newest as_of, formatted; "" without records
	Oldest             string // the oldest as_of, formatted, when it differs
	// Missing lists the instruments with no record at all, joined in the
	// language's way.
	Missing string
}

func (w *Web) coverage(r *http.Request, loc *i18n.Locale, m *commitments.Matrix) (coverageNote, error) {
	c, err := w.com.Coverage(r.Context())
	if err != nil {
		return coverageNote{}, err
	}
	note := coverageNote{Records: c.Records, Countries: c.Countries}
	if c.NewestAsOf != "" {
		note.AsOf = loc.Date(isoDate(c.NewestAsOf))
		if c.OldestAsOf != c.NewestAsOf {
			note.Oldest = loc.Date(isoDate(c.OldestAsOf))
		}
	}
	var missing []string
	for _, in := range w.com.Catalog().All() {
		if !m.HasInstrument(in.Code) {
			missing = append(missing, in.ShortName(loc.Code()))
		}
	}
	note.Missing = strings.Join(missing, loc.T("commitments.list_separator"))
	return note, nil
}

// commitmentsMatrix shows every country against every instrument, or
// downloads the same table with ?format=csv or xlsx.
func (w *Web) commitmentsMatrix(rw http.ResponseWriter, r *http.Request) {
	format, ok := exportFormat(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	loc := w.locale(r)
	lang := loc.Code()
	m, err := w.com.Matrix(r.Context())
	if err != nil {
		w.commitmentsFail(rw, r, err)
		return
	}
	q := r.URL.Query()
	region := q.Get("region")
	query := strings.TrimSpace(q.Get("q"))
	all := countries.All()
	countries.SortByName(all, lang)
	insts := w.com.Catalog().All()
	d := &matrixData{Region: region, Query: query, Total: len(all), CanEdit: canEdit(r), Cols: len(insts) + 1,
		Downloads: downloadLinks("/commitments", q), Labels: map[string]string{}}
	for _, st := range []commitments.Standing{commitments.Party, commitments.Signatory, commitments.NoRecord} {
		d.Labels[string(st)] = loc.T("commitments.standing." + string(st))
	}
	for _, in := range insts {
		d.Instruments = append(d.Instruments, instrumentHead{Code: in.Code, Short: in.ShortName(lang), Title: in.Name(lang)})
	}
	for _, code := range m49Regions {
		d.Regions = append(d.Regions, option{Value: code, Label: countries.RegionName(code, lang)})
	}
	needle := strings.ToLower(query)
	for _, c := range all {
		if region != "" && c.Region != region {
			continue
		}
		name := c.Name(lang)
		if needle != "" && !strings.Contains(strings.ToLower(name), needle) && !strings.EqualFold(c.Alpha3, query) &&
			!strings.EqualFold(c.Alpha2, query) {
			continue
		}
		row := matrixRow{Alpha3: c.Alpha3, Name: name, Cells: make([]matrixCell, len(insts))}
		for i, in := range insts {
			st := m.At(c.Alpha3, in.Code)
			cell := matrixCell{Standing: string(st.Standing), Instrument: in.Code}
			if st.Date != "" {
				cell.Year = st.Date[:4]
			}
			row.Cells[i] = cell
		}
		d.Rows = append(d.Rows, row)
	}
	d.Shown = len(d.Rows)
	if format != "" {
		w.download(rw, r, matrixTable(loc, m, insts, d.Rows), format)
		return
	}
	if d.Coverage, err = w.coverage(r, loc, m); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageCommitmentsMatrix, view{Data: d})
}

// matrixTable is the matrix as a download: a row per country, a column
// per instrument holding the standing and the date of the act that gave
// it, as YYYY-MM-DD so that spreadsheets can read it.
func matrixTable(loc *i18n.Locale, m *commitments.Matrix, insts []commitments.Instrument, rows []matrixRow) export.Table {
	header := []string{loc.T("commitments.col.iso3"), loc.T("commitments.col.country")}
	for _, in := range insts {
		header = append(header, in.ShortName(loc.Code()))
	}
	t := export.Table{Name: "commitments", Header: header}
	for _, row := range rows {
		cells := []any{row.Alpha3, row.Name}
		for _, in := range insts {
			st := m.At(row.Alpha3, in.Code)
			if st.Standing == commitments.NoRecord {
				cells = append(cells, "")
				continue
			}
			cells = append(cells, standingLabel(loc, st)+" "+st.Date)
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}
