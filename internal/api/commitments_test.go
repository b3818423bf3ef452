// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/testutil"
)

// The shipped records are imported when the application starts. The
// records these tests write are of the ILO conventions, which the tests
// clear first, so that they hold whatever the shipped file comes to hold.

// clearInstruments deletes every record of the instruments.
func clearInstruments(t testing.TB, a *testutil.App, codes ...string) {
	t.Helper()
	ctx := context.Background()
	for _, code := range codes {
		recs, err := a.Commitments.List(ctx, commitments.Filter{Instrument: code})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if err := a.Commitments.Delete(ctx, access.System, r.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
}

type regionDoc struct{ Code, Name string }

type countryDoc struct {
	Alpha2             string            `json:"alpha2"`
	Alpha3             string            `json:"alpha3"`
	Numeric            string            `json:"numeric"`
	Names              map[string]string `json:"names"`
	Region             *regionDoc        `json:"region"`
	SubRegion          *regionDoc        `json:"sub_region"`
	IntermediateRegion *regionDoc        `json:"intermediate_region"`
}

type statusDoc struct {
	Standing string  `json:"standing"`
	Action   *string `json:"action"`
	Date     *string `json:"date"`
	Signed   *string `json:"signed"`
}

type ratificationDoc struct {
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

type ratificationPage struct {
	Items      []ratificationDoc `json:"items"`
	NextCursor string            `json:"next_cursor"`
}

type instrumentDoc struct {
	Code        string            `json:"code"`
	Titles      map[string]string `json:"titles"`
	ShortNames  map[string]string `json:"short_names"`
	Adopted     string            `json:"adopted"`
	Parties     int               `json:"parties"`
	Signatories int               `json:"signatories"`
}

type importReport struct {
	ImportID  *string `json:"import_id"`
	Rows      int     `json:"rows"`
	Inserted  int     `json:"inserted"`
	Updated   int     `json:"updated"`
	Unchanged int     `json:"unchanged"`
	DryRun    bool    `json:"dry_run"`
}

type problemDoc struct {
	Code   string `json:"code"`
	Errors []struct {
		Field string `json:"field"`
		Code  string `json:"code"`
		Row   int    `json:"row"`
	} `json:"errors"`
}

// rowField is a field error of an imported file as the API writes it.
func rowField(row int, name, code string) string {
	return fmt.Sprintf(`{"field":%q,"code":%q,"row":%d}`, name, code, row)
}

func str(p *string) string {
	if p == nil {
		return "<null>"
	}
	return *p
}

func TestCountriesAreReadAnonymously(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		clearInstruments(t, a, "C189")

		t.Run("every country with codes, names and regions", func(t *testing.T) {
			var l struct{ Items []countryDoc }
			get(t, a, f, "anonymous", "/api/v1/countries", &l)
			if len(l.Items) != len(countries.All()) {
				t.Fatalf("%d countries, want %d", len(l.Items), len(countries.All()))
			}
			byCode := map[string]countryDoc{}
			for _, c := range l.Items {
				byCode[c.Alpha3] = c
			}
			fra := byCode["FRA"]
			if fra.Alpha2 != "FR" || fra.Numeric != "250" || fra.Names["en"] != "France" || fra.Names["zh"] == "" ||
				fra.Region == nil || fra.Region.Code != "150" || fra.Region.Name != "Europe" ||
				fra.SubRegion == nil || fra.SubRegion.Name != "Western Europe" || fra.IntermediateRegion != nil {
				t.Errorf("France: %+v", fra)
			}
			if ata := byCode["ATA"]; ata.Region != nil || ata.SubRegion != nil {
				t.Errorf("Antarctica has a region: %+v", ata)
			}
		})
		t.Run("region names in the language asked for", func(t *testing.T) {
			var l struct{ Items []countryDoc }
			get(t, a, f, "anonymous", "/api/v1/countries?lang=fr", &l)
			for _, c := range l.Items {
				if c.Alpha3 == "FRA" && (c.SubRegion == nil || c.SubRegion.Name != countries.RegionName("155", "fr") || c.SubRegion.Name == "Western Europe") {
					t.Errorf("France's sub-region in French: %+v", c.SubRegion)
				}
				if c.Alpha3 == "FRA" && c.Names["en"] != "France" {
					t.Errorf("names follow lang: %v", c.Names)
				}
			}
		})

		runScenarios(t, a, f, []scenario{
			{Name: "unknown language", Method: "GET", URL: "/api/v1/countries?lang=xx", As: "anonymous",
				ExpectedStatus: 422, ExpectedContent: []string{field("lang", "unknown_language")}},
			{Name: "country by numeric code", Method: "GET", URL: "/api/v1/countries/032", As: "anonymous",
				ExpectedStatus: 200, ExpectedContent: []string{`"alpha3":"ARG"`}},
			{Name: "unknown country", Method: "GET", URL: "/api/v1/countries/QQQ", As: "anonymous",
				ExpectedStatus: 404, ExpectedContent: []string{`"code":"not_found"`}},
			{Name: "unknown country with a token", Method: "GET", URL: "/api/v1/countries/XX", As: "bogus", ExpectedStatus: 404},
			{Name: "country with an unknown language", Method: "GET", URL: "/api/v1/countries/FR?lang=de", As: "anonymous",
				ExpectedStatus: 422, ExpectedContent: []string{field("lang", "unknown_language")}},
		})

		t.Run("a country's commitments", func(t *testing.T) {
			var d struct {
				Country     countryDoc
				Commitments []struct {
					Instrument string `json:"instrument"`
					statusDoc
					Records []ratificationDoc `json:"records"`
				}
			}
			get(t, a, f, "anonymous", "/api/v1/countries/ar?lang=es", &d)
			if d.Country.Alpha3 != "ARG" || d.Country.Region == nil || d.Country.Region.Name != countries.RegionName("019", "es") {
				t.Errorf("country %+v", d.Country)
			}
			if len(d.Commitments) != len(commitments.Instruments().All()) {
				t.Fatalf("%d commitments, want one per instrument (%d)", len(d.Commitments), len(commitments.Instruments().All()))
			}
			for _, c := range d.Commitments {
				switch c.Instrument {
				case "ICRMW":
					// Argentina signed in 2004 and ratified in 2007.
					if c.Standing != "party" || str(c.Action) != "ratification" || str(c.Date) != "2007-02-23" ||
						str(c.Signed) != "2004-08-10" || len(c.Records) != 2 || c.Records[0].Action != "signature" {
						t.Errorf("ICRMW: %+v", c)
					}
				case "C189":
					if c.Standing != "none" || c.Action != nil || c.Date != nil || c.Signed != nil || len(c.Records) != 0 {
						t.Errorf("C189 has no record, got %+v", c)
					}
				}
			}
		})
	})
}

func TestInstrumentsAreReadAnonymously(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		clearInstruments(t, a, "C189")
		m, err := a.Commitments.Matrix(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		count := func(code string, st commitments.Standing) int {
			n := 0
			for _, c := range m.Countries {
				if m.At(c, code).Standing == st {
					n++
				}
			}
			return n
		}

		t.Run("list with counts", func(t *testing.T) {
			var l struct{ Items []instrumentDoc }
			get(t, a, f, "anonymous", "/api/v1/instruments", &l)
			if len(l.Items) != len(commitments.Instruments().All()) {
				t.Fatalf("%d instruments, want %d", len(l.Items), len(commitments.Instruments().All()))
			}
			for _, in := range l.Items {
				if in.Parties != count(in.Code, commitments.Party) || in.Signatories != count(in.Code, commitments.Signatory) {
					t.Errorf("%s: %d parties and %d signatories, the records say %d and %d", in.Code, in.Parties, in.Signatories,
						count(in.Code, commitments.Party), count(in.Code, commitments.Signatory))
				}
				for _, l := range []string{"en", "fr", "es", "ru", "ar", "zh"} {
					if in.Titles[l] == "" || in.ShortNames[l] == "" {
						t.Errorf("%s: no title or short name in %s", in.Code, l)
					}
				}
			}
			if count("ICRMW", commitments.Party) == 0 {
				t.Error("the shipped records hold no party to ICRMW")
			}
		})

		t.Run("one instrument with its timeline", func(t *testing.T) {
			var d struct {
				Instrument instrumentDoc
				Timeline   []struct{ Year, Parties int }
				Statuses   []struct {
					Country string `json:"country"`
					statusDoc
				}
			}
			get(t, a, f, "anonymous", "/api/v1/instruments/icrmw", &d)
			if d.Instrument.Code != "ICRMW" || d.Instrument.Adopted != "1990-12-18" {
				t.Errorf("instrument %+v", d.Instrument)
			}
			if len(d.Timeline) == 0 {
				t.Fatal("no timeline")
			}
			for i := 1; i < len(d.Timeline); i++ {
				if d.Timeline[i].Year != d.Timeline[i-1].Year+1 || d.Timeline[i].Parties < d.Timeline[i-1].Parties {
					t.Fatalf("timeline not by year or not cumulative at %d: %+v", i, d.Timeline)
				}
			}
			// The shipped records speak for 2026.
			if last := d.Timeline[len(d.Timeline)-1]; last.Year != 2026 || last.Parties != d.Instrument.Parties {
				t.Errorf("timeline ends %+v, want 2026 with %d parties", last, d.Instrument.Parties)
			}
			if n := count("ICRMW", commitments.Party) + count("ICRMW", commitments.Signatory); len(d.Statuses) != n {
				t.Errorf("%d statuses, want one per country with records of ICRMW (%d)", len(d.Statuses), n)
			}
			for _, s := range d.Statuses {
				if s.Standing == "none" {
					t.Errorf("%s listed without records", s.Country)
				}
				if s.Country == "ARG" && (s.Standing != "party" || str(s.Signed) != "2004-08-10") {
					t.Errorf("Argentina: %+v", s)
				}
			}
		})

		t.Run("an instrument without records", func(t *testing.T) {
			body := get(t, a, f, "anonymous", "/api/v1/instruments/C189", nil)
			for _, want := range []string{`"timeline":[]`, `"statuses":[]`, `"parties":0`} {
				if !bytes.Contains(body, []byte(want)) {
					t.Errorf("body lacks %s", want)
				}
			}
		})

		runScenarios(t, a, f, []scenario{
			{Name: "unknown instrument", Method: "GET", URL: "/api/v1/instruments/NOPE", As: "anonymous",
				ExpectedStatus: 404, ExpectedContent: []string{`"code":"not_found"`}},
		})
	})
}

