// SPDX-License-Identifier: AGPL-3.0-or-later

package cases_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/vault"
)

// BenchmarkCaseList measures the first page of the case list, filtered and
// ordered in the ways the list page offers, for a supervisor (team scope)
// and a caseworker (own scope), on a generated organisation of
// AMPARO_BENCH_CASES cases (default 1,000,000), on SQLite and, when
// AMPARO_TEST_POSTGRES_URL is set, on PostgreSQL. Each sub-benchmark
// reports p50-ms and p95-ms over its iterations; the target is a
// p95 of at most 100 ms at 1,000,000 cases. Run it with a fixed count of
// iterations, for instance:
//
//	go test ./internal/cases/ -run '^$' -bench BenchmarkCaseList -benchtime 200x -timeout 3h
//
// Generating a million cases takes minutes; AMPARO_BENCH_DIR keeps the
// SQLite database and the key files there, to be reused by the next run of
// the same size, and with it AMPARO_BENCH_POSTGRES_URL names an empty
// PostgreSQL database (or schema, by search_path) to keep the PostgreSQL
// data in. -short skips it.
func BenchmarkCaseList(b *testing.B) {
	if testing.Short() {
		b.Skip("generates a large database")
	}
	n := 1_000_000
	if s := os.Getenv("AMPARO_BENCH_CASES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1000 {
			b.Fatalf("AMPARO_BENCH_CASES=%q: want a whole number of at least 1000", s)
		}
	}
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			w := newBenchWorld(b, engine, n)
			for _, q := range w.queries() {
				b.Run(q.name, func(b *testing.B) {
					durations := make([]time.Duration, 0, b.N)
					for b.Loop() {
						start := time.Now()
						if err := q.run(); err != nil {
							b.Fatal(err)
						}
						durations = append(durations, time.Since(start))
					}
					slices.Sort(durations)
					ms := func(q float64) float64 {
						return float64(durations[int(q*float64(len(durations)-1))].Microseconds()) / 1000
					}
					b.ReportMetric(ms(0.50), "p50-ms")
					b.ReportMetric(ms(0.95), "p95-ms")
				})
			}
		})
	}
}

// benchNow is the generated data's present.
var benchNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// benchWorld is one generated organisation and what the queries need.
type benchWorld struct {
	db  *store.DB
	svc *cases.Service
	// sup supervises team 0; cw is a caseworker of it.
	sup, cw access.Principal
	// number is a case number of team 0; rare is the least common
	// nationality.
	number, rare string
}

// benchQuery is one list to time.
type benchQuery struct {
	name string
	run  func() error
}

func (w *benchWorld) queries() []benchQuery {
	ctx := context.Background()
	list := func(name string, p access.Principal, f cases.Filter, page cases.Page) benchQuery {
		return benchQuery{name, func() error { _, _, err := w.svc.List(ctx, p, f, page); return err }}
	}
	search := func(name string, id cases.Identity, f cases.Filter) benchQuery {
		return benchQuery{name, func() error { _, _, err := w.svc.Search(ctx, w.sup, id, f, cases.Page{}); return err }}
	}
	risk := cases.RiskCritical
	return []benchQuery{
		list("team", w.sup, cases.Filter{}, cases.Page{}),
		list("team/status", w.sup, cases.Filter{Status: cases.StatusServices}, cases.Page{}),
		list("team/risk", w.sup, cases.Filter{Risk: &risk}, cases.Page{}),
		list("team/concern", w.sup, cases.Filter{Concern: "trafficking"}, cases.Page{}),
		list("team/nationality", w.sup, cases.Filter{Nationality: "HND"}, cases.Page{}),
		list("team/rare-nationality", w.sup, cases.Filter{Nationality: w.rare}, cases.Page{}),
		list("team/country", w.sup, cases.Filter{Country: "USA"}, cases.Page{}),
		list("team/admin1", w.sup, cases.Filter{Country: "MEX", Admin1: "MX-CHP"}, cases.Page{}),
		list("team/owner", w.sup, cases.Filter{OwnerID: w.cw.UserID}, cases.Page{}),
		list("team/number", w.sup, cases.Filter{Number: w.number}, cases.Page{}),
		list("team/opened-last-30-days", w.sup, cases.Filter{OpenedFrom: benchNow.AddDate(0, 0, -30)}, cases.Page{}),
		list("team/status+nationality", w.sup, cases.Filter{Status: cases.StatusNew, Nationality: "GTM"}, cases.Page{}),
		list("team/alert-child", w.sup, cases.Filter{Alert: string(detention.AlertChildInImmigrationDetention)}, cases.Page{}),
		list("team/alert-no-review", w.sup, cases.Filter{Alert: string(detention.AlertNoJudicialReview)}, cases.Page{}),
		list("team/sort-opened-asc", w.sup, cases.Filter{}, cases.Page{Sort: cases.SortOpened, Ascending: true}),
		list("team/sort-number", w.sup, cases.Filter{}, cases.Page{Sort: cases.SortNumber}),
		list("team/sort-risk", w.sup, cases.Filter{}, cases.Page{Sort: cases.SortRisk}),
		list("team/status/sort-risk", w.sup, cases.Filter{Status: cases.StatusAssessment}, cases.Page{Sort: cases.SortRisk}),
		list("own", w.cw, cases.Filter{}, cases.Page{}),
		list("own/status", w.cw, cases.Filter{Status: cases.StatusServices}, cases.Page{}),
		list("own/sort-number", w.cw, cases.Filter{}, cases.Page{Sort: cases.SortNumber}),
		search("team/search-name", cases.Identity{Name: "maria"}, cases.Filter{}),
		search("team/search-full-name", cases.Identity{Name: "maria garcia"}, cases.Filter{}),
		search("team/search-document+status", cases.Identity{DocumentNumber: "P0000042"}, cases.Filter{Status: cases.StatusNew}),
	}
}

