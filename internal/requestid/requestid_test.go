// SPDX-License-Identifier: AGPL-3.0-or-later

package requestid

import (
	"context"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	if got := From(context.Background()); got != "" {
		t.Fatalf("From(empty) = %q", got)
	}
	if got := From(With(context.Background(), "r1")); got != "r1" {
		t.Fatalf("From = %q, want r1", got)
	}
}