func TestRatificationsAreReadAnonymously(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)

		t.Run("filtered by country in any ISO form and instrument in any case", func(t *testing.T) {
			for _, q := range []string{"country=ARG&instrument=ICRMW", "country=ar&instrument=icrmw", "country=032&instrument=ICRMW"} {
				var p ratificationPage
				get(t, a, f, "anonymous", "/api/v1/ratifications?"+q, &p)
				if len(p.Items) != 2 || p.Items[0].Action != "signature" || p.Items[1].Action != "ratification" || p.NextCursor != "" {
					t.Fatalf("%s: %+v", q, p)
				}
				r := p.Items[1]
				if r.Country != "ARG" || r.Instrument != "ICRMW" || r.Date != "2007-02-23" || r.AsOf == "" || r.Source == "" || r.ImportID == nil {
					t.Errorf("%s: record %+v", q, r)
				}
			}
		})

		t.Run("filtered by country only", func(t *testing.T) {
			var p ratificationPage
			get(t, a, f, "anonymous", "/api/v1/ratifications?country=AR", &p)
			if len(p.Items) < 2 {
				t.Errorf("%d records of Argentina", len(p.Items))
			}
			for _, r := range p.Items {
				if r.Country != "ARG" {
					t.Errorf("a record of %s", r.Country)
				}
			}
		})

		shipped, err := a.Commitments.List(context.Background(), commitments.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var all ratificationPage
		for _, id := range listAll(t, a, f, "anonymous", "/api/v1/ratifications", 1000) {
			all.Items = append(all.Items, ratificationDoc{ID: id})
		}
		if len(all.Items) != len(shipped) || len(all.Items) < 20 {
			t.Fatalf("pages of 1000 give %d records, the service %d", len(all.Items), len(shipped))
		}

		t.Run("one record", func(t *testing.T) {
			var p ratificationPage
			get(t, a, f, "anonymous", "/api/v1/ratifications?limit=1", &p)
			var r ratificationDoc
			get(t, a, f, "anonymous", "/api/v1/ratifications/"+p.Items[0].ID, &r)
			if !reflect.DeepEqual(r, p.Items[0]) {
				t.Errorf("record %+v, listed as %+v", r, p.Items[0])
			}
		})

		t.Run("pages in order, without gaps or repeats", func(t *testing.T) {
			var want []string
			for _, r := range all.Items {
				want = append(want, r.ID)
			}
			got := listAll(t, a, f, "anonymous", "/api/v1/ratifications", 97)
			if !slices.Equal(got, want) {
				t.Errorf("pages of 97 give %d records, pages of 1000 %d, or in another order", len(got), len(want))
			}
			var first ratificationPage
			get(t, a, f, "anonymous", "/api/v1/ratifications", &first)
			if len(first.Items) != min(100, len(all.Items)) {
				t.Errorf("default page of %d records", len(first.Items))
			}
		})

		t.Run("a cursor survives the deletion of its record", func(t *testing.T) {
			var p1 ratificationPage
			get(t, a, f, "anonymous", "/api/v1/ratifications?limit=5", &p1)
			analyst := a.NewUser(f.orgA.ID, "analyst", "")
			if err := a.Commitments.Delete(context.Background(), analyst.Principal, p1.Items[4].ID); err != nil {
				t.Fatal(err)
			}
			var p2 ratificationPage
			get(t, a, f, "anonymous", "/api/v1/ratifications?limit=5&cursor="+p1.NextCursor, &p2)
			if len(p2.Items) == 0 || p2.Items[0].ID != all.Items[5].ID {
				t.Errorf("the page after a deleted record starts elsewhere")
			}
		})

		runScenarios(t, a, f, []scenario{
			{Name: "unknown country", Method: "GET", URL: "/api/v1/ratifications?country=ZZZ", As: "anonymous",
				ExpectedStatus: 422, ExpectedContent: []string{field("country", "unknown_country")}},
			{Name: "unknown instrument and country together", Method: "GET", URL: "/api/v1/ratifications?country=France&instrument=X1", As: "anonymous",
				ExpectedStatus: 422, ExpectedContent: []string{field("country", "unknown_country"), field("instrument", "unknown_instrument")}},
			{Name: "limit below range", Method: "GET", URL: "/api/v1/ratifications?limit=0", As: "anonymous",
				ExpectedStatus: 422, ExpectedContent: []string{field("limit", "out_of_range")}},
			{Name: "limit above range", Method: "GET", URL: "/api/v1/ratifications?limit=1001", As: "anonymous",
				ExpectedStatus: 422, ExpectedContent: []string{field("limit", "out_of_range")}},
			{Name: "cursor not base64", Method: "GET", URL: "/api/v1/ratifications?cursor=%21%21", As: "anonymous",
				ExpectedStatus: 422, ExpectedContent: []string{field("cursor", "invalid")}},
			{Name: "cursor of another shape", Method: "GET", URL: "/api/v1/ratifications?cursor=" + ids.New(), As: "anonymous",
				ExpectedStatus: 422, ExpectedContent: []string{field("cursor", "invalid")}},
			{Name: "unknown record", Method: "GET", URL: "/api/v1/ratifications/" + ids.New(), As: "anonymous",
				ExpectedStatus: 404, ExpectedContent: []string{`"code":"not_found"`}},
			{Name: "malformed record id", Method: "GET", URL: "/api/v1/ratifications/x", As: "anonymous", ExpectedStatus: 404},
		})
	})
}

