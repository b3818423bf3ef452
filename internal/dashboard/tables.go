// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/export"
)

// Table names: the dashboard's tables as files and API paths.
const (
	TableOpenCases    = "open-cases"
	TableOverdueTasks = "overdue-tasks"
	TableAlerts       = "alerts"
	TableCaseload     = "caseload"
	TableReferrals    = "referrals"
	TableConsular     = "consular-compliance"
)

// Tables lists every table, in the page's order.
var Tables = []string{TableOpenCases, TableOverdueTasks, TableAlerts, TableCaseload, TableReferrals, TableConsular}

// AllKey is the key of each table's last row, which counts everything.
const AllKey = "all"

// Words puts a table's codes into a reader's words. With Words, a file's
// header is in words and each code column is followed by its label; without
// (nil), the file holds codes only, for programs.
type Words interface {
	// Header names a column: "code", a key column ("concern", "alert",
	// "status", "measure", "worker_id", "worker_name") or a count column
	// ("unassessed", "low", …, "total", "open_cases", "overdue_tasks",
	// "open_alerts", "referrals", "share", "value").
	Header(column string) string
	// Label names a code of a key column: a concern, an alert kind, a
	// referral status, a compliance measure, or AllKey in any of them
	// (and in "worker").
	Label(column, code string) string
}

// riskColumns are the open-cases table's count columns, in the order of
// Risks and then the total.
var riskColumns = []string{"unassessed", "low", "medium", "high", "critical", "total"}

// Table returns the table called name as a file, in words or codes; ok is
// false for a name not in Tables. Every table ends with a row AllKey
// counting everything (in the open-cases table, every open case once).
func (d Dashboard) Table(name string, words Words) (t export.Table, ok bool) {
	t.Name = "dashboard-" + name + "-" + d.At.Format("2006-01-02")
	switch name {
	case TableOpenCases:
		t.Header = keyHeader(words, "concern", riskColumns...)
		for _, row := range d.OpenCases.Concerns {
			t.Rows = append(t.Rows, riskRow(words, string(row.Concern), row.ByRisk))
		}
		t.Rows = append(t.Rows, riskRow(words, AllKey, d.OpenCases.All))
	case TableOverdueTasks:
		t.Header, t.Rows = workerTable(words, "overdue_tasks", d.OverdueTasks.ByAssignee)
	case TableCaseload:
		t.Header, t.Rows = workerTable(words, "open_cases", d.Caseload)
	case TableAlerts:
		t.Header = keyHeader(words, "alert", "open_alerts")
		for _, a := range d.Alerts {
			t.Rows = append(t.Rows, keyRow(words, "alert", string(a.Kind), a.Count))
		}
		t.Rows = append(t.Rows, keyRow(words, "alert", AllKey, d.TotalAlerts()))
	case TableReferrals:
		t.Header = keyHeader(words, "status", "referrals", "share")
		for _, st := range d.Referrals.ByStatus {
			t.Rows = append(t.Rows, keyRow(words, "status", string(st.Status), st.Count, share(st.Share)))
		}
		t.Rows = append(t.Rows, keyRow(words, "status", AllKey, d.Referrals.Total,
			share(detention.Ratio{Num: d.Referrals.Total, Den: d.Referrals.Total})))
	case TableConsular:
		t.Header = keyHeader(words, "measure", "value")
		for _, m := range ConsularMeasures(d.Consular) {
			t.Rows = append(t.Rows, keyRow(words, "measure", m.Code, m.Value))
		}
	default:
		return export.Table{}, false
	}
	return t, true
}

// Measure is one figure of the consular compliance table: a count, or a
// share (a float from 0 to 1, nil when nothing is decided yet).
type Measure struct {
	Code  string
	Value any
}

// ConsularMeasures lists c's figures in the table's order: the records,
// then telling the person of their right, then notifying the consulate.
func ConsularMeasures(c Consular) []Measure {
	return []Measure{
		{"records", c.Records},
		{"told_in_time", c.ToldInTime}, {"told_late", c.ToldLate}, {"not_told", c.NotTold},
		{"told_pending", c.ToldPending}, {"told_in_time_share", share(c.ToldRate)},
		{"notification_required", c.NotificationRequired}, {"notified_in_time", c.NotifiedInTime},
		{"notified_late", c.NotifiedLate}, {"not_notified", c.NotNotified}, {"notify_pending", c.NotifyPending},
		{"notification_not_required", c.NotificationNotRequired},
		{"notification_undetermined", c.NotificationUndetermined},
		{"notified_against_wish", c.NotifiedAgainstWish}, {"notified_in_time_share", share(c.NotifiedRate)},
	}
}

// share is r as a float, or nil (an empty cell) when it has no
// denominator.
func share(r detention.Ratio) any {
	if v, ok := r.Value(); ok {
		return v
	}
	return nil
}

// keyHeader is the header of a table keyed by codes of column key: the
// code, its label when in words, then the count columns.
func keyHeader(words Words, key string, counts ...string) []string {
	if words == nil {
		return append([]string{key}, counts...)
	}
	h := []string{words.Header("code"), words.Header(key)}
	for _, c := range counts {
		h = append(h, words.Header(c))
	}
	return h
}

// keyRow is the row of code in key column column, then its values.
func keyRow(words Words, column, code string, values ...any) []any {
	row := []any{code}
	if words != nil {
		row = append(row, words.Label(column, code))
	}
	return append(row, values...)
}

func riskRow(words Words, concern string, rc RiskCounts) []any {
	values := make([]any, 0, len(rc)+1)
	for _, v := range rc {
		values = append(values, v)
	}
	return keyRow(words, "concern", concern, append(values, rc.Total())...)
}

// workerTable is a count per worker: id, name (empty when the viewer may
// not read it), count, then the total.
func workerTable(words Words, count string, list []WorkerCount) ([]string, [][]any) {
	header := []string{"worker_id", "worker_name", count}
	allName, total := "", 0
	if words != nil {
		header = []string{words.Header("worker_id"), words.Header("worker_name"), words.Header(count)}
		allName = words.Label("worker", AllKey)
	}
	rows := make([][]any, 0, len(list)+1)
	for _, w := range list {
		rows = append(rows, []any{w.UserID, w.Name, w.Count})
		total += w.Count
	}
	return header, append(rows, []any{AllKey, allName, total})
}
