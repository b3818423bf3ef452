// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// scorecardSamples are the scorecard and explorer pages in their states,
// for the test that renders every page in every language.
func scorecardSamples() map[page][]view {
	dl := downloads{CSV: "/scorecards?format=csv", XLSX: "/scorecards?format=xlsx"}
	sorts := map[string]sortLink{"name": {Href: "/scorecards?sort=name&dir=desc", Sort: "ascending"},
		"recent": {Href: "/scorecards?sort=recent"}, "migratory": {Href: "/scorecards?sort=migratory"}}
	av := availabilityView{Indicators: 3, Recent: 2, Migratory: 1, RecentShare: "67%", MigratoryShare: "33%"}
	rows := []availabilityRow{{Area: "076", Name: "Brazil", availabilityView: av}}
	lines := []lineView{
		{Code: "T.1", Name: "Migrants", Unit: "number", Value: "70", Period: "2025", Status: "A", Sparkline: "<svg></svg>",
			Target: "80", TargetYear: "2030", Progress: "on_track", Distance: "10", Recent: true, Migratory: true, Reporting: "2 of 3"},
		{Code: "T.2", Name: "Cost", Unit: "percent", Value: "5", Period: "2025-Q1", Status: "E", Progress: "met"},
		{Code: "T.3", Name: "Nothing", Unit: "number", Progress: "no_target"},
	}
	points := []pointView{{Code: "1", Title: "Protection", Lines: lines}, {Code: "2", Title: "Empty"}}
	com := commitmentsView{Party: 1, Signatory: 1, NoRecord: 1, Instruments: []instrumentView{
		{Code: "ICRMW", Short: "ICRMW", Title: "Convention", Standing: "party", Date: "8 March 1999", Party: 3},
		{Code: "C189", Short: "C189", Title: "Domestic Workers", Standing: "none", NoRecord: 2}}}
	fws := []option{{"A68190", "A/68/190"}}
	return map[page][]view{
		pageScorecards: {
			{Data: &scorecardsData{Framework: "A68190", FrameworkTitle: "A/68/190", Frameworks: fws,
				Areas: []option{{"001", "World"}, {"076", "Brazil"}}, Since: "2022", World: av, Rows: rows, Sort: sorts, Downloads: dl}},
			{Data: &scorecardsData{}},
		},
		pageScorecard: {
			{Data: &scorecardData{Area: "076", Name: "Brazil", Framework: "A68190", FrameworkTitle: "A/68/190", Frameworks: fws,
				Since: "2022", Points: points, Availability: av, Commitments: com, Downloads: dl}},
			{Data: &scorecardData{Area: "419", Name: "Latin America", IsRegion: true, Members: 33, Framework: "A68190",
				Since: "2022", Points: points, Availability: av, Commitments: com, MemberRows: rows, Sort: sorts, Downloads: dl}},
			{Data: &scorecardData{Area: "032", Name: "Argentina", Empty: true, Points: points[1:]}},
		},
		pageExplorerIndex: {
			{Data: &explorerIndexData{Indicators: []explorerIndicator{{Code: "10.7.1", Name: "Recruitment cost", Unit: "percent"}},
				Options: []option{{"10.7.1", "10.7.1 — Recruitment cost"}}}},
			{Data: &explorerIndexData{}},
		},
		pageExplorer: {
			{Data: &explorerData{Code: "T.1", Name: "Migrants", Definition: "Count", Unit: "number", Custodian: "DESA",
				Areas: []option{{"001", "World"}, {"076", "Brazil"}}, Chosen: map[string]bool{"076": true},
				Disaggs: []option{{"", "Total"}, {"SEX=F", "Sex: female"}}, Periods: []option{{"2025", "2025"}},
				Chart: "<svg></svg>", Map: "<svg></svg>", Period: "2025", ChartHead: []string{"2024", "2025"},
				ChartRows: []chartRow{{Name: "Brazil", Values: []string{"", "70"}}},
				Rows:      []explorerRow{{Area: "076", Name: "Brazil", Value: "70", Period: "2025", Status: "P"}},
				Sort: map[string]sortLink{"area": {Href: "?sort=area&dir=desc", Sort: "ascending"}, "value": {Href: "?sort=value"},
					"period": {Href: "?sort=period"}}, Downloads: dl, ChartFiles: dl},
				Values: map[string]string{"disagg": "SEX=F", "period": "2025", "sort": "value", "dir": "desc"}},
			{Data: &explorerData{Code: "T.2", Name: "Nothing", NoData: true}, Fields: map[string]string{"area": "too_long", "period": "invalid"}},
			{Data: &explorerData{Code: "AP1.O1", Name: "Children", Live: true}},
		},
	}
}
