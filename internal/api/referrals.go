// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/referrals"
)

// The providers directory is shared: any signed-in member of an
// organisation reads it, its keepers change it. Referrals are made from a
// case and reached through it (the referrals domain asks the cases domain);
// the receiving organisation sees them under /referrals/received, stripped
// of the person's identity and of the case.

type providerJSON struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	OrgID           *string  `json:"org_id"`
	ServiceTypes    []string `json:"service_types"`
	Country         string   `json:"country"`
	Admin1          string   `json:"admin1"`
	Address         string   `json:"address"`
	Languages       []string `json:"languages"`
	Phone           string   `json:"phone"`
	Email           string   `json:"email"`
	Website         string   `json:"website"`
	OpeningHours    string   `json:"opening_hours"`
	MaintainerOrgID *string  `json:"maintainer_org_id"`
	ArchivedAt      *string  `json:"archived_at"`
	CreatedBy       string   `json:"created_by"`
	CreatedAt       string   `json:"created_at"`
	UpdatedBy       string   `json:"updated_by"`
	UpdatedAt       string   `json:"updated_at"`
}

func toProvider(p referrals.Provider) providerJSON {
	return providerJSON{ID: p.ID, Name: p.Name, OrgID: orNull(p.OrgID), ServiceTypes: nonNil(p.ServiceTypes),
		Country: p.Country, Admin1: p.Admin1, Address: p.Address, Languages: nonNil(p.Languages), Phone: p.Phone,
		Email: p.Email, Website: p.Website, OpeningHours: p.OpeningHours, MaintainerOrgID: orNull(p.MaintainerOrgID),
		ArchivedAt: timePtr(p.ArchivedAt), CreatedBy: p.CreatedBy, CreatedAt: ts(p.CreatedAt), UpdatedBy: p.UpdatedBy,
		UpdatedAt: ts(p.UpdatedAt)}
}

// providerBody is a directory entry as a client writes it: on creation and
// on replacement alike, every field is given (those left out are empty).
type providerBody struct {
	Name         string   `json:"name"`
	OrgID        string   `json:"org_id"`
	ServiceTypes []string `json:"service_types"`
	Country      string   `json:"country"`
	Admin1       string   `json:"admin1"`
	Address      string   `json:"address"`
	Languages    []string `json:"languages"`
	Phone        string   `json:"phone"`
	Email        string   `json:"email"`
	Website      string   `json:"website"`
	OpeningHours string   `json:"opening_hours"`
}

func (b providerBody) input() referrals.ProviderInput {
	return referrals.ProviderInput{Name: b.Name, OrgID: b.OrgID, ServiceTypes: b.ServiceTypes, Country: b.Country,
		Admin1: b.Admin1, Address: b.Address, Languages: b.Languages, Phone: b.Phone, Email: b.Email,
		Website: b.Website, OpeningHours: b.OpeningHours}
}

func (a *API) createProvider(w http.ResponseWriter, r *http.Request) {
	var body providerBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	p, err := a.ref.CreateProvider(r.Context(), authn.PrincipalFrom(r.Context()), body.input())
	writeOne(a, w, r, http.StatusCreated, p, err, toProvider)
}

func (a *API) listProviders(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := referrals.ProviderFilter{ServiceType: q.Get("service_type"), Country: q.Get("country"),
		Language: q.Get("language"), OrgID: q.Get("org_id")}
	if s := q.Get("archived"); s != "" {
		b, ok := parseBool(s)
		if !ok {
			a.fail(w, r, &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "archived", Code: "invalid"}}})
			return
		}
		f.Archived = b
	}
	ps, next, err := a.ref.Providers(r.Context(), authn.PrincipalFrom(r.Context()), f,
		referrals.Page{Cursor: pg.Cursor, Limit: pg.Limit})
	writeList(a, w, r, ps, next, err, toProvider)
}

