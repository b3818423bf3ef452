// SPDX-License-Identifier: AGPL-3.0-or-later

// Package api is Amparo's JSON API under /api/v1: thin handlers that decode
// a request, call a domain package with the acting principal, and encode the
// answer. Errors are RFC 9457 problem documents with a translatable code and
// the fields at fault. routes.go lists every endpoint with its permission;
// openapi.json describes them, and a test checks every response of the
// suite against it.
package api

import (
	"context"
	_ "embed"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/obsimport"
	"github.com/amparo-project/amparo/internal/opendata"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/retention"
	"github.com/amparo-project/amparo/internal/scorecard"
	"github.com/amparo-project/amparo/internal/statistics"
	"github.com/amparo-project/amparo/internal/validation"
	"github.com/amparo-project/amparo/internal/vault"
	"github.com/amparo-project/amparo/internal/violations"
)

// API holds the collaborators of the handlers.
type API struct {
	acc    *accounts.Service
	com    *commitments.Service
	per    *persons.Service
	cas    *cases.Service
	det    *detention.Service
	ref    *referrals.Service
	inbox  *inbox.Service
	ret    *retention.Service
	exp    *caseexport.Service
	imp    *caseimport.Service
	stats  *statistics.Service
	xpl    *exploitation.Service
	dash   *dashboard.Service
	vio    *violations.Service
	obs    *observations.Service
	val    *validation.Service
	ind    *indicators.Service
	od     *opendata.Service
	oimp   *obsimport.Service
	clock  clock.Clock
	audit  *audit.Log
	logger *slog.Logger

	// fw keeps the frameworks the evidence base measures.
	fw *frameworks.Service

	// scorecards computes the scorecards and the explorer.
	scorecards *scorecard.Service
}

// Config holds the collaborators of the API. Routes needs none of them, so
// a zero Config gives the route table.
type Config struct {
	Accounts    *accounts.Service
	Commitments *commitments.Service
	Persons     *persons.Service
	Cases       *cases.Service
	Detention   *detention.Service
	Referrals   *referrals.Service
	Inbox       *inbox.Service
	Retention   *retention.Service
	CaseImport  *caseimport.Service
	Statistics  *statistics.Service
	Exports     *caseexport.Service
	Dashboard   *dashboard.Service
	Audit       *audit.Log
	Logger      *slog.Logger
	// Clock is what alerts are evaluated against; nil means the system
	// clock.
	Clock clock.Clock
	// Exploitation keeps the exploitation records of cases.
	Exploitation *exploitation.Service
	// Violations documents events and keeps their vocabularies.
	Violations *violations.Service
	// Frameworks keeps the frameworks the evidence base measures.
	Frameworks *frameworks.Service
	// Observations keeps the working values and their approval;
	// Validation checks them against the validation rules.
	Observations *observations.Service
	Validation   *validation.Service
	// Indicators is the registry of indicators and their series.
	Indicators *indicators.Service
	// OpenData answers the public open-data routes.
	OpenData *opendata.Service
	// ObsImport imports files of observations.
	ObsImport *obsimport.Service
	// Scorecards computes the country scorecards and the explorer.
	Scorecards *scorecard.Service
}

// New returns the API.
func New(c Config) *API {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &API{scorecards: c.Scorecards, stats: c.Statistics, clock: c.Clock, acc: c.Accounts, com: c.Commitments, per: c.Persons, cas: c.Cases, det: c.Detention, ref: c.Referrals, inbox: c.Inbox, ret: c.Retention, exp: c.Exports,
		imp: c.CaseImport, xpl: c.Exploitation, dash: c.Dashboard, vio: c.Violations, obs: c.Observations, val: c.Validation, ind: c.Indicators, od: c.OpenData, audit: c.Audit, logger: c.Logger,
		fw: c.Frameworks, oimp: c.ObsImport}
}

//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the OpenAPI 3.1 description of the API.
func OpenAPIDocument() []byte { return openAPIDocument }

func (a *API) openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPIDocument)
}

// problems maps the errors of the domains to the problem answering them,
// first match first.
var problems = []struct {
	errs        []error
	status      int
	code, title string
}{
	{[]error{persons.ErrNotFound, cases.ErrNotFound, detention.ErrNotFound, referrals.ErrNotFound,
		accounts.ErrNotFound, commitments.ErrNotFound}, http.StatusNotFound, "not_found", "Not found."},
	{[]error{persons.ErrForbidden, cases.ErrForbidden, detention.ErrForbidden, referrals.ErrForbidden,
		accounts.ErrForbidden, commitments.ErrForbidden, caseimport.ErrForbidden}, http.StatusForbidden, "forbidden", "You are not permitted to do this."},
	// The identity was destroyed: the record is a statistical shell that
	// no change can bring back.
	{[]error{persons.ErrErased}, http.StatusGone, "person.erased", "The person's identity was erased; the record cannot change."},
	// The case's key was destroyed (shredded): its sealed content is gone.
	{[]error{vault.ErrErased}, http.StatusGone, "erased", "This content was erased and can no longer be read."},
	{[]error{detention.ErrConflict}, http.StatusConflict, "detention.exists", "A record with this key exists."},
	// One record per country, instrument and action: the client should
	// change the existing record rather than add a second.
	{[]error{commitments.ErrConflict}, http.StatusConflict, "ratification.exists",
		"A record for this country, instrument and action exists."},
	{[]error{accounts.ErrUnauthorized}, http.StatusUnauthorized, "unauthorized", "Sign in or give a valid token."},
}

// fail answers with the problem document matching err. Unexpected errors
// are logged with the request id and answered without their text, which may
// hold details of the data.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	// Every domain's ValidationError is a fielderr.Error.
	var ve *fielderr.Error
	var te *accounts.ThrottledError
	if errors.As(err, &ve) {
		fes := make([]httpx.FieldError, len(ve.Errors))
		for i, fe := range ve.Errors {
			fes[i] = httpx.FieldError{Field: fe.Field, Code: fe.Code}
		}
		httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.", fes...)
		return
	}
	for _, p := range problems {
		for _, target := range p.errs {
			if errors.Is(err, target) {
				httpx.WriteProblem(w, r, p.status, p.code, p.title)
				return
			}
		}
	}
	switch {
	case errors.As(err, &te):
		w.Header().Set("Retry-After", strconv.Itoa(int(te.RetryAfter/time.Second)+1))
		httpx.WriteProblem(w, r, http.StatusTooManyRequests, "rate_limited", "Too many attempts; wait and try again.")
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away; nobody reads an answer, and it is not a
		// fault of the server.
		return
	default:
		a.logger.ErrorContext(r.Context(), "api request failed", "request_id", httpx.RequestIDFrom(r.Context()), "err", err)
		httpx.WriteProblem(w, r, http.StatusInternalServerError, "internal", "Something went wrong on our side.")
	}
}

// list is the envelope of every collection response.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func page(r *http.Request) (accounts.Page, error) {
	p := accounts.Page{Cursor: r.URL.Query().Get("cursor")}
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return p, &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "limit", Code: "out_of_range"}}}
		}
		p.Limit = n
	}
	if len(p.Cursor) > 64 {
		return p, &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "cursor", Code: "invalid"}}}
	}
	return p, nil
}

func timePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }
