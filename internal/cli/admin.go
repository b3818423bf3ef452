// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/demo"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

func runMigrate(ctx context.Context, e env, args []string) error {
	fs, cfg := flags("migrate", e)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	if err := parse(fs, cfg, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	pending, err := db.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		fmt.Fprintln(e.stdout, "database is up to date")
		return nil
	}
	fmt.Fprintf(e.stdout, "%d migration(s) to apply:\n", len(pending))
	for _, m := range pending {
		fmt.Fprintf(e.stdout, "  %s\n", m.Name)
	}
	if !*yes {
		fmt.Fprint(e.stdout, "Take a backup first (amparo backup). Apply now? [y/N] ")
		if !confirm(e) {
			return errors.New("not applied")
		}
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s)\n", n)
	return nil
}

func confirm(e env) bool {
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	return oneOf(strings.TrimSpace(line), "y", "yes")
}

func runAudit(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: amparo audit verify [flags]")
	}
	fs, cfg := flags("audit verify", e)
	anchor := fs.String("anchor", "", "SEQ:HASH printed as the head by an earlier verify and kept elsewhere; checks that entry is unchanged")
	if err := parse(fs, cfg, args[1:]); err != nil {
		return err
	}
	var anchorSeq int64
	var anchorHash string
	if *anchor != "" {
		seq, hash, ok := strings.Cut(*anchor, ":")
		n, err := strconv.ParseInt(seq, 10, 64)
		if !ok || err != nil || n < 1 || len(hash) != 64 {
			return errors.New("--anchor: want SEQ:HASH as printed after \"head:\" by audit verify")
		}
		anchorSeq, anchorHash = n, hash
	}
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := audit.VerifyReport(ctx, a.Audit, e.stdout); err != nil {
		return err
	}
	if anchorSeq == 0 {
		return nil
	}
	if err := a.Audit.CheckAnchor(ctx, anchorSeq, anchorHash); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "anchor %d matches\n", anchorSeq)
	return nil
}

func runKeys(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return errors.New("usage: amparo keys rotate [flags]")
	}
	fs, cfg := flags("keys rotate", e)
	if err := parse(fs, cfg, args[1:]); err != nil {
		return err
	}
	if cfg.Passphrase != "" {
		return errors.New("the key-encryption key comes from AMPARO_KEK_PASSPHRASE: rotation needs a key file")
	}
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := vault.Rotate(ctx, a.DB, cfg.KeyFile)
	if err != nil {
		return err
	}
	if _, err := a.Audit.Append(ctx, audit.Entry{ActorID: "system", Action: "key.rotate", ObjectType: "kek", Fields: []string{"wrapped"}}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "re-wrapped %d data keys under a new key-encryption key in %s\nback up the new key file now; the old key no longer opens anything\n", n, cfg.KeyFile)
	return nil
}

func runDemo(ctx context.Context, e env, args []string) error {
	fs, cfg := flags("demo", e)
	n := fs.Int("cases", 0, "also open this many synthetic demo cases (never in a database with real organisations)")
	csvFile := fs.String("write-csv", "", "only write the synthetic cases --cases asks for to this CSV file, for benchmarks")
	if err := parse(fs, cfg, args); err != nil {
		return err
	}
	if *csvFile != "" {
		return writeDemoCSV(*csvFile, *n)
	}
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	seeded, err := demo.Seed(ctx, a.DB, a.Accounts)
	if err != nil {
		return err
	}
	if _, err := demo.Evidence(ctx, a.Accounts, a.Observations); err != nil {
		return err
	}
	for _, acc := range seeded {
		pw := acc.Password
		if pw == "" {
			pw = "(in use; unchanged)" // #nosec G101 -- a message, not a credential
		}
		fmt.Fprintf(e.stdout, "%-30s %-11s %s\n", acc.Email, acc.Role, pw)
	}
	return demoCases(ctx, e, a, *n)
}

func envBool(name string) bool {
	v, _ := strconv.ParseBool(strings.TrimSpace(getenv(name)))
	return v
}
