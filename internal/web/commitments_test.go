// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/totp"
	"github.com/xuri/excelize/v2"
)

// commitmentSamples are views of the commitments pages in their states,
// for the test that renders every page in every language.
func commitmentSamples(now time.Time) map[page][]view {
	cov := coverageNote{Records: 3, Countries: 2, AsOf: "3 February 2026", Oldest: "1 January 2026", Missing: "VCCR, C189"}
	dl := downloads{CSV: "/commitments?format=csv", XLSX: "/commitments?format=xlsx"}
	src := sourceParts("https://treaties.un.org/x (copy: https://github.com/y)")
	rec := recordView{ID: "r1", Country: "MEX", CountryName: "Mexico", Instrument: "ICRMW", Action: "ratification",
		Date: "8 March 1999", AsOf: "3 February 2026", Source: src}
	rep := commitments.Report{Rows: 3, Inserted: 2, Unchanged: 1}
	bad := commitments.Report{Rows: 3, Errors: []commitments.RowError{{Line: 2, Field: "country", Code: "unknown_country"},
		{Line: 0, Code: "a_code_without_words"}}, MoreErrors: true}
	recent := []commitments.ImportRecord{{FileName: "ratifications.csv", Inserted: 3, At: now}}
	return map[page][]view{
		pageCommitmentsMatrix: {
			{Data: &matrixData{
				Instruments: []instrumentHead{{Code: "ICRMW", Short: "ICRMW", Title: "Migrant Workers Convention"}},
				Rows: []matrixRow{{Alpha3: "MEX", Name: "Mexico", Cells: []matrixCell{{Standing: "party", Year: "1999"}}},
					{Alpha3: "USA", Name: "United States", Cells: []matrixCell{{Standing: "none"}}},
					{Alpha3: "ARG", Name: "Argentina", Cells: []matrixCell{{Standing: "signatory", Year: "2004"}}}},
				Coverage: cov, Regions: []option{{"019", "Americas"}}, Region: "019", Shown: 3, Total: 249, Cols: 2,
				Downloads: dl, CanEdit: true,
			}},
			{Data: &matrixData{Query: "zz", Cols: 17}},
		},
		pageCommitmentsCountry: {
			{Data: &countryData{Alpha2: "MX", Alpha3: "MEX", Numeric: "484", Name: "Mexico", Region: "Americas",
				SubRegion: "Latin America and the Caribbean", Parties: 1, Signatories: 0, Coverage: cov, Downloads: dl, CanEdit: true,
				Instruments: []countryInstrument{
					{Code: "ICRMW", Short: "ICRMW", Title: "Convention", Standing: "party", Action: "ratification",
						Date: "8 March 1999", Signed: "22 May 1991", Records: []recordView{rec}},
					{Code: "C189", Short: "C189", Title: "Domestic Workers", Standing: "none"},
				}}},
			{Data: &countryData{Name: "Antarctica"}},
		},
		pageCommitmentsInstrument: {
			{Data: &instrumentData{Code: "ICRMW", Short: "ICRMW", Title: "Convention", Adopted: "18 December 1990",
				EntryIntoForce: "1 July 2003", AdoptedBy: "General Assembly", Place: "New York", Depositary: "Secretary-General",
				Source: src, Parties: 1, Signatories: 1, Chart: "<svg></svg>", Map: "<svg></svg>",
				Timeline: []commitments.YearCount{{Year: 1999, Parties: 1}},
				States: []instrumentState{{Alpha3: "MEX", Name: "Mexico", Standing: "party", Action: "ratification", Date: "8 March 1999"},
					{Alpha3: "ARG", Name: "Argentina", Standing: "signatory", Date: "10 August 2004", Signed: "10 August 2004"}},
				Unmapped: []string{"Malta"}, Coverage: cov, Downloads: dl}},
			{Data: &instrumentData{Code: "C189"}},
		},
		pageCommitmentsRecord: {
			{Data: &recordFormData{Countries: []option{{"MEX", "Mexico"}}, Instruments: []option{{"ICRMW", "ICRMW"}},
				Actions: []option{{"signature", "signature"}, {"ratification", "ratification"}}}, Values: map[string]string{"country": "MEX"}},
			{Data: &recordFormData{ID: "r1"}, Error: errRecordExists, Fields: map[string]string{
				"country": "unknown_country", "instrument": "unknown_instrument", "action": "unknown_action",
				"date": "before_adoption", "source": "control_characters", "as_of": "as_of_before_date"}},
		},
		pageCommitmentsDelete: {{Data: &rec}},
		pageCommitmentsImport: {
			{Data: &importData{Recent: recent}},
			{Data: &importData{Report: &rep, FileName: "f.csv"}},
			{Data: &importData{Report: &commitments.Report{DryRun: true, Rows: 1, Unchanged: 1}, FileName: "f.xlsx"}},
			{Data: &importData{Report: &bad, FileName: "bad.csv"}, Error: errTooLarge},
			{Data: &importData{}, Error: errNoFile},
		},
	}
}

