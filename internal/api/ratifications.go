// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"cmp"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/httpx"
)

type ratificationJSON struct {
	ID         string  `json:"id"`
	Country    string  `json:"country"`
	Instrument string  `json:"instrument"`
	Action     string  `json:"action"`
	Date       string  `json:"date"`
	Source     string  `json:"source"`
	AsOf       string  `json:"as_of"`
	ImportID   *string `json:"import_id"`
	UpdatedAt  string  `json:"updated_at"`
}

// toRatification leaves out who last changed the record: the records are
// public, the people who keep them are not.
func toRatification(r commitments.Record) ratificationJSON {
	return ratificationJSON{r.ID, r.Country, r.Instrument, string(r.Action), r.Date, r.Source, r.AsOf,
		orNull(r.ImportID), ts(r.UpdatedAt)}
}

// ratificationBody is a record as a client gives it; the domain checks and
// normalizes every field.
type ratificationBody struct {
	Country    string `json:"country"`
	Instrument string `json:"instrument"`
	Action     string `json:"action"`
	Date       string `json:"date"`
	Source     string `json:"source"`
	AsOf       string `json:"as_of"`
}

// Page sizes of the list of records. Larger than elsewhere because a
// record is small and a client mirroring the records wants few round
// trips.
const (
	defaultRatificationLimit = 100
	maxRatificationLimit     = 1000
)

// ratificationKey is the order of the list, and what a cursor holds: the
// key of the last record of the previous page. A key rather than an offset,
// so that a record added or removed between two pages neither repeats nor
// hides another; and unique, since a state takes each action on an
// instrument at most once.
type ratificationKey struct{ country, instrument, date, action string }

func keyOf(r commitments.Record) ratificationKey {
	return ratificationKey{r.Country, r.Instrument, r.Date, string(r.Action)}
}

func (k ratificationKey) compare(o ratificationKey) int {
	return cmp.Or(strings.Compare(k.country, o.country), strings.Compare(k.instrument, o.instrument),
		strings.Compare(k.date, o.date), strings.Compare(k.action, o.action))
}

// cursorRE is the shape of a decoded cursor: what keyOf can produce, so
// that a forged cursor is refused before it is compared with anything.
var cursorRE = regexp.MustCompile(`^([A-Z]{3}) ([A-Z0-9]{1,32}) ([0-9]{4}-[0-9]{2}-[0-9]{2}) ([a-z]{1,32})$`)

func (k ratificationKey) cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(k.country + " " + k.instrument + " " + k.date + " " + k.action))
}

func parseCursor(s string) (ratificationKey, bool) {
	if len(s) > 128 {
		return ratificationKey{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ratificationKey{}, false
	}
	m := cursorRE.FindStringSubmatch(string(b))
	if m == nil {
		return ratificationKey{}, false
	}
	return ratificationKey{m[1], m[2], m[3], m[4]}, true
}

// ratificationQuery reads the filters and the page of a list request,
// reporting every invalid parameter at once.
func ratificationQuery(q url.Values, cat *commitments.Catalog) (f commitments.Filter, after *ratificationKey, limit int, err error) {
	var bad []commitments.FieldError
	if s := q.Get("country"); s != "" {
		if c, ok := countries.Lookup(s); ok {
			f.Country = c.Alpha3
		} else {
			bad = append(bad, commitments.FieldError{Field: "country", Code: commitments.CodeUnknownCountry})
		}
	}
	if s := q.Get("instrument"); s != "" {
		if in, ok := cat.Lookup(s); ok {
			f.Instrument = in.Code
		} else {
			bad = append(bad, commitments.FieldError{Field: "instrument", Code: commitments.CodeUnknownInstrument})
		}
	}
	limit = defaultRatificationLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxRatificationLimit {
			bad = append(bad, commitments.FieldError{Field: "limit", Code: "out_of_range"})
		}
		limit = n
	}
	if s := q.Get("cursor"); s != "" {
		k, ok := parseCursor(s)
		if !ok {
			bad = append(bad, commitments.FieldError{Field: "cursor", Code: "invalid"})
		}
		after = &k
	}
	if len(bad) > 0 {
		return f, nil, 0, &commitments.ValidationError{Errors: bad}
	}
	return f, after, limit, nil
}