func (a *API) getProvider(w http.ResponseWriter, r *http.Request) {
	p, err := a.ref.Provider(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeOne(a, w, r, http.StatusOK, p, err, toProvider)
}

func (a *API) updateProvider(w http.ResponseWriter, r *http.Request) {
	var body providerBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	p, err := a.ref.UpdateProvider(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.input())
	writeOne(a, w, r, http.StatusOK, p, err, toProvider)
}

// deleteProvider archives the entry: it stays for the referrals naming it.
func (a *API) deleteProvider(w http.ResponseWriter, r *http.Request) {
	if err := a.ref.DeleteProvider(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type referralJSON struct {
	ID             string  `json:"id"`
	CaseID         string  `json:"case_id"`
	PersonID       string  `json:"person_id"`
	FromOrgID      string  `json:"from_org_id"`
	ProviderID     string  `json:"provider_id"`
	ToOrgID        *string `json:"to_org_id"`
	ServiceType    string  `json:"service_type"`
	Status         string  `json:"status"`
	DueAt          *string `json:"due_at"`
	ConsentBasis   string  `json:"consent_basis"`
	OverrideReason *string `json:"override_reason"`
	Outcome        *string `json:"outcome"`
	SentBy         string  `json:"sent_by"`
	SentAt         string  `json:"sent_at"`
	UpdatedBy      string  `json:"updated_by"`
	UpdatedAt      string  `json:"updated_at"`
}

func toReferral(rf referrals.Referral) referralJSON {
	return referralJSON{ID: rf.ID, CaseID: rf.CaseID, PersonID: rf.PersonID, FromOrgID: rf.FromOrgID,
		ProviderID: rf.ProviderID, ToOrgID: orNull(rf.ToOrgID), ServiceType: rf.ServiceType, Status: string(rf.Status),
		DueAt: timePtr(rf.DueAt), ConsentBasis: string(rf.Basis), OverrideReason: orNull(rf.OverrideReason),
		Outcome: orNull(rf.Outcome), SentBy: rf.SentBy, SentAt: ts(rf.SentAt), UpdatedBy: rf.UpdatedBy,
		UpdatedAt: ts(rf.UpdatedAt)}
}

type sharedPersonJSON struct {
	Sex            *string  `json:"sex"`
	BirthYear      *int     `json:"birth_year"`
	Nationality    *string  `json:"nationality"`
	Languages      []string `json:"languages"`
	CurrentCountry *string  `json:"current_country"`
	CurrentAdmin1  *string  `json:"current_admin1"`
}

// receivedJSON is a referral as the receiving organisation sees it: no
// case, no person id, no identity, no sender.
type receivedJSON struct {
	ID             string            `json:"id"`
	FromOrgID      string            `json:"from_org_id"`
	ProviderID     string            `json:"provider_id"`
	ServiceType    string            `json:"service_type"`
	Status         string            `json:"status"`
	DueAt          *string           `json:"due_at"`
	ConsentBasis   string            `json:"consent_basis"`
	OverrideReason *string           `json:"override_reason"`
	Outcome        *string           `json:"outcome"`
	SentAt         string            `json:"sent_at"`
	UpdatedAt      string            `json:"updated_at"`
	Person         *sharedPersonJSON `json:"person"`
}

func toReceived(rc referrals.Received) receivedJSON {
	out := receivedJSON{ID: rc.ID, FromOrgID: rc.FromOrgID, ProviderID: rc.ProviderID, ServiceType: rc.ServiceType,
		Status: string(rc.Status), DueAt: timePtr(rc.DueAt), ConsentBasis: string(rc.Basis),
		OverrideReason: orNull(rc.OverrideReason), Outcome: orNull(rc.Outcome), SentAt: ts(rc.SentAt),
		UpdatedAt: ts(rc.UpdatedAt)}
	if sp := rc.Person; sp != nil {
		out.Person = &sharedPersonJSON{Sex: orNull(sp.Sex), Nationality: orNull(sp.Nationality),
			Languages: nonNil(sp.Languages), CurrentCountry: orNull(sp.CurrentCountry), CurrentAdmin1: orNull(sp.CurrentAdmin1)}
		if sp.BirthYear != 0 {
			y := sp.BirthYear
			out.Person.BirthYear = &y
		}
	}
	return out
}

type referralBody struct {
	PersonID       string  `json:"person_id"`
	ProviderID     string  `json:"provider_id"`
	ServiceType    string  `json:"service_type"`
	DueAt          *string `json:"due_at"`
	OverrideReason string  `json:"override_reason"`
}

func (a *API) createReferral(w http.ResponseWriter, r *http.Request) {
	var body referralBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	var bad []accounts.FieldError
	in := referrals.NewReferral{PersonID: body.PersonID, ProviderID: body.ProviderID, ServiceType: body.ServiceType,
		DueAt: parseTimePtr("due_at", body.DueAt, &bad), OverrideReason: body.OverrideReason}
	if len(bad) > 0 {
		a.fail(w, r, &accounts.ValidationError{Errors: bad})
		return
	}
	rf, err := a.ref.Create(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), in)
	writeOne(a, w, r, http.StatusCreated, rf, err, toReferral)
}

func (a *API) listReferrals(w http.ResponseWriter, r *http.Request) {
	rs, err := a.ref.ForCase(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeList(a, w, r, rs, "", err, toReferral)
}

func (a *API) getReferral(w http.ResponseWriter, r *http.Request) {
	rf, err := a.ref.Get(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeOne(a, w, r, http.StatusOK, rf, err, toReferral)
}

// moveReferral changes a referral's status, from the sending or the
// receiving side, and answers with the view the caller may see.
func (a *API) moveReferral(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Status string `json:"status"`
		Code   string `json:"code"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	p := authn.PrincipalFrom(r.Context())
	rf, err := a.ref.Move(r.Context(), p, r.PathValue("id"), referrals.Status(body.Status), body.Code)
	var ve *referrals.ValidationError
	if errors.As(err, &ve) {
		// The domain calls the code the referral's outcome.
		for i := range ve.Errors {
			if ve.Errors[i].Field == "outcome" {
				ve.Errors[i].Field = "code"
			}
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// Only who may read the referral from its case sees the case and the
	// person's id; the receiving side gets its own view.
	if sent, err := a.ref.Get(r.Context(), p, rf.ID); err == nil {
		httpx.WriteJSON(w, http.StatusOK, toReferral(sent))
		return
	}
	rc, err := a.ref.GetReceived(r.Context(), p, rf.ID)
	writeOne(a, w, r, http.StatusOK, rc, err, toReceived)
}

func (a *API) listReceived(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rs, next, err := a.ref.ListReceived(r.Context(), authn.PrincipalFrom(r.Context()),
		referrals.ReceivedFilter{Status: referrals.Status(r.URL.Query().Get("status"))},
		referrals.Page{Cursor: pg.Cursor, Limit: pg.Limit})
	writeList(a, w, r, rs, next, err, toReceived)
}

func (a *API) getReceived(w http.ResponseWriter, r *http.Request) {
	rc, err := a.ref.GetReceived(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeOne(a, w, r, http.StatusOK, rc, err, toReceived)
}
