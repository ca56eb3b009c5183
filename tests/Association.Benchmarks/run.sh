#!/usr/bin/env bash
# Award write path: the HTTP API (wrk, with auth) against the same batched transaction driven directly (raw-batched)
# and against one award per transaction (raw), both through MySqlConnector, at 32 and 64 connections, in one run.
# Results go to stdout; see README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/Association.Benchmarks"
. "$here/innodb-settle.sh"
cd "$root"
seconds="${BENCH_SECONDS:-20}"
members="${BENCH_MEMBERS:-20000}"
port="${BENCH_PORT:-5090}"
# On two busy cores the tiered JIT takes 20-30 s of load to replace the first, unoptimised code (measured: 0.5 s of
# JIT per second after 5 s, under 0.05 s after 30 s). Every measured process gets the same warm-up.
export BENCH_WARMUP="${BENCH_WARMUP:-30}"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
scripts/servers.sh up
eval "$(scripts/servers.sh env)"
bench_db="association_bench"
connection="${Database__ConnectionString/Database=association/Database=$bench_db}"
mariadb --no-defaults -h127.0.0.1 -P"${ASSOCIATION_MARIADB_PORT:-3407}" -uassociation -passociation-dev-only \
  -e "DROP DATABASE IF EXISTS $bench_db; CREATE DATABASE $bench_db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"

dotnet build Association.sln -c Release -v quiet -nologo
api_dir="$root/backend/Association.Api/bin/Release/net10.0"
bench="dotnet $here/bin/Release/net10.0/Association.Benchmarks.dll"

export Database__ConnectionString="$connection" Redis__Configuration Redis__KeyPrefix="bench:"
export WeChat__AppId=wxbench WeChat__AppSecret=bench-secret WeChat__BaseUrl=http://127.0.0.1:9
export FieldEncryption__ActiveKeyId=b FieldEncryption__Keys__b="$(head -c 32 /dev/urandom | base64)" FieldEncryption__LookupKey="$(head -c 32 /dev/urandom | base64)"
export ASPNETCORE_ENVIRONMENT=Production
(cd "$api_dir" && dotnet Association.Api.dll seed-demo >/dev/null)
token="$($bench seed "$connection" "$members" 2>/tmp/bench-members)"
read -r first last < <(sed -n 's/members \([0-9]*\)\.\.\([0-9]*\)/\1 \2/p' /tmp/bench-members)
# Every award names a record of its own (BenchSources.cs), so each phase draws a range of slots sized for its length at
# up to BENCH_RATE awards a second; a phase that outran its range would repeat the next one's ("repeated" in its line).
rate="${BENCH_RATE:-15000}"
next_slot=0
# take_slots SECONDS: sets SLOT_BASE and SLOTS to a fresh range for a phase that long.
take_slots() { SLOTS=$(( $1 * rate )); SLOT_BASE=$next_slot; next_slot=$(( next_slot + SLOTS )); export SLOT_BASE SLOTS; }
total_seconds=$(( BENCH_WARMUP + 10 + 3 * seconds + 2 * 2 * (BENCH_WARMUP + seconds) ))
OCCURRED_AT="$($bench sources "$connection" $(( total_seconds * rate )) 2>/tmp/bench-sources)"
export OCCURRED_AT
cat /tmp/bench-sources

(cd "$api_dir" && exec dotnet Association.Api.dll --urls "http://127.0.0.1:$port") >/tmp/bench-api.log 2>&1 &
api_pid=$!
trap 'kill $api_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 1; done

rss_peak=0
sample_rss() { local kb; kb=$(awk '/VmRSS/ {print $2}' /proc/$api_pid/status); [ "$kb" -gt "$rss_peak" ] && rss_peak=$kb; echo $rss_peak; }

# Each measurement starts once InnoDB has flushed what the previous one wrote (at most 30 s).
settle() {
  innodb_settle 30
  echo "settled: waited ${innodb_waited}s for InnoDB to flush (dirty pages $innodb_dirty)"
}

# measure_api LABEL CONNECTIONS KEYED: one wrk run while sampling the API's VmRSS.
measure_api() {
  local label="$1" c="$2" keyed="$3"
  settle
  ( while kill -0 $api_pid 2>/dev/null; do sample_rss >"/tmp/bench-rss-$label-$c"; sleep 0.5; done ) & sampler=$!
  take_slots "$seconds"
  KEYED="$keyed" wrk -t2 -c"$c" -d"${seconds}s" --latency -s "$here/award.lua" "http://127.0.0.1:$port" | grep '^api' | sed "s/^api/$label connections=$c/"
  kill $sampler 2>/dev/null || true
  echo "$label connections=$c rss_peak_mb=$(( $(cat "/tmp/bench-rss-$label-$c") / 1024 ))"
}

export TOKEN="$token" FIRST_MEMBER="$first" LAST_MEMBER="$last"
$bench cpu-reference
echo "warm-up ${BENCH_WARMUP}s"; take_slots "$BENCH_WARMUP"; wrk -t2 -c64 -d"${BENCH_WARMUP}s" -s "$here/award.lua" "http://127.0.0.1:$port" >/dev/null
# The Idempotency-Key path is only a few methods more to compile.
take_slots 10; KEYED=1 wrk -t2 -c64 -d10s -s "$here/award.lua" "http://127.0.0.1:$port" >/dev/null
# The API first at both concurrencies, then each baseline at both: after a run of one-award transactions InnoDB still
# held over 3000 dirty pages two minutes later, background work that fell on whatever was measured next.
for c in 32 64; do
  measure_api api "$c" 0
done
# At 64 connections again with a new Idempotency-Key per request, as phones send them: each request then also claims
# its key before the award and stores its answer after it.
measure_api api-keyed 64 1
for baseline in raw-batched raw; do
  for c in 32 64; do
    settle; take_slots $(( BENCH_WARMUP + seconds )); $bench "$baseline" "$connection" "$c" "$seconds"
  done
done
$bench cpu-reference
(cd "$api_dir" && dotnet Association.Api.dll check-points 2>&1 | grep -o 'checked against the ledger: [0-9]* differences')
