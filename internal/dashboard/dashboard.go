// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"time"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/referrals"
)

// Dashboard is one organisation's figures at one moment. Every slice is in
// a fixed order (documented on its type) so that pages, files and tests
// read the same.
type Dashboard struct {
	OrgID string
	// At is the moment the figures describe: overdue means due before it,
	// alerts and compliance are evaluated at it.
	At           time.Time
	OpenCases    OpenCases
	OverdueTasks OverdueTasks
	// Alerts has one entry per alert kind, most urgent first
	// (detention.Service.AlertKinds), zeros included.
	Alerts []AlertCount
	// Caseload is the open cases of each owner who has any, most first.
	Caseload  []WorkerCount
	Referrals Referrals
	Consular  Consular
}

// Risks are the columns of the concern × risk table: not yet assessed,
// then each level from the lowest.
var Risks = append([]cases.Risk{cases.RiskUnassessed}, cases.Risks...)

// RiskCounts counts cases by risk, in the order of Risks.
type RiskCounts [5]int

// add counts one more case, or n, at risk r; a code outside Risks (which
// the schema forbids) is ignored rather than miscounted.
func (rc *RiskCounts) add(r cases.Risk, n int) {
	for i, x := range Risks {
		if x == r {
			rc[i] += n
			return
		}
	}
}

// Total is the number of cases counted.
func (rc RiskCounts) Total() int {
	n := 0
	for _, v := range rc {
		n += v
	}
	return n
}

// NoConcern is the concern code of the row counting open cases with no
// concern recorded.
const NoConcern = "none"

// ConcernRow is the open cases with one protection concern, by risk.
type ConcernRow struct {
	Concern cases.Concern
	ByRisk  RiskCounts
}

// OpenCases is the open cases (every status but closed) by concern and
// risk.
type OpenCases struct {
	// All counts every open case once, by risk.
	All RiskCounts
	// Concerns has a row per concern with at least one open case, in the
	// vocabulary's order (a code no longer in it after them, by code),
	// then NoConcern when some open case has none. A case with several
	// concerns counts in each of their rows, so the rows may add up to
	// more than All.
	Concerns []ConcernRow
}

// Worker is a user who owns cases or is assigned tasks. Name is empty when
// the viewer may not read it (or no name source is configured): pages then
// show the id.
type Worker struct {
	UserID string
	Name   string
}

// WorkerCount is a count for one worker.
type WorkerCount struct {
	Worker
	Count int
}

// OverdueTasks is the open tasks of open cases whose due time has passed.
type OverdueTasks struct {
	Total int
	// ByAssignee has each assignee with any, most first.
	ByAssignee []WorkerCount
}

// AlertCount is the number of open alerts of one kind.
type AlertCount struct {
	Kind  detention.AlertKind
	Count int
}

// TotalAlerts is the number of open alerts of every kind.
func (d Dashboard) TotalAlerts() int {
	n := 0
	for _, a := range d.Alerts {
		n += a.Count
	}
	return n
}

// OpenCaseTotal is the number of open cases.
func (d Dashboard) OpenCaseTotal() int { return d.OpenCases.All.Total() }

// StatusCount is the number of referrals in one status.
type StatusCount struct {
	Status referrals.Status
	Count  int
	// Share is Count over all referrals sent.
	Share detention.Ratio
}

// Referrals is every referral the organisation has sent, by status.
type Referrals struct {
	Total int
	// ByStatus has every status in workflow order (referrals.Statuses),
	// zeros included.
	ByStatus []StatusCount
	// Completed is the completed referrals over all sent: the share of
	// referrals that reached the service, whatever came of it.
	Completed detention.Ratio
}

// Consular is the organisation's compliance with consular notification:
// every notification record of its cases, assessed at the dashboard's
// moment (Key is "").
type Consular = detention.ComplianceRate