func TestRatificationWrites(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "analyst", "viewer", "sysadmin")
		clearInstruments(t, a, "C189")
		valid := map[string]any{"country": "fr", "instrument": "c189", "action": "Ratification", "date": "2015-06-01",
			"source": "https://normlex.ilo.org/example"}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for kk, vv := range valid {
				m[kk] = vv
			}
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
			return m
		}

		created := scenario{Name: "analyst creates a record", Method: "POST", URL: "/api/v1/ratifications", As: "analyst", Body: valid,
			ExpectedStatus: 201, ExpectedContent: []string{`"country":"FRA"`, `"instrument":"C189"`, `"action":"ratification"`,
				`"as_of":"2026-11-22"`, `"import_id":null`}}.run(t, a, f)
		var rec ratificationDoc
		created.JSON(t, &rec)
		// A second record of FRA and C189 for the conflict on change.
		var sig ratificationDoc
		scenario{Method: "POST", URL: "/api/v1/ratifications", As: "sysadmin", Body: with("action", "signature"),
			ExpectedStatus: 201}.run(t, a, f).JSON(t, &sig)
		id := "/api/v1/ratifications/" + rec.ID

		runScenarios(t, a, f, []scenario{
			{Name: "anonymous may not create", Method: "POST", URL: "/api/v1/ratifications", As: "anonymous", Body: with("action", "accession"),
				ExpectedStatus: 401},
			{Name: "viewer may not create", Method: "POST", URL: "/api/v1/ratifications", As: "viewer", Body: with("action", "accession"),
				ExpectedStatus: 403, ExpectedContent: []string{`"code":"forbidden"`}},
			{Name: "anonymous may not replace", Method: "PUT", URL: id, As: "anonymous", Body: valid, ExpectedStatus: 401},
			{Name: "viewer may not replace", Method: "PUT", URL: id, As: "viewer", Body: valid, ExpectedStatus: 403},
			{Name: "anonymous may not delete", Method: "DELETE", URL: id, As: "anonymous", ExpectedStatus: 401},
			{Name: "viewer may not delete", Method: "DELETE", URL: id, As: "viewer", ExpectedStatus: 403},
			{Name: "a second record of the same action conflicts", Method: "POST", URL: "/api/v1/ratifications", As: "analyst",
				Body: with("country", "FRA"), ExpectedStatus: 409,
				ExpectedContent: []string{`"code":"ratification.exists"`, `"type":"urn:amparo:problem:ratification.exists"`}},
			{Name: "unknown country", Method: "POST", URL: "/api/v1/ratifications", As: "analyst", Body: with("country", "France"),
				ExpectedStatus: 422, ExpectedContent: []string{`"code":"validation.failed"`, field("country", "unknown_country")}},
			{Name: "date in the future", Method: "POST", URL: "/api/v1/ratifications", As: "analyst",
				Body: with("date", "2026-11-23"), ExpectedStatus: 422, ExpectedContent: []string{field("date", "future_date")}},
			{Name: "date before the adoption", Method: "POST", URL: "/api/v1/ratifications", As: "analyst",
				Body: with("date", "2011-06-15"), ExpectedStatus: 422, ExpectedContent: []string{field("date", "before_adoption")}},
			{Name: "as_of before the date", Method: "POST", URL: "/api/v1/ratifications", As: "analyst",
				Body: with("as_of", "2015-05-31"), ExpectedStatus: 422, ExpectedContent: []string{field("as_of", "as_of_before_date")}},
			{Name: "every missing field is named", Method: "POST", URL: "/api/v1/ratifications", As: "analyst", Body: map[string]any{},
				ExpectedStatus: 422, ExpectedContent: []string{field("country", "required"), field("instrument", "required"),
					field("action", "required"), field("date", "required"), field("source", "required")}},
			{Name: "unknown instrument", Method: "POST", URL: "/api/v1/ratifications", As: "analyst",
				Body: with("instrument", "C999"), ExpectedStatus: 422, ExpectedContent: []string{field("instrument", "unknown_instrument")}},
			{Name: "fields beyond the record are refused", Method: "POST", URL: "/api/v1/ratifications", As: "analyst",
				Body: with("updated_by", "someone"), ExpectedStatus: 422, ExpectedContent: []string{field("updated_by", "unknown_field")}},
			{Name: "analyst replaces the record", Method: "PUT", URL: id, As: "analyst",
				Body: with("source", "https://normlex.ilo.org/other"), ExpectedStatus: 200,
				ExpectedContent: []string{rec.ID, `"source":"https://normlex.ilo.org/other"`, `"action":"ratification"`}},
			{Name: "replacement is checked", Method: "PUT", URL: id, As: "analyst", Body: with("date", "yesterday"),
				ExpectedStatus: 422, ExpectedContent: []string{field("date", "invalid_date")}},
			{Name: "replacement onto another record's key conflicts", Method: "PUT", URL: id, As: "analyst",
				Body: with("action", "signature"), ExpectedStatus: 409, ExpectedContent: []string{`"code":"ratification.exists"`}},
			{Name: "replacing an unknown record", Method: "PUT", URL: "/api/v1/ratifications/" + ids.New(), As: "analyst",
				Body: valid, ExpectedStatus: 404},
			{Name: "analyst deletes the record", Method: "DELETE", URL: id, As: "analyst", ExpectedStatus: 204},
			{Name: "the deleted record is gone", Method: "GET", URL: id, As: "anonymous", ExpectedStatus: 404},
			{Name: "deleting it again", Method: "DELETE", URL: id, As: "analyst", ExpectedStatus: 404},
		})

		t.Run("the analyst reads their acts in the audit log", func(t *testing.T) {
			analyst := f.users["analyst"]
			var p auditPage
			get(t, a, f, "analyst", "/api/v1/audit?limit=500", &p)
			seen := map[string]bool{}
			for _, e := range p.Items {
				if e.ActorID != analyst.ID {
					t.Errorf("the analyst sees entry %d of another actor", e.Seq)
				}
				if e.ObjectID == rec.ID {
					seen[e.Action] = true
				}
			}
			for _, action := range []string{"ratification.create", "ratification.update", "ratification.delete"} {
				if !seen[action] {
					t.Errorf("no %s entry for the record", action)
				}
			}
			// Asking for another actor's entries still gives only their own.
			var asked auditPage
			get(t, a, f, "analyst", "/api/v1/audit?actor_id="+f.users["sysadmin"].ID, &asked)
			for _, e := range asked.Items {
				if e.ActorID != analyst.ID {
					t.Errorf("the analyst sees entry %d of another actor by asking for it", e.Seq)
				}
			}
		})
	})
}

