// SPDX-License-Identifier: AGPL-3.0-or-later

package backup_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/backup"
)

func TestLoadIdentitiesRefusesLooseModes(t *testing.T) {
	tests := []struct {
		name    string
		mode    os.FileMode
		wantErr bool
	}{
		{name: "0644 world-readable", mode: 0o644, wantErr: true},
		{name: "0640 group-readable", mode: 0o640, wantErr: true},
		{name: "0604 other-readable", mode: 0o604, wantErr: true},
		{name: "0620 group-writable", mode: 0o620, wantErr: true},
		{name: "0600 owner only", mode: 0o600},
		{name: "0400 owner read-only", mode: 0o400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			idPath := filepath.Join(dir, "backup.key")
			if _, err := backup.GenerateIdentity(idPath, filepath.Join(dir, "backup.pub")); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(idPath, tc.mode); err != nil {
				t.Fatal(err)
			}
			ids, err := backup.LoadIdentities(idPath)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), "chmod 600") {
					t.Fatalf("LoadIdentities(mode %04o) = %v; want a refusal", tc.mode, err)
				}
				return
			}
			if err != nil || len(ids) != 1 {
				t.Fatalf("LoadIdentities(mode %04o) = %d identities, %v; want 1, nil", tc.mode, len(ids), err)
			}
		})
	}
}

// TestGenerateIdentityRoundTrip checks the files' modes, that what
// GenerateIdentity writes is what LoadRecipients and LoadIdentities read, and
// that the pair encrypts and decrypts.
func TestGenerateIdentityRoundTrip(t *testing.T) {
	dir := t.TempDir()
	idPath, recPath := filepath.Join(dir, "backup.key"), filepath.Join(dir, "backup.pub")
	rec, err := backup.GenerateIdentity(idPath, recPath)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{idPath: 0o600, recPath: 0o644} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %04o", filepath.Base(path), fi.Mode().Perm(), err, want)
		}
	}
	recs, err := backup.LoadRecipients(recPath)
	if err != nil || len(recs) != 1 {
		t.Fatalf("LoadRecipients = %d, %v; want 1 recipient", len(recs), err)
	}
	if got, want := recs[0].(*age.X25519Recipient).String(), rec.(*age.X25519Recipient).String(); got != want {
		t.Fatalf("recipient file holds %s; GenerateIdentity returned %s", got, want)
	}
	ids, err := backup.LoadIdentities(idPath)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, recs...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, "round trip"); err != nil || w.Close() != nil {
		t.Fatal("encrypting failed")
	}
	r, err := age.Decrypt(&buf, ids...)
	if err != nil {
		t.Fatalf("the generated identity does not decrypt for its recipient: %v", err)
	}
	if got, err := io.ReadAll(r); err != nil || string(got) != "round trip" {
		t.Fatalf("decrypted %q, %v", got, err)
	}
}

// TestGenerateIdentityNeverOverwrites checks O_EXCL: replacing an identity
// would make every backup encrypted to it unreadable.
func TestGenerateIdentityNeverOverwrites(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "key" or "pub"
	}{
		{name: "identity exists", existing: "key"},
		{name: "recipient exists", existing: "pub"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			existing := filepath.Join(dir, "backup."+tc.existing)
			if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := backup.GenerateIdentity(filepath.Join(dir, "backup.key"), filepath.Join(dir, "backup.pub"))
			if err == nil {
				t.Fatal("GenerateIdentity overwrote an existing file")
			}
			if b, _ := os.ReadFile(existing); string(b) != "keep me" {
				t.Errorf("the existing %s was changed", filepath.Base(existing))
			}
			if got := dirNames(t, dir); len(got) != 1 {
				t.Errorf("directory holds %q; want only the file that was there", got)
			}
		})
	}
}

func TestLoadRecipients(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	tests := []struct {
		name    string
		body    string
		want    int
		wantErr bool
	}{
		{name: "comments and blank lines", body: "# office\n" + a.Recipient().String() + "\n\n# offsite\n" + b.Recipient().String() + "\n", want: 2},
		{name: "only comments", body: "# nobody\n", wantErr: true},
		{name: "empty", body: "", wantErr: true},
		{name: "identity by mistake", body: a.String() + "\n", wantErr: true},
		{name: "garbage", body: "age1notakey\n", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "recipients.txt")
			if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			recs, err := backup.LoadRecipients(path)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("LoadRecipients = %d recipients; want an error", len(recs))
				}
				if strings.Contains(err.Error(), a.String()) {
					t.Fatal("the error quotes a private key")
				}
				return
			}
			if err != nil || len(recs) != tc.want {
				t.Fatalf("LoadRecipients = %d, %v; want %d", len(recs), err, tc.want)
			}
		})
	}
}
