// SPDX-License-Identifier: AGPL-3.0-or-later

package vault

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// keyFileHeader is the first line of every key file this package writes, so
// an operator who finds the file knows what it is and how to treat it.
const keyFileHeader = "# amparo key-encryption keys — keep secret, back up apart from the database"

// maxKeyFileSize bounds what LoadKeyFile reads. A real file holds a header and
// a few lines of about 55 bytes each.
const maxKeyFileSize = 64 << 10

// Passphrase key derivation: argon2id with the parameters of SECURITY-BAR 4.
const (
	minPassphraseRunes = 16
	minSaltBytes       = 16
	argonTime          = 3
	argonMemoryKiB     = 64 * 1024
	argonThreads       = 4
)

// Keyring holds key-encryption keys (KEKs) by version, each version ≥ 1; the
// highest version is current and wraps every new data key. A Keyring never
// changes after it is made, so it is safe for concurrent use. KEKs never
// leave the process: they are not stored in the database or printed.
type Keyring struct {
	keys    map[int][]byte
	current int
}

// CurrentVersion returns the version of the KEK that wraps new data keys.
func (k *Keyring) CurrentVersion() int { return k.current }

// newKeyring makes a keyring from keys, which must not be empty.
func newKeyring(keys map[int][]byte) *Keyring {
	k := &Keyring{keys: keys}
	for v := range keys {
		k.current = max(k.current, v)
	}
	return k
}

// with returns a new keyring holding k's keys and key at version.
func (k *Keyring) with(version int, key []byte) *Keyring {
	keys := make(map[int][]byte, len(k.keys)+1)
	for v, kk := range k.keys {
		keys[v] = kk
	}
	keys[version] = key
	return newKeyring(keys)
}

// only returns a new keyring holding just the KEK at version.
func (k *Keyring) only(version int) *Keyring {
	return newKeyring(map[int][]byte{version: k.keys[version]})
}

// wrap seals dek under the current KEK, bound to keyID and that KEK's
// version, and returns the version used and the wrapped bytes.
func (k *Keyring) wrap(keyID string, dek []byte) (int, []byte, error) {
	return k.wrapWith(k.current, keyID, dek)
}

func (k *Keyring) wrapWith(version int, keyID string, dek []byte) (int, []byte, error) {
	a, err := newAEAD(k.keys[version])
	if err != nil {
		return 0, nil, err
	}
	wrapped, err := seal(a, dek, wrapAD(keyID, version))
	return version, wrapped, err
}

// unwrap opens a data key wrapped under KEK version. It returns ErrTampered
// when authentication fails (modified bytes, another row's key, another
// KEK) and a plain error when the keyring lacks that version, which means
// the key file is not the one the database was written with.
func (k *Keyring) unwrap(keyID string, version int, wrapped []byte) ([]byte, error) {
	kek, ok := k.keys[version]
	if !ok {
		return nil, fmt.Errorf("vault: a data key is wrapped with KEK version %d, which this keyring lacks (current version %d); is this the right key file?", version, k.current)
	}
	a, err := newAEAD(kek)
	if err != nil {
		return nil, err
	}
	dek, err := open(a, wrapped, wrapAD(keyID, version))
	if err != nil {
		return nil, err
	}
	if len(dek) != keySize {
		return nil, fmt.Errorf("%w: data key has the wrong length", ErrTampered)
	}
	return dek, nil
}

// randomKey returns keySize bytes from the operating system's random source.
func randomKey() ([]byte, error) {
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("vault: random key: %w", err)
	}
	return key, nil
}

// CreateKeyFile makes a new random KEK as version 1 and writes it to path,
// which must not exist yet (the file is created exclusively, so an existing
// key file is never overwritten) and whose directory must exist. The file is
// created with mode 0600 and synced, with its directory, before returning.
func CreateKeyFile(path string) (*Keyring, error) {
	key, err := randomKey()
	if err != nil {
		return nil, err
	}
	ring := newKeyring(map[int][]byte{1: key})
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("vault: creating key file: %w", err)
	}
	_, err = f.Write(ring.marshal())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("vault: writing key file %s: %w", path, err)
	}
	return ring, nil
}