// importFile sends data as the body of an import.
func importFile(t *testing.T, a *testutil.App, f *fixture, as, query, contentType string, data []byte) testutil.Response {
	t.Helper()
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return send(t, a, nil, http.MethodPost, "/api/v1/ratifications/import"+query, f.token(t, as), h, data)
}

func wantReport(t *testing.T, res testutil.Response, want importReport) importReport {
	t.Helper()
	if res.Status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", res.Status, redact(res.Body))
	}
	var got importReport
	res.JSON(t, &got)
	if (got.ImportID == nil) != want.DryRun {
		t.Errorf("import_id %v on a dry run %v", got.ImportID, want.DryRun)
	}
	id := got.ImportID
	got.ImportID, want.ImportID = nil, nil
	if got != want {
		t.Errorf("report %+v, want %+v", got, want)
	}
	got.ImportID = id
	return got
}

func wantRowErrors(t *testing.T, res testutil.Response, want ...string) {
	t.Helper()
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422; body %s", res.Status, redact(res.Body))
	}
	var p problemDoc
	res.JSON(t, &p)
	if p.Code != "validation.failed" {
		t.Errorf("problem code %q", p.Code)
	}
	if len(p.Errors) != len(want) {
		t.Errorf("%d errors, want %d: %s", len(p.Errors), len(want), redact(res.Body))
	}
	for _, w := range want {
		if !bytes.Contains(res.Body, []byte(w)) {
			t.Errorf("errors lack %s: %s", w, redact(res.Body))
		}
	}
}