// weighted picks from values with the given weights.
type weighted[T any] struct {
	values []T
	cum    []float64
}

func newWeighted[T any](values []T, weights []float64) weighted[T] {
	w := weighted[T]{values: values}
	total := 0.0
	for _, x := range weights {
		total += x
		w.cum = append(w.cum, total)
	}
	for i := range w.cum {
		w.cum[i] /= total
	}
	return w
}

func (w weighted[T]) pick(r *rand.Rand) T {
	x := r.Float64()
	i, _ := slices.BinarySearch(w.cum, x)
	return w.values[min(i, len(w.values)-1)]
}

// zipf returns weights 1/k^s for k = 1…n: a few common values and a long
// tail of rare ones, as nationalities are.
func zipf(n int, s float64) []float64 {
	out := make([]float64, n)
	for k := range out {
		out[k] = 1 / math.Pow(float64(k+1), s)
	}
	return out
}

var (
	benchNationalities = []string{"HND", "GTM", "SLV", "VEN", "HTI", "CUB", "NIC", "COL", "ECU", "MEX", "PER", "BRA",
		"DOM", "CHN", "IND", "AFG", "CMR", "SEN", "GIN", "GHA", "NGA", "MLI", "BFA", "ERI", "ETH", "SOM", "SDN", "SYR",
		"IRQ", "YEM", "BGD", "PAK", "NPL", "LKA", "UZB", "TJK", "KGZ", "RUS", "UKR", "TUR"}
	benchAdmin1 = []string{"MX-CHP", "MX-TAB", "MX-VER", "MX-OAX", "MX-CMX", "MX-MEX", "MX-PUE", "MX-CHH", "MX-BCN",
		"MX-SON", "MX-TAM", "MX-NLE", "MX-COA", "MX-JAL", "MX-GUA", "MX-QUE", "MX-SLP", "MX-ROO", "MX-YUC", "MX-CAM",
		"MX-GRO", "MX-MIC", "MX-MOR", "MX-HID", "MX-TLA", "MX-ZAC", "MX-DUR", "MX-SIN", "MX-NAY", "MX-COL", "MX-AGU", "MX-BCS"}
	benchGiven  = []string{"María", "José", "Juan", "Ana", "Luis", "Carmen", "Jorge", "Rosa", "Carlos", "Elena"}
	benchFamily = []string{"García", "López", "Hernández", "Martínez", "González", "Pérez", "Rodríguez", "Sánchez",
		"Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vásquez", "Reyes", "Jiménez", "Torres", "Díaz", "Castro", "Ruiz"}
)