func (a *API) listRatifications(w http.ResponseWriter, r *http.Request) {
	f, after, limit, err := ratificationQuery(r.URL.Query(), a.com.Catalog())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	recs, err := a.com.List(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// Sorted here as well as by the database, because the cursor is
	// compared byte by byte, and a database's collation need not agree.
	slices.SortFunc(recs, func(x, y commitments.Record) int { return keyOf(x).compare(keyOf(y)) })
	if after != nil {
		i, found := slices.BinarySearchFunc(recs, *after, func(r commitments.Record, k ratificationKey) int { return keyOf(r).compare(k) })
		if found {
			i++
		}
		recs = recs[i:]
	}
	out := list[ratificationJSON]{Items: []ratificationJSON{}}
	if len(recs) > limit {
		recs = recs[:limit]
		out.NextCursor = keyOf(recs[limit-1]).cursor()
	}
	for _, rec := range recs {
		out.Items = append(out.Items, toRatification(rec))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) getRatification(w http.ResponseWriter, r *http.Request) {
	rec, err := a.com.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toRatification(rec))
}

func (a *API) createRatification(w http.ResponseWriter, r *http.Request) {
	var body ratificationBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	rec, err := a.com.Create(r.Context(), authn.PrincipalFrom(r.Context()), commitments.Input(body))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toRatification(rec))
}

// updateRatification replaces every field of a record: an as_of left out
// becomes today, as on creation, since a changed record speaks for the day
// it was checked.
func (a *API) updateRatification(w http.ResponseWriter, r *http.Request) {
	var body ratificationBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	rec, err := a.com.Update(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), commitments.Input(body))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toRatification(rec))
}

func (a *API) deleteRatification(w http.ResponseWriter, r *http.Request) {
	if err := a.com.Delete(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Media types of the files an import takes. The domain tells CSV from
// XLSX by content; the header is checked so that a client sending JSON or
// a form by mistake is told so, not answered with a list of bad rows.
const (
	mediaCSV  = "text/csv"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// defaultImportName is the file name an import is recorded under when the
// client gives none.
const defaultImportName = "api-upload"

// maxImportName bounds the recorded file name, in characters, as the
// database column does.
const maxImportName = 255

func isUpload(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case mediaXLSX:
		return true
	case mediaCSV:
		// The domain reads UTF-8 only; another charset is refused here
		// rather than reported as unreadable rows.
		cs, ok := params["charset"]
		return !ok || strings.EqualFold(cs, "utf-8")
	}
	return false
}

// importQuery reads the options of an import, reporting every invalid
// parameter at once. The name is only recorded, but it is shown to people
// reviewing imports, so it is held to what a file name may look like.
func importQuery(q url.Values) (name string, opt commitments.ImportOptions, err error) {
	var bad []commitments.FieldError
	if s := q.Get("dry_run"); s != "" {
		b, perr := strconv.ParseBool(s)
		if perr != nil {
			bad = append(bad, commitments.FieldError{Field: "dry_run", Code: "invalid"})
		}
		opt.DryRun = b
	}
	name = strings.TrimSpace(q.Get("name"))
	switch {
	case name == "":
		name = defaultImportName
	case !utf8.ValidString(name):
		bad = append(bad, commitments.FieldError{Field: "name", Code: "invalid"})
	case utf8.RuneCountInString(name) > maxImportName:
		bad = append(bad, commitments.FieldError{Field: "name", Code: commitments.CodeTooLong})
	case strings.ContainsFunc(name, unicode.IsControl):
		bad = append(bad, commitments.FieldError{Field: "name", Code: commitments.CodeControlChars})
	}
	if len(bad) > 0 {
		return "", opt, &commitments.ValidationError{Errors: bad}
	}
	return name, opt, nil
}

type importReportJSON struct {
	ImportID  *string `json:"import_id"`
	Rows      int     `json:"rows"`
	Inserted  int     `json:"inserted"`
	Updated   int     `json:"updated"`
	Unchanged int     `json:"unchanged"`
	DryRun    bool    `json:"dry_run"`
}

// importRatifications takes a whole file as the body. The domain checks
// every row before writing any, so a 422 here means nothing changed.
func (a *API) importRatifications(w http.ResponseWriter, r *http.Request) {
	if !isUpload(r.Header.Get("Content-Type")) {
		httpx.WriteProblem(w, r, http.StatusUnsupportedMediaType, "request.unsupported_media_type",
			"Content-Type must be text/csv or an XLSX workbook")
		return
	}
	name, opt, err := importQuery(r.URL.Query())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := io.ReadAll(r.Body)
	switch {
	case errors.As(err, new(*http.MaxBytesError)):
		httpx.WriteProblem(w, r, http.StatusRequestEntityTooLarge, "request.too_large", "Request body is too large")
		return
	case err != nil:
		httpx.WriteProblem(w, r, http.StatusBadRequest, "request.unreadable", "Request body could not be read")
		return
	}
	rep, err := a.com.Import(r.Context(), authn.PrincipalFrom(r.Context()), name, data, opt)
	if errors.Is(err, commitments.ErrInvalidFile) {
		writeRowErrors(w, r, rep.Errors)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, importReportJSON{orNull(rep.ImportID), rep.Rows, rep.Inserted, rep.Updated,
		rep.Unchanged, rep.DryRun})
}
