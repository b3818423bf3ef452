// SPDX-License-Identifier: AGPL-3.0-or-later

// Package app wires Amparo together: configuration, database, keys, audit
// log, domain services and the HTTP handler. The command line and the test
// harness both build the application through Open, so tests run the same
// assembly as production.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/api"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/config"
	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/obsimport"
	"github.com/amparo-project/amparo/internal/opendata"
	"github.com/amparo-project/amparo/internal/password"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/ratelimit"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/retention"
	"github.com/amparo-project/amparo/internal/scheduler"
	"github.com/amparo-project/amparo/internal/scorecard"
	"github.com/amparo-project/amparo/internal/server"
	"github.com/amparo-project/amparo/internal/statistics"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/validation"
	"github.com/amparo-project/amparo/internal/vault"
	"github.com/amparo-project/amparo/internal/violations"
	"github.com/amparo-project/amparo/internal/web"
)

// App is a running Amparo instance.
type App struct {
	Config   *config.Config
	DB       *store.DB
	Vault    *vault.Vault
	Audit    *audit.Log
	Accounts *accounts.Service
	// Commitments holds treaty actions: public reference facts.
	Commitments *commitments.Service
	// Persons, Cases and Detention hold protection cases: personal data,
	// sealed, scoped and audited.
	Persons   *persons.Service
	Cases     *cases.Service
	Detention *detention.Service
	// Referrals holds the providers directory and consent-gated referrals.
	Referrals *referrals.Service
	// Exploitation holds each case's labour exploitation and trafficking
	// record, with its employers and recruiters.
	Exploitation *exploitation.Service
	// Violations documents events, acts, victims, perpetrators, sources
	// and interventions, with their controlled vocabularies.
	Violations *violations.Service
	// Exports makes the age-encrypted exports of case lists and persons.
	Exports *caseexport.Service
	// CaseImport opens cases in bulk from CSV or XLSX files.
	CaseImport *caseimport.Service
	// Inbox gathers each user's alerts and due tasks and sends digests;
	// Retention shreds closed cases past their organisation's period.
	Inbox     *inbox.Service
	Retention *retention.Service
	// Dashboard computes each organisation's live figures for its
	// administrators and supervisors.
	Dashboard *dashboard.Service
	// Statistics counts the live statistics and publishes them through
	// disclosure control.
	Statistics *statistics.Service
	// Frameworks keeps the trees of goals and paragraphs the evidence
	// base measures, the shipped ones kept in step with the binary.
	Frameworks *frameworks.Service
	// Scorecards computes the country scorecards and the explorer from
	// published data.
	Scorecards *scorecard.Service
	// Observations keeps the values of the evidence base and their
	// approval; Indicators is the registry whose series they belong to;
	// Validation checks them against the validation rules.
	Observations *observations.Service
	Indicators   *indicators.Service
	Validation   *validation.Service
	// OpenData answers the public open data and harvests other instances'.
	OpenData *opendata.Service
	// ObsImport imports files of observations (SDMX, SDG CSV, mapped tables).
	ObsImport *obsimport.Service
	// Scheduler runs the periodic jobs (jobs.go); serve starts it.
	Scheduler *scheduler.Scheduler
	Clock     clock.Clock
	Logger    *slog.Logger
	Metrics   *httpx.Metrics
	Handler   *server.Handler
}

// Options are what tests may replace.
type Options struct {
	Clock  clock.Clock
	Logger *slog.Logger
	// Hasher hashes passwords; nil means argon2id at its production cost.
	Hasher *password.Hasher
}