// TestDomainCodesHaveMessages checks that every reason the commitments
// domain can give for a bad field or row has words in every language.
func TestDomainCodesHaveMessages(t *testing.T) {
	codes := []string{commitments.CodeRequired, commitments.CodeTooLong, commitments.CodeUnknownCountry,
		commitments.CodeUnknownInstrument, commitments.CodeUnknownAction, commitments.CodeInvalidDate,
		commitments.CodeFutureDate, commitments.CodeBeforeAdoption, commitments.CodeAsOfBeforeDate,
		commitments.CodeControlChars, commitments.CodeDuplicateInFile, commitments.CodeUnknownColumn,
		commitments.CodeMissingColumn, commitments.CodeDuplicateColumn, commitments.CodeFieldCount,
		commitments.CodeUnreadable, commitments.CodeTooManyRows, commitments.CodeEmptyFile}
	w := New(Config{})
	for _, lang := range []string{"en", "fr", "es", "ru", "ar", "zh"} {
		loc := w.i18n.Locale(lang)
		for _, c := range codes {
			if !loc.Has("field." + c) {
				t.Errorf("%s has no message field.%s", lang, c)
			}
		}
		for _, c := range []string{errRecordExists, errNoFile, errTooLarge} {
			if !loc.Has("error." + c) {
				t.Errorf("%s has no message error.%s", lang, c)
			}
		}
		for _, a := range commitments.Actions {
			if !loc.Has("commitments.action." + string(a)) {
				t.Errorf("%s has no message for the action %s", lang, a)
			}
		}
	}
}

func TestCommitmentsPagesArePublic(t *testing.T) {
	s := newStack(t)
	b := s.browser()
	res := b.get("/commitments")
	expect(t, "matrix", res, http.StatusOK, "")
	contains(t, "matrix", res.body, `data-testid="commitments-matrix"`, `href="/commitments/countries/MEX"`,
		`href="/commitments/instruments/ICRMW"`, `data-testid="coverage-note"`)
	if strings.Contains(res.body, "/commitments/import") {
		t.Error("a visitor is offered the import")
	}
	res = b.get("/commitments?region=150&q=fra")
	contains(t, "filtered matrix", res.body, `href="/commitments/countries/FRA"`)
	if strings.Contains(res.body, "/commitments/countries/MEX") {
		t.Error("the region filter kept Mexico")
	}

	res = b.get("/commitments/countries/MEX")
	expect(t, "country", res, http.StatusOK, "")
	contains(t, "country", res.body, "Mexico", "1999", `https://treaties.un.org/`)
	expect(t, "alpha-2", b.get("/commitments/countries/mx"), http.StatusMovedPermanently, "/commitments/countries/MEX")
	expect(t, "unknown country", b.get("/commitments/countries/XYZ"), http.StatusNotFound, "")

	res = b.get("/commitments/instruments/ICRMW")
	expect(t, "instrument", res, http.StatusOK, "")
	contains(t, "instrument", res.body, `data-testid="instrument-chart"`, `data-testid="instrument-map"`, "<svg",
		`data-testid="instrument-states"`)
	expect(t, "lower case", b.get("/commitments/instruments/icrmw"), http.StatusMovedPermanently, "/commitments/instruments/ICRMW")
	expect(t, "unknown instrument", b.get("/commitments/instruments/NOPE"), http.StatusNotFound, "")
	expect(t, "unknown format", b.get("/commitments?format=pdf"), http.StatusNotFound, "")

	res = b.get("/commitments/instruments/ICRMW?lang=ar")
	if lang, dir := pageLang(res.body); lang != "ar" || dir != "rtl" {
		t.Errorf("Arabic instrument page: lang %q dir %q", lang, dir)
	}

	for _, path := range []string{"/commitments/records/new", "/commitments/import"} {
		expect(t, path, b.get(path), http.StatusSeeOther, pathLogin)
	}
}

