// SPDX-License-Identifier: AGPL-3.0-or-later

package password

import (
	"bytes"
	"errors"
	"testing"
)

// validPHC is a well-formed string at production parameters: salt is bytes
// 0..15, key is bytes 0..31.
const validPHC = "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcICQoLDA0ODw$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

func TestParsePHC(t *testing.T) {
	p, salt, key, err := ParsePHC(validPHC)
	if err != nil {
		t.Fatalf("ParsePHC() error = %v", err)
	}
	want := Params{Memory: 65536, Time: 3, Threads: 4, SaltLen: 16, KeyLen: 32}
	if p != want {
		t.Fatalf("ParsePHC() params = %+v, want %+v", p, want)
	}
	for i := range salt {
		if salt[i] != byte(i) {
			t.Fatalf("salt = %x, want bytes 0..15", salt)
		}
	}
	for i := range key {
		if key[i] != byte(i) {
			t.Fatalf("key = %x, want bytes 0..31", key)
		}
	}
	if got := formatPHC(p, salt, key); got != validPHC {
		t.Fatalf("formatPHC(ParsePHC(s)) = %q, want %q", got, validPHC)
	}
}

func TestParsePHCRejectsMalformed(t *testing.T) {
	const salt = "AAECAwQFBgcICQoLDA0ODw"
	const key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
	tests := []struct {
		name string
		phc  string
	}{
		{"empty", ""},
		{"bcrypt", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"},
		{"argon2i", "$argon2i$v=19$m=65536,t=3,p=4$" + salt + "$" + key},
		{"argon2d", "$argon2d$v=19$m=65536,t=3,p=4$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=65536,t=3,p=4$" + salt + "$" + key},
		{"no version", "$argon2id$m=65536,t=3,p=4$" + salt + "$" + key},
		{"params reordered", "$argon2id$v=19$t=3,m=65536,p=4$" + salt + "$" + key},
		{"param missing", "$argon2id$v=19$m=65536,t=3$" + salt + "$" + key},
		{"extra param", "$argon2id$v=19$m=65536,t=3,p=4,x=1$" + salt + "$" + key},
		{"zero memory", "$argon2id$v=19$m=0,t=3,p=4$" + salt + "$" + key},
		{"memory below 8 KiB per lane", "$argon2id$v=19$m=31,t=3,p=4$" + salt + "$" + key},
		{"memory above bound", "$argon2id$v=19$m=1048577,t=3,p=4$" + salt + "$" + key},
		{"memory overflows uint32", "$argon2id$v=19$m=4294967296,t=3,p=4$" + salt + "$" + key},
		{"zero time", "$argon2id$v=19$m=65536,t=0,p=4$" + salt + "$" + key},
		{"time above bound", "$argon2id$v=19$m=65536,t=65,p=4$" + salt + "$" + key},
		{"zero lanes", "$argon2id$v=19$m=65536,t=3,p=0$" + salt + "$" + key},
		{"lanes above uint8", "$argon2id$v=19$m=65536,t=3,p=256$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=065536,t=3,p=4$" + salt + "$" + key},
		{"plus sign", "$argon2id$v=19$m=+65536,t=3,p=4$" + salt + "$" + key},
		{"negative", "$argon2id$v=19$m=65536,t=-3,p=4$" + salt + "$" + key},
		{"empty value", "$argon2id$v=19$m=,t=3,p=4$" + salt + "$" + key},
		{"space", "$argon2id$v=19$m=65536, t=3,p=4$" + salt + "$" + key},
		{"no key", "$argon2id$v=19$m=65536,t=3,p=4$" + salt},
		{"empty key", "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$"},
		{"extra field", "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$" + key + "$x"},
		{"trailing newline", "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$" + key + "\n"},
		{"newline inside salt", "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcI\nCQoLDA0ODw$" + key},
		{"padded salt", "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "==$" + key},
		{"URL alphabet", "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$" + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh-_"},
		{"non-zero trailing bits", "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcICQoLDA0ODx$" + key},
		{"salt too short", "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBg$" + key},
		{"key too short", "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$AAECAwQFBgcICQoLDA0O"},
		{"key too long", "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$" + key + key + key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, s, k, err := ParsePHC(tt.phc)
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("ParsePHC() error = %v, want ErrMalformedHash", err)
			}
			if p != (Params{}) || s != nil || k != nil {
				t.Fatalf("ParsePHC() = %+v, %x, %x on error, want zero values", p, s, k)
			}
		})
	}
}

// FuzzParsePHC checks that no input panics, that accepted parameters stay
// within bounds Verify can safely run, and that accepted strings have exactly
// one spelling.
func FuzzParsePHC(f *testing.F) {
	f.Add(validPHC)
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=4294967295,t=4294967295,p=255$$")
	f.Add("$argon2id$v=19$m=65536,t=3,p=4$$$$")
	f.Add("$argon2id$v=19$")
	f.Add("$$$$$")
	f.Add("")
	f.Fuzz(func(t *testing.T, phc string) {
		p, salt, key, err := ParsePHC(phc)
		if err != nil {
			return
		}
		if p.Memory > maxMemoryKiB || p.Memory < 8*uint32(p.Threads) || p.Time < 1 || p.Time > maxTime || p.Threads < 1 {
			t.Fatalf("accepted out-of-bounds params %+v", p)
		}
		if p.SaltLen != len(salt) || p.KeyLen != len(key) || len(salt) < minSaltLen || len(salt) > maxSaltLen || len(key) < minKeyLen || len(key) > maxKeyLen {
			t.Fatalf("accepted salt %d bytes, key %d bytes, params %+v", len(salt), len(key), p)
		}
		if got := formatPHC(p, salt, key); got != phc {
			t.Fatalf("formatPHC(ParsePHC(%q)) = %q", phc, got)
		}
		p2, salt2, key2, err := ParsePHC(formatPHC(p, salt, key))
		if err != nil || p2 != p || !bytes.Equal(salt2, salt) || !bytes.Equal(key2, key) {
			t.Fatalf("round trip changed the hash")
		}
	})
}
