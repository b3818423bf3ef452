// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/password"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/vault"
)

// htcdsBenchRows is the number of trafficking cases BenchmarkHTCDSExport
// exports (the target: 100,000); AMPARO_BENCH_ROWS overrides it
// for a quick run.
func htcdsBenchRows(b *testing.B) int {
	if s := os.Getenv("AMPARO_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("AMPARO_BENCH_ROWS=%q", s)
		}
		return n
	}
	return 100_000
}

// BenchmarkHTCDSExport imports, on each engine, an organisation's worth of
// trafficking cases (each a person with a sealed identity, a case and an
// exploitation record, through the htcds import preset), then exports them
// all in the HTCDS layout, without and with the persons' identities
// (decrypted person by person, each read audited), into a stream
// age-encrypted to the organisation's key, counted and thrown away. It reports rows/s and the
// export's peak resident memory: the kernel's high-water mark of this
// process (VmHWM in /proc/self/status), reset just before the export
// (writing 5 to /proc/self/clear_refs), with the resident memory at the
// reset (base RSS) beside it, since the process already holds the
// database's caches. Run it once per engine:
//
//	go test ./internal/caseexport/ -run '^$' -bench BenchmarkHTCDSExport -benchtime 1x -timeout 1h
func BenchmarkHTCDSExport(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			env := newBenchEnv(b, storetest.URL(b, engine))
			n := htcdsBenchRows(b)
			start := time.Now()
			env.seed(b, n)
			b.Logf("%s: %d trafficking cases imported in %s", engine, n, time.Since(start).Round(time.Millisecond))
			for _, identity := range []bool{false, true} {
				b.Run("identity="+strconv.FormatBool(identity), func(b *testing.B) {
					for b.Loop() {
						env.export(b, n, identity)
					}
				})
			}
		})
	}
}

// benchEnv is the services an import and an export need, over one
// database, with a supervisor who may do both.
type benchEnv struct {
	db  *store.DB
	imp *caseimport.Service
	exp *caseexport.Service
	sup access.Principal
	pw  string
}

