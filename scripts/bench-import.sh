#!/usr/bin/env bash
# Measures the bulk import of cases against the database engines' own bulk
# loaders, on the same file, in the same run:
#
#   1. `amparo demo --cases N --write-csv` writes N clearly synthetic rows
#      (the columns of the default mapping) to a CSV file;
#   2. SQLite: `sqlite3 DB '.import --csv FILE cases'` into a fresh file,
#      with the durability Amparo runs with (WAL, synchronous=FULL), then
#      `amparo import cases FILE` into a fresh data directory (validation,
#      encryption, search tokens, case numbers, audit, one transaction);
#   3. PostgreSQL, when a URL is given (argument 2 or AMPARO_TEST_POSTGRES_URL):
#      `psql \copy` of the file into a plain table of a fresh schema, then
#      `amparo import cases` (COPY) into another fresh schema.
#
# Each step runs under /usr/bin/time -v; the summary gives seconds, rows per
# second, peak RSS and the ratio to the engine's loader. Figures are
# measured and reported, never asserted.
#
#   bash scripts/bench-import.sh [ROWS] [POSTGRES_URL]     (ROWS default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

ROWS=${1:-1000000}
PG_URL=${2:-${AMPARO_TEST_POSTGRES_URL:-}}
ORG="Amparo demo organisation"
OWNER=caseworker@demo.amparo.test

say() { printf '%s\n' "$*" >&2; }
command -v sqlite3 >/dev/null || { say "bench-import: sqlite3 is needed"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/amparo-bench-import.XXXXXX")
schemas=()
cleanup() {
  for s in "${schemas[@]}"; do psql -q "$PG_URL" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# timed NAME CMD...: runs CMD under /usr/bin/time -v, keeping its report.
timed() {
  local name=$1
  shift
  /usr/bin/time -v -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || {
    say "bench-import: $name failed:"
    cat "$tmp/$name.err" "$tmp/$name.out" >&2
    exit 1
  }
}
seconds() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tmp/$1.time"; }
rss_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tmp/$1.time"; }
line() {
  local name=$1 what=$2 base=${3:-}
  local s rss
  s=$(seconds "$name")
  rss=$(rss_mib "$name")
  if [ -n "$base" ]; then
    printf '%-34s %8.1f s %10.0f rows/s %7s MiB  %5.2f x %s\n' "$what" "$s" "$(echo "$ROWS / $s" | bc -l)" "$rss" \
      "$(echo "$s / $(seconds "$base")" | bc -l)" "$base"
  else
    printf '%-34s %8.1f s %10.0f rows/s %7s MiB\n' "$what" "$s" "$(echo "$ROWS / $s" | bc -l)" "$rss"
  fi
}

say "== building amparo"
go build -o "$tmp/amparo" ./cmd/amparo
amparo() { "$tmp/amparo" "$@"; }

say "== writing $ROWS synthetic rows"
amparo demo --cases "$ROWS" --write-csv "$tmp/cases.csv"
say "$(du -h "$tmp/cases.csv" | cut -f1) $tmp/cases.csv"

say "== SQLite: sqlite3 .import"
timed sqlite3_import sqlite3 -cmd 'PRAGMA journal_mode=WAL' -cmd 'PRAGMA synchronous=FULL' "$tmp/baseline.db" \
  ".import --csv $tmp/cases.csv cases"

say "== SQLite: amparo import cases"
amparo demo --data-dir "$tmp/sqlite" >/dev/null
timed amparo_sqlite "$tmp/amparo" import cases "$tmp/cases.csv" --data-dir "$tmp/sqlite" --org "$ORG" --owner "$OWNER"
cat "$tmp/amparo_sqlite.out" >&2
say "database: $(du -ch "$tmp/sqlite"/amparo.db* | tail -1 | cut -f1)"

if [ -n "$PG_URL" ]; then
  command -v psql >/dev/null || { say "bench-import: psql is needed for PostgreSQL"; exit 1; }
  suffix=$(date +%s)_$$
  base_schema=bench_copy_$suffix
  amparo_schema=bench_amparo_$suffix
  schemas=("$base_schema" "$amparo_schema")
  with_schema() { # URL with search_path set to $1
    case "$PG_URL" in *\?*) printf '%s&search_path=%s' "$PG_URL" "$1" ;; *) printf '%s?search_path=%s' "$PG_URL" "$1" ;; esac
  }
  cols=$(head -1 "$tmp/cases.csv" | sed 's/,/ text, /g; s/$/ text/')
  psql -q "$PG_URL" -c "CREATE SCHEMA $base_schema" -c "CREATE TABLE $base_schema.cases ($cols)"
  say "== PostgreSQL: psql \\copy"
  timed psql_copy psql -q "$PG_URL" -c "\\copy $base_schema.cases FROM '$tmp/cases.csv' WITH (FORMAT csv, HEADER true)"
  psql -q "$PG_URL" -c "CREATE SCHEMA $amparo_schema"
  say "== PostgreSQL: amparo import cases"
  amparo demo --data-dir "$tmp/pg" --database-url "$(with_schema "$amparo_schema")" >/dev/null
  timed amparo_pg "$tmp/amparo" import cases "$tmp/cases.csv" --data-dir "$tmp/pg" --database-url "$(with_schema "$amparo_schema")" \
    --org "$ORG" --owner "$OWNER"
  cat "$tmp/amparo_pg.out" >&2
fi

say ""
say "== summary ($ROWS rows, $(nproc) cores, $(uname -sr))"
{
  line sqlite3_import "sqlite3 .import (SQLite)"
  line amparo_sqlite "amparo import cases (SQLite)" sqlite3_import
  if [ -n "$PG_URL" ]; then
    line psql_copy "psql \\copy (PostgreSQL)"
    line amparo_pg "amparo import cases (PostgreSQL)" psql_copy
  fi
} | tee "$tmp/summary.txt"
