// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/app"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/ids"
)

// runImportCases is `amparo import cases FILE --org ORG --owner EMAIL
// [--mapping FILE | --preset NAME] [--dry-run] [--skip-existing]`.
func runImportCases(ctx context.Context, e env, args []string, usage string) error {
	fs, cfg := flags("import cases", e)
	org := fs.String("org", "", "the organisation the cases open in: its id or its exact name")
	owner := fs.String("owner", "", "e-mail address of the caseworker or supervisor who will own the cases")
	mappingFile := fs.String("mapping", "", "JSON file mapping the file's columns to Amparo's fields (default: columns named after the fields)")
	preset := fs.String("preset", "", "a shipped mapping instead of --mapping: "+strings.Join(caseimport.Presets, ", "))
	dryRun := fs.Bool("dry-run", false, "check every row and report, changing nothing")
	skip := fs.Bool("skip-existing", false, "leave out rows whose document number is already registered, instead of failing")
	file, err := parseWithFile(fs, cfg, args, usage)
	if err != nil {
		return err
	}
	if *org == "" || *owner == "" {
		return errors.New("give --org and --owner\n" + usage)
	}
	mapping, err := loadMapping(*mappingFile, *preset)
	if err != nil {
		return err
	}
	f, size, err := openStreamed(file)
	if err != nil {
		return err
	}
	defer f.Close()
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	orgID, ownerID, err := placement(ctx, a, *org, *owner)
	if err != nil {
		return err
	}
	rep, err := importCases(ctx, e, a, f, size, caseimport.Options{OrgID: orgID, OwnerID: ownerID, Mapping: mapping,
		DryRun: *dryRun, SkipExisting: *skip})
	return reportCaseImport(e, file, rep, err)
}

// loadMapping reads a mapping file or a shipped preset; nil for neither.
func loadMapping(file, preset string) (*caseimport.Mapping, error) {
	var data []byte
	if file != "" {
		var err error
		if data, err = readCapped(file, caseimport.MaxMappingBytes); err != nil {
			return nil, err
		}
	}
	m, err := caseimport.MappingFrom(preset, data)
	var ve *caseimport.ValidationError
	if errors.As(err, &ve) {
		var b strings.Builder
		for _, fe := range ve.Errors {
			fmt.Fprintf(&b, "\n  %s: %s", fe.Field, importMessages.T("field."+fe.Code))
		}
		return nil, fmt.Errorf("mapping %s%s:%s", file, preset, b.String())
	}
	return m, err
}

// placement finds the organisation (by id or exact name) and the owner
// (by e-mail address).
func placement(ctx context.Context, a *app.App, org, ownerEmail string) (orgID, ownerID string, err error) {
	if ids.Valid(org) {
		o, err := a.Accounts.GetOrganisation(ctx, access.System, org)
		if err != nil {
			return "", "", fmt.Errorf("organisation %s: %w", org, err)
		}
		orgID = o.ID
	} else {
		list, _, err := a.Accounts.ListOrganisations(ctx, access.System, org, accounts.Page{Limit: 500})
		if err != nil {
			return "", "", err
		}
		for _, o := range list {
			if strings.EqualFold(o.Name, strings.TrimSpace(org)) {
				orgID = o.ID
			}
		}
		if orgID == "" {
			return "", "", fmt.Errorf("no organisation is named %q", org)
		}
	}
	if ownerID, err = a.Accounts.UserIDByEmail(ctx, ownerEmail); err != nil {
		return "", "", fmt.Errorf("--owner: no account has the address %s", ownerEmail)
	}
	return orgID, ownerID, nil
}

// importCases runs an import for the operator, showing its progress on a
// terminal.
func importCases(ctx context.Context, e env, a *app.App, src io.Reader, size int64, opt caseimport.Options) (caseimport.Report, error) {
	bar := newProgress(e.stderr)
	opt.Progress = func(p caseimport.Progress) {
		pct := int64(100)
		if p.Total > 0 && p.Phase == caseimport.PhaseRows {
			pct = p.Done * 100 / p.Total
		}
		bar.show(fmt.Sprintf("%-8s %3d%% (%d rows)", p.Phase, pct, p.Rows))
	}
	rep, err := a.CaseImport.Import(ctx, access.System, src, size, opt)
	bar.done()
	return rep, err
}

// reportCaseImport prints what an import did, or every error it found.
func reportCaseImport(e env, file string, rep caseimport.Report, err error) error {
	var ve *caseimport.ValidationError
	switch {
	case errors.Is(err, caseimport.ErrInvalidFile):
		for _, re := range rep.Errors {
			fmt.Fprintln(e.stdout, describeRowError(file, re, "caseimport.code."))
		}
		more := ""
		if rep.MoreErrors {
			more = " (and more not listed)"
		}
		return fmt.Errorf("%d error(s)%s in %s; nothing was changed", len(rep.Errors), more, file)
	case errors.As(err, &ve):
		for _, fe := range ve.Errors {
			fmt.Fprintf(e.stdout, "%s: %s\n", fe.Field, importMessages.T("field."+fe.Code))
		}
		return errors.New("nothing was changed")
	case err != nil:
		return err
	}
	if rep.DryRun {
		fmt.Fprintf(e.stdout, "%s: %d row(s) — dry run, nothing changed; would open %d case(s), %d already registered\n",
			file, rep.Rows, rep.Created, rep.Skipped)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s: %d row(s) — opened %d case(s), skipped %d already registered (import %s)\n",
		file, rep.Rows, rep.Created, rep.Skipped, rep.ImportID)
	return nil
}
