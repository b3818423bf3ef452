// SPDX-License-Identifier: AGPL-3.0-or-later

package persons_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// sentinelJPEG is a real JPEG carrying marker in a kept segment (its ICC
// profile), so the sealed photo holds it, and exif in an EXIF segment,
// which must be stripped before sealing.
func sentinelJPEG(t *testing.T, marker, exif string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	seg := func(m byte, payload string) []byte {
		out := []byte{0xFF, m}
		out = binary.BigEndian.AppendUint16(out, uint16(len(payload)+2))
		return append(out, payload...)
	}
	b := buf.Bytes()
	out := append([]byte{}, b[:2]...)
	out = append(out, seg(0xE2, "ICC_PROFILE\x00"+marker)...)
	out = append(out, seg(0xE1, "Exif\x00\x00"+exif)...)
	return append(out, b[2:]...)
}

// sentinel is a unique marker for a sensitive fixture field, as
// testutil.Sentinel makes them (SECURITY-BAR: SNTL-<field>-<id>).
func sentinel(field string) string { return "SNTL-" + field + "-" + ids.New() }

// uniquePhone is a phone number no other fixture has, to look for in the
// database as the sentinels are (a phone number cannot hold letters).
func uniquePhone() string {
	return fmt.Sprintf("+99 %04d %04d %04d", rand.IntN(10000), rand.IntN(10000), rand.IntN(10000))
}

// Sentinels placed in every identity field appear in clear nowhere in the
// database (SQLite: the database file, its WAL and shared-memory index;
// PostgreSQL: every row of every table persons writes, as text), nor in the
// audit log or in error messages.
func TestSentinelsNeverInClear(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		org := f.org()
		cw := f.user(org, access.RoleCaseworker, "")
		phone, phone2 := uniquePhone(), uniquePhone()
		exif := sentinel("exif")
		in := persons.Input{
			Identity: persons.Identity{GivenName: sentinel("given_name"), FamilyName: sentinel("family_name"),
				Aliases: []string{sentinel("alias"), sentinel("alias")}, DateOfBirth: "1987-03-14",
				Documents: []persons.Document{{Type: "passport", Number: sentinel("document"), Country: "SLV"}},
				Phones:    []string{phone}, Address: sentinel("address")},
			Attributes: persons.Attributes{Sex: "female", Nationality: "SLV"},
			Photo:      sentinelJPEG(t, sentinel("photo"), exif),
		}
		p := f.create(cw, in)
		got, err := f.svc.Get(ctx, cw, p.ID)
		if err != nil || got.Identity.GivenName != in.Identity.GivenName {
			t.Fatalf("Get = %+v, %v", got.Identity, err)
		}
		photo, err := f.svc.Photo(ctx, cw, p.ID)
		if err != nil || !bytes.Contains(photo.Data, []byte("SNTL-photo")) || bytes.Contains(photo.Data, []byte(exif)) {
			t.Fatalf("photo: kept segment lost or EXIF kept (%v)", err)
		}
		if _, err := f.svc.Update(ctx, cw, p.ID, persons.Patch{GivenName: ptr(sentinel("given_name")),
			Phones: ptr([]string{phone2}), Address: ptr(sentinel("address"))}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []persons.SearchQuery{{Name: sentinel("search")}, {DocumentNumber: in.Identity.Documents[0].Number},
			{Phone: phone2}, {Name: in.Identity.FamilyName}} {
			if _, err := f.svc.Search(ctx, cw, q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Export(ctx, cw, p.ID); err != nil {
			t.Fatal(err)
		}
		bad := in
		bad.Identity.GivenName = sentinel("given_name") + "\x00"
		bad.Identity.Phones = []string{sentinel("phone")}
		_, err = f.svc.Create(ctx, cw, bad)
		var ve *persons.ValidationError
		if !errors.As(err, &ve) || strings.Contains(err.Error(), "SNTL") {
			t.Fatalf("refused input: %v", err)
		}

		needles := [][]byte{[]byte("SNTL"), []byte("sntl"), []byte("1987-03-14"),
			[]byte(phone), []byte(strings.ReplaceAll(phone, " ", "")), []byte(phone2), []byte(strings.ReplaceAll(phone2, " ", ""))}
		// The search must find what is there in clear: the person's id.
		found := false
		if db.Engine() == "sqlite" {
			for _, name := range []string{db.SQLitePath, db.SQLitePath + "-wal", db.SQLitePath + "-shm"} {
				b, err := os.ReadFile(name)
				if err != nil && !errors.Is(err, os.ErrNotExist) {
					t.Fatal(err)
				}
				found = found || bytes.Contains(b, []byte(p.ID))
				for _, n := range needles {
					if bytes.Contains(bytes.ToLower(b), bytes.ToLower(n)) {
						t.Errorf("%s holds %q in clear", filepath.Base(name), n)
					}
				}
			}
			if !found {
				t.Fatal("the person's id is not found in the database files; the search is broken")
			}
			return
		}
		for _, table := range []string{"persons", "person_photos", "person_index", "person_vulnerabilities", "person_consents",
			"audit_log", "data_keys"} {
			rows, err := db.Query(ctx, `SELECT CAST(t AS TEXT) FROM `+table+` t`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var row string
				if err := rows.Scan(&row); err != nil {
					t.Fatal(err)
				}
				found = found || strings.Contains(row, p.ID)
				low := strings.ToLower(row)
				for _, n := range needles {
					if strings.Contains(low, strings.ToLower(string(n))) || strings.Contains(low, hex.EncodeToString(n)) {
						t.Errorf("%s holds %q in clear", table, n)
					}
				}
			}
			_ = rows.Close()
		}
		if !found {
			t.Fatal("the person's id is not found in the tables; the search is broken")
		}
	})
}
