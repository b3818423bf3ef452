// SPDX-License-Identifier: AGPL-3.0-or-later

package backup

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestParsePgURLKeepsPasswordsOffTheCommandLine: anything in --dbname shows
// in ps to every local user, so a password must travel in PGPASSWORD.
func TestParsePgURLKeepsPasswordsOffTheCommandLine(t *testing.T) {
	tests := []struct {
		name        string
		url         string
		wantDBName  string
		wantEnv     []string
		wantSchemas []string
	}{
		{
			name:       "no password",
			url:        "postgres://amparo@db:5432/amparo?sslmode=disable",
			wantDBName: "postgres://amparo@db:5432/amparo?sslmode=disable",
		},
		{
			name:       "password in user info",
			url:        "postgres://amparo:s3cr%40t@db/amparo?sslmode=require",
			wantDBName: "postgres://amparo@db/amparo?sslmode=require",
			wantEnv:    []string{"PGPASSWORD=s3cr@t"},
		},
		{
			name:       "password as a parameter",
			url:        "postgresql://amparo@db/amparo?password=s3cret&sslmode=require",
			wantDBName: "postgresql://amparo@db/amparo?sslmode=require",
			wantEnv:    []string{"PGPASSWORD=s3cret"},
		},
		{
			name:        "search_path becomes quoted schema patterns",
			url:         `postgres://amparo@db/amparo?search_path=%24user,T_Abc,%22Mixed%22%22Case%22`,
			wantDBName:  "postgres://amparo@db/amparo",
			wantSchemas: []string{`"t_abc"`, `"Mixed""Case"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parsePgURL(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if got.dbname != tc.wantDBName {
				t.Errorf("dbname = %q; want %q", got.dbname, tc.wantDBName)
			}
			if strings.Contains(got.dbname, "s3c") {
				t.Errorf("dbname %q carries the password", got.dbname)
			}
			if !slices.Equal(got.env, tc.wantEnv) {
				t.Errorf("env = %q; want %q", got.env, tc.wantEnv)
			}
			if !slices.Equal(got.schemas, tc.wantSchemas) {
				t.Errorf("schemas = %q; want %q", got.schemas, tc.wantSchemas)
			}
		})
	}
}

func TestParsePgURLRejectsOtherURLsWithoutQuotingThem(t *testing.T) {
	for _, raw := range []string{"mysql://u:s3cret@db/x", "amparo.db", "postgres://u:s3cret@db/%zz"} {
		_, err := parsePgURL(raw)
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("parsePgURL(%q) = %v; want an error that does not quote the URL", raw, err)
		}
	}
}

func TestCountCopyRows(t *testing.T) {
	long := strings.Repeat("x", 200<<10) // longer than the reader's buffer
	tests := []struct {
		name    string
		script  string
		want    map[string]int64
		wantErr bool
	}{
		{
			name: "tables with and without rows",
			script: "SET search_path = '';\n" +
				"COPY s.organisations (id, name) FROM stdin;\n" +
				"a\tOne\nb\tTwo\\nlines\nc\t\\\\.\n\\\\.\n\\.\n" +
				"\n" +
				"COPY s.teams (id) FROM stdin;\n\\.\n",
			want: map[string]int64{"s.organisations": 4, "s.teams": 0},
		},
		{
			name:   "rows longer than the buffer count once",
			script: "COPY s.data_keys (id, wrapped) FROM stdin;\n" + "k1\t" + long + "\nk2\t" + long + "\n\\.\n",
			want:   map[string]int64{"s.data_keys": 2},
		},
		{
			name:   "quoted names",
			script: "COPY \"S\".\"Odd (name)\" (id) FROM stdin;\nx\n\\.\n",
			want:   map[string]int64{`"S"."Odd (name)"`: 1},
		},
		{
			name:    "data cut off before the end marker",
			script:  "COPY s.organisations (id) FROM stdin;\na\nb\n",
			wantErr: true,
		},
		{
			name:    "unknown COPY form",
			script:  "COPY s.organisations (id) FROM '/etc/passwd';\n",
			wantErr: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := countCopyRows(strings.NewReader(tc.script))
			if tc.wantErr {
				if err == nil {
					t.Fatalf("countCopyRows = %v; want an error", got)
				}
				return
			}
			if err != nil || !maps.Equal(got, tc.want) {
				t.Fatalf("countCopyRows = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestVersionOrder(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		less bool
	}{
		{name: "major", a: "9.6", b: "15", less: true},
		{name: "two digits", a: "15", b: "16", less: true},
		{name: "same", a: "15", b: "15"},
		{name: "newer first", a: "16", b: "9.6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, okA := parseVersion(tc.a)
			b, okB := parseVersion(tc.b)
			if !okA || !okB {
				t.Fatal("parseVersion failed")
			}
			if got := versionLess(a, b); got != tc.less {
				t.Fatalf("versionLess(%s, %s) = %v; want %v", tc.a, tc.b, got, tc.less)
			}
		})
	}
}
