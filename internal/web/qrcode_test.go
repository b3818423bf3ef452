// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "testing"

// TestQRCode checks the drawn modules against the encoder's: every dark
// module is in exactly one run, inside the quiet zone.
func TestQRCode(t *testing.T) {
	t.Parallel()
	const uri = "otpauth://totp/Amparo:someone@example.org?algorithm=SHA1&digits=6&issuer=Amparo&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	c, err := newQRCode(uri)
	if err != nil {
		t.Fatal(err)
	}
	n := c.Size - 2*qrQuietZone
	if n < 21 || (n-21)%4 != 0 {
		t.Fatalf("side %d is no QR version", n)
	}
	dark := map[[2]int]bool{}
	for _, r := range c.Runs {
		if r.W < 1 || r.X < qrQuietZone || r.Y < qrQuietZone || r.X+r.W > qrQuietZone+n || r.Y >= qrQuietZone+n {
			t.Fatalf("run %+v outside the code", r)
		}
		for x := r.X; x < r.X+r.W; x++ {
			if dark[[2]int{x, r.Y}] {
				t.Fatalf("module %d,%d drawn twice", x, r.Y)
			}
			dark[[2]int{x, r.Y}] = true
		}
	}
	// The three finder patterns have dark 7×7 outlines at the corners.
	for _, corner := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		for i := range 7 {
			for _, p := range [][2]int{{corner[0] + i, corner[1]}, {corner[0], corner[1] + i}} {
				if !dark[[2]int{p[0] + qrQuietZone, p[1] + qrQuietZone}] {
					t.Fatalf("finder pattern module %v is light", p)
				}
			}
		}
	}
}
