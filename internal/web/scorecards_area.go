// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/scorecard"
)

// scorecardData is one country's or region's scorecard.
type scorecardData struct {
	Area, Name                string
	IsRegion                  bool
	Members                   int
	Framework, FrameworkTitle string
	Frameworks                []option
	Since                     string
	Points                    []pointView
	Availability              availabilityView
	Commitments               commitmentsView
	// MemberRows is a region's members' availability, sorted as asked.
	MemberRows []availabilityRow
	Sort       map[string]sortLink
	Downloads  downloads
	// Empty: no indicator of the framework has a published value here.
	Empty bool
}

type pointView struct {
	Code, Title, Summary string
	Lines                []lineView
}

// lineView is one indicator's line, its figures written in the reader's
// language.
type lineView struct {
	Code, Name, Unit, Kind string
	Value, Period          string // "" without a published value
	Status                 string // observation status code, A P or E
	Sparkline              template.HTML
	Target, TargetYear     string
	Progress               string // a scorecard.Status
	Distance               string
	Recent, Migratory      bool
	Reporting              string // for a region: "12 of 33"
	Footnote               string
}

type commitmentsView struct {
	Instruments                []instrumentView
	Party, Signatory, NoRecord int
}

type instrumentView struct {
	Code, Short, Title         string
	Standing, Date             string // for a country
	Party, Signatory, NoRecord int    // for a region
}

// scorecardPage shows one area's scorecard, or downloads its lines (or,
// with ?table=members, a region's members' availability).
func (w *Web) scorecardPage(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code, err := observations.NormalizeArea(r.PathValue("area"))
	if err != nil {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	if code != r.PathValue("area") {
		http.Redirect(rw, r, pathScorecards+"/"+code+"?"+r.URL.RawQuery, http.StatusMovedPermanently)
		return
	}
	loc := w.locale(r)
	lang := loc.Code()
	sc, err := w.scorecards.Scorecard(r.Context(), frameworkParam(r), code)
	if err != nil {
		w.scorecardFail(rw, r, err)
		return
	}
	by, desc := sortParams(q, availabilityColumns...)
	members := availabilityRows(loc, sc.MemberAvailability, by, desc)
	name := observations.AreaName(code, lang)
	table := scorecardTable(loc, sc, "scorecard-"+code+"-"+sc.Framework.Code)
	if q.Get("table") == "members" {
		table = availabilityTable(loc, "availability-"+code+"-"+sc.Framework.Code, members)
	}
	if w.exportTable(rw, r, table) {
		return
	}
	d := &scorecardData{Area: code, Name: name, IsRegion: sc.IsRegion, Members: len(sc.Members),
		Framework: sc.Framework.Code, FrameworkTitle: sc.Framework.Title(lang), Since: sc.Since,
		Availability: viewAvailability(loc, sc.Availability), MemberRows: members, Empty: true,
		Sort:      sortLinks(pathScorecards+"/"+code, q, by, desc, availabilityColumns...),
		Downloads: downloadLinksAll(pathScorecards+"/"+code, q)}
	if d.Frameworks, err = w.frameworkOptions(r, lang); err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, p := range sc.Points {
		pv := pointView{Code: p.Node.Code, Title: p.Node.Title(lang), Summary: p.Node.Summary(lang)}
		for _, l := range p.Lines {
			lv := viewLine(loc, sc, l)
			if lv.Value != "" {
				d.Empty = false
			}
			pv.Lines = append(pv.Lines, lv)
		}
		d.Points = append(d.Points, pv)
	}
	d.Commitments = w.viewCommitments(loc, sc)
	w.render(rw, r, http.StatusOK, pageScorecard, view{Data: d, Values: map[string]string{"framework": d.Framework}})
}

func viewLine(loc *i18n.Locale, sc *scorecard.Scorecard, l scorecard.Line) lineView {
	in := l.Indicator
	lv := lineView{Code: in.Code, Name: in.Name(loc.Code()), Unit: unitLabel(loc, in), Kind: in.Kind,
		Progress: string(l.Progress.Status), Recent: l.Recent, Migratory: l.Migratory}
	if l.Latest != nil {
		lv.Value, lv.Period, lv.Status = scValue(loc, l.Latest.Value), l.Latest.Period, l.Latest.Status
		lv.Footnote = l.Latest.Footnote
	}
	lv.Sparkline = sparkline(loc, "trend-"+in.Code, loc.T("scorecard.trend_title", "indicator", lv.Name), l.Trend)
	if in.TargetValue != nil {
		lv.Target = scValue(loc, *in.TargetValue)
		if in.TargetYear != 0 {
			lv.TargetYear = strconv.Itoa(in.TargetYear)
		}
	}
	switch l.Progress.Status {
	case scorecard.OnTrack, scorecard.OffTrack:
		lv.Distance = scValue(loc, l.Progress.Distance)
	}
	if sc.IsRegion {
		lv.Reporting = loc.T("scorecard.reporting", "n", loc.Number(l.Reporting), "of", loc.Number(len(sc.Members)))
	}
	return lv
}

func (w *Web) viewCommitments(loc *i18n.Locale, sc *scorecard.Scorecard) commitmentsView {
	cv := commitmentsView{Party: sc.Commitments.Party, Signatory: sc.Commitments.Signatory, NoRecord: sc.Commitments.NoRecord}
	for _, st := range sc.Commitments.Instruments {
		in, _ := w.com.Catalog().Lookup(st.Code)
		iv := instrumentView{Code: st.Code, Short: in.ShortName(loc.Code()), Title: in.Name(loc.Code()),
			Party: st.Party, Signatory: st.Signatory, NoRecord: st.NoRecord, Standing: string(st.Status.Standing)}
		if iv.Standing == "" {
			iv.Standing = string(commitments.NoRecord)
		}
		if st.Status.Date != "" {
			iv.Date = loc.Date(isoDate(st.Status.Date))
		}
		cv.Instruments = append(cv.Instruments, iv)
	}
	return cv
}

// scorecardTable is a scorecard's lines as a download: the figures of the
// page, values as numbers.
func scorecardTable(loc *i18n.Locale, sc *scorecard.Scorecard, name string) export.Table {
	t := export.Table{Name: name, Header: []string{loc.T("scorecard.col.point"), loc.T("scorecard.col.code"),
		loc.T("scorecard.col.indicator"), loc.T("scorecard.col.unit"), loc.T("scorecard.col.period"),
		loc.T("scorecard.col.value"), loc.T("scorecard.col.target"), loc.T("scorecard.col.target_year"),
		loc.T("scorecard.col.progress"), loc.T("scorecard.col.distance")}}
	for _, p := range sc.Points {
		for _, l := range p.Lines {
			in := l.Indicator
			row := []any{p.Node.Code, in.Code, in.Name(loc.Code()), unitLabel(loc, in), "", "", "", "",
				loc.T("scorecard.progress." + string(l.Progress.Status)), ""}
			if l.Latest != nil {
				row[4], row[5] = l.Latest.Period, l.Latest.Value
			}
			if in.TargetValue != nil {
				row[6] = *in.TargetValue
				if in.TargetYear != 0 {
					row[7] = in.TargetYear
				}
			}
			if l.Progress.Status == scorecard.OnTrack || l.Progress.Status == scorecard.OffTrack {
				row[9] = l.Progress.Distance
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}
