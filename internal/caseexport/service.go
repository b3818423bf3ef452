// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/store"
)

// PermExportIdentity lets a user put the principal person's identity in a
// case list export. It is separate from cases.PermExport so that handing
// a list over never implies handing names over.
const PermExportIdentity access.Permission = "case.export_identity"

// ValidationError is the validation error every domain returns.
type ValidationError = fielderr.Error

// Reauthenticator checks the password a user enters again before an
// export; *accounts.Service is one.
type Reauthenticator interface {
	Reauthenticate(ctx context.Context, p access.Principal, password, action string) error
}

// Service makes encrypted exports.
type Service struct {
	db        *store.DB
	audit     *audit.Log
	clock     clock.Clock
	auth      Reauthenticator
	cases     *cases.Service
	persons   *persons.Service
	detention *detention.Service
	referrals *referrals.Service
	// exploitation gives the records of the HTCDS export (htcds.go).
	exploitation *exploitation.Service
}

// Config holds the collaborators of a Service. Clock nil means the system
// clock.
type Config struct {
	DB        *store.DB
	Audit     *audit.Log
	Clock     clock.Clock
	Auth      Reauthenticator
	Cases     *cases.Service
	Persons   *persons.Service
	Detention *detention.Service
	Referrals *referrals.Service
	// Exploitation gives the records of the HTCDS export; without it that
	// export cannot be made.
	Exploitation *exploitation.Service
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, auth: c.Auth, cases: c.Cases, persons: c.Persons,
		detention: c.Detention, referrals: c.Referrals, exploitation: c.Exploitation}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }
