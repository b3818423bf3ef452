// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/url"
	"time"

	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/validation"
)

// observationSamples are the data entry, approval and validation pages in
// each of their states, for TestEveryPageInEveryLanguage.
func observationSamples(now time.Time) map[page][]view {
	left, right := 101.0, 100.0
	violations := []ruleViolationRow{
		{Rule: "Women plus men equal the total", RuleCode: "X.SEX", Importance: validation.Medium, Area: "484",
			AreaName: "Mexico", Period: "2022", Left: &left, Right: &right, Operator: "=="},
		{Rule: "Share at most 100", RuleCode: "X.MAX", Importance: validation.High, Area: "076", AreaName: "Brazil",
			Period: "2022-Q3", Right: &right, Operator: "<="},
	}
	opts := []option{{Value: "VC_HTF_DETV", Label: "VC_HTF_DETV — 16.2.2"}}
	areas := []option{{Value: "484", Label: "Mexico"}}
	statuses := []option{{Value: "A", Label: "A"}, {Value: "P", Label: "P"}, {Value: "E", Label: "E"}}
	set := setRow{Key: "VC_HTF_DETV|484|2022", Series: "VC_HTF_DETV", Area: "484", AreaName: "Mexico", Period: "2022",
		State: string(observations.Submitted), Rows: 3, Note: "Check the split by sex", Href: "/observations/set?x", Own: true}
	run := validation.RunReport{ID: "run1", Scope: validation.Scope{Series: []string{"VC_HTF_DETV"}, Areas: []string{"484"}, From: "2020", To: "2022"},
		Rules: 2, Checked: 10, Violations: 3, Stored: 2, CreatedAt: now}
	return map[page][]view{
		pageObservationEntry: {
			{Data: &entryData{Series: opts, Areas: areas, Statuses: statuses, Rows: entryGrid(3), More: "/observations/entry?rows=12"},
				Values: map[string]string{"series": "VC_HTF_DETV", "rows.0.status": "P"}},
			{Data: &entryData{Series: opts, Areas: areas, Statuses: statuses, Rows: entryGrid(2), Saved: 3, Import: "imp1", Violations: violations}},
			{Data: &entryData{Rows: entryGrid(2), Violations: violations, Refused: true}, Error: "rules_failed"},
			{Data: &entryData{Rows: entryGrid(2)}, Error: "form_invalid",
				Fields: map[string]string{"period": "invalid", "rows.1.value": "invalid", "rows.0.row": "duplicate", "rows.1.disagg": "not_allowed"}},
		},
		pageObservationApproval: {
			{Data: &approvalData{Counts: []stateCount{{State: "draft", N: 2, Href: "/observations/approval?state=draft"}},
				Sets: []setRow{set}, Total: 51, Series: opts, Areas: areas, Filter: url.Values{}, Prev: "/p", Next: "/n",
				Done: actApprove, DoneN: 2, Approve: true}},
			{Data: &approvalData{Done: actPublish, DoneN: 1}, Error: "own_submission", Fields: map[string]string{"note": "required"}},
			{Data: &approvalData{Done: "delete", DoneN: 3}},
			{Data: &approvalData{Sets: []setRow{set}, Total: 1}, Error: "set_state"},
		},
		pageObservationPublish: {{Data: &publishData{Sets: []setRow{set, set}}}},
		pageObservationSet: {
			{Data: &setData{Series: "VC_HTF_DETV", Area: "484", AreaName: "Mexico", Period: "2022", Queue: "/q",
				Rows: []observations.Observation{{Disagg: "", Value: 100, Status: "A", ChangedAt: now},
					{Disagg: "SEX=F", Value: 60.5, Status: "E", UnitMult: 3, Source: "Police", Footnote: "Provisional", ChangedAt: now}}}},
			{Data: &setData{Series: "VC_HTF_DETV", Area: "484", AreaName: "Mexico", Period: "2022", Queue: "/q", Write: true, Deleted: 2,
				Rows: []observations.Observation{{Disagg: "", Value: 100, Status: "A", ChangedAt: now},
					{Disagg: "SEX=F", Value: 60.5, Status: "E", ChangedAt: now}}}},
		},
		pageObservationDelete: {
			{Data: &deleteData{Series: "VC_HTF_DETV", Area: "484", AreaName: "Mexico", Period: "2022", Disagg: "SEX=F",
				Rows: []observations.Observation{{Disagg: "SEX=F", Value: 60.5, Status: "E"}}, Action: pathDeleteValue, Back: "/b"}},
			{Data: &deleteData{Series: "VC_HTF_DETV", Area: "484", AreaName: "Mexico", Period: "2022", Whole: true,
				Action: pathDeleteSet, Back: "/b",
				Rows: []observations.Observation{{Value: 100, Status: "A"}, {Disagg: "SEX=F", Value: 60.5, Status: "P"}}}},
		},
		pageValidationRules: {
			{Data: &rulesData{Edit: true, Rules: []ruleRow{{ID: "r1", Code: "X.SEX", Name: "Women plus men", Left: "#{X:SEX=F} + #{X:SEX=M}",
				Operator: "==", Right: "#{X}", Missing: validation.SkipIfAnyMissing, Importance: validation.High, Active: true, Shipped: true},
				{ID: "r2", Code: "X.MAX", Name: "At most 100", Left: "#{X}", Operator: "<=", Right: "100", Missing: validation.NeverSkip,
					Importance: validation.Low}}}},
			{Data: &rulesData{}},
		},
		pageValidationRule: {
			{Data: &ruleFormData{Languages: languageNames(), Operators: []option{{Value: "==", Label: "=="}}}},
			{Data: &ruleFormData{ID: "r1", Languages: languageNames(), LeftAt: 4, LeftReason: "unexpected )"},
				Values: map[string]string{"left_expr": "1 +)", "active": "1"}, Error: "bad_request",
				Fields: map[string]string{"left_expr": "syntax", "right_expr": "unknown_series", "code": "taken", "name_en": "required"}},
		},
		pageValidationRuns: {
			{Data: &runsData{Start: true, Areas: areas, Runs: []runRow{{RunReport: run, Href: "/validation/runs/run1", Areas: "Mexico"}},
				Prev: "/p", Next: "/n"}, Fields: map[string]string{"from": "invalid"}},
			{Data: &runsData{}},
		},
		pageValidationRun: {
			{Data: &runData{Run: run, Areas: "Mexico", Violations: violations, CSV: "/validation/runs/run1/csv", Next: "/n"}},
			{Data: &runData{Run: validation.RunReport{CreatedAt: now}}},
		},
	}
}
