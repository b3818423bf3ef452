// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/referrals"
)

// sampleDashboard has a figure in every table, a worker the viewer may
// not name, and more workers than the charts draw.
func sampleDashboard(now time.Time) dashboard.Dashboard {
	d := dashboard.Dashboard{OrgID: "org", At: now,
		OpenCases: dashboard.OpenCases{All: dashboard.RiskCounts{1, 2, 0, 4, 1}, Concerns: []dashboard.ConcernRow{
			{Concern: "detention", ByRisk: dashboard.RiskCounts{0, 1, 0, 3, 1}},
			{Concern: "trafficking", ByRisk: dashboard.RiskCounts{0, 0, 0, 1, 1}},
			{Concern: "a_concern_added_since", ByRisk: dashboard.RiskCounts{1, 0, 0, 0, 0}},
			{Concern: dashboard.NoConcern, ByRisk: dashboard.RiskCounts{1, 1, 0, 0, 0}},
		}},
		OverdueTasks: dashboard.OverdueTasks{Total: 3, ByAssignee: []dashboard.WorkerCount{
			{Worker: dashboard.Worker{UserID: "u1", Name: "Ana"}, Count: 2},
			{Worker: dashboard.Worker{UserID: "01JXAMPLEWORKERIDOUTSIDE0"}, Count: 1}}},
		Referrals: dashboard.Referrals{Total: 4, Completed: detention.Ratio{Num: 1, Den: 4}},
		Consular: dashboard.Consular{Records: 2, ToldInTime: 1, NotTold: 1, ToldRate: detention.Ratio{Num: 1, Den: 2},
			NotificationRequired: 1, NotifyPending: 1},
	}
	for i, k := range []detention.AlertKind{detention.AlertChildInImmigrationDetention, detention.AlertPastLegalMaximum,
		detention.AlertNoJudicialReview, detention.AlertConsularRightNotTold, detention.AlertConsulateNotNotified,
		detention.AlertApproachingLegalMaximum} {
		d.Alerts = append(d.Alerts, dashboard.AlertCount{Kind: k, Count: i % 2})
	}
	for i, st := range referrals.Statuses() {
		n := []int{2, 0, 1, 1, 0}[i]
		d.Referrals.ByStatus = append(d.Referrals.ByStatus, dashboard.StatusCount{Status: st, Count: n,
			Share: detention.Ratio{Num: n, Den: 4}})
	}
	for i := range dashboardChartTop + 2 {
		d.Caseload = append(d.Caseload, dashboard.WorkerCount{Worker: dashboard.Worker{UserID: "w" + string(rune('a'+i)),
			Name: []string{"Ana", "سارة", "王芳", ""}[i%4]}, Count: 30 - i})
	}
	return d
}

// dashboardSamples are the dashboard with every table filled, and with
// nothing at all.
func dashboardSamples(now time.Time) map[page][]view {
	en := i18n.MustLoad().Locale("en")
	empty := dashboard.Dashboard{At: now, Referrals: dashboard.Referrals{}}
	return map[page][]view{
		pageDashboard: {
			{Data: dashboardView(en, dashboardWords{en}, sampleDashboard(now))},
			{Data: dashboardView(en, dashboardWords{en}, empty)},
		},
	}
}

// The page's words come from the reader's language, a concern without
// words of its own shows its code, and each chart is drawn in the page's
// direction.
func TestDashboardView(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	cat := i18n.MustLoad()
	ar := cat.Locale("ar")
	v := dashboardView(ar, dashboardWords{ar}, sampleDashboard(now))
	if v.Concerns[0].Label != ar.T("concern.detention") || v.Concerns[2].Label != "a_concern_added_since" ||
		v.Concerns[3].Label != ar.T("dashboard.no_concern") || v.All.Label != ar.T("dashboard.all_open_cases") {
		t.Errorf("concern labels %+v / %+v", v.Concerns, v.All)
	}
	if v.OpenTotal != 8 || v.CaseloadTotal != 30*17-(16*17)/2 || v.Completed != ar.Percent(0.25) {
		t.Errorf("totals %d %d %q", v.OpenTotal, v.CaseloadTotal, v.Completed)
	}
	for name, svg := range map[string]string{"cases": string(v.CasesChart), "alerts": string(v.AlertsChart),
		"caseload": string(v.CaseloadChart), "overdue": string(v.OverdueChart), "referrals": string(v.ReferralsChart)} {
		if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, `direction="rtl"`) {
			t.Errorf("%s chart is not drawn right to left", name)
		}
	}
	// The 12th worker (wl) is among those drawn, the 16th (wp) is not;
	// neither has a name the viewer may read.
	if caseload := string(v.CaseloadChart); !strings.Contains(caseload, ar.T("dashboard.worker.id", "id", "wl")) ||
		strings.Contains(caseload, ar.T("dashboard.worker.id", "id", "wp")) {
		t.Error("the caseload chart does not draw exactly the top workers")
	}
	if !strings.Contains(string(v.OverdueChart), ar.T("dashboard.worker.id", "id", "01JXAMPL")) {
		t.Error("a worker without a name is not shown by id in the chart")
	}
	var told, share dashboardCount
	for _, c := range v.Consular {
		switch c.Code {
		case "told_in_time":
			told = c
		case "notified_in_time_share":
			share = c
		}
	}
	if told.Count != 1 || told.IsShare || !share.IsShare || share.Share != "" {
		t.Errorf("consular measures %+v %+v", told, share)
	}
}
