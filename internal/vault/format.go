// SPDX-License-Identifier: AGPL-3.0-or-later

package vault

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// formatV1 is the first byte of every sealed field and every wrapped key. A
// later format gets a new byte, so old ciphertexts stay readable beside new
// ones; the byte is also bound into the associated data, so it cannot be
// changed without failing authentication.
const formatV1 byte = 0x01

// keySize is the size of every KEK, DEK and blind-index key: 256 bits.
const keySize = chacha20poly1305.KeySize

// sealedOverhead is the size a sealed value adds to its plaintext:
// version byte, nonce and Poly1305 tag.
const sealedOverhead = 1 + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// Labels keep the associated data of sealed fields and of wrapped keys in
// separate domains, so a value of one kind can never authenticate as the
// other even if a key were ever shared between them.
const (
	labelField = "amparo/vault/field"
	labelDEK   = "amparo/vault/dek"
)

// fieldAD is the associated data of a sealed field: the format version, the
// key id and the table, field and record id, each prefixed with its length so
// that no two different tuples encode alike ("a|b"+"c" differs from "a"+"b|c").
func fieldAD(keyID string, ad AD) []byte {
	b := make([]byte, 0, 1+5*4+len(labelField)+len(keyID)+len(ad.Table)+len(ad.Field)+len(ad.RecordID))
	b = append(b, formatV1)
	for _, s := range []string{labelField, keyID, ad.Table, ad.Field, ad.RecordID} {
		b = appendString(b, s)
	}
	return b
}

// wrapAD is the associated data of a wrapped data key: the format version,
// the key id and the KEK version, so a wrapped key copied to another row or
// relabelled with another KEK version fails to unwrap.
func wrapAD(keyID string, kekVersion int) []byte {
	b := make([]byte, 0, 1+3*4+len(labelDEK)+len(keyID)+8)
	b = append(b, formatV1)
	b = appendString(b, labelDEK)
	b = appendString(b, keyID)
	return binary.BigEndian.AppendUint64(b, uint64(kekVersion)) // #nosec G115 -- KEK versions are ≥ 1 (keyring parsing refuses others)
}

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s))) // #nosec G115 -- table, field and id names are far below 4 GiB
	return append(b, s...)
}

// newAEAD returns XChaCha20-Poly1305 under key, which must be keySize bytes.
func newAEAD(key []byte) (cipher.AEAD, error) {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("vault: cipher: %w", err)
	}
	return a, nil
}

// seal returns formatV1 | random 24-byte nonce | ciphertext and tag. A random
// nonce is safe with XChaCha20's 192-bit nonces for any number of messages
// Amparo will ever seal under one key.
func seal(a cipher.AEAD, plaintext, ad []byte) ([]byte, error) {
	out := make([]byte, 1+chacha20poly1305.NonceSizeX, len(plaintext)+sealedOverhead)
	out[0] = formatV1
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("vault: random nonce: %w", err)
	}
	return a.Seal(out, out[1:], plaintext, ad), nil // #nosec G407 -- out[1:] is the nonce just filled by crypto/rand, not a constant
}

// open reverses seal. Any input that is too short, has an unknown version or
// fails authentication returns ErrTampered; the error never holds the input.
func open(a cipher.AEAD, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < sealedOverhead {
		return nil, fmt.Errorf("%w: sealed value too short", ErrTampered)
	}
	if sealed[0] != formatV1 {
		return nil, fmt.Errorf("%w: unknown format version", ErrTampered)
	}
	nonce := sealed[1 : 1+chacha20poly1305.NonceSizeX]
	plaintext, err := a.Open(nil, nonce, sealed[1+chacha20poly1305.NonceSizeX:], ad)
	if err != nil {
		return nil, ErrTampered
	}
	return plaintext, nil
}
