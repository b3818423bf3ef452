#!/usr/bin/env bash
# Reproduces every figure in docs/PERFORMANCE.md, end to end, on fresh
# temporary data directories:
#
#   1. start-up on an empty data directory (process start until /healthz
#      answers 200), BENCH_STARTS times, median and max;
#   2. idle RSS of `amparo serve` (after start-up and after a 5 s pause);
#   3. the authenticated JSON read GET /api/v1/organisations/{id} with an API
#      token, under wrk on loopback, at several connection counts, with the
#      access log off (--log-level warn) and once on (--log-level info);
#   4. the same on PostgreSQL when AMPARO_BENCH_POSTGRES_URL is set;
#   5. the Go benchmarks (argon2id cost per hash, token authentication).
#
# It ends with a summary block to paste into docs/PERFORMANCE.md. Figures are
# measured and reported, never asserted: nothing here fails on a slow run.
#
#   bash scripts/bench.sh
#
# Settings (environment):
#   AMPARO_BENCH_POSTGRES_URL  postgres://… URL of an EMPTY database (no
#                              Amparo tables): the run creates the schema, a
#                              demo organisation and a key file of its own, so
#                              a database left over from an earlier run will
#                              not work. For example:
#                                psql "$BASE" -c 'DROP DATABASE IF EXISTS amparo_bench'
#                                psql "$BASE" -c 'CREATE DATABASE amparo_bench'
#   BENCH_DURATION             wrk duration per run (default 20s)
#   BENCH_CONNECTIONS          wrk connection counts (default "8 32 64")
#   BENCH_THREADS              wrk threads (default 2)
#   BENCH_STARTS               start-up measurements (default 5)
#   BENCH_GO                   0 skips the Go benchmarks (default 1)
#
# wrk runs on the same machine (and cores) as the server: the figures are
# those of server and load generator sharing the CPU. The script reports the
# CPU each of them used, and what the rest of the machine used meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-"8 32 64"}
THREADS=${BENCH_THREADS:-2}
STARTS=${BENCH_STARTS:-5}
RUN_GO=${BENCH_GO:-1}
PG_URL=${AMPARO_BENCH_POSTGRES_URL:-}
RPS_TARGET=5000
P99_TARGET_MS=20
RSS_TARGET_MB=100
START_TARGET_MS=1000
ADMIN=admin@demo.amparo.test

step() { printf '\n== %s\n' "$*" >&2; }
say() { printf '%s\n' "$*" >&2; }
die() {
  say "bench: $*"
  exit 1
}

# ---------------------------------------------------------------- set-up

if ! command -v wrk >/dev/null; then
  step "installing wrk"
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    sudo apt-get install -y wrk >/dev/null || { sudo apt-get update >/dev/null && sudo apt-get install -y wrk >/dev/null; }
  fi
fi
command -v curl >/dev/null || die "curl is needed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/amparo-bench.XXXXXX")
server_pid=""
server_log="$tmp/server.log"

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local i
  for i in $(seq 100); do # up to 10 s for the graceful shutdown
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
cleanup() {
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# busy and total jiffies of the whole machine, from /proc/stat
cpu_all() { awk '/^cpu /{busy=$2+$3+$4+$7+$8+$9; total=busy+$5+$6; print busy, total; exit}' /proc/stat; }
# user+system clock ticks of the server process
cpu_server() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
# user+system clock ticks of every PostgreSQL process on the machine
cpu_postgres() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk '$2 == "(postgres)" {s += $14 + $15} END {print s + 0}'; }
status_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$server_pid/status"; }
mb() { awk -v kb="$1" 'BEGIN{printf "%.1f", kb / 1024}'; }
HZ=$(getconf CLK_TCK)

