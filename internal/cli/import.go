// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/config"
	"github.com/amparo-project/amparo/internal/i18n"
)

// runImport is `amparo import ratifications FILE [--dry-run]`.
func runImport(ctx context.Context, e env, args []string) error {
	const usage = "usage: amparo import ratifications FILE [--dry-run] [flags]\n" +
		"       amparo import cases FILE --org ORG --owner EMAIL [--mapping MAPPING.json | --preset NAME] [--dry-run] [--skip-existing] [flags]\n" +
		"       amparo import observations FILE [--format FORMAT] [--mapping NAME | --mapping MAPPING.json] [--dry-run] [flags]"
	if len(args) > 0 && args[0] == "cases" {
		return runImportCases(ctx, e, args[1:], usage)
	}
	if len(args) > 0 && args[0] == "observations" {
		return runImportObservations(ctx, e, args[1:], usage)
	}
	if len(args) == 0 || args[0] != "ratifications" {
		return errors.New(usage)
	}
	fs, cfg := flags("import ratifications", e)
	dryRun := fs.Bool("dry-run", false, "validate the file and report what would change, changing nothing")
	file, err := parseWithFile(fs, cfg, args[1:], usage)
	if err != nil {
		return err
	}
	data, err := readCapped(file, commitments.MaxFileBytes)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	bar := newProgress(e.stderr)
	rep, err := a.Commitments.Import(ctx, access.System, filepath.Base(file), data,
		commitments.ImportOptions{DryRun: *dryRun, Progress: bar.update})
	bar.done()
	if errors.Is(err, commitments.ErrInvalidFile) {
		for _, re := range rep.Errors {
			fmt.Fprintln(e.stdout, describeRowError(file, re))
		}
		return fmt.Errorf("%d error(s) in %s; nothing was changed", len(rep.Errors), file)
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if rep.DryRun {
		verb = "dry run, nothing changed; would have"
	}
	fmt.Fprintf(e.stdout, "%s: %d row(s) — %s %d new, %d updated, %d unchanged\n",
		file, rep.Rows, verb, rep.Inserted, rep.Updated, rep.Unchanged)
	return nil
}

// parseWithFile parses a command's arguments: one file name, with the
// flags before or after it.
func parseWithFile(fs *flag.FlagSet, cfg *config.Config, args []string, usage string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", errors.New(usage)
	}
	file := fs.Arg(0)
	if err := parse(fs, cfg, fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", errors.New(usage)
	}
	return file, nil
}

// readCapped reads a file of at most limit bytes.
func readCapped(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d MiB", name, limit>>20)
	}
	return data, nil
}

// openStreamed opens a file to import as a stream, with its size, which
// the importers measure their progress against. The caller closes it.
func openStreamed(name string) (*os.File, int64, error) {
	f, err := os.Open(name) // #nosec G304 -- the operator names the file to import
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// describeRowError says one row error in English, in the form editors and
// compilers use (file:line: field: reason), so terminals can link to it.
// The reason is the message "field.<code>", or the first of
// prefix+code that exists, for an importer whose codes read better in its
// own words.
func describeRowError(file string, re commitments.RowError, prefixes ...string) string {
	where := fmt.Sprintf("%s:%d", file, re.Line)
	if re.Line == 0 {
		where = file
	}
	if re.Field != "" {
		where += ": " + re.Field
	}
	for _, p := range prefixes {
		if importMessages.Has(p + re.Code) {
			return where + ": " + importMessages.T(p+re.Code)
		}
	}
	return where + ": " + importMessages.T("field."+re.Code)
}

// progress shows a progress line on a terminal, rewritten in place, and
// nothing when output goes to a file or pipe, where such lines are noise.
type progress struct {
	w       io.Writer
	on      bool
	last    string
	written bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	on := false
	if ok {
		if st, err := f.Stat(); err == nil {
			on = st.Mode()&os.ModeCharDevice != 0
		}
	}
	return &progress{w: w, on: on}
}

func (p *progress) update(phase string, done, total int) {
	if total == 0 {
		return
	}
	p.show(fmt.Sprintf("%-8s %3d%% (%d/%d rows)", phase, done*100/total, done, total))
}

// show rewrites the progress line, when it changed.
func (p *progress) show(text string) {
	if !p.on {
		return
	}
	line := "\r" + text
	if line != p.last {
		fmt.Fprint(p.w, line)
		p.last, p.written = line, true
	}
}

func (p *progress) done() {
	if p.written {
		fmt.Fprintln(p.w)
	}
}

// importMessages words row errors for the terminal, from the same
// translation files as the web pages.
var importMessages = i18n.MustLoad().Locale("en")