func TestCommitmentsDownloads(t *testing.T) {
	s := newStack(t)
	b := s.browser()
	res := b.get("/commitments/instruments/ICRMW?format=csv")
	expect(t, "csv", res, http.StatusOK, "")
	if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0][:6], ",") != "country,instrument,action,date,source,as_of" {
		t.Errorf("header %v", recs[0])
	}
	found := false
	for _, r := range recs[1:] {
		if r[0] == "MEX" && r[2] == "ratification" && r[3] == "1999-03-08" {
			found = true
		}
	}
	if !found {
		t.Error("the download lacks Mexico's ratification of 8 March 1999")
	}

	res = b.get("/commitments?format=xlsx&lang=fr")
	expect(t, "xlsx", res, http.StatusOK, "")
	f, err := excelize.OpenReader(strings.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) < 200 || rows[0][1] != w(t).i18n.Locale("fr").T("commitments.col.country") {
		t.Errorf("matrix workbook: %d rows, header %v, %v", len(rows), rows[0], err)
	}
}

// w returns a Web for reading its catalogue in tests.
func w(t *testing.T) *Web {
	t.Helper()
	return New(Config{})
}

// analystBrowser signs in as a new analyst, who may change records,
// enrolling the second factor that the role requires.
func (s *stack) analystBrowser(email string) (*browser, string) {
	s.t.Helper()
	u := s.user(email, "Ana Analyst", access.RoleAnalyst)
	b := s.browser()
	b.login(email, testPassword, pathEnrol)
	res := b.post(pathEnrol, nil)
	secret := strings.ReplaceAll(secretRE.FindStringSubmatch(res.body)[1], " ", "")
	code, err := totp.Code(secret, s.clock.Now())
	if err != nil {
		s.t.Fatal(err)
	}
	expect(s.t, "confirm", b.post("/account/totp/confirm", url.Values{"code": {code}}), http.StatusOK, "")
	return b, u.ID
}

