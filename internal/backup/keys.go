// SPDX-License-Identifier: AGPL-3.0-or-later

package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"
)

// LoadRecipients reads an age recipients file: one public key (age1…) per
// line, with blank lines and lines starting with '#' ignored. It fails when
// the file holds no recipient, so a backup can never be encrypted to nobody.
// Errors never quote the file's lines, in case a private key was put there
// by mistake.
func LoadRecipients(path string) ([]age.Recipient, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("backup: recipients file: %w", err)
	}
	defer func() { _ = f.Close() }()
	recs, err := age.ParseRecipients(f)
	if err != nil {
		return nil, fmt.Errorf("backup: recipients file %s: %w", path, err)
	}
	return recs, nil
}

// LoadIdentities reads an age identity file (AGE-SECRET-KEY-1… lines, '#'
// comments allowed). It refuses a file that is not regular or whose mode
// lets group or others read or write it: whoever holds the identity can
// read every backup. Errors never quote the file's lines.
func LoadIdentities(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("backup: identity file: %w", err)
	}
	defer func() { _ = f.Close() }()
	// Stat the open file, not the path, so the mode checked is that of the
	// file actually read.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("backup: identity file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("backup: identity file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("backup: refusing identity file %s: mode %04o gives group or others access; chmod 600 it", path, perm)
	}
	ids, err := age.ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("backup: identity file %s: %w", path, err)
	}
	return ids, nil
}

// GenerateIdentity creates a new X25519 identity, writes it to identityPath
// (mode 0600) and its public recipient to recipientPath (mode 0644), and
// returns the recipient. Neither file may exist beforehand: overwriting an
// identity would make every backup encrypted to it unreadable. On error
// neither file is left behind.
func GenerateIdentity(identityPath, recipientPath string) (age.Recipient, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("backup: generate identity: %w", err)
	}
	rec := id.Recipient()
	created := time.Now().UTC().Format(time.RFC3339)

	var written []string
	ok := false
	defer func() {
		if !ok {
			for _, p := range written {
				_ = os.Remove(p)
			}
		}
	}()
	identity := fmt.Sprintf("# Amparo backup identity, created %s\n# public key: %s\n%s\n", created, rec, id)
	if err := writeNew(identityPath, 0o600, identity, &written); err != nil {
		return nil, fmt.Errorf("backup: identity file: %w", err)
	}
	recipient := fmt.Sprintf("# Amparo backup recipient, created %s\n%s\n", created, rec)
	if err := writeNew(recipientPath, 0o644, recipient, &written); err != nil {
		return nil, fmt.Errorf("backup: recipient file: %w", err)
	}
	for _, dir := range []string{filepath.Dir(identityPath), filepath.Dir(recipientPath)} {
		if err := syncDir(dir); err != nil {
			return nil, err
		}
	}
	ok = true
	return rec, nil
}

// writeNew creates path (failing if it exists), sets its mode to exactly
// perm whatever the umask, writes body and fsyncs it. It appends path to
// *written as soon as the file exists, so the caller can remove it.
func writeNew(path string, perm os.FileMode, body string, written *[]string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	*written = append(*written, path)
	_, err = f.WriteString(body)
	err = errors.Join(err, f.Chmod(perm), f.Sync())
	return errors.Join(err, f.Close())
}
