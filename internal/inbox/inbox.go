// SPDX-License-Identifier: AGPL-3.0-or-later

// Package inbox gathers what waits for one user: the open detention and
// consular alerts of the cases within their record scope, most urgent
// first (a child in immigration detention before anything else), and
// their own tasks that are overdue or fall due soon. It also sends the
// e-mail digests that tell users, without any personal data, how much
// waits there (digest.go), and keeps each user's choice of digests
// (settings.go).
//
// Alerts are evaluated live by internal/detention for the whole
// organisation; the inbox keeps those on cases the user may read
// (access.Principal.Allows on the case's record with detention.read), so
// a caseworker sees alerts of their own cases only and another
// organisation sees none. Alerts carry ids, codes and dates only; task
// titles are sealed, and Get opens them through cases.DueTasks, which
// audits the read. Counts opens nothing.
package inbox

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/store"
)

// PermRead is the permission the inbox's pages and endpoint need: what it
// holds are cases' alerts and tasks.
const PermRead = cases.PermRead

// DueSoon is how far ahead a task counts as due soon.
const DueSoon = 7 * 24 * time.Hour

// MaxTasks bounds the tasks Get lists; Counts counts them all.
const MaxTasks = 100

// Service builds inboxes and sends digests.
type Service struct {
	db        *store.DB
	audit     *audit.Log
	clock     clock.Clock
	cases     *cases.Service
	detention *detention.Service
	accounts  *accounts.Service
}

// Config holds a Service's collaborators; Clock nil means the system
// clock.
type Config struct {
	DB        *store.DB
	Audit     *audit.Log
	Clock     clock.Clock
	Cases     *cases.Service
	Detention *detention.Service
	Accounts  *accounts.Service
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, cases: c.Cases, detention: c.Detention, accounts: c.Accounts}
}

// Alert is an alert in a user's inbox: the detention domain's alert (ids,
// kind, priority, dates) with the number of its case and the tab of the
// case page where it is dealt with.
type Alert struct {
	detention.Alert
	CaseNumber string
	// Tab is "detention" or "consular".
	Tab string
}

// Tab names of the case page.
const (
	TabDetention = "detention"
	TabConsular  = "consular"
)

func tabOf(k detention.AlertKind) string {
	switch k {
	case detention.AlertConsularRightNotTold, detention.AlertConsulateNotNotified:
		return TabConsular
	}
	return TabDetention
}

// Inbox is one user's inbox at a moment.
type Inbox struct {
	// Alerts are most urgent first.
	Alerts []Alert
	// Tasks are the user's open tasks due before Now+DueSoon, soonest
	// first, at most MaxTasks; overdue ones have DueAt before Now.
	Tasks []cases.DueTask
	// Counts counts everything, beyond the MaxTasks listed.
	Counts Counts
	Now    time.Time
}

// Empty reports whether nothing waits.
func (in Inbox) Empty() bool { return len(in.Alerts) == 0 && len(in.Tasks) == 0 }

// Counts is how much waits in an inbox: alerts by kind and tasks.
type Counts struct {
	Alerts map[detention.AlertKind]int
	Tasks  cases.TaskCounts
}

// Total is the number of alerts and tasks.
func (c Counts) Total() int {
	n := c.Tasks.Overdue + c.Tasks.DueSoon
	for _, v := range c.Alerts {
		n += v
	}
	return n
}

// add adds o to c.
func (c *Counts) add(o Counts) {
	if c.Alerts == nil {
		c.Alerts = map[detention.AlertKind]int{}
	}
	for k, v := range o.Alerts {
		c.Alerts[k] += v
	}
	c.Tasks.Overdue += o.Tasks.Overdue
	c.Tasks.DueSoon += o.Tasks.DueSoon
}

// Get returns p's inbox at now. The task titles it opens are audited by
// cases.DueTasks.
func (s *Service) Get(ctx context.Context, p access.Principal, now time.Time) (Inbox, error) {
	in := Inbox{Now: now}
	var err error
	if in.Alerts, err = s.alerts(ctx, p, now); err != nil {
		return Inbox{}, err
	}
	if in.Tasks, err = s.cases.DueTasks(ctx, p, now.Add(DueSoon), MaxTasks); err != nil {
		return Inbox{}, err
	}
	if in.Counts.Tasks, err = s.cases.CountDueTasks(ctx, p, now, now.Add(DueSoon)); err != nil {
		return Inbox{}, err
	}
	in.Counts.Alerts = countAlerts(in.Alerts)
	return in, nil
}

// Counts returns how much waits in p's inbox at now, opening nothing
// sealed.
func (s *Service) Counts(ctx context.Context, p access.Principal, now time.Time) (Counts, error) {
	as, err := s.alerts(ctx, p, now)
	if err != nil {
		return Counts{}, err
	}
	tasks, err := s.cases.CountDueTasks(ctx, p, now, now.Add(DueSoon))
	if err != nil {
		return Counts{}, err
	}
	return Counts{Alerts: countAlerts(as), Tasks: tasks}, nil
}

func countAlerts(as []Alert) map[detention.AlertKind]int {
	out := map[detention.AlertKind]int{}
	for _, a := range as {
		out[a.Kind]++
	}
	return out
}

// alerts returns the open alerts of p's organisation on cases p may read
// the detention records of, most urgent first.
func (s *Service) alerts(ctx context.Context, p access.Principal, now time.Time) ([]Alert, error) {
	if !p.Authenticated() || p.OrgID == "" || !p.Can(detention.PermRead) {
		return nil, nil
	}
	all, err := s.detention.OpenAlerts(ctx, p.OrgID, now)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	refs, err := s.cases.Refs(ctx, p.OrgID, caseIDs(all))
	if err != nil {
		return nil, err
	}
	var out []Alert
	for _, a := range all {
		ref, ok := refs[a.CaseID]
		if !ok || !p.Allows(detention.PermRead, ref.Record()) {
			continue
		}
		out = append(out, Alert{Alert: a, CaseNumber: ref.Number, Tab: tabOf(a.Kind)})
	}
	return out, nil
}

// caseIDs returns the distinct cases of as.
func caseIDs(as []detention.Alert) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range as {
		if !seen[a.CaseID] {
			seen[a.CaseID] = true
			out = append(out, a.CaseID)
		}
	}
	return out
}