// benchWorld opens the generated organisation for engine, generating it
// unless a kept SQLite database of the same size exists.
func newBenchWorld(b *testing.B, engine string, n int) *benchWorld {
	b.Helper()
	ctx := context.Background()
	url, keyFile, reuse := "", filepath.Join(b.TempDir(), "amparo.keys"), false
	if dir := os.Getenv("AMPARO_BENCH_DIR"); dir != "" {
		switch keep := os.Getenv("AMPARO_BENCH_POSTGRES_URL"); {
		case engine == "sqlite":
			url = filepath.Join(dir, fmt.Sprintf("cases-%d.db", n))
		case keep != "":
			url = keep
		}
		if url != "" {
			keyFile = filepath.Join(dir, fmt.Sprintf("cases-%d-%s.keys", n, engine))
			_, err := os.Stat(keyFile)
			reuse = err == nil
		}
	}
	if url == "" {
		url = storetest.URL(b, engine)
	}
	db := storetest.Open(b, url)
	var ring *vault.Keyring
	var err error
	if reuse {
		ring, err = vault.LoadKeyFile(keyFile)
	} else {
		_ = os.Remove(keyFile)
		ring, err = vault.CreateKeyFile(keyFile)
	}
	if err != nil {
		b.Fatal(err)
	}
	v := vault.New(db, ring)
	if err := v.Init(ctx); err != nil {
		b.Fatal(err)
	}
	clk := clock.NewFake(benchNow)
	log := audit.New(db, clk)
	per := persons.New(persons.Config{DB: db, Vault: v, Audit: log, Clock: clk})
	det := detention.New(detention.ServiceConfig{DB: db, Audit: log, Clock: clk})
	w := &benchWorld{db: db, svc: cases.New(cases.Config{DB: db, Vault: v, Audit: log, Clock: clk, Identities: per, Alerts: det})}
	if reuse {
		w.load(b)
	} else {
		start := time.Now()
		w.generate(b, n, per)
		b.Logf("%s: generated %d cases in %s", engine, n, time.Since(start).Round(time.Second))
		if engine == "postgres" {
			// As autovacuum would soon after a load: PostgreSQL plans from
			// statistics, and reads index-only where the visibility map
			// allows. SQLite runs without statistics, as Amparo runs it.
			if _, err := db.Exec(ctx, `VACUUM ANALYZE`); err != nil {
				b.Fatal(err)
			}
		}
	}
	return w
}

// load finds the principals and values of a kept database.
func (w *benchWorld) load(b *testing.B) {
	b.Helper()
	ctx := context.Background()
	var sup, cw, org, team string
	err := w.db.Scan(w.db.QueryRow(ctx, `SELECT s.user_id, c.user_id, s.org_id, s.team_id FROM memberships s
		JOIN memberships c ON c.team_id = s.team_id AND c.role = 'caseworker' WHERE s.role = 'supervisor'
		ORDER BY s.team_id, c.user_id LIMIT 1`), &sup, &cw, &org, &team)
	if err != nil {
		b.Fatal(err)
	}
	w.sup = access.Principal{UserID: sup, OrgID: org, TeamID: team, Role: access.RoleSupervisor, MFA: true}
	w.cw = access.Principal{UserID: cw, OrgID: org, TeamID: team, Role: access.RoleCaseworker, MFA: true}
	if err := w.db.Scan(w.db.QueryRow(ctx, `SELECT number FROM cases WHERE owner_id = ? ORDER BY number LIMIT 1`, cw), &w.number); err != nil {
		b.Fatal(err)
	}
	w.rare = benchNationalities[len(benchNationalities)-1]
}

