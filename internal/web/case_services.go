// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/referrals"
)

// The services tab shows what the person has received — the referrals
// completed, with their outcomes — and the directory of service providers,
// narrowed by service type and country, to find where to refer next.

// servicesData is the services tab.
type servicesData struct {
	Header caseHeader
	// Received are the completed referrals, oldest first.
	Received  []referralRow
	Providers []providerRow
	// ServiceTypes and Countries are the directory's filters, whose values
	// are the view's.
	ServiceTypes, Countries []option
	// Next is the address of the directory's next page, "" after the last.
	Next string
}

// providerRow is a directory entry: an organisation's contacts, never a
// person's.
type providerRow struct {
	ID, Name, Country, Admin1, Address, Phone, Email, Website, OpeningHours string
	ServiceTypes, Languages                                                 []string
	// InAmparo is true for a provider that is an Amparo organisation, which
	// receives referrals in Amparo.
	InAmparo bool
}

// servicesPageSize is the directory entries shown at a time.
const servicesPageSize = 50

func (w *Web) servicesTab(rw http.ResponseWriter, r *http.Request) {
	c, h, ok := w.caseFor(rw, r, "services")
	if !ok {
		return
	}
	p := authn.PrincipalFrom(r.Context())
	refs, err := w.ref.ForCase(r.Context(), p, c.ID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	var done []referrals.Referral
	for _, rf := range refs {
		if rf.Status == referrals.StatusCompleted {
			done = append(done, rf)
		}
	}
	loc := w.locale(r)
	persons, _ := casePersons(loc, c)
	rows, err := w.referralRows(r, done, persons, false)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	q := r.URL.Query()
	v := view{Values: map[string]string{"service_type": q.Get("service_type"), "country": q.Get("country")}}
	d := &servicesData{Header: h, Received: rows, Countries: countryOptions(loc.Code()),
		ServiceTypes: codeOptions(loc, "service_type.", referrals.ServiceTypes())}
	v.Data = d
	list, next, err := w.ref.Providers(r.Context(), p, referrals.ProviderFilter{ServiceType: v.Values["service_type"],
		Country: v.Values["country"]}, referrals.Page{Cursor: q.Get("after"), Limit: servicesPageSize})
	var ve *fielderr.Error
	if errors.As(err, &ve) {
		// A filter the directory does not know: say so beside it.
		v.Fields, v.Error = formErrors(ve, placeIn([]string{"service_type", "country"}))
		w.render(rw, r, http.StatusUnprocessableEntity, pageCaseServices, v)
		return
	}
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	for _, pr := range list {
		row := providerRow{ID: pr.ID, Name: pr.Name, Country: countryName(pr.Country, loc.Code()), Admin1: pr.Admin1,
			Address: pr.Address, Phone: pr.Phone, Email: pr.Email, Website: pr.Website, OpeningHours: pr.OpeningHours,
			ServiceTypes: pr.ServiceTypes, Languages: pr.Languages, InAmparo: pr.OrgID != ""}
		d.Providers = append(d.Providers, row)
	}
	if next != "" {
		nq := url.Values{"after": {next}}
		for _, k := range []string{"service_type", "country"} {
			if v.Values[k] != "" {
				nq.Set(k, v.Values[k])
			}
		}
		d.Next = casePath(c.ID, "services") + "?" + nq.Encode()
	}
	w.render(rw, r, http.StatusOK, pageCaseServices, v)
}
