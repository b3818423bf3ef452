// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/scorecard"
)

// scorecardRoutes are public, like the pages: they read published data
// only.
func (a *API) scorecardRoutes() []authn.Route {
	public := authn.PublicRoute
	return []authn.Route{
		public("GET /api/v1/scorecards/{area}", a.getScorecard),
		public("GET /api/v1/explorer/{indicator}", a.getExploration),
	}
}

// scorecardFail answers for an error of the scorecard domain.
func (a *API) scorecardFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, scorecard.ErrNotFound) {
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
		return
	}
	a.fail(w, r, err)
}

type areaJSON struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Region bool   `json:"region"`
}

type availabilityJSON struct {
	Indicators     int     `json:"indicators"`
	Recent         int     `json:"recent"`
	Migratory      int     `json:"migratory"`
	RecentShare    float64 `json:"recent_share"`
	MigratoryShare float64 `json:"migratory_share"`
}

func toAvailability(av scorecard.Availability) availabilityJSON {
	return availabilityJSON{Indicators: av.Indicators, Recent: av.Recent, Migratory: av.Migratory,
		RecentShare: av.RecentShare(), MigratoryShare: av.MigratoryShare()}
}

type valueJSON struct {
	Period   string  `json:"period"`
	Value    float64 `json:"value"`
	Status   string  `json:"status"`
	Footnote string  `json:"footnote,omitempty"`
}

func toValue(o observations.Observation) valueJSON {
	return valueJSON{Period: o.Period, Value: o.Value, Status: o.Status, Footnote: o.Footnote}
}

func toValues(list []observations.Observation) []valueJSON {
	out := make([]valueJSON, len(list))
	for i, o := range list {
		out[i] = toValue(o)
	}
	return out
}

type lineJSON struct {
	Code               string      `json:"code"`
	Name               string      `json:"name"`
	Unit               string      `json:"unit"`
	UnitMult           int         `json:"unit_mult"`
	Polarity           string      `json:"polarity"`
	TargetValue        *float64    `json:"target_value"`
	TargetYear         int         `json:"target_year,omitempty"`
	Latest             *valueJSON  `json:"latest"`
	Trend              []valueJSON `json:"trend"`
	Progress           string      `json:"progress"`
	Distance           *float64    `json:"distance,omitempty"`
	Recent             bool        `json:"recent"`
	Migratory          bool        `json:"migratory"`
	Reporting          int         `json:"reporting"`
	ReportingMigratory int         `json:"reporting_migratory"`
}

type pointJSON struct {
	Node       string     `json:"node"`
	Code       string     `json:"code"`
	Title      string     `json:"title"`
	Indicators []lineJSON `json:"indicators"`
}

type instrumentStandingJSON struct {
	Code      string `json:"code"`
	Standing  string `json:"standing,omitempty"`
	Date      string `json:"date,omitempty"`
	Party     int    `json:"party"`
	Signatory int    `json:"signatory"`
	NoRecord  int    `json:"no_record"`
}

type memberJSON struct {
	Area string `json:"area"`
	Name string `json:"name"`
	availabilityJSON
}

type scorecardJSON struct {
	Area      areaJSON `json:"area"`
	Framework struct {
		Code  string `json:"code"`
		Title string `json:"title"`
	} `json:"framework"`
	Since        string           `json:"since"`
	Availability availabilityJSON `json:"availability"`
	Points       []pointJSON      `json:"points"`
	Commitments  struct {
		Party       int                      `json:"party"`
		Signatory   int                      `json:"signatory"`
		NoRecord    int                      `json:"no_record"`
		Instruments []instrumentStandingJSON `json:"instruments"`
	} `json:"commitments"`
	Members []memberJSON `json:"members"`
}

