// SPDX-License-Identifier: AGPL-3.0-or-later

package clock

import (
	"testing"
	"time"
)

func TestFakeAdvance(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f := NewFake(start)
	f.Advance(15*time.Minute + time.Second)
	if got, want := f.Now(), start.Add(15*time.Minute+time.Second); !got.Equal(want) {
		t.Fatalf("Now() = %v, want %v", got, want)
	}
	if System.Now(System{}).Location() != time.UTC {
		t.Fatal("system clock is not UTC")
	}
}
