// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for x := range 8 {
		img.Set(x, x%6, color.RGBA{R: 200, A: 255})
	}
	return img
}

// testJPEG is a real JPEG with extra segments after SOI: each of extra is
// (marker, payload).
func testJPEG(t testing.TB, extra ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	var segs []byte
	for i := 0; i < len(extra); i += 2 {
		payload := []byte(extra[i+1].(string))
		segs = append(segs, 0xFF, extra[i].(byte))
		segs = binary.BigEndian.AppendUint16(segs, uint16(len(payload)+2))
		segs = append(segs, payload...)
	}
	return append(append(append([]byte{}, b[:2]...), segs...), b[2:]...)
}

func pngChunk(typ, data string) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE([]byte(typ+data)))
}

// testPNG is a real PNG with extra chunks after IHDR.
func testPNG(t testing.TB, extra ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage()); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	ihdrEnd := 8 + 12 + 13
	out := append([]byte{}, b[:ihdrEnd]...)
	for _, c := range extra {
		out = append(out, c...)
	}
	return append(out, b[ihdrEnd:]...)
}

func TestCleanPhoto(t *testing.T) {
	jpegWithMeta := testJPEG(t, byte(0xE1), "Exif\x00\x00SNTL-gps", byte(0xE2), "ICC_PROFILE\x00kept-icc", byte(0xFE), "SNTL-comment",
		byte(0xED), "Photoshop 3.0\x00SNTL-iptc")
	jpegWithMeta = append(jpegWithMeta, "SNTL-trailer"...)
	pngWithMeta := testPNG(t, pngChunk("tEXt", "Author\x00SNTL-author"), pngChunk("eXIf", "SNTL-exif"), pngChunk("gAMA", "\x00\x00\xb1\x8f"))
	pngWithMeta = append(pngWithMeta, "SNTL-trailer"...)
	cases := []struct {
		name     string
		in       []byte
		wantType string
		wantCode string
		keep     string
	}{
		{"jpeg", testJPEG(t), ContentTypeJPEG, "", ""},
		{"jpeg with metadata", jpegWithMeta, ContentTypeJPEG, "", "kept-icc"},
		{"png", testPNG(t), ContentTypePNG, "", ""},
		{"png with metadata", pngWithMeta, ContentTypePNG, "", "\x00\x00\xb1\x8f"},
		{"text", []byte("SNTL not an image at all"), "", CodeUnsupportedImage, ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "", CodeUnsupportedImage, ""},
		{"pdf", []byte("%PDF-1.7\n"), "", CodeUnsupportedImage, ""},
		{"jpeg magic only", []byte{0xFF, 0xD8, 0xFF, 0xE0}, "", CodeUnsupportedImage, ""},
		{"png magic only", pngMagic, "", CodeUnsupportedImage, ""},
		{"truncated jpeg", testJPEG(t)[:40], "", CodeUnsupportedImage, ""},
		{"too large", append(testPNG(t), make([]byte, MaxPhotoBytes)...), "", CodeTooLarge, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ct, clean, code := cleanPhoto(c.in)
			if ct != c.wantType || code != c.wantCode {
				t.Fatalf("cleanPhoto = %q, %q; want %q, %q", ct, code, c.wantType, c.wantCode)
			}
			if code != "" {
				return
			}
			if bytes.Contains(clean, []byte("SNTL")) {
				t.Errorf("metadata survived: %q", clean)
			}
			if c.keep != "" && !bytes.Contains(clean, []byte(c.keep)) {
				t.Errorf("a segment needed for display was dropped")
			}
			if _, _, err := image.Decode(bytes.NewReader(clean)); err != nil {
				t.Errorf("cleaned image does not decode: %v", err)
			}
		})
	}
}

func TestCleanPhotoRefusesHugeDimensions(t *testing.T) {
	b := testPNG(t)
	// Rewrite IHDR's width and its CRC.
	binary.BigEndian.PutUint32(b[16:], maxPhotoDimension+1)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	if _, _, code := cleanPhoto(b); code != CodeUnsupportedImage {
		t.Fatalf("code = %q, want %q", code, CodeUnsupportedImage)
	}
}

// FuzzCleanPhoto: any bytes give a refusal or a smaller image of the same
// type, never a panic.
func FuzzCleanPhoto(f *testing.F) {
	f.Add(testJPEG(f, byte(0xE1), "Exif\x00\x00x"))
	f.Add(testPNG(f, pngChunk("tEXt", "a\x00b")))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xFF, 0xFF})
	f.Add(append(append([]byte{}, pngMagic...), 0xFF, 0xFF, 0xFF, 0xFF))
	f.Fuzz(func(t *testing.T, b []byte) {
		ct, clean, code := cleanPhoto(b)
		if code != "" {
			return
		}
		if len(clean) > len(b)+2 {
			t.Fatalf("cleaned image grew from %d to %d bytes", len(b), len(clean))
		}
		magic := map[string][]byte{ContentTypeJPEG: jpegMagic[:2], ContentTypePNG: pngMagic}[ct]
		if magic == nil || !bytes.HasPrefix(clean, magic) {
			t.Fatalf("content type %q for %q", ct, clean)
		}
	})
}
