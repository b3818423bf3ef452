// SPDX-License-Identifier: AGPL-3.0-or-later

package store

// RebindPostgresForTest exposes the PostgreSQL placeholder rewrite to tests.
func RebindPostgresForTest(q string) string { return postgres{}.rebind(q) }
