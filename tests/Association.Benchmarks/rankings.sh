#!/usr/bin/env bash
# Ranking job and live leaderboard reads on generated data (default 10^6 members, 10^7 ledger entries):
# the job against the raw RANK anchor in MariaDB, leaderboard reads through the API (wrk, with auth)
# against raw ZREVRANGE (redis-benchmark) at 64 connections, SLOWLOG during the rebuild, memory.
# BENCH_REUSE=1 keeps the data an earlier run generated (migrating it) and measures again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/Association.Benchmarks"
. "$here/innodb-settle.sh"
cd "$root"
members="${BENCH_MEMBERS:-1000000}"
entries="${BENCH_ENTRIES:-10000000}"
patrols="${BENCH_PATROLS:-1000000}"
reports="${BENCH_REPORTS:-100000}"
seconds="${BENCH_SECONDS:-20}"
port="${BENCH_PORT:-5091}"
redis_port="${ASSOCIATION_REDIS_PORT:-6390}"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
scripts/servers.sh up
eval "$(scripts/servers.sh env)"
bench_db="association_rankbench"
connection="${Database__ConnectionString/Database=association/Database=$bench_db}"
reuse="${BENCH_REUSE:-0}"
if [ "$reuse" != 1 ]; then
  mariadb --no-defaults -h127.0.0.1 -P"${ASSOCIATION_MARIADB_PORT:-3407}" -uassociation -passociation-dev-only \
    -e "DROP DATABASE IF EXISTS $bench_db; CREATE DATABASE $bench_db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  redis-cli -p "$redis_port" --scan --pattern 'rankbench:*' | xargs -r -n 500 redis-cli -p "$redis_port" UNLINK >/dev/null
fi

dotnet build Association.sln -c Release -v quiet -nologo
api_dir="$root/backend/Association.Api/bin/Release/net10.0"
bench="dotnet $here/bin/Release/net10.0/Association.Benchmarks.dll"
export Database__ConnectionString="$connection" Redis__Configuration Redis__KeyPrefix="rankbench:" Jobs__RunServer=false
export WeChat__AppId=wxbench WeChat__AppSecret=bench-secret WeChat__BaseUrl=http://127.0.0.1:9
export FieldEncryption__ActiveKeyId=b FieldEncryption__Keys__b="$(head -c 32 /dev/urandom | base64)" FieldEncryption__LookupKey="$(head -c 32 /dev/urandom | base64)"
export ASPNETCORE_ENVIRONMENT=Production
if [ "$reuse" = 1 ]; then
  (cd "$api_dir" && dotnet Association.Api.dll migrate >/dev/null)
else
  (cd "$api_dir" && dotnet Association.Api.dll seed-demo >/dev/null)
  echo "generating $members members and $entries ledger entries"
  time $bench generate "$connection" "$members" "$entries"
fi
echo "generating the year's work: $patrols patrols and $reports reports (what is missing of them)"
time $bench generate-work "$connection" "$patrols" "$reports"
first_month="$(date -u -d '+8 hours' +%Y-%m-01)"
first_month="$(date -d "$first_month -11 months" +%Y-%m)"
echo "rolling up the figures of the twelve months from $first_month"
time (cd "$api_dir" && dotnet Association.Api.dll rollup-figures --from "$first_month" >/dev/null)

redis-cli -p "$redis_port" CONFIG SET slowlog-log-slower-than 10000 >/dev/null
redis-cli -p "$redis_port" SLOWLOG RESET >/dev/null
$bench rankings "$connection" "$Redis__Configuration" "rankbench:"
echo "redis_slowlog_over_10ms=$(redis-cli -p "$redis_port" SLOWLOG LEN)"
echo "redis_used_memory=$(redis-cli -p "$redis_port" INFO memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p')"
# RENAME frees a replaced board in the background; memory once that is done is what the boards take.
for _ in $(seq 1 30); do
  [ "$(redis-cli -p "$redis_port" INFO memory | sed -n 's/^lazyfree_pending_objects:\([0-9]*\)\r$/\1/p')" = 0 ] && break
  sleep 1
done
echo "redis_used_memory_settled=$(redis-cli -p "$redis_port" INFO memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p')"

