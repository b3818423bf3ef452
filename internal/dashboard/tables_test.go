// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard_test

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/tabular"
)

// sample is a small dashboard with a figure in every table.
func sample() dashboard.Dashboard {
	return dashboard.Dashboard{
		OrgID: "org", At: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC),
		OpenCases: dashboard.OpenCases{All: dashboard.RiskCounts{1, 2, 0, 1, 1}, Concerns: []dashboard.ConcernRow{
			{Concern: "detention", ByRisk: dashboard.RiskCounts{0, 1, 0, 1, 0}},
			{Concern: dashboard.NoConcern, ByRisk: dashboard.RiskCounts{1, 1, 0, 0, 1}},
		}},
		OverdueTasks: dashboard.OverdueTasks{Total: 3, ByAssignee: []dashboard.WorkerCount{
			{Worker: dashboard.Worker{UserID: "u1", Name: "Ana"}, Count: 2}, {Worker: dashboard.Worker{UserID: "u2"}, Count: 1}}},
		Alerts: []dashboard.AlertCount{{Kind: detention.AlertChildInImmigrationDetention, Count: 1},
			{Kind: detention.AlertNoJudicialReview, Count: 2}},
		Caseload: []dashboard.WorkerCount{{Worker: dashboard.Worker{UserID: "u1", Name: "=Ana"}, Count: 5}},
		Referrals: dashboard.Referrals{Total: 4, Completed: detention.Ratio{Num: 1, Den: 4}, ByStatus: []dashboard.StatusCount{
			{Status: referrals.StatusSent, Count: 3, Share: detention.Ratio{Num: 3, Den: 4}},
			{Status: referrals.StatusCompleted, Count: 1, Share: detention.Ratio{Num: 1, Den: 4}}}},
		Consular: dashboard.Consular{Records: 2, ToldInTime: 1, NotTold: 1, ToldRate: detention.Ratio{Num: 1, Den: 2}},
	}
}

// words names every code "<column>:<code>" and every header "H:<column>".
type words struct{}

func (words) Header(c string) string           { return "H:" + c }
func (words) Label(column, code string) string { return column + ":" + code }

// Each table as codes, for programs: its header, and rows ending with the
// row that counts everything.
func TestTablesInCodes(t *testing.T) {
	d := sample()
	for _, tc := range []struct {
		name   string
		header []string
		rows   [][]any
	}{
		{dashboard.TableOpenCases, []string{"concern", "unassessed", "low", "medium", "high", "critical", "total"}, [][]any{
			{"detention", 0, 1, 0, 1, 0, 2}, {"none", 1, 1, 0, 0, 1, 3}, {"all", 1, 2, 0, 1, 1, 5}}},
		{dashboard.TableOverdueTasks, []string{"worker_id", "worker_name", "overdue_tasks"}, [][]any{
			{"u1", "Ana", 2}, {"u2", "", 1}, {"all", "", 3}}},
		{dashboard.TableAlerts, []string{"alert", "open_alerts"}, [][]any{
			{"child_in_immigration_detention", 1}, {"no_judicial_review", 2}, {"all", 3}}},
		{dashboard.TableCaseload, []string{"worker_id", "worker_name", "open_cases"}, [][]any{{"u1", "=Ana", 5}, {"all", "", 5}}},
		{dashboard.TableReferrals, []string{"status", "referrals", "share"}, [][]any{
			{"sent", 3, 0.75}, {"completed", 1, 0.25}, {"all", 4, 1.0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := d.Table(tc.name, nil)
			if !ok {
				t.Fatal("no such table")
			}
			if got.Name != "dashboard-"+tc.name+"-2026-11-22" || !reflect.DeepEqual(got.Header, tc.header) ||
				!reflect.DeepEqual(got.Rows, tc.rows) {
				t.Errorf("got %s %v %v", got.Name, got.Header, got.Rows)
			}
		})
	}
	c, _ := d.Table(dashboard.TableConsular, nil)
	if len(c.Rows) != 15 || !reflect.DeepEqual(c.Rows[0], []any{"records", 2}) ||
		!reflect.DeepEqual(c.Rows[5], []any{"told_in_time_share", 0.5}) ||
		!reflect.DeepEqual(c.Rows[14], []any{"notified_in_time_share", nil}) {
		t.Errorf("consular table %v", c.Rows)
	}
	if _, ok := d.Table("nothing", nil); ok {
		t.Error("an unknown table was made")
	}
}

// In words, each header is named and each code followed by its label.
func TestTablesInWords(t *testing.T) {
	d := sample()
	got, _ := d.Table(dashboard.TableAlerts, words{})
	if want := []string{"H:code", "H:alert", "H:open_alerts"}; !reflect.DeepEqual(got.Header, want) {
		t.Errorf("header %v, want %v", got.Header, want)
	}
	if want := []any{"all", "alert:all", 3}; !reflect.DeepEqual(got.Rows[2], want) {
		t.Errorf("last row %v, want %v", got.Rows[2], want)
	}
	got, _ = d.Table(dashboard.TableCaseload, words{})
	if want := []any{"all", "worker:all", 5}; !reflect.DeepEqual(got.Rows[1], want) ||
		!reflect.DeepEqual(got.Header, []string{"H:worker_id", "H:worker_name", "H:open_cases"}) {
		t.Errorf("caseload %v %v", got.Header, got.Rows)
	}
}

// Every table downloads as CSV and XLSX and reads back cell for cell, a
// name that looks like a formula kept as text.
func TestTablesReadBack(t *testing.T) {
	d := sample()
	for _, name := range dashboard.Tables {
		tab, _ := d.Table(name, words{})
		for _, format := range []string{export.CSV, export.XLSX} {
			var b bytes.Buffer
			var err error
			if format == export.CSV {
				err = export.WriteCSV(&b, tab)
			} else {
				err = export.WriteXLSX(&b, tab)
			}
			if err != nil {
				t.Fatal(err)
			}
			got := readBack(t, b.Bytes())
			if len(got) != len(tab.Rows)+1 || !reflect.DeepEqual(got[0], tab.Header) {
				t.Fatalf("%s %s: %d records, header %v", name, format, len(got), got[0])
			}
			for i, row := range tab.Rows {
				for j, cell := range row {
					want := cellText(cell)
					if format == export.CSV && strings.HasPrefix(want, "=") {
						want = "'" + want
					}
					if got[i+1][j] != want {
						t.Errorf("%s %s: row %d column %d = %q, want %q", name, format, i+1, j, got[i+1][j], want)
					}
				}
			}
		}
	}
}

// readBack reads a downloaded file as the importers do, without the
// CSV's byte-order mark, padding each
// record to the header's width (a workbook leaves out trailing empty
// cells).
func readBack(t *testing.T, data []byte) [][]string {
	t.Helper()
	var out [][]string
	tabular.Read(bytes.NewReader(data), tabular.Options{MaxRows: 1000, MaxCell: 1000, MaxXLSXBytes: 1 << 20,
		Header: func(r tabular.Record) bool {
			h := slices.Clone(r.Fields)
			h[0] = strings.TrimPrefix(h[0], "\ufeff") // the CSV's byte-order mark
			out = append(out, h)
			return true
		},
		Row: func(r tabular.Record) {
			row := slices.Clone(r.Fields)
			for len(row) < len(out[0]) {
				row = append(row, "")
			}
			out = append(out, row)
		},
		Error: func(e tabular.RowError) { t.Errorf("reading back: %+v", e) },
	})
	return out
}

func cellText(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return c.(string)
}
