// SPDX-License-Identifier: AGPL-3.0-or-later

package vault

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/amparo-project/amparo/internal/store/storetest"
)

// FuzzOpen feeds arbitrary bytes to Open: it must never panic, and anything
// but the one real sealed value must fail with ErrTampered.
func FuzzOpen(f *testing.F) {
	ctx := context.Background()
	db := storetest.Open(f, filepath.Join(f.TempDir(), "amparo.db"))
	ring, err := CreateKeyFile(filepath.Join(f.TempDir(), "amparo.keys"))
	if err != nil {
		f.Fatal(err)
	}
	v := New(db, ring)
	keyID, err := v.NewDataKey(ctx, db, "person")
	if err != nil {
		f.Fatal(err)
	}
	ad := AD{Table: "people", Field: "name_enc", RecordID: "p1"}
	const plain = "SNTL-name-fuzz"
	sealed, err := v.SealString(ctx, db, keyID, ad, plain)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed)
	f.Add(sealed[:sealedOverhead])
	f.Add([]byte{})
	f.Add([]byte{formatV1})
	f.Add(append([]byte{0x02}, sealed[1:]...))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := v.OpenString(ctx, db, keyID, ad, b)
		if err == nil {
			if !bytes.Equal(b, sealed) || got != plain {
				t.Fatalf("Open accepted %d bytes that are not the sealed value", len(b))
			}
			return
		}
		if !errors.Is(err, ErrTampered) {
			t.Fatalf("Open = %v, want ErrTampered", err)
		}
	})
}

// FuzzParseKeyFile feeds arbitrary text to the key file parser: it must
// never panic, and whatever it accepts must survive a write and re-read
// unchanged.
func FuzzParseKeyFile(f *testing.F) {
	f.Add([]byte(keyFileHeader + "\nkek 1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
	f.Add([]byte("kek 1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nkek 2 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n"))
	f.Add([]byte("kek 0 AAAA\n"))
	f.Add([]byte("# only a comment\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ring, err := parseKeyFile(data)
		if err != nil {
			return
		}
		if len(ring.keys) == 0 || ring.keys[ring.current] == nil {
			t.Fatal("accepted a keyring without a current key")
		}
		again, err := parseKeyFile(ring.marshal())
		if err != nil {
			t.Fatalf("re-reading a written key file: %v", err)
		}
		if again.current != ring.current || len(again.keys) != len(ring.keys) {
			t.Fatal("written key file reads back differently")
		}
		for v, k := range ring.keys {
			if !bytes.Equal(again.keys[v], k) || len(k) != keySize {
				t.Fatalf("KEK version %d reads back differently", v)
			}
		}
	})
}