pick_port() {
  local p _
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

# start_server LEVEL DATA-DIR [FLAG…]: starts `amparo serve`, polls /healthz
# every ~5 ms and sets server_pid, port, base and start_ms (process start to
# first 200 from /healthz). curl's own start-up (a few ms) bounds the
# resolution.
start_server() {
  local level=$1 dir=$2
  shift 2
  port=$(pick_port)
  base="http://127.0.0.1:$port"
  local t0
  t0=$(now_us)
  "$tmp/amparo" serve --data-dir "$dir" --addr "127.0.0.1:$port" --api-rate 0 --log-level "$level" "$@" \
    >>"$server_log" 2>&1 &
  server_pid=$!
  until curl -fs -o /dev/null --max-time 1 "$base/healthz"; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" 2>/dev/null || true
      server_pid=""
      tail -20 "$server_log" >&2
      die "amparo serve exited before answering /healthz"
    fi
    (($(now_us) - t0 < 30000000)) || die "amparo serve did not answer /healthz within 30 s"
    sleep 0.005
  done
  start_ms=$((($(now_us) - t0) / 1000))
}

# to_ms VALUE-WITH-UNIT: wrk's 512.00us / 2.20ms / 1.03s in milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN{
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "%s", v }'
}

RESULTS="$tmp/results.tsv" # engine level conns rps p50 p75 p90 p99 non2xx errors server wrk postgres others load0 load1
: >"$RESULTS"

