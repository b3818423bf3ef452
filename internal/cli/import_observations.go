// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/obsimport"
)

// runImportObservations is `amparo import observations FILE [--format F]
// [--mapping NAME | --mapping FILE.json] [--dry-run]`. The file is
// streamed, so its size is bounded only by its rows; it runs as the
// system principal, as the other imports of the command line do.
func runImportObservations(ctx context.Context, e env, args []string, usage string) error {
	fs, cfg := flags("import observations", e)
	format := fs.String("format", "", "the file's format, one of "+strings.Join(obsimport.Formats(), ", ")+" (default: told from the content)")
	mapping := fs.String("mapping", "", "for a csv or xlsx table: the name of a saved mapping, or a JSON file holding one")
	dryRun := fs.Bool("dry-run", false, "check every row and the validation rules, and write nothing")
	file, err := parseWithFile(fs, cfg, args, usage)
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
	opt := obsimport.Options{Format: *format, FileName: filepath.Base(file), Size: size, DryRun: *dryRun}
	if *mapping != "" {
		if opt.Mapping, err = cliMapping(ctx, a.ObsImport, *mapping); err != nil {
			return err
		}
	}
	bar := newProgress(e.stderr)
	opt.Progress = func(p obsimport.Progress) {
		if p.Total > 0 {
			bar.show(fmt.Sprintf("%-8s %3d%% (%d observations)", p.Phase, p.Done*100/p.Total, p.Rows))
		}
	}
	rep, err := a.ObsImport.Import(ctx, access.System, f, opt)
	bar.done()
	if errors.Is(err, obsimport.ErrInvalidFile) {
		for _, re := range rep.Errors {
			fmt.Fprintln(e.stdout, describeObsError(file, re))
		}
		for _, v := range rep.Violations {
			fmt.Fprintf(e.stdout, "%s: rule %s (%s) broken for %s %s\n", file, v.RuleCode, v.Importance, v.Area, v.Period)
		}
		if rep.MoreErrors {
			fmt.Fprintf(e.stdout, "%s: more errors follow; fix these first\n", file)
		}
		return fmt.Errorf("%d error(s), %d rule(s) broken in %s; nothing was changed", len(rep.Errors), len(rep.Violations), file)
	}
	if err != nil {
		return err
	}
	for _, v := range rep.Violations {
		fmt.Fprintf(e.stdout, "%s: warning: rule %s (%s) broken for %s %s\n", file, v.RuleCode, v.Importance, v.Area, v.Period)
	}
	if rep.DryRun {
		fmt.Fprintf(e.stdout, "%s (%s): dry run, nothing changed; would have written %d observation(s) in %d set(s)\n",
			file, rep.Format, rep.Written, rep.Sets)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s (%s): imported %d observation(s) in %d set(s) as drafts; import %s\n",
		file, rep.Format, rep.Written, rep.Sets, rep.ImportID)
	return nil
}

// cliMapping reads --mapping: a JSON file when one of that name exists,
// else a saved mapping's name.
func cliMapping(ctx context.Context, s *obsimport.Service, arg string) (*obsimport.Mapping, error) {
	if strings.HasSuffix(strings.ToLower(arg), ".json") {
		data, err := readCapped(arg, obsimport.MaxMappingBytes)
		if err != nil {
			return nil, err
		}
		return obsimport.ParseMapping(data)
	}
	m, err := s.MappingByName(ctx, access.System, arg)
	if errors.Is(err, obsimport.ErrNotFound) {
		return nil, fmt.Errorf("no saved mapping is named %q", arg)
	}
	return &m.Mapping, err
}

// describeObsError says one row error in English, as file:line: column:
// reason.
func describeObsError(file string, re obsimport.RowError) string {
	where := fmt.Sprintf("%s:%d", file, re.Line)
	if re.Line == 0 {
		where = file
	}
	if re.Field != "" {
		where += ": " + re.Field
	}
	reason := re.Code
	for _, key := range []string{"obsimport.code." + re.Code, "field." + re.Code} {
		if importMessages.Has(key) {
			reason = importMessages.T(key)
			break
		}
	}
	if re.FirstLine > 0 {
		reason += fmt.Sprintf(" (line %d)", re.FirstLine)
	}
	return where + ": " + reason
}
