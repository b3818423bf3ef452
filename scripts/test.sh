#!/usr/bin/env bash
# The whole test suite: formatting, vet, every test with the race detector on
# SQLite and PostgreSQL, then each fuzz target briefly. This is the README's
# second command, and .ci/run calls it.
#
# PostgreSQL: set AMPARO_TEST_POSTGRES_URL to use your own server; otherwise
# .ci/postgres.sh starts a throw-away one on 127.0.0.1:55432 (installing it
# with apt when missing). AMPARO_TEST_SQLITE_ONLY=1 skips PostgreSQL.
# FUZZTIME (default 20s) sets how long each fuzz target runs; 0 skips fuzzing.
# The browser test (internal/browsertest) runs when Debian's chromium and
# chromium-driver are installed and skips otherwise; .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "not gofmt-formatted:"; echo "$unformatted"; exit 1; fi

step "go vet"
go vet ./...

# staticcheck and gosec (high severity; every #nosec in the code says why)
# from the Go module proxy, pinned; LINT=0 skips them.
if [ "${LINT:-1}" != 0 ]; then
  step "staticcheck"
  go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
  step "gosec (high severity)"
  go run github.com/securego/gosec/v2/cmd/gosec@v2.22.11 -quiet -severity high ./...
fi

if [ -z "${AMPARO_TEST_POSTGRES_URL:-}" ] && [ "${AMPARO_TEST_SQLITE_ONLY:-0}" != 1 ]; then
  step "starting PostgreSQL for the tests"
  AMPARO_TEST_POSTGRES_URL=$(bash .ci/postgres.sh)
  export AMPARO_TEST_POSTGRES_URL
fi
if [ -n "${AMPARO_TEST_POSTGRES_URL:-}" ]; then
  echo "engines: SQLite and PostgreSQL"
else
  echo "engines: SQLite only"
fi

step "go test -race (all packages)"
# Everything the tests write to disk (databases, WAL, PostgreSQL tables,
# logs, error responses) is kept here, then scanned for the sentinels that
# fixtures put in sensitive fields (SECURITY-BAR; internal/testutil).
keep=$(mktemp -d)
trap 'rm -rf "$keep"' EXIT
AMPARO_SENTINEL_DIR=$keep go test -race -count=1 -timeout 20m ./...

step "sentinel scan of everything the suite wrote"
AMPARO_SENTINEL_SCAN=$keep go test -count=1 -run '^TestSentinelScan$' ./internal/testutil/

fuzztime=${FUZZTIME:-20s}
if [ "$fuzztime" != 0 ]; then
  step "fuzzing, $fuzztime per target"
  for file in $(grep -rl --include='*_test.go' '^func Fuzz' internal); do
    pkg=./$(dirname "$file")
    for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
      echo "-- $pkg $target"
      # No minimising of new inputs: a run on a loaded machine ended with
      # Go's fuzzer reporting "context deadline exceeded" and no failing
      # input (FuzzOpen, its executions slowed to about 100/s), which
      # minimising new inputs past -fuzztime is known to cause. It still
      # happens now and then as the time runs out (FuzzCleanPhoto, with no
      # input written): such a run, and only such a run, is tried once
      # more. A real failure writes its input to testdata/fuzz and says
      # so, and fails at once.
      if ! out=$(go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -fuzzminimizetime=0 "$pkg" 2>&1); then
        echo "$out"
        case $out in
          *"Failing input written"*) exit 1 ;;
          *"context deadline exceeded"*) echo "-- $target: the fuzzer's own deadline error, no failing input; once more" ;;
          *) exit 1 ;;
        esac
        go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -fuzzminimizetime=0 "$pkg"
      else
        echo "$out" | tail -n 3
      fi
    done
  done
fi

step "all tests passed"