// LoadKeyFile reads the keyring at path. It refuses a file that its group or
// others could read or write (mode&0o077 != 0), since anyone who reads it can
// decrypt every record, and a file that is not in the format CreateKeyFile
// writes. Errors name the path and line but never quote key material.
func LoadKeyFile(path string) (*Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vault: opening key file: %w", err)
	}
	defer func() { _ = f.Close() }()
	// Stat the open file, not the path, so the mode checked is the mode of
	// the file read.
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("vault: key file %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("vault: key file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("vault: refusing key file %s: its mode is %04o, so other users may read it; run chmod 600 %s", path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("vault: reading key file %s: %w", path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("vault: key file %s is larger than %d bytes", path, maxKeyFileSize)
	}
	ring, err := parseKeyFile(data)
	if err != nil {
		return nil, fmt.Errorf("vault: key file %s: %w", path, err)
	}
	return ring, nil
}

// parseKeyFile parses the key file format: blank lines and lines starting
// with '#' are ignored; every other line is "kek <version> <base64 of 32
// bytes>", versions are distinct integers ≥ 1, and at least one is present.
func parseKeyFile(data []byte) (*Keyring, error) {
	keys := map[int][]byte{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxKeyFileSize)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[0] != "kek" {
			return nil, fmt.Errorf("line %d: want \"kek <version> <base64 key>\"", n)
		}
		v, err := strconv.Atoi(fields[1])
		if err != nil || v < 1 || v >= math.MaxInt32 || strconv.Itoa(v) != fields[1] {
			return nil, fmt.Errorf("line %d: version must be a whole number from 1", n)
		}
		if _, dup := keys[v]; dup {
			return nil, fmt.Errorf("line %d: version %d appears twice", n, v)
		}
		key, err := base64.StdEncoding.Strict().DecodeString(fields[2])
		if err != nil || len(key) != keySize {
			return nil, fmt.Errorf("line %d: key must be %d bytes in standard base64", n, keySize)
		}
		keys[v] = key
	}
	if err := sc.Err(); err != nil {
		return nil, errors.New("unreadable lines")
	}
	if len(keys) == 0 {
		return nil, errors.New("no kek lines")
	}
	return newKeyring(keys), nil
}

// marshal returns the key file text for k, versions in ascending order.
func (k *Keyring) marshal() []byte {
	versions := make([]int, 0, len(k.keys))
	for v := range k.keys {
		versions = append(versions, v)
	}
	slices.Sort(versions)
	var b bytes.Buffer
	b.WriteString(keyFileHeader + "\n")
	for _, v := range versions {
		fmt.Fprintf(&b, "kek %d %s\n", v, base64.StdEncoding.EncodeToString(k.keys[v]))
	}
	return b.Bytes()
}

// writeKeyFileAtomic replaces path with k's key file so that a crash leaves
// either the old file or the new one, never a mix: it writes a temporary file
// (mode 0600) in the same directory, syncs it, renames it over path and syncs
// the directory so the rename itself is durable.
func writeKeyFileAtomic(path string, k *Keyring) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".amparo-keys-*.tmp")
	if err != nil {
		return fmt.Errorf("vault: writing key file: %w", err)
	}
	tmpName := tmp.Name()
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(k.marshal())
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmpName, path)
	}
	if err != nil {
		_ = os.Remove(tmpName)
		return fmt.Errorf("vault: writing key file %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("vault: writing key file %s: %w", path, err)
	}
	return nil
}

// syncDir makes a directory's entries (a created or renamed file) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// KeyringFromPassphrase derives a KEK as version 1 from passphrase and salt
// with argon2id (64 MiB, 3 passes, 4 lanes), for deployments that type a
// passphrase at start-up instead of keeping a key file. The passphrase must
// have at least 16 characters and the salt at least 16 bytes; the salt is not
// secret but must stay the same for the life of the database. The work takes
// about a tenth of a second and 64 MiB of memory.
func KeyringFromPassphrase(passphrase string, salt []byte) (*Keyring, error) {
	if utf8.RuneCountInString(passphrase) < minPassphraseRunes {
		return nil, fmt.Errorf("vault: passphrase must have at least %d characters", minPassphraseRunes)
	}
	if len(salt) < minSaltBytes {
		return nil, fmt.Errorf("vault: passphrase salt must have at least %d bytes", minSaltBytes)
	}
	key := argon2.IDKey([]byte(passphrase), salt, argonTime, argonMemoryKiB, argonThreads, keySize)
	return newKeyring(map[int][]byte{1: key}), nil
}
