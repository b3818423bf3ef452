// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/backup"
	"github.com/amparo-project/amparo/internal/config"
	"github.com/amparo-project/amparo/internal/store"
)

func runBackup(ctx context.Context, e env, args []string) error {
	fset, cfg := flags("backup", e)
	out := fset.String("out", "", "backup file to write; default <data-dir>/backups/amparo-<UTC time>.age")
	recipients := fset.String("recipient-file", "", "file of age recipients (age1…) to encrypt to; default <data-dir>/backup-recipient.txt, created with its identity on first use")
	if err := parse(fset, cfg, args); err != nil {
		return err
	}
	recips, err := backupRecipients(e, cfg, *recipients)
	if err != nil {
		return err
	}
	if *out == "" {
		dir := filepath.Join(cfg.DataDir, "backups")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		*out = filepath.Join(dir, "amparo-"+time.Now().UTC().Format("20060102T150405Z")+".age")
	}
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	opt := backup.Options{Out: *out, Recipients: recips}
	if cfg.UsesPostgres() {
		opt.PostgresURL = cfg.DatabaseURL
	}
	res, err := backup.Backup(ctx, a.DB, opt)
	if err != nil {
		return err
	}
	if _, err := a.Audit.Append(ctx, audit.Entry{ActorID: "system", Action: "backup.create", ObjectType: "backup"}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written and checked: %s (%d bytes, %d tables)\n", res.Path, res.Bytes, len(res.Tables))
	fmt.Fprintln(e.stdout, "the key file is not in the backup: keep a copy of it apart from the backups")
	return nil
}

// backupRecipients loads the recipients to encrypt to. With no file given
// it uses <data-dir>/backup-recipient.txt, generating an identity beside it
// the first time and telling the operator to move that identity off the
// machine: a backup stored with the key that opens it protects nothing.
func backupRecipients(e env, cfg *config.Config, path string) ([]age.Recipient, error) {
	if path != "" {
		return backup.LoadRecipients(path)
	}
	path = filepath.Join(cfg.DataDir, "backup-recipient.txt")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		identity := filepath.Join(cfg.DataDir, "backup-identity.txt")
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, err
		}
		if _, err := backup.GenerateIdentity(identity, path); err != nil {
			return nil, err
		}
		fmt.Fprintf(e.stdout, "created a backup key pair: %s (public) and %s (secret)\n", path, identity)
		fmt.Fprintf(e.stdout, "MOVE %s off this machine to a safe place: it is needed to restore, and must not sit beside the backups\n", identity)
	}
	return backup.LoadRecipients(path)
}

func runRestore(ctx context.Context, e env, args []string) error {
	fset, cfg := flags("restore", e)
	in := fset.String("in", "", "backup file to restore (required)")
	identity := fset.String("identity", "", "age identity file that opens the backup (required)")
	if err := parse(fset, cfg, args); err != nil {
		return err
	}
	if *in == "" || *identity == "" {
		return errors.New("--in and --identity are required")
	}
	ids, err := backup.LoadIdentities(*identity)
	if err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	if cfg.UsesPostgres() {
		if err := backup.RestorePostgres(ctx, f, ids, cfg.DatabaseURL); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "restored into the PostgreSQL database")
		return nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	res, err := backup.Restore(ctx, f, ids, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(e.stdout, "restored %s (%d tables checked); put the key file at %s and run `amparo audit verify`\n", res.Path, len(res.Tables), cfg.KeyFile)
	return nil
}
