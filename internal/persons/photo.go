// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
)

// Photo limits. A passport-style portrait from a phone is well under the
// size; the dimension cap refuses images whose header promises more pixels
// than any portrait needs.
const (
	MaxPhotoBytes     = 2 << 20
	maxPhotoDimension = 10000
)

// Content types of photos.
const (
	ContentTypeJPEG = "image/jpeg"
	ContentTypePNG  = "image/png"
)

// Photo is a person's photo.
type Photo struct {
	ContentType string // ContentTypeJPEG or ContentTypePNG
	Data        []byte
}

var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")

	errBadImage = errors.New("persons: not a well-formed JPEG or PNG image")
)

// cleanPhoto checks that b is a JPEG or PNG image by its magic bytes and
// structure, and returns its content type and a copy without the metadata
// a camera or phone writes into it: EXIF (which may hold the place and
// time the photo was taken and the device's serial number), XMP, IPTC,
// comments and text chunks. Pixels are not touched. It returns the field
// error code to answer with when b is refused.
func cleanPhoto(b []byte) (contentType string, clean []byte, code string) {
	if len(b) > MaxPhotoBytes {
		return "", nil, CodeTooLarge
	}
	var err error
	switch {
	case bytes.HasPrefix(b, jpegMagic):
		contentType = ContentTypeJPEG
		if clean, err = cleanJPEG(b); err == nil {
			var cfg image.Config
			cfg, err = jpeg.DecodeConfig(bytes.NewReader(clean))
			err = checkDimensions(cfg, err)
		}
	case bytes.HasPrefix(b, pngMagic):
		contentType = ContentTypePNG
		if clean, err = cleanPNG(b); err == nil {
			var cfg image.Config
			cfg, err = png.DecodeConfig(bytes.NewReader(clean))
			err = checkDimensions(cfg, err)
		}
	default:
		return "", nil, CodeUnsupportedImage
	}
	if err != nil {
		return "", nil, CodeUnsupportedImage
	}
	return contentType, clean, ""
}

func checkDimensions(cfg image.Config, err error) error {
	if err != nil {
		return err
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxPhotoDimension || cfg.Height > maxPhotoDimension {
		return errBadImage
	}
	return nil
}

// cleanJPEG copies a JPEG segment by segment up to its end-of-image
// marker, leaving out comments and application segments other than the
// JFIF header, the ICC colour profile and the Adobe colour-transform flag,
// which decoding needs. Bytes after the end-of-image marker are dropped.
func cleanJPEG(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	i := 2
	for {
		if i+1 >= len(b) || b[i] != 0xFF {
			return nil, errBadImage
		}
		// 0xFF may repeat before a marker as fill.
		for i+1 < len(b) && b[i+1] == 0xFF {
			i++
		}
		if i+1 >= len(b) {
			return nil, errBadImage
		}
		m := b[i+1]
		switch {
		case m == 0xD9: // end of image
			return append(out, 0xFF, 0xD9), nil
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7): // markers without a length
			out = append(out, 0xFF, m)
			i += 2
			continue
		case m == 0x00 || m == 0xD8:
			return nil, errBadImage
		}
		if i+4 > len(b) {
			return nil, errBadImage
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, errBadImage
		}
		if keepJPEGSegment(m, b[i+4:i+2+n]) {
			out = append(out, b[i:i+2+n]...)
		}
		i += 2 + n
		if m == 0xDA {
			// Entropy-coded data follows the scan header up to the next
			// marker that is neither a stuffed 0xFF00 nor a restart.
			start := i
			for i+1 < len(b) && (b[i] != 0xFF || b[i+1] == 0x00 || (b[i+1] >= 0xD0 && b[i+1] <= 0xD7)) {
				i++
			}
			out = append(out, b[start:i]...)
		}
	}
}

func keepJPEGSegment(marker byte, payload []byte) bool {
	switch {
	case marker == 0xE0:
		return bytes.HasPrefix(payload, []byte("JFIF\x00"))
	case marker == 0xE2:
		return bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00"))
	case marker == 0xEE:
		return bytes.HasPrefix(payload, []byte("Adobe"))
	case marker >= 0xE1 && marker <= 0xEF, marker == 0xFE:
		return false
	}
	return true
}

// pngKeep lists the chunks kept: the critical ones and those that change
// how the pixels look. Text, EXIF, time and unknown chunks are dropped.
var pngKeep = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true,
	"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "sBIT": true, "bKGD": true, "pHYs": true,
}

// cleanPNG copies a PNG chunk by chunk up to IEND, keeping the chunks of
// pngKeep. Bytes after IEND are dropped.
func cleanPNG(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	out = append(out, pngMagic...)
	i := len(pngMagic)
	for {
		if i+12 > len(b) {
			return nil, errBadImage
		}
		// The chunk length is compared as a 64-bit number, so that no
		// length read from the file can overflow the arithmetic.
		n := int64(binary.BigEndian.Uint32(b[i:]))
		if int64(i)+12+n > int64(len(b)) {
			return nil, errBadImage
		}
		end := i + 12 + int(n)
		typ := string(b[i+4 : i+8])
		if pngKeep[typ] {
			out = append(out, b[i:end]...)
		}
		i = end
		if typ == "IEND" {
			return out, nil
		}
	}
}
