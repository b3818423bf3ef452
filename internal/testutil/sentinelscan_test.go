// SPDX-License-Identifier: AGPL-3.0-or-later

package testutil

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// ScanEnv names the directory TestSentinelScan reads: the storetest.KeepEnv
// directory of a finished test run (scripts/test.sh runs the suite with it,
// then this test on it).
const ScanEnv = "AMPARO_SENTINEL_SCAN"

// TestSentinelScan fails for every file that a test run left behind —
// SQLite databases with their WAL, PostgreSQL table dumps, server logs
// (which include the audit log's writes), error responses — holding a
// sentinel (SNTL-<field>-<id>, SECURITY-BAR) in clear. Fixtures put
// sentinels only in sensitive fields, which must reach disk and logs
// sealed or not at all. Sentinels are matched without regard to case, as
// e-mail addresses are stored lower-cased.
func TestSentinelScan(t *testing.T) {
	root := os.Getenv(ScanEnv)
	if root == "" {
		t.Skipf("%s is not set: scripts/test.sh runs this scan after the whole suite", ScanEnv)
	}
	files, leaks := 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		lower := asciiLower(b)
		for i := 0; ; {
			j := bytes.Index(lower[i:], []byte("sntl-"))
			if j < 0 {
				break
			}
			at := i + j
			end := min(at+48, len(b))
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s: sentinel in clear at byte %d: %q", rel, at, b[at:end])
			leaks++
			i = at + 5
			if leaks > 200 {
				t.Fatal("too many leaks; stopping")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("%s holds no files: the suite kept nothing to scan", root)
	}
	t.Logf("scanned %d files", files)
}

// asciiLower lower-cases ASCII letters only, keeping every offset (the
// files are binary: bytes.ToLower would turn invalid UTF-8 into longer
// replacement characters).
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