func newBenchEnv(b *testing.B, url string) *benchEnv {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, url)
	ring, err := vault.CreateKeyFile(filepath.Join(b.TempDir(), "master.key"))
	if err != nil {
		b.Fatal(err)
	}
	v := vault.New(db, ring)
	if err := v.Init(ctx); err != nil {
		b.Fatal(err)
	}
	c := clock.NewFake(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	log := audit.New(db, c)
	acc := accounts.New(accounts.Config{DB: db, Vault: v, Audit: log, Hasher: password.NewHasher(1), Clock: c})
	per := persons.New(persons.Config{DB: db, Vault: v, Audit: log, Clock: c})
	cs := cases.New(cases.Config{DB: db, Vault: v, Audit: log, Clock: c, Persons: per, Identities: per})
	xpl := exploitation.New(exploitation.Config{DB: db, Vault: v, Audit: log, Clock: c, Cases: cs})
	env := &benchEnv{db: db, pw: "benchmark password 2026",
		imp: caseimport.New(caseimport.Config{DB: db, Persons: per, Cases: cs, Audit: log, Clock: c}),
		exp: caseexport.New(caseexport.Config{DB: db, Audit: log, Clock: c, Auth: acc, Cases: cs, Persons: per, Exploitation: xpl})}
	name := "Benchmark organisation"
	org, err := acc.CreateOrganisation(ctx, access.System, accounts.OrganisationInput{Name: &name}, false)
	if err != nil {
		b.Fatal(err)
	}
	team, err := acc.CreateTeam(ctx, access.System, org.ID, "Team")
	if err != nil {
		b.Fatal(err)
	}
	u, _, err := acc.CreateUser(ctx, access.System, accounts.NewUser{Email: "supervisor@bench.example", Name: "Supervisor",
		Password: env.pw, OrgID: org.ID, Role: access.RoleSupervisor, TeamID: team.ID})
	if err != nil {
		b.Fatal(err)
	}
	env.sup = access.Principal{UserID: u.ID, OrgID: org.ID, TeamID: team.ID, Role: access.RoleSupervisor, MFA: true}
	// The file is encrypted to the organisation's X25519 key: a passphrase
	// would add scrypt's fixed cost (256 MiB and about a second) to every
	// export, whatever its length.
	key, err := age.GenerateX25519Identity()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO org_export_keys (org_id, recipient, updated_by, updated_at) VALUES (?, ?, ?, ?)`,
		org.ID, key.Recipient().String(), u.ID, c.Now().UnixMicro()); err != nil {
		b.Fatal(err)
	}
	return env
}

// seed imports n synthetic trafficking cases in the HTCDS layout, made as
// they are read so that the file is never whole in memory.
func (e *benchEnv) seed(b *testing.B, n int) {
	b.Helper()
	r, w := io.Pipe()
	go func() { _ = w.CloseWithError(writeHTCDSFile(w, n)) }()
	rep, err := e.imp.Import(context.Background(), e.sup, r, 0, caseimport.Options{Mapping: mustPreset(b)})
	if err != nil || rep.Created != n {
		b.Fatalf("Import = %d created, %d errors (%v), %v", rep.Created, len(rep.Errors), rep.Errors[:min(len(rep.Errors), 3)], err)
	}
}

func mustPreset(b *testing.B) *caseimport.Mapping {
	m, err := caseimport.Preset("htcds")
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// writeHTCDSFile writes n synthetic rows in the HTCDS layout: made-up
// names (never a fixture's sentinel), the picklists' values in turn.
func writeHTCDSFile(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(exploitation.HTCDSColumns); err != nil {
		return err
	}
	nationalities := []string{"NPL", "PHL", "IND", "BGD", "ETH", "HND", "GTM", "MMR"}
	for i := range n {
		statuses, types := exploitation.TraffickingStatuses, exploitation.ExploitationTypes
		rec := exploitation.Record{Sector: exploitation.Sectors[i%21].Code, RecruitmentCountry: nationalities[i%8],
			ExploitationCountry: "QAT", TraffickingStatus: statuses[i%3].Code,
			StatusDecidedBy: exploitation.StatusDeciders[i%5].Code, ExploitationTypes: []string{types[i%11].Code},
			RecruitmentMethods: []string{exploitation.RecruitmentMethods[i%10].Code},
			ControlMethods:     []string{exploitation.ControlMethods[i%15].Code, "other"}}
		row := exploitation.HTCDSCase{Attributes: persons.Attributes{Sex: []string{"female", "male", "other"}[i%3],
			Nationality: nationalities[(i+3)%8], CurrentCountry: "QAT"},
			Identity: &persons.Identity{GivenName: fmt.Sprintf("Given%d", i), FamilyName: fmt.Sprintf("Family%d", i),
				DateOfBirth: fmt.Sprintf("%d-%02d-%02d", 1970+i%35, 1+i%12, 1+i%28), Phones: []string{fmt.Sprintf("+974%08d", i)},
				Address: fmt.Sprintf("%d Industrial Area Street, Doha", i)},
			Record: rec}.Row(i + 1)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// export exports every case as the supervisor, the file counted and
// dropped, and reports rows/s, the base and peak resident memory and the
// file's size.
func (e *benchEnv) export(b *testing.B, n int, identity bool) {
	b.Helper()
	ctx := context.Background()
	b.StopTimer()
	runtime.GC()
	debug.FreeOSMemory()
	base := resetPeakRSS(b)
	b.StartTimer()
	start := time.Now()
	st, err := e.exp.ExportHTCDS(ctx, e.sup, caseexport.CaseListRequest{Format: "csv", IncludeIdentity: identity,
		Request: caseexport.Request{Purpose: caseexport.PurposeArchive, Password: e.pw,
			Recipient: caseexport.Recipient{OrgID: e.sup.OrgID}}})
	if err != nil {
		b.Fatal(err)
	}
	var out countingWriter
	rows, err := st.WriteTo(ctx, &out)
	if err != nil || rows != n {
		b.Fatalf("WriteTo = %d rows, %v", rows, err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	peak := statusKiB(b, "VmHWM")
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/1024, "peakRSS-MiB")
	b.ReportMetric(float64(base)/1024, "baseRSS-MiB")
	b.ReportMetric(float64(out.n)/(1<<20), "file-MiB")
	b.StartTimer()
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// resetPeakRSS sets the kernel's high-water mark of this process's
// resident memory to what it holds now, and returns that (KiB).
func resetPeakRSS(b *testing.B) int64 {
	b.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak resident memory (/proc/self/clear_refs, Linux 4.0+): %v", err)
	}
	return statusKiB(b, "VmRSS")
}

// statusKiB reads a "Name:  N kB" line of /proc/self/status.
func statusKiB(b *testing.B, name string) int64 {
	b.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatalf("no %s in /proc/self/status", name)
	return 0
}