// getScorecard answers an area's scorecard on ?framework= (A/68/190's eight
// points by default).
func (a *API) getScorecard(w http.ResponseWriter, r *http.Request) {
	l, err := lang(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	fw := r.URL.Query().Get("framework")
	if fw == "" {
		fw = frameworks.AgendaCode
	}
	sc, err := a.scorecards.Scorecard(r.Context(), fw, r.PathValue("area"))
	if err != nil {
		a.scorecardFail(w, r, err)
		return
	}
	var out scorecardJSON
	out.Area = areaJSON{Code: sc.Area, Name: observations.AreaName(sc.Area, l), Region: sc.IsRegion}
	out.Framework.Code, out.Framework.Title = sc.Framework.Code, sc.Framework.Title(l)
	out.Since, out.Availability = sc.Since, toAvailability(sc.Availability)
	out.Points = []pointJSON{}
	for _, p := range sc.Points {
		pj := pointJSON{Node: p.Node.ID, Code: p.Node.Code, Title: p.Node.Title(l), Indicators: []lineJSON{}}
		for _, ln := range p.Lines {
			in := ln.Indicator
			lj := lineJSON{Code: in.Code, Name: in.Name(l), Unit: in.Unit, UnitMult: in.UnitMult, Polarity: in.Polarity,
				TargetValue: in.TargetValue, TargetYear: in.TargetYear, Trend: toValues(ln.Trend),
				Progress: string(ln.Progress.Status), Recent: ln.Recent, Migratory: ln.Migratory,
				Reporting: ln.Reporting, ReportingMigratory: ln.ReportingMigratory}
			if ln.Latest != nil {
				v := toValue(*ln.Latest)
				lj.Latest = &v
			}
			if ln.Progress.Status == scorecard.OnTrack || ln.Progress.Status == scorecard.OffTrack {
				d := ln.Progress.Distance
				lj.Distance = &d
			}
			pj.Indicators = append(pj.Indicators, lj)
		}
		out.Points = append(out.Points, pj)
	}
	c := sc.Commitments
	out.Commitments.Party, out.Commitments.Signatory, out.Commitments.NoRecord = c.Party, c.Signatory, c.NoRecord
	out.Commitments.Instruments = []instrumentStandingJSON{}
	for _, st := range c.Instruments {
		out.Commitments.Instruments = append(out.Commitments.Instruments, instrumentStandingJSON{Code: st.Code,
			Standing: string(st.Status.Standing), Date: st.Status.Date, Party: st.Party, Signatory: st.Signatory, NoRecord: st.NoRecord})
	}
	out.Members = []memberJSON{}
	for _, m := range sc.MemberAvailability {
		out.Members = append(out.Members, memberJSON{Area: m.Area, Name: observations.AreaName(m.Area, l),
			availabilityJSON: toAvailability(m.Availability)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

type explorationJSON struct {
	Indicator struct {
		Code     string `json:"code"`
		Name     string `json:"name"`
		Unit     string `json:"unit"`
		UnitMult int    `json:"unit_mult"`
	} `json:"indicator"`
	Query struct {
		Areas  []string `json:"areas"`
		Disagg string   `json:"disagg"`
		From   string   `json:"from"`
		To     string   `json:"to"`
		Period string   `json:"period"`
		Sort   string   `json:"sort"`
		Dir    string   `json:"dir"`
	} `json:"query"`
	Disaggregations []string `json:"disaggregations"`
	Periods         []string `json:"periods"`
	Lines           []struct {
		Area   string      `json:"area"`
		Name   string      `json:"name"`
		Values []valueJSON `json:"values"`
	} `json:"lines"`
	Rows []explorerRowJSON `json:"rows"`
}

type explorerRowJSON struct {
	Area string `json:"area"`
	Name string `json:"name"`
	valueJSON
}

// getExploration answers what the explorer page shows of an indicator,
// with the page's parameters.
func (a *API) getExploration(w http.ResponseWriter, r *http.Request) {
	l, err := lang(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	eq := scorecard.ExploreQuery{Indicator: r.PathValue("indicator"), Areas: q["area"], Disagg: q.Get("disagg"),
		From: q.Get("from"), To: q.Get("to"), Period: q.Get("period"), Sort: q.Get("sort"), Lang: l}
	switch q.Get("dir") {
	case "", "asc":
	case "desc":
		eq.Desc = true
	default:
		httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.",
			httpx.FieldError{Field: "dir", Code: "invalid"})
		return
	}
	ex, err := a.scorecards.Explore(r.Context(), eq)
	if err != nil {
		a.scorecardFail(w, r, err)
		return
	}
	var out explorationJSON
	in := ex.Indicator
	out.Indicator.Code, out.Indicator.Name, out.Indicator.Unit, out.Indicator.UnitMult = in.Code, in.Name(l), in.Unit, in.UnitMult
	eq = ex.Query
	out.Query.Areas, out.Query.Disagg, out.Query.From, out.Query.To = append([]string{}, eq.Areas...), eq.Disagg, eq.From, eq.To
	out.Query.Period, out.Query.Sort, out.Query.Dir = eq.Period, eq.Sort, "asc"
	if eq.Desc {
		out.Query.Dir = "desc"
	}
	out.Disaggregations = append([]string{}, ex.Disaggs...)
	out.Periods = append([]string{}, ex.Periods...)
	out.Lines = make([]struct {
		Area   string      `json:"area"`
		Name   string      `json:"name"`
		Values []valueJSON `json:"values"`
	}, len(ex.Lines))
	for i, ln := range ex.Lines {
		out.Lines[i].Area, out.Lines[i].Name, out.Lines[i].Values = ln.Area, observations.AreaName(ln.Area, l), toValues(ln.Values)
	}
	out.Rows = []explorerRowJSON{}
	for _, o := range ex.Rows {
		out.Rows = append(out.Rows, explorerRowJSON{Area: o.Area, Name: observations.AreaName(o.Area, l), valueJSON: toValue(o)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