const csvHeader = "country,instrument,action,date,source,as_of\n"

func TestRatificationImport(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "analyst", "viewer")
		clearInstruments(t, a, "C097", "C143")
		records := func(q string) []ratificationDoc {
			var p ratificationPage
			get(t, a, f, "anonymous", "/api/v1/ratifications?limit=1000&"+q, &p)
			return p.Items
		}
		total := func() int {
			recs, err := a.Commitments.List(context.Background(), commitments.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(recs)
		}
		shipped := total()
		good := csvHeader +
			"DEU,C097,ratification,1959-06-22,https://normlex.ilo.org/deu,2026-01-10\n" +
			"it,c097,Ratification,1952-10-22,https://normlex.ilo.org/ita,\n" +
			"724,C097,ratification,1967-03-21,\"https://normlex.ilo.org/esp, entry 3\",2026-01-10\n"

		var importID string
		t.Run("a good file", func(t *testing.T) {
			rep := wantReport(t, importFile(t, a, f, "analyst", "?name=ilo.csv", "text/csv", []byte(good)),
				importReport{Rows: 3, Inserted: 3})
			importID = str(rep.ImportID)
			got := records("instrument=C097")
			if len(got) != 3 {
				t.Fatalf("%d records of C097, want 3", len(got))
			}
			for _, r := range got {
				if str(r.ImportID) != importID {
					t.Errorf("%s: import_id %s, want %s", r.Country, str(r.ImportID), importID)
				}
				if r.Country == "ITA" && (r.Action != "ratification" || r.AsOf != "2026-11-22") {
					t.Errorf("Italy's record was not normalized: %+v", r)
				}
			}
		})
		t.Run("the same file again changes nothing", func(t *testing.T) {
			// as_of left empty becomes today, which is still today.
			wantReport(t, importFile(t, a, f, "analyst", "", "text/csv; charset=utf-8", []byte(good)),
				importReport{Rows: 3, Unchanged: 3})
		})
		t.Run("a changed source updates its record", func(t *testing.T) {
			changed := strings.Replace(good, "https://normlex.ilo.org/deu", "https://normlex.ilo.org/deu-2", 1)
			wantReport(t, importFile(t, a, f, "analyst", "", "text/csv", []byte(changed)),
				importReport{Rows: 3, Updated: 1, Unchanged: 2})
		})

		t.Run("a bad file is refused whole", func(t *testing.T) {
			bad := csvHeader +
				"PRT,C143,ratification,1978-12-12,https://normlex.ilo.org/prt,\n" +
				"Atlantis,C143,ratification,1980-01-01,https://example.org,\n" +
				"SWE,C143,ratification,2027-01-01,https://example.org,\n" +
				"NOR,C143,ratification,1970-01-01,,\n" +
				"PRT,C143,ratification,1979-01-01,https://example.org,\n"
			wantRowErrors(t, importFile(t, a, f, "analyst", "", "text/csv", []byte(bad)),
				rowField(3, "country", "unknown_country"), rowField(4, "date", "future_date"),
				rowField(5, "date", "before_adoption"), rowField(5, "source", "required"),
				rowField(6, "action", "duplicate_in_file"))
			if n := len(records("instrument=C143")); n != 0 {
				t.Errorf("%d records of C143 written from a refused file", n)
			}
		})
		t.Run("a bad header is named with its row", func(t *testing.T) {
			long := strings.Repeat("x", 300)
			res := importFile(t, a, f, "analyst", "", "text/csv", []byte("country,instrument,action,date,"+long+"\n"))
			wantRowErrors(t, res, rowField(1, strings.Repeat("x", 64), "unknown_column"), rowField(1, "source", "missing_column"))
		})
		t.Run("an empty file", func(t *testing.T) {
			wantRowErrors(t, importFile(t, a, f, "analyst", "", "text/csv", nil), field("", "empty_file"))
		})

		t.Run("a dry run counts and writes nothing", func(t *testing.T) {
			file := csvHeader + "PRT,C143,ratification,1978-12-12,https://normlex.ilo.org/prt,\n" +
				"DEU,C097,ratification,1959-06-22,https://normlex.ilo.org/deu,2026-01-10\n"
			wantReport(t, importFile(t, a, f, "analyst", "?dry_run=true", "text/csv", []byte(file)),
				importReport{Rows: 2, Inserted: 1, Updated: 1, DryRun: true})
			if n := len(records("instrument=C143")); n != 0 {
				t.Errorf("%d records of C143 written by a dry run", n)
			}
		})

		t.Run("an XLSX workbook", func(t *testing.T) {
			x := excelize.NewFile()
			defer x.Close()
			rows := [][]any{
				{"Country", "Instrument", "Action", "Date", "Source", "As of"},
				{"NLD", "C097", "ratification", time.Date(1952, 5, 20, 0, 0, 0, 0, time.UTC), "https://normlex.ilo.org/nld", "2026-02-01"},
				{"be", "C097", "ratification", "1953-07-27", "https://normlex.ilo.org/bel", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)},
			}
			for i, row := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				if err := x.SetSheetRow(x.GetSheetName(0), cell, &row); err != nil {
					t.Fatal(err)
				}
			}
			var buf bytes.Buffer
			if err := x.Write(&buf); err != nil {
				t.Fatal(err)
			}
			wantReport(t, importFile(t, a, f, "analyst", "?name=ilo.xlsx",
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes()),
				importReport{Rows: 2, Inserted: 2})
			got := records("country=NLD&instrument=C097")
			if len(got) != 1 {
				t.Fatalf("%d records of the Netherlands, want 1", len(got))
			}
			for _, r := range got {
				if r.Date != "1952-05-20" || r.AsOf != "2026-02-01" {
					t.Errorf("the Netherlands' record from XLSX: %+v", r)
				}
			}
		})

		t.Run("a file over 1 MiB is taken", func(t *testing.T) {
			var b strings.Builder
			b.WriteString(csvHeader + "AUT,C097,ratification,1952-01-01,https://normlex.ilo.org/aut,\n")
			for b.Len() <= 1<<20+1024 {
				b.WriteString(",,,,,\n") // blank rows, as spreadsheets leave
			}
			wantReport(t, importFile(t, a, f, "analyst", "?dry_run=1", "text/csv", []byte(b.String())),
				importReport{Rows: 1, Inserted: 1, DryRun: true})
		})
		t.Run("a body over 1 MiB elsewhere is refused", func(t *testing.T) {
			huge := map[string]any{"country": "AUT", "instrument": "C097", "action": "ratification", "date": "1952-01-01",
				"source": strings.Repeat("s", 1<<20)}
			scenario{Method: "POST", URL: "/api/v1/ratifications", As: "analyst", Body: huge,
				ExpectedStatus: 413, ExpectedContent: []string{`"code":"request.too_large"`}}.run(t, a, f)
		})

		for _, tc := range []struct {
			name, contentType string
		}{
			{"JSON", "application/json"},
			{"plain text", "text/plain"},
			{"a form", "multipart/form-data; boundary=x"},
			{"CSV in Latin-1", "text/csv; charset=iso-8859-1"},
			{"no content type", ""},
		} {
			t.Run("refused as "+tc.name, func(t *testing.T) {
				res := importFile(t, a, f, "analyst", "", tc.contentType, []byte(good))
				if res.Status != http.StatusUnsupportedMediaType || !bytes.Contains(res.Body, []byte(`"code":"request.unsupported_media_type"`)) {
					t.Errorf("status %d, want 415; body %s", res.Status, redact(res.Body))
				}
			})
		}
		for _, tc := range []struct {
			query, want string
		}{
			{"?dry_run=perhaps", field("dry_run", "invalid")},
			{"?name=" + strings.Repeat("n", 256), field("name", "too_long")},
			{"?name=" + url.QueryEscape("a\x07b"), field("name", "control_characters")},
		} {
			t.Run("query "+tc.want, func(t *testing.T) {
				res := importFile(t, a, f, "analyst", tc.query, "text/csv", []byte(good))
				if res.Status != http.StatusUnprocessableEntity || !bytes.Contains(res.Body, []byte(tc.want)) {
					t.Errorf("status %d, want 422 with %s; body %s", res.Status, tc.want, redact(res.Body))
				}
			})
		}
		t.Run("refused to those without ratification.write", func(t *testing.T) {
			for as, status := range map[string]int{"anonymous": 401, "viewer": 403} {
				if res := importFile(t, a, f, as, "", "text/csv", []byte(good)); res.Status != status {
					t.Errorf("%s: status %d, want %d", as, res.Status, status)
				}
			}
		})

		if n := total(); n != shipped+3+2 {
			t.Errorf("%d records at the end, want the %d shipped and 5 imported", n, shipped)
		}

		t.Run("the analyst reads the import in the audit log", func(t *testing.T) {
			var p auditPage
			get(t, a, f, "analyst", "/api/v1/audit?action=ratification.import", &p)
			// The good file three times, and the workbook; refused files and
			// dry runs change nothing and leave no entry.
			if len(p.Items) != 4 {
				t.Errorf("%d import entries, want 4", len(p.Items))
			}
			found := false
			for _, e := range p.Items {
				found = found || e.ObjectID == importID
				if e.ActorID != f.users["analyst"].ID {
					t.Errorf("entry %d by another actor", e.Seq)
				}
			}
			if !found {
				t.Error("no entry names the first import")
			}
		})
	})
}
