// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
)

// The commitments pages show which state has signed, ratified, acceded or
// succeeded to which instrument. Reading them needs no account: they are
// public facts, and they hold nothing personal. Changing the records needs
// ratification.write.
const (
	pageCommitmentsMatrix     page = "commitments_matrix"
	pageCommitmentsCountry    page = "commitments_country"
	pageCommitmentsInstrument page = "commitments_instrument"
	pageCommitmentsRecord     page = "commitments_record"
	pageCommitmentsDelete     page = "commitments_delete"
	pageCommitmentsImport     page = "commitments_import"
)

// commitmentPages are the commitments pages' templates.
var commitmentPages = []page{pageCommitmentsMatrix, pageCommitmentsCountry, pageCommitmentsInstrument,
	pageCommitmentsRecord, pageCommitmentsDelete, pageCommitmentsImport}

// permRatificationWrite guards every change to the records.
const permRatificationWrite = "ratification.write"

// importBodyLimit caps an upload: the largest file an import takes, plus
// room for the form's other parts.
const importBodyLimit = commitments.MaxFileBytes + 1<<20

// commitmentRoutes lists the commitments pages.
func (w *Web) commitmentRoutes() []authn.Route {
	public, perm := authn.PublicRoute, authn.PermRoute
	return []authn.Route{
		public("GET /commitments", w.commitmentsMatrix),
		public("GET /commitments/countries/{code}", w.commitmentsCountry),
		public("GET /commitments/instruments/{code}", w.commitmentsInstrument),
		perm("GET /commitments/records/new", permRatificationWrite, w.recordNewForm),
		perm("POST /commitments/records", permRatificationWrite, w.recordCreate),
		perm("GET /commitments/records/{id}/edit", permRatificationWrite, w.recordEditForm),
		perm("POST /commitments/records/{id}", permRatificationWrite, w.recordUpdate),
		perm("GET /commitments/records/{id}/delete", permRatificationWrite, w.recordDeleteForm),
		perm("POST /commitments/records/{id}/delete", permRatificationWrite, w.recordDelete),
		perm("GET /commitments/import", permRatificationWrite, w.importForm),
		perm("POST /commitments/import", permRatificationWrite, w.importUpload).WithMaxBody(importBodyLimit),
	}
}

// canEdit reports whether the request may change records, to show the
// links that lead to the forms.
func canEdit(r *http.Request) bool {
	return authn.PrincipalFrom(r.Context()).Can(permRatificationWrite)
}

// commitmentsFail answers for an error of the commitments domain.
func (w *Web) commitmentsFail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, commitments.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, commitments.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.fail(rw, r, err)
	}
}

// exportFormat returns the download format the request asks for with
// ?format=, "" for the page itself, or false for a format not offered.
func exportFormat(r *http.Request) (string, bool) {
	f := r.URL.Query().Get("format")
	return f, f == "" || export.Valid(f)
}

// addressed answers for a page addressed by a code: 404 when the code is
// unknown (found false) or the download format is not offered, and a
// permanent redirect to base+canonical when the code was given in another
// form (alpha-2, numeric, lower case), so that each page has one address.
// It returns the download format ("" for the page) and whether the
// handler goes on.
func (w *Web) addressed(rw http.ResponseWriter, r *http.Request, found bool, canonical, base string) (string, bool) {
	format, ok := exportFormat(r)
	if !ok || !found {
		w.errorPage(rw, r, http.StatusNotFound)
		return "", false
	}
	if r.PathValue("code") != canonical {
		http.Redirect(rw, r, base+canonical, http.StatusMovedPermanently)
		return "", false
	}
	return format, true
}

// download answers with t in format, or the error page when building it
// fails.
func (w *Web) download(rw http.ResponseWriter, r *http.Request, t export.Table, format string) {
	if err := export.Serve(rw, t, format); err != nil {
		w.fail(rw, r, err)
	}
}

// downloads are the addresses of a page's table as CSV and XLSX.
type downloads struct{ CSV, XLSX string }

// downloadLinks returns the download addresses of the page at path with
// the query q (its filters), without the language, which the cookie keeps.
func downloadLinks(path string, q url.Values) downloads {
	link := func(format string) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "lang" && k != "format" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		v.Set("format", format)
		return path + "?" + v.Encode()
	}
	return downloads{CSV: link(export.CSV), XLSX: link(export.XLSX)}
}

// sourcePart is a piece of a source's text: a web address, which the page
// links, or plain text.
type sourcePart struct {
	Text string
	URL  bool
}

var urlRE = regexp.MustCompile(`https?://[^\s()<>"]+`)

// sourceParts splits a source so that its web addresses can be links.
func sourceParts(s string) []sourcePart {
	var out []sourcePart
	last := 0
	for _, m := range urlRE.FindAllStringIndex(s, -1) {
		if m[0] > last {
			out = append(out, sourcePart{Text: s[last:m[0]]})
		}
		out = append(out, sourcePart{Text: s[m[0]:m[1]], URL: true})
		last = m[1]
	}
	if last < len(s) {
		out = append(out, sourcePart{Text: s[last:]})
	}
	return out
}

// isoDate turns a stored YYYY-MM-DD into a time for the date helper; an
// unreadable one gives the zero time, which pages show as nothing.
func isoDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// standingLabel is a status in words, for downloads.
func standingLabel(loc *i18n.Locale, st commitments.Status) string {
	return loc.T("commitments.standing." + string(st.Standing))
}
