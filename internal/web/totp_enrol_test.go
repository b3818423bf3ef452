// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "testing"

func TestGroupSecret(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "ABC": "ABC", "ABCD": "ABCD", "ABCDEFGHI": "ABCD EFGH I"} {
		if got := groupSecret(in); got != want {
			t.Errorf("groupSecret(%q) = %q, want %q", in, got, want)
		}
	}
}
