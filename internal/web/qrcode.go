// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"github.com/boombuler/barcode/qr"
)

// qrQuietZone is the blank margin around a QR code, in modules; the QR
// specification asks for four so that scanners find the code's edges.
const qrQuietZone = 4

// qrCode is a QR code ready to draw as SVG: Size is the side of the square,
// quiet zone included, and Runs are the dark modules, merged into
// horizontal runs so that the page carries one <rect> per run rather than
// one per module.
type qrCode struct {
	Size int
	Runs []qrRun
}

// qrRun is a horizontal run of W dark modules starting at (X, Y).
type qrRun struct{ X, Y, W int }

// newQRCode encodes text at error-correction level M (15 % of the code may
// be damaged or covered and still read), which suits a code shown on a
// screen.
func newQRCode(text string) (qrCode, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return qrCode{}, err
	}
	b := code.Bounds()
	n := b.Dx()
	out := qrCode{Size: n + 2*qrQuietZone}
	dark := func(x, y int) bool {
		c, _, _, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA()
		return c < 0x8000
	}
	for y := range n {
		for x := 0; x < n; {
			if !dark(x, y) {
				x++
				continue
			}
			start := x
			for x < n && dark(x, y) {
				x++
			}
			out.Runs = append(out.Runs, qrRun{X: start + qrQuietZone, Y: y + qrQuietZone, W: x - start})
		}
	}
	return out, nil
}