// generate inserts n cases of one organisation directly, in batches, each
// with a principal person (clear attributes and search tokens, no sealed
// identity), concerns, and for some a detention episode; then gives 500
// of the persons a real identity through the persons service, so that
// identity searches find them.
func (w *benchWorld) generate(b *testing.B, n int, per *persons.Service) {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	now := benchNow.UnixMicro()
	org := ids.New()
	const teams, perTeam = 20, 20
	type member struct{ id, team string }
	var workers []member
	err := w.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)`,
			org, "Benchmark "+org, now, now); err != nil {
			return err
		}
		var users, memberships [][]any
		for t := range teams {
			team := ids.New()
			if _, err := tx.Exec(ctx, `INSERT INTO teams (id, org_id, name, created_at) VALUES (?, ?, ?, ?)`,
				team, org, fmt.Sprintf("Team %d", t), now); err != nil {
				return err
			}
			for i := range perTeam + 1 {
				id, role := ids.New(), access.RoleCaseworker
				if i == perTeam {
					role = access.RoleSupervisor
				} else {
					workers = append(workers, member{id, team})
				}
				users = append(users, []any{id, "bench:" + id, []byte{1}, []byte{1}, "x", now, now})
				memberships = append(memberships, []any{ids.New(), org, id, role, team, now, now})
				if t == 0 && i == perTeam {
					w.sup = access.Principal{UserID: id, OrgID: org, TeamID: team, Role: role, MFA: true}
				}
			}
		}
		if err := tx.InsertRows(ctx, "users", []string{"id", "email_index", "email_enc", "name_enc", "password_hash",
			"created_at", "updated_at"}, users); err != nil {
			return err
		}
		if err := tx.InsertRows(ctx, "memberships", []string{"id", "org_id", "user_id", "role", "team_id", "created_at",
			"updated_at"}, memberships); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO detention_legal_limits (country, max_days, source, as_of, updated_by, updated_at)
			VALUES ('MEX', 60, 'benchmark', '2026-01-01', 'system', ?)`, now)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	w.cw = access.Principal{UserID: workers[0].id, OrgID: org, TeamID: workers[0].team, Role: access.RoleCaseworker, MFA: true}
	w.rare = benchNationalities[len(benchNationalities)-1]

	nationality := newWeighted(benchNationalities, zipf(len(benchNationalities), 1.2))
	country := newWeighted([]string{"MEX", "USA", "GTM", "HND", ""}, []float64{80, 8, 6, 3, 3})
	admin1 := newWeighted(benchAdmin1, zipf(len(benchAdmin1), 1.0))
	status := newWeighted(cases.Statuses, []float64{10, 15, 15, 25, 35})
	risk := newWeighted([]cases.Risk{"", cases.RiskLow, cases.RiskMedium, cases.RiskHigh, cases.RiskCritical}, []float64{15, 30, 30, 18, 7})
	var codes []cases.Concern
	for _, c := range cases.Concerns {
		codes = append(codes, c.Code)
	}
	concern := newWeighted(codes, zipf(len(codes), 1.0))

	span := benchNow.AddDate(-5, 0, 0)
	step := benchNow.Sub(span) / time.Duration(n)
	seq := map[int]int64{}
	const batch = 5000
	var caseRows, concernRows, linkRows, personRows, indexRows, episodeRows [][]any
	flush := func() {
		err := w.db.InTx(ctx, func(tx *store.Tx) error {
			for _, t := range []struct {
				table   string
				columns []string
				rows    [][]any
			}{
				{"persons", []string{"id", "org_id", "owner_id", "team_id", "sex", "birth_year", "nationality",
					"current_country", "current_admin1", "created_at", "updated_at"}, personRows},
				{"person_index", []string{"person_id", "kind", "token"}, indexRows},
				{"cases", []string{"id", "org_id", "number", "owner_id", "team_id", "status", "risk", "created_by",
					"created_at", "updated_at", "closed_at", "principal_nationality", "principal_country", "principal_admin1"}, caseRows},
				{"case_concerns", []string{"case_id", "concern", "case_org_id", "case_updated_at"}, concernRows},
				{"case_persons", []string{"case_id", "person_id", "role", "relation", "created_by", "created_at"}, linkRows},
				{"detention_episodes", []string{"id", "org_id", "case_id", "person_id", "facility_type", "facility_country",
					"start_at", "end_at", "immigration_related", "created_by", "created_at", "updated_by", "updated_at"}, episodeRows},
			} {
				if err := tx.InsertRows(ctx, t.table, t.columns, t.rows); err != nil {
					return fmt.Errorf("%s: %w", t.table, err)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		caseRows, concernRows, linkRows, personRows, indexRows, episodeRows = caseRows[:0], concernRows[:0], linkRows[:0],
			personRows[:0], indexRows[:0], episodeRows[:0]
	}
	token := func() string {
		return fmt.Sprintf("%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64())
	}
	for i := range n {
		opened := span.Add(time.Duration(i)*step + time.Duration(r.Int64N(int64(step))))
		year := opened.Year()
		seq[year]++
		updated := opened.Add(time.Duration(r.Int64N(int64(min(365*24*time.Hour, benchNow.Sub(opened)) + 1))))
		owner := workers[r.IntN(len(workers))]
		caseID, personID := ids.New(), ids.New()
		nat, cur := nationality.pick(r), country.pick(r)
		area := ""
		if cur == "MEX" {
			area = admin1.pick(r)
		}
		birth := 1960 + r.IntN(50)
		if r.IntN(20) == 0 {
			birth = 2009 + r.IntN(8) // a child
		}
		st := status.pick(r)
		var closed any
		if st == cases.StatusClosed {
			closed = updated.UnixMicro()
		}
		personRows = append(personRows, []any{personID, org, owner.id, owner.team, "unknown", birth, nat, cur, area,
			opened.UnixMicro(), opened.UnixMicro()})
		for _, kind := range []string{"name", "name", "document", "phone"} {
			indexRows = append(indexRows, []any{personID, kind, token()})
		}
		caseRows = append(caseRows, []any{caseID, org, cases.FormatNumber(year, seq[year]), owner.id, owner.team, string(st),
			string(risk.pick(r)), owner.id, opened.UnixMicro(), updated.UnixMicro(), closed, nat, cur, area})
		seen := map[cases.Concern]bool{}
		for range r.IntN(4) {
			if c := concern.pick(r); !seen[c] {
				seen[c] = true
				concernRows = append(concernRows, []any{caseID, string(c), org, updated.UnixMicro()})
			}
		}
		linkRows = append(linkRows, []any{caseID, personID, "principal", "", owner.id, opened.UnixMicro()})
		if r.IntN(50) == 0 { // 2% detained at some point, a quarter of them still
			start := benchNow.Add(-time.Duration(1+r.IntN(120)) * 24 * time.Hour)
			var end any
			if r.IntN(4) != 0 {
				end = start.Add(time.Duration(1+r.IntN(20)) * 24 * time.Hour).UnixMicro()
			}
			immigration := 0
			if r.IntN(5) != 0 {
				immigration = 1
			}
			episodeRows = append(episodeRows, []any{ids.New(), org, caseID, personID, "immigration_detention_centre", "MEX",
				start.UnixMicro(), end, immigration, owner.id, start.UnixMicro(), owner.id, start.UnixMicro()})
		}
		if len(caseRows) == batch {
			flush()
		}
	}
	flush()
	if err := w.db.Scan(w.db.QueryRow(ctx, `SELECT number FROM cases WHERE owner_id = ? ORDER BY number LIMIT 1`,
		w.cw.UserID), &w.number); err != nil {
		b.Fatal(err)
	}
	// Real identities for 500 principals, most of them in team 0.
	type target struct{ person, owner, team string }
	var targets []target
	for _, teamOnly := range []bool{true, false} {
		q := `SELECT cp.person_id, c.owner_id, c.team_id FROM case_persons cp JOIN cases c ON c.id = cp.case_id WHERE c.team_id `
		if teamOnly {
			q += `= ?`
		} else {
			q += `<> ?`
		}
		found, err := store.QueryAll(ctx, w.db, func(sc store.Scanner) (target, error) {
			var t target
			return t, sc.Scan(&t.person, &t.owner, &t.team)
		}, q+` ORDER BY cp.person_id LIMIT 250`, w.sup.TeamID)
		if err != nil {
			b.Fatal(err)
		}
		targets = append(targets, found...)
	}
	for i, t := range targets {
		p := access.Principal{UserID: t.owner, OrgID: org, TeamID: t.team, Role: access.RoleCaseworker, MFA: true}
		given, family := benchGiven[i%len(benchGiven)], benchFamily[(i/len(benchGiven))%len(benchFamily)]
		docs := []persons.Document{{Type: "passport", Number: fmt.Sprintf("P%07d", i)}}
		phones := []string{fmt.Sprintf("+52 55 %04d %04d", i/10000, i%10000)}
		if _, err := per.Update(ctx, p, t.person, persons.Patch{GivenName: &given, FamilyName: &family, Documents: &docs,
			Phones: &phones}); err != nil {
			b.Fatalf("identity of %s: %v", t.person, err)
		}
	}
}