# A reused database holds the bench admin once a run got this far; one that stopped earlier is seeded now.
if [ "$reuse" = 1 ] && token="$($bench token "$connection" 2>/dev/null)"; then :; else token="$($bench seed "$connection" 1 2>/dev/null)"; fi
sub_district="$(mariadb --no-defaults -h127.0.0.1 -P"${ASSOCIATION_MARIADB_PORT:-3407}" -uassociation -passociation-dev-only -N "$bench_db" -e "SELECT id FROM org_units WHERE kind='SubDistrict'")"
quarter="$(date -u -d '+8 hours' +%Y)Q$(( ($(date -u -d '+8 hours' +%-m) - 1) / 3 + 1 ))"
key="rankbench:lb:$quarter:SubDistrict:$sub_district"

# Reads are measured once InnoDB has flushed what the job wrote (as between two hourly runs), so the background
# flushing and purge of a million rows does not share the two cores with the read rounds.
innodb_settle 120
echo "innodb_dirty_pages_before_reads=$innodb_dirty"

(cd "$api_dir" && exec dotnet Association.Api.dll --urls "http://127.0.0.1:$port") >/tmp/rankbench-api.log 2>&1 &
api_pid=$!
trap 'kill $api_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 1; done

url="http://127.0.0.1:$port/api/leaderboards/SubDistrict/$sub_district?top=20"
curl -fsS -H "Authorization: Bearer $token" "$url" -o /tmp/rankbench-board.json && head -c 200 /tmp/rankbench-board.json; echo
# Measured warm, as a service that has been running: tiered compilation settles within the first seconds under
# load, and a 5 s warm-up left it compiling during the first round (p99 twice the later rounds').
wrk -t2 -c64 -d20s -H "Authorization: Bearer $token" "$url" >/dev/null
# Alternating pairs, because this machine's speed drifts within minutes: each ratio compares neighbours.
for round in 1 2 3; do
  echo "round $round api (wrk, 64 connections, ${seconds}s):"
  wrk -t2 -c64 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$url" | grep -E 'Requests/sec|^\s+(50|99)%|Non-2xx'
  echo "api_rss_mb=$(( $(awk '/VmRSS/ {print $2}' /proc/$api_pid/status) / 1024 ))"
  echo "round $round raw (redis-benchmark ZREVRANGE 0 19 WITHSCORES, 64 connections):"
  redis-benchmark -p "$redis_port" -c 64 -n 400000 --precision 2 ZREVRANGE "$key" 0 19 WITHSCORES | grep -E 'throughput summary|latency summary' -A2 | grep -vE '^--'
done

# Figures of the whole sub-district for a year: the API (rolled-up months) against the GROUP BY over the base tables.
figures_url="http://127.0.0.1:$port/api/figures/$sub_district?period=Month&from=$first_month"
curl -fsS -H "Authorization: Bearer $token" "$figures_url" -o /tmp/rankbench-figures.json && head -c 300 /tmp/rankbench-figures.json; echo
for connections in 1 16; do
  echo "figures api (wrk, $connections connections, ${seconds}s):"
  wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$figures_url" | grep -E 'Requests/sec|^\s+(50|99)%|Non-2xx'
done
echo "figures raw (GROUP BY over the base tables, one connection):"
$bench figures-raw "$connection" "$sub_district" "${BENCH_RAW_RUNS:-1}"

# A 10^5-row export (the sub-district's reports of the last 366 days), the API's RSS sampled every 100 ms meanwhile.
export_url="http://127.0.0.1:$port/api/grid-reports/export?unitId=$sub_district&from=$(date -u -d '+8 hours -365 days' +%Y-%m-%d)"
rss_before=$(( $(awk '/VmRSS/ {print $2}' /proc/$api_pid/status) / 1024 ))
peak=0
( while kill -0 $api_pid 2>/dev/null; do awk '/VmRSS/ {print $2}' /proc/$api_pid/status; sleep 0.1; done ) > /tmp/rankbench-rss.txt &
sampler=$!
curl -fsS -o /tmp/rankbench-export.xlsx -w 'export_http=%{http_code} export_bytes=%{size_download} export_seconds=%{time_total}\n' \
  -H "Authorization: Bearer $token" "$export_url"
kill $sampler 2>/dev/null || true
peak=$(( $(sort -n /tmp/rankbench-rss.txt | tail -1) / 1024 ))
rows=$(unzip -p /tmp/rankbench-export.xlsx xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l)
echo "export_rows=$(( rows - 1 )) api_rss_before_export_mb=$rss_before api_rss_peak_during_export_mb=$peak"
