// SPDX-License-Identifier: AGPL-3.0-or-later

package demo

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/store"
)

// ErrRealData refuses demo cases in a database that holds real data: any
// organisation not created as a demo one means the installation is in
// production use, and synthetic persons must never mix with real ones.
var ErrRealData = errors.New("demo: this database holds organisations that are not demo ones (production data); " +
	"demo cases are only generated in a database of demo organisations")

// CheckDemoOnly returns ErrRealData unless every organisation in db is a
// demo one.
func CheckDemoOnly(ctx context.Context, db *store.DB) error {
	var n int
	if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE is_demo = 0`), &n); err != nil {
		return err
	}
	if n > 0 {
		return ErrRealData
	}
	return nil
}

// caseworkerEmail is the demo account that owns the demo cases.
const caseworkerEmail = "caseworker@demo.amparo.test"

// Cases opens n synthetic cases in the demo organisation, owned by the
// demo caseworker, through the bulk import (internal/caseimport), so that
// demonstrations and benchmarks exercise the path real imports take. Seed
// must have run. It refuses with ErrRealData in a production database.
// progress, when set, is passed to the import.
func Cases(ctx context.Context, db *store.DB, acc *accounts.Service, imp *caseimport.Service, n int, now time.Time,
	progress func(caseimport.Progress)) (caseimport.Report, error) {
	if err := CheckDemoOnly(ctx, db); err != nil {
		return caseimport.Report{}, err
	}
	var orgID string
	if err := db.Scan(db.QueryRow(ctx, `SELECT id FROM organisations WHERE name = ? AND is_demo = 1`, OrganisationName), &orgID); err != nil {
		return caseimport.Report{}, fmt.Errorf("demo organisation (run amparo demo first): %w", err)
	}
	owner, err := acc.UserIDByEmail(ctx, caseworkerEmail)
	if err != nil {
		return caseimport.Report{}, fmt.Errorf("demo caseworker (run amparo demo first): %w", err)
	}
	// A later run numbers its persons after those of earlier ones, so that
	// their demo document numbers stay distinct.
	var held int
	if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM persons WHERE org_id = ?`, orgID), &held); err != nil {
		return caseimport.Report{}, err
	}
	// The rows are generated as the importer reads them: no file, and
	// memory bounded whatever n is.
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteCases(pw, held+1, n, now)) }()
	defer pr.Close()
	return imp.Import(ctx, access.System, pr, 0, caseimport.Options{OrgID: orgID, OwnerID: owner,
		Progress: progress})
}

// Vocabularies the synthetic rows draw from.
var (
	demoNationalities = []string{"HND", "GTM", "SLV", "VEN", "HTI", "CUB", "NIC", "COL", "ECU", "CMR", "AFG", "SEN"}
	demoLanguages     = []string{"es", "es", "es", "ht", "fr", "en", "pt", "ps"}
	demoAdmin1        = []string{"MX-CHP", "MX-TAB", "MX-VER", "MX-OAX", "MX-CMX", "MX-BCN", "MX-CHH", "MX-TAM"}
	demoNeeds         = []string{"", "", "", "pregnancy", "disability", "survivor_of_violence", "victim_of_trafficking",
		"serious_medical_condition", "without_legal_documents", "single_parent"}
	demoConcerns = []string{"detention", "consular_access", "abuse_in_transit", "labour_exploitation", "trafficking",
		"smuggling", "gender_based_violence", "family_separation", "documentation", "health", "legal_status",
		"access_to_justice", "refoulement_risk", "xenophobic_violence"}
	demoRisks    = []string{"", "low", "medium", "high", "critical"}
	demoStatuses = []string{"new", "assessment", "case_plan", "services"}
	demoSexes    = []string{"female", "male", "female", "male", "other", "unknown"}
)

// CaseColumns are the headers of WriteCases, named after the import's
// fields so that no mapping is needed.
var CaseColumns = []string{"given_name", "family_name", "birth_date", "sex", "nationality", "document_type",
	"document_number", "phone", "languages", "country", "admin1", "vulnerabilities", "concerns", "risk", "status", "opened"}

// WriteCases writes n clearly synthetic rows as CSV with CaseColumns: the
// persons are "Demo Person 000001" and so on from number first, with demo
// document and phone numbers, and the rest drawn from the vocabularies,
// the same for the same arguments. Benchmarks import this file.
func WriteCases(w io.Writer, first, n int, now time.Time) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(CaseColumns); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2)) // #nosec G404 -- synthetic demo data, not a secret
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	rec := make([]string, len(CaseColumns))
	for i := first; i < first+n; i++ {
		num := fmt.Sprintf("%06d", i)
		born := now.AddDate(-rng.IntN(70), 0, -rng.IntN(365))
		concerns := pick(demoConcerns)
		if c := pick(demoConcerns); rng.IntN(3) == 0 && c != concerns {
			concerns += " " + c
		}
		rec = append(rec[:0], "Demo", "Person "+num, born.Format(time.DateOnly), pick(demoSexes), pick(demoNationalities),
			"passport", "DEMO-"+num, "+00 0000 "+num, pick(demoLanguages), "MEX", pick(demoAdmin1), pick(demoNeeds),
			concerns, pick(demoRisks), pick(demoStatuses), now.AddDate(0, 0, -rng.IntN(1095)).Format(time.DateOnly))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