func TestAnalystCorrectsARecordAndSeesItInTheAuditLog(t *testing.T) {
	s := newStack(t)
	b, userID := s.analystBrowser("ana@example.org")
	res := b.get("/commitments/countries/MEX")
	contains(t, "country page for an analyst", res.body, `href="/commitments/records/new?country=MEX"`)

	form := url.Values{"country": {"MEX"}, "instrument": {"C189"}, "action": {"ratification"}, "date": {"2020-07-03"},
		"source": {"https://normlex.ilo.org/x"}, "as_of": {""}}
	res = b.post("/commitments/records", form)
	expect(t, "create", res, http.StatusSeeOther, "/commitments/countries/MEX#C189")

	res = b.post("/commitments/records", form)
	expect(t, "duplicate", res, http.StatusConflict, "")
	contains(t, "duplicate", res.body, `role="alert"`)

	bad := url.Values{"country": {"MEX"}, "instrument": {"C189"}, "action": {"signature"}, "date": {"2001-01-01"}, "source": {""}}
	res = b.post("/commitments/records", bad)
	expect(t, "invalid", res, http.StatusUnprocessableEntity, "")
	contains(t, "invalid", res.body, `id="date-error"`, `id="source-error"`, `aria-invalid="true"`)

	recs, err := s.listRecords("MEX", "C189")
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %v, %v", recs, err)
	}
	id := recs[0].ID
	form.Set("date", "2020-07-04")
	expect(t, "update", b.post("/commitments/records/"+id, form), http.StatusSeeOther, "/commitments/countries/MEX#C189")
	expect(t, "delete form", b.get("/commitments/records/"+id+"/delete"), http.StatusOK, "")
	expect(t, "delete", b.post("/commitments/records/"+id+"/delete", nil), http.StatusSeeOther, "/commitments/countries/MEX#C189")

	entries, _, err := audit.New(s.db, s.clock).List(context.Background(), audit.Filter{ObjectID: id})
	if err != nil || len(entries) != 3 || entries[0].ActorID != userID || entries[1].Action != "ratification.update" {
		t.Errorf("audit entries: %+v, %v", entries, err)
	}

	viewer, _ := s.signedIn("vera@example.org")
	expect(t, "viewer create", viewer.post("/commitments/records", form), http.StatusForbidden, "")
}

func (s *stack) listRecords(country, instrument string) ([]commitments.Record, error) {
	com := commitments.New(commitments.Config{DB: s.db, Audit: audit.New(s.db, s.clock), Clock: s.clock})
	return com.List(context.Background(), commitments.Filter{Country: country, Instrument: instrument})
}

// upload posts a file to the import form.
func (b *browser) upload(name string, data []byte, dryRun bool) response {
	b.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", name)
	if err != nil {
		b.s.t.Fatal(err)
	}
	_, _ = part.Write(data)
	if dryRun {
		_ = mw.WriteField("dry_run", "on")
	}
	_ = mw.Close()
	req := b.request("POST", "/commitments/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func TestImportPage(t *testing.T) {
	s := newStack(t)
	b, _ := s.analystBrowser("ana@example.org")
	expect(t, "form", b.get("/commitments/import"), http.StatusOK, "")

	bad := "country,instrument,action,date,source\nPHL,C189,ratification,2012-09-05,https://normlex.ilo.org/x\nXXX,C189,ratification,2099-01-01,x\n"
	res := b.upload("bad.csv", []byte(bad), false)
	expect(t, "bad file", res, http.StatusUnprocessableEntity, "")
	contains(t, "bad file", res.body, `data-testid="import-errors"`, `<tr data-testid="import-error-row"><td>3</td><td><code dir="auto">country</code></td>`,
		`<code dir="auto">date</code>`)
	if recs, _ := s.listRecords("PHL", "C189"); len(recs) != 0 {
		t.Fatal("a bad file wrote records")
	}

	good := "country,instrument,action,date,source\nPHL,C189,ratification,2012-09-05,https://normlex.ilo.org/x\n"
	res = b.upload("good.csv", []byte(good), true)
	expect(t, "dry run", res, http.StatusOK, "")
	contains(t, "dry run", res.body, `data-testid="import-report"`)
	if recs, _ := s.listRecords("PHL", "C189"); len(recs) != 0 {
		t.Fatal("a dry run wrote records")
	}
	res = b.upload("good.csv", []byte(good), false)
	expect(t, "import", res, http.StatusOK, "")
	if recs, _ := s.listRecords("PHL", "C189"); len(recs) != 1 {
		t.Fatalf("import wrote %d records", len(recs))
	}
	contains(t, "recent imports", res.body, "good.csv")

	req := b.request("POST", "/commitments/import", strings.NewReader("file=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	expect(t, "not multipart", b.do(req), http.StatusBadRequest, "")
}