# run_wrk ENGINE LEVEL CONNS URL TOKEN: one wrk run, appended to RESULTS
run_wrk() {
  local engine=$1 level=$2 c=$3 url=$4 token=$5
  local out="$tmp/wrk-$engine-$level-c$c.txt" timef="$tmp/wrk-time"
  local load0 load1 s0 s1 g0 g1 a0 a1
  load0=$(loadavg)
  s0=$(cpu_server)
  g0=$(cpu_postgres)
  a0=$(cpu_all)
  local TIMEFORMAT='%U %S'
  { time wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$url" >"$out"; } 2>"$timef"
  s1=$(cpu_server)
  g1=$(cpu_postgres)
  a1=$(cpu_all)
  load1=$(loadavg)
  local rps p50 p75 p90 p99 non2xx errs secs
  rps=$(awk '/^Requests\/sec:/{printf "%.0f", $2}' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  p75=$(to_ms "$(awk '$1 == "75%" {print $2}' "$out")")
  p90=$(to_ms "$(awk '$1 == "90%" {print $2}' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  non2xx=$(awk '/Non-2xx/{print $NF}' "$out")
  non2xx=${non2xx:-0}
  errs=$(awk -F'[ ,]+' '/Socket errors/{print $4 + $6 + $8 + $10}' "$out")
  errs=${errs:-0}
  secs=$(awk '/ requests in /{for (i = 1; i <= NF; i++) if ($i == "in") {v = $(i + 1); sub(/s,?$/, "", v); print v}}' "$out")
  # CPU in cores (1.00 = one core busy for the whole run)
  local cpu
  cpu=$(awk -v s0="$s0" -v s1="$s1" -v g0="$g0" -v g1="$g1" -v hz="$HZ" -v secs="$secs" -v a0="$a0" -v a1="$a1" \
    -v w="$(tail -1 "$timef")" -v ncpu="$(nproc)" 'BEGIN{
    split(a0, x, " "); split(a1, y, " "); split(w, z, " ")
    server = (s1 - s0) / hz / secs
    wrkc = (z[1] + z[2]) / secs
    pg = (g1 - g0) / hz / secs; if (pg < 0) pg = 0
    busy = (y[1] - x[1]) / (y[2] - x[2]) * ncpu
    others = busy - server - wrkc - pg; if (others < 0) others = 0
    printf "%.2f\t%.2f\t%.2f\t%.2f", server, wrkc, pg, others }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$engine" "$level" "$c" "$rps" "$p50" "$p75" "$p90" "$p99" "$non2xx" "$errs" "$cpu" "$load0" "$load1" >>"$RESULTS"
  say "   c=$c: $rps req/s; p50 $p50 ms, p75 $p75 ms, p90 $p90 ms, p99 $p99 ms; non-2xx $non2xx, socket errors $errs"
  say "         CPU (cores): $(echo "$cpu" | awk -F'\t' '{printf "server %s, wrk %s, postgres %s, others %s", $1, $2, $3, $4}'); load $load0 -> $load1"
}

# best ENGINE LEVEL: the row with the highest req/s among those with
# p99 <= P99_TARGET_MS (or, if none, the one with the lowest p99)
best() {
  awk -F'\t' -v e="$1" -v l="$2" -v t="$P99_TARGET_MS" '
    $1 == e && $2 == l { if ($8 + 0 <= t && $4 + 0 > brps) { brps = $4 + 0; b = $0 }
                         if (low == "" || $8 + 0 < lowp) { lowp = $8 + 0; low = $0 } }
    END { print (b != "" ? b : low) }' "$RESULTS"
}

declare -A FIG # figures for the summary

# bench_engine ENGINE DATA-DIR [FLAG…]: demo data, token, idle RSS, wrk runs
bench_engine() {
  local engine=$1 dir=$2
  shift 2
  step "$engine: demo organisation and API token"
  "$tmp/amparo" demo --data-dir "$dir" "$@" --log-level warn >/dev/null
  local org token
  org=$("$tmp/amparo" user list --data-dir "$dir" "$@" --log-level warn |
    awk -v a="$ADMIN" '$2 == a {split($NF, m, ":"); print m[1]}')
  [ -n "$org" ] || die "no demo organisation found for $ADMIN"
  token=$("$tmp/amparo" user token --data-dir "$dir" "$@" --log-level warn \
    --email "$ADMIN" --scopes "organisation.read" --days 1 --name bench 2>/dev/null)
  [ -n "$token" ] || die "no token"
  say "   organisation $org"

  step "$engine: amparo serve --log-level warn (access log off)"
  start_server warn "$dir" "$@"
  FIG[$engine.serve_start_ms]=$start_ms
  FIG[$engine.rss_start_kb]=$(status_kb VmRSS)
  sleep 5
  FIG[$engine.rss_idle_kb]=$(status_kb VmRSS)
  say "   started in $start_ms ms; RSS ${FIG[$engine.rss_start_kb]} kB at start, ${FIG[$engine.rss_idle_kb]} kB after 5 s idle"
  local url="$base/api/v1/organisations/$org"
  local code
  code=$(curl -s -o "$tmp/org.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$url")
  [ "$code" = 200 ] || die "GET $url answered $code: $(cat "$tmp/org.json")"
  say "   GET /api/v1/organisations/{id}: 200, $(wc -c <"$tmp/org.json") bytes"
  wrk -t"$THREADS" -c8 -d3s -H "Authorization: Bearer $token" "$url" >/dev/null # warm-up
  local c
  for c in $CONNECTIONS; do
    run_wrk "$engine" warn "$c" "$url" "$token"
  done
  FIG[$engine.rss_load_kb]=$(status_kb VmRSS)
  FIG[$engine.hwm_kb]=$(status_kb VmHWM)
  say "   RSS after load ${FIG[$engine.rss_load_kb]} kB (peak ${FIG[$engine.hwm_kb]} kB)"
  # Sign-in memory: each argon2id computation holds 64 MiB and the server
  # runs up to 4 at once. Four concurrent failed sign-ins (unknown
  # addresses, so the same work as a real one) show what the process keeps.
  local pids=() i
  for i in 1 2 3 4; do
    curl -s -o /dev/null -d "email=bench-$i@example.org&password=not-the-password-$i" "$base/login" &
    pids+=($!)
  done
  wait "${pids[@]}"
  FIG[$engine.rss_signin_kb]=$(status_kb VmRSS)
  sleep 5
  FIG[$engine.rss_signin_idle_kb]=$(status_kb VmRSS)
  say "   RSS after 4 concurrent sign-ins ${FIG[$engine.rss_signin_kb]} kB, 5 s later ${FIG[$engine.rss_signin_idle_kb]} kB"
  stop_server
  log_errors

  local bc
  bc=$(best "$engine" warn | cut -f3)
  step "$engine: amparo serve --log-level info (access log on, to a file), c=$bc"
  start_server info "$dir" "$@"
  url="$base/api/v1/organisations/$org"
  wrk -t"$THREADS" -c8 -d3s -H "Authorization: Bearer $token" "$url" >/dev/null
  local lines0
  lines0=$(wc -l <"$server_log")
  run_wrk "$engine" info "$bc" "$url" "$token"
  FIG[$engine.info_log_lines]=$(($(wc -l <"$server_log") - lines0))
  stop_server
  log_errors
}

# log_errors: reports (and then clears) ERROR lines in the server log
log_errors() {
  local n
  n=$(grep -c 'level=ERROR' "$server_log" || true)
  if [ "$n" != 0 ]; then
    say "   note: $n ERROR lines in the server log, for example:"
    grep -m3 'level=ERROR' "$server_log" | sed 's/^/     /' >&2
  fi
  : >"$server_log"
}

# ---------------------------------------------------------------- machine

step "machine"
MACHINE_CPU=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
MACHINE_NPROC=$(nproc)
MACHINE_MEM=$(awk '/^MemTotal/{printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
MACHINE_KERNEL=$(uname -r)
GO_VERSION=$(go env GOVERSION)
WRK_VERSION=$(wrk -v 2>&1 | head -1 | awk '{print $2}' || true)
LOAD_BEFORE=$(loadavg)
DATE=$(date -u +%Y-%m-%d)
say "   $MACHINE_NPROC × $MACHINE_CPU, $MACHINE_MEM; Linux $MACHINE_KERNEL; $GO_VERSION; wrk $WRK_VERSION"
say "   load average before: $LOAD_BEFORE"

step "go build -o \$tmp/amparo ./cmd/amparo"
go build -o "$tmp/amparo" ./cmd/amparo
BIN_MB=$(mb "$(($(stat -c %s "$tmp/amparo") / 1024))")

# ---------------------------------------------------------------- start-up

step "start-up on an empty data directory (SQLite), $STARTS times"
starts=()
start_rss=()
for i in $(seq "$STARTS"); do
  start_server warn "$tmp/empty-$i"
  starts+=("$start_ms")
  start_rss+=("$(status_kb VmRSS)")
  stop_server
  say "   run $i: $start_ms ms (RSS ${start_rss[-1]} kB)"
done
START_MEDIAN=$(printf '%s\n' "${starts[@]}" | sort -n | awk '{v[NR] = $1} END{print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}')
START_MAX=$(printf '%s\n' "${starts[@]}" | sort -n | tail -1)
START_ALL=$(
  IFS=,
  echo "${starts[*]}"
)
say "   median $START_MEDIAN ms, max $START_MAX ms"
log_errors

# ---------------------------------------------------------------- SQLite

ENGINES=(sqlite)
bench_engine sqlite "$tmp/sqlite"

# ---------------------------------------------------------------- PostgreSQL

PG_START=""
if [ -n "$PG_URL" ]; then
  ENGINES+=(postgres)
  step "postgres: start-up on an empty database (includes creating the schema)"
  start_server warn "$tmp/pg" --database-url "$PG_URL"
  PG_START=$start_ms
  stop_server
  say "   $PG_START ms"
  bench_engine postgres "$tmp/pg" --database-url "$PG_URL"
else
  say ""
  say "(AMPARO_BENCH_POSTGRES_URL is not set: PostgreSQL skipped)"
fi

# ---------------------------------------------------------------- Go benchmarks

GO_BENCH=""
if [ "$RUN_GO" != 0 ]; then
  step "Go benchmarks"
  GO_BENCH=$(
    go test -run '^$' -bench . -benchmem -count 1 ./internal/password/ ./internal/accounts/ 2>&1 |
      awk '/^Benchmark/'
  )
  say "$GO_BENCH"
fi
LOAD_AFTER=$(loadavg)

# ---------------------------------------------------------------- summary

verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "NOT met"; fi; }

{
  echo
  echo "==================== summary (paste into docs/PERFORMANCE.md) ===================="
  echo
  echo "Measured $DATE with \`bash scripts/bench.sh\` (wrk -t$THREADS, $DURATION per run)."
  echo "Machine: $MACHINE_NPROC × $MACHINE_CPU, $MACHINE_MEM RAM, Linux $MACHINE_KERNEL; $GO_VERSION; wrk $WRK_VERSION;"
  echo "binary $BIN_MB MB. Load average (1/5/15 min): $LOAD_BEFORE before, $LOAD_AFTER after."
  echo
  echo "Start-up, empty data directory, SQLite (process start → /healthz 200), $STARTS runs:"
  echo "median $START_MEDIAN ms, max $START_MAX ms (each: $START_ALL ms) — target ≤ $START_TARGET_MS ms: $(verdict "$((START_MAX <= START_TARGET_MS))")"
  if [ -n "$PG_START" ]; then
    echo "PostgreSQL, empty database (creates the schema): $PG_START ms"
  fi
  echo
  echo "| engine | serve start (demo data) | RSS after start | RSS idle 5 s | RSS after load (peak) | RSS after 4 sign-ins, +5 s |"
  echo "|---|---|---|---|---|---|"
  for e in "${ENGINES[@]}"; do
    echo "| $e | ${FIG[$e.serve_start_ms]} ms | $(mb "${FIG[$e.rss_start_kb]}") MB | $(mb "${FIG[$e.rss_idle_kb]}") MB | $(mb "${FIG[$e.rss_load_kb]}") MB ($(mb "${FIG[$e.hwm_kb]}") MB) | $(mb "${FIG[$e.rss_signin_kb]}") MB, $(mb "${FIG[$e.rss_signin_idle_kb]}") MB |"
  done
  echo
  echo "GET /api/v1/organisations/{id}, Bearer token (scope organisation.read), --api-rate 0; latencies in ms;"
  echo "CPU in cores used during the run (amparo, wrk, every PostgreSQL process, everything else on the machine):"
  echo
  echo "| engine | log level | conns | req/s | p50 | p75 | p90 | p99 | errors | CPU amparo / wrk / postgres / others | load avg before → after |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s / %s | %s → %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 + $10, $11, $12, $13, $14, $15, $16}' "$RESULTS"
  echo
  for e in "${ENGINES[@]}"; do
    row=$(best "$e" warn)
    rps=$(cut -f4 <<<"$row")
    p99=$(cut -f8 <<<"$row")
    ok=$(awk -v r="$rps" -v p="$p99" -v rt="$RPS_TARGET" -v pt="$P99_TARGET_MS" 'BEGIN{print (r >= rt && p <= pt) ? 1 : 0}')
    if awk -v p="$p99" -v pt="$P99_TARGET_MS" 'BEGIN{exit !(p <= pt)}'; then
      what="best run with p99 ≤ $P99_TARGET_MS ms"
    else
      what="no run had p99 ≤ $P99_TARGET_MS ms; lowest p99"
    fi
    echo "$e, $what: c=$(cut -f3 <<<"$row"), $rps req/s, p99 $p99 ms — target ≥ $RPS_TARGET req/s at p99 ≤ $P99_TARGET_MS ms: $(verdict "$ok")"
    idle_ok=$(awk -v k="${FIG[$e.rss_idle_kb]}" -v t="$RSS_TARGET_MB" 'BEGIN{print (k / 1024 <= t) ? 1 : 0}')
    echo "$e, idle RSS $(mb "${FIG[$e.rss_idle_kb]}") MB before any sign-in — target ≤ $RSS_TARGET_MB MB: $(verdict "$idle_ok"); $(mb "${FIG[$e.rss_signin_idle_kb]}") MB after 4 concurrent sign-ins"
    echo "$e, access log at info wrote ${FIG[$e.info_log_lines]} lines during its run"
  done
  if [ -n "$GO_BENCH" ]; then
    echo
    echo "Go benchmarks (go test -bench . ./internal/password/ ./internal/accounts/):"
    echo
    echo '```'
    echo "$GO_BENCH"
    echo '```'
  fi
  echo
  echo "Timing figures are measured, not asserted in tests."
} | tee "${BENCH_SUMMARY:-/dev/null}"