// Open prepares the data directory, opens and migrates the database, loads
// (or, on a fresh installation, creates) the key-encryption key and builds
// the services and the HTTP handler.
func Open(ctx context.Context, cfg *config.Config, opt Options) (*App, error) {
	if opt.Clock == nil {
		opt.Clock = clock.System{}
	}
	if opt.Hasher == nil {
		opt.Hasher = password.NewHasher(4)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", cfg.DataDir, err)
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a, err := build(ctx, cfg, opt, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return a, nil
}

func build(ctx context.Context, cfg *config.Config, opt Options, db *store.DB) (*App, error) {
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	ring, err := loadKeyring(ctx, cfg, db)
	if err != nil {
		return nil, err
	}
	v := vault.New(db, ring)
	if err := v.Init(ctx); err != nil {
		return nil, err
	}
	log := audit.New(db, opt.Clock)
	acc := accounts.New(accounts.Config{DB: db, Vault: v, Audit: log, Hasher: opt.Hasher, Clock: opt.Clock})
	com := commitments.New(commitments.Config{DB: db, Audit: log, Clock: opt.Clock})
	if err := com.SeedShipped(ctx); err != nil {
		return nil, err
	}
	fw := frameworks.New(frameworks.Config{DB: db, Audit: log, Clock: opt.Clock})
	if err := fw.EnsureShipped(ctx); err != nil {
		return nil, err
	}
	per := persons.New(persons.Config{DB: db, Vault: v, Audit: log, Clock: opt.Clock})
	det := detention.New(detention.ServiceConfig{DB: db, Audit: log, Clock: opt.Clock})
	a := &App{Config: cfg, DB: db, Vault: v, Audit: log, Accounts: acc, Commitments: com, Frameworks: fw, Clock: opt.Clock,
		Logger: opt.Logger, Metrics: httpx.NewMetrics(),
		Persons: per,
		// An accepted transfer moves the case's persons, detention records,
		// referrals and exploitation record with it, in its transaction.
		Cases: cases.New(cases.Config{DB: db, Vault: v, Audit: log, Clock: opt.Clock, Persons: per,
			Movers: []cases.PartMover{detention.MoveCaseTx, referrals.MoveCaseTx, exploitation.MoveCaseTx},
			// Case search matches identities through the persons' blind
			// index, and filters on alerts evaluated by detention.
			Identities: per, Alerts: det}),
		Detention: det,
	}
	a.Referrals = referrals.New(referrals.Config{DB: db, Audit: log, Clock: opt.Clock, Cases: a.Cases, Consent: a.Persons})
	a.Exploitation = exploitation.New(exploitation.Config{DB: db, Vault: v, Audit: log, Clock: opt.Clock, Cases: a.Cases})
	a.Violations = violations.New(violations.Config{DB: db, Vault: v, Audit: log, Clock: opt.Clock, Cases: a.Cases,
		Persons: a.Persons})
	a.CaseImport = caseimport.New(caseimport.Config{DB: db, Persons: a.Persons, Cases: a.Cases, Audit: log, Clock: opt.Clock})
	a.Exports = caseexport.New(caseexport.Config{DB: db, Audit: log, Clock: opt.Clock, Auth: acc, Cases: a.Cases,
		Persons: a.Persons, Detention: a.Detention, Referrals: a.Referrals, Exploitation: a.Exploitation})
	a.Inbox = inbox.New(inbox.Config{DB: db, Audit: log, Clock: opt.Clock, Cases: a.Cases, Detention: a.Detention, Accounts: acc})
	a.Retention = retention.New(retention.Config{DB: db, Audit: log, Clock: opt.Clock, Cases: a.Cases, Persons: a.Persons})
	a.Dashboard = dashboard.New(dashboard.Config{DB: db, Audit: log, Clock: opt.Clock, Detention: a.Detention,
		Names: dashboard.AccountNames{Accounts: acc}})
	// Act types and perpetrator categories are named by the violations'
	// vocabularies, whose names are the statistics' dimensions.
	a.Statistics = statistics.New(statistics.Config{DB: db, Audit: log, Clock: opt.Clock, Detention: a.Detention,
		Labels: a.Violations.Label})
	if err := a.buildEvidence(ctx, db, log, opt, com); err != nil {
		return nil, err
	}
	a.buildOpenData(log, opt)
	a.Scorecards = scorecard.New(scorecard.Config{DB: db, Observations: a.Observations, Frameworks: fw,
		Indicators: a.Indicators, Commitments: com, Clock: opt.Clock, Version: a.Observations.PublishedVersion})
	a.ObsImport = obsimport.New(obsimport.Config{DB: db, Audit: log, Clock: opt.Clock, Observations: a.Observations,
		Validate: a.Validation.RunOnBatch, Series: a.Indicators.SeriesInfo})
	mailer, err := newMailer(cfg.SMTP, opt)
	if err != nil {
		return nil, err
	}
	if a.Scheduler, err = a.newScheduler(mailer); err != nil {
		return nil, err
	}
	var allow func(string) (time.Duration, bool)
	if cfg.APIRate > 0 {
		allow = ratelimit.NewBuckets(opt.Clock, cfg.APIRate, int(cfg.APIRate*2)+1, 100_000).Allow
	}
	apiSurface := api.New(api.Config{Accounts: acc, Commitments: com, Persons: a.Persons, Cases: a.Cases, Detention: a.Detention, Referrals: a.Referrals, Exports: a.Exports,
		Inbox: a.Inbox, Retention: a.Retention, CaseImport: a.CaseImport, Exploitation: a.Exploitation, Audit: log, Logger: opt.Logger, Clock: opt.Clock, Statistics: a.Statistics,
		Dashboard: a.Dashboard, Violations: a.Violations, Frameworks: fw, Observations: a.Observations, Validation: a.Validation, Indicators: a.Indicators, OpenData: a.OpenData, ObsImport: a.ObsImport, Scorecards: a.Scorecards})
	webSurface := web.New(web.Config{Accounts: acc, Commitments: com, Persons: a.Persons, Cases: a.Cases, Detention: a.Detention,
		Referrals: a.Referrals, Exports: a.Exports, Inbox: a.Inbox, Retention: a.Retention, CaseImport: a.CaseImport, Exploitation: a.Exploitation, Audit: log, Clock: opt.Clock, Logger: opt.Logger, Statistics: a.Statistics,
		Dashboard: a.Dashboard, Violations: a.Violations, Frameworks: fw, Observations: a.Observations, Validation: a.Validation,
		Indicators: a.Indicators, NodeIndicators: web.IndicatorsForNode(a.Indicators), OpenData: a.OpenData, ObsImport: a.ObsImport, Scorecards: a.Scorecards})
	a.Handler = server.New(server.Options{
		Accounts: acc, Logger: opt.Logger, Metrics: a.Metrics, HSTS: cfg.TLS(), Allow: allow, Proxies: cfg.Proxies,
		Ready: func(ctx context.Context) error { return db.Raw().PingContext(ctx) },
	},
		server.Surface{Routes: apiSurface.Routes(), Deny: server.DenyProblem},
		server.Surface{Routes: webSurface.Routes(), Deny: webSurface.Deny},
	)
	return a, nil
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// loadKeyring reads the key-encryption key. A missing key file is created
// only while the database holds no wrapped keys; otherwise Amparo refuses
// to start, because a new key could never open the existing data.
func loadKeyring(ctx context.Context, cfg *config.Config, db *store.DB) (*vault.Keyring, error) {
	if cfg.Passphrase != "" {
		salt, err := loadOrCreateSalt(filepath.Join(cfg.DataDir, "kek.salt"))
		if err != nil {
			return nil, err
		}
		return vault.KeyringFromPassphrase(cfg.Passphrase, salt)
	}
	ring, err := vault.LoadKeyFile(cfg.KeyFile)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return ring, err
	}
	var n int
	if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM data_keys`), &n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, fmt.Errorf("key file %s is missing but the database holds %d encrypted keys: restore the key file from its backup", cfg.KeyFile, n)
	}
	return vault.CreateKeyFile(cfg.KeyFile)
}

func loadOrCreateSalt(path string) ([]byte, error) {
	salt, err := os.ReadFile(path)
	if err == nil {
		return salt, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	salt = make([]byte, 16)
	_, _ = rand.Read(salt)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(salt); err != nil {
		_ = f.Close()
		return nil, err
	}
	return salt, f.Close()
}
