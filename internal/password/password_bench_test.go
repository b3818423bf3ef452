// SPDX-License-Identifier: AGPL-3.0-or-later

package password

import (
	"context"
	"testing"
)

// BenchmarkHash measures one argon2id hash at the production parameters
// (m=64 MiB, t=3, p=4): the CPU cost of a sign-in, a password change or a
// VerifyDummy for an unknown account. Run with
//
//	go test -run '^$' -bench Hash -benchmem ./internal/password/
//
// Timing is reported, never asserted.
func BenchmarkHash(b *testing.B) {
	h := NewHasher(1)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures checking a password against a stored hash, which
// is what sign-in does; it should cost the same as BenchmarkHash.
func BenchmarkVerify(b *testing.B) {
	h := NewHasher(1)
	ctx := context.Background()
	phc, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := h.Verify(ctx, "correct horse battery staple", phc); err != nil || !ok {
			b.Fatalf("Verify = %v, %v", ok, err)
		}
	}
}
