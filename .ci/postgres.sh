#!/usr/bin/env bash
# Starts a throw-away PostgreSQL on 127.0.0.1:55432 for the test suite and
# prints the URL to use as AMPARO_TEST_POSTGRES_URL. Installs the server with
# apt when it is missing. Idempotent: a running server is reused.
set -euo pipefail
port=55432
dir=/tmp/amparo-ci-pg
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
sudo=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo=sudo; fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "installing postgresql with apt…" >&2
  $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir "$dir" postgres
fi
if ! run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  rm -rf "$dir"; mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  run "$bin/initdb" -D "$dir/data" -U amparo --auth=trust -E UTF8 >/dev/null
  run "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" start >&2
  run "$bin/createdb" -h 127.0.0.1 -p "$port" -U amparo amparo_test
fi
echo "postgres://amparo@127.0.0.1:$port/amparo_test?sslmode=disable"
