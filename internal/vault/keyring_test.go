// SPDX-License-Identifier: AGPL-3.0-or-later

package vault_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/vault"
)

// validKEKLine is a well-formed line holding 32 zero bytes.
const validKEKLine = "kek 1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

func TestCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amparo.keys")
	ring, err := vault.CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if ring.CurrentVersion() != 1 {
		t.Errorf("CurrentVersion = %d, want 1", ring.CurrentVersion())
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %04o, want 0600", perm)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "# amparo key-encryption keys") || !strings.HasPrefix(lines[1], "kek 1 ") {
		t.Errorf("key file has %d lines, want the header and one kek 1 line", len(lines))
	}
	if _, err := vault.CreateKeyFile(path); err == nil {
		t.Fatal("CreateKeyFile over an existing file succeeded; it must never overwrite a key")
	}
	if _, err := vault.CreateKeyFile(filepath.Join(t.TempDir(), "missing", "amparo.keys")); err == nil {
		t.Fatal("CreateKeyFile in a missing directory succeeded")
	}
}

func TestLoadKeyFileOpensWhatCreateSealed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amparo.keys")
	created, err := vault.CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := vault.LoadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t, filepath.Join(t.TempDir(), "amparo.db"))
	ctx := context.Background()
	a := vault.New(db, created)
	keyID, err := a.NewDataKey(ctx, db, "person")
	if err != nil {
		t.Fatal(err)
	}
	ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
	sealed, err := a.SealString(ctx, db, keyID, ad, "Amina")
	if err != nil {
		t.Fatal(err)
	}
	got, err := vault.New(db, loaded).OpenString(ctx, db, keyID, ad, sealed)
	if err != nil || got != "Amina" {
		t.Fatalf("Open with the loaded keyring = %q, %v; want the plaintext", got, err)
	}
}

func TestLoadKeyFileRefusesLooseModes(t *testing.T) {
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602, 0o620} {
		t.Run(mode.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "amparo.keys")
			if _, err := vault.CreateKeyFile(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			_, err := vault.LoadKeyFile(path)
			if err == nil {
				t.Fatalf("LoadKeyFile accepted mode %04o", mode)
			}
			msg := err.Error()
			for _, want := range []string{path, fmt.Sprintf("%04o", mode), "chmod 600"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %q", msg, want)
				}
			}
		})
	}
}

func TestLoadKeyFileRefusesMalformed(t *testing.T) {
	header := "# amparo key-encryption keys — keep secret, back up apart from the database\n"
	tests := []struct {
		name, text string
	}{
		{"empty", ""},
		{"header only", header},
		{"unknown word", header + "key 1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"},
		{"missing key", header + "kek 1\n"},
		{"extra field", header + validKEKLine + " extra\n"},
		{"version zero", header + "kek 0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"},
		{"negative version", header + "kek -1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"},
		{"signed version", header + "kek +1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"},
		{"padded version", header + "kek 01 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"},
		{"huge version", header + "kek 99999999999999999999 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"},
		{"not base64", header + "kek 1 !!!!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"},
		{"url base64", header + "kek 1 ____AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"},
		{"short key", header + "kek 1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n"},
		{"long key", header + "kek 1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n"},
		{"duplicate version", header + validKEKLine + "\n" + validKEKLine + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "amparo.keys")
			if err := os.WriteFile(path, []byte(tc.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := vault.LoadKeyFile(path)
			if err == nil {
				t.Fatal("LoadKeyFile accepted a malformed file")
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			if strings.Contains(err.Error(), "AAAAAAAA") || strings.Contains(err.Error(), "____") {
				t.Errorf("error %q quotes key material", err)
			}
		})
	}
}

func TestLoadKeyFileAcceptsSeveralVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amparo.keys")
	text := "# comment\n\n" + validKEKLine + "\r\n  kek 3 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=  \n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ring, err := vault.LoadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if ring.CurrentVersion() != 3 {
		t.Fatalf("CurrentVersion = %d, want the highest version, 3", ring.CurrentVersion())
	}
}

func TestKeyringFromPassphrase(t *testing.T) {
	salt := []byte("0123456789abcdef")
	t.Run("too short", func(t *testing.T) {
		for _, tc := range []struct {
			name, passphrase string
			salt             []byte
		}{
			{"passphrase 15 characters", "fifteen-chars!!", salt},
			{"passphrase 15 characters in 30 bytes", "ééééééééééééééé", salt},
			{"salt 15 bytes", "a long enough passphrase", salt[:15]},
			{"no salt", "a long enough passphrase", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := vault.KeyringFromPassphrase(tc.passphrase, tc.salt); err == nil {
					t.Fatal("KeyringFromPassphrase accepted it")
				}
			})
		}
	})
	t.Run("same passphrase opens, another does not", func(t *testing.T) {
		ctx := context.Background()
		db := storetest.Open(t, filepath.Join(t.TempDir(), "amparo.db"))
		first, err := vault.KeyringFromPassphrase("correct horse battery staple", salt)
		if err != nil {
			t.Fatal(err)
		}
		if first.CurrentVersion() != 1 {
			t.Errorf("CurrentVersion = %d, want 1", first.CurrentVersion())
		}
		a := vault.New(db, first)
		keyID, err := a.NewDataKey(ctx, db, "person")
		if err != nil {
			t.Fatal(err)
		}
		ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		sealed, err := a.SealString(ctx, db, keyID, ad, "Amina")
		if err != nil {
			t.Fatal(err)
		}
		again, err := vault.KeyringFromPassphrase("correct horse battery staple", salt)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := vault.New(db, again).OpenString(ctx, db, keyID, ad, sealed); err != nil || got != "Amina" {
			t.Fatalf("Open with the same passphrase = %q, %v", got, err)
		}
		other, err := vault.KeyringFromPassphrase("correct horse battery stapler", salt)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := vault.New(db, other).Open(ctx, db, keyID, ad, sealed); !errors.Is(err, vault.ErrTampered) {
			t.Fatalf("Open with another passphrase: err = %v, want ErrTampered", err)
		}
	})
}
