#!/usr/bin/env bash
# The cluster's fault tests (scripts/cluster.sh test): each injects one fault during a burst of writes through the
# proxy (scripts/cluster/burst.py), then checks every acknowledged write is in every node exactly once
# (scripts/cluster/verify.py), the points totals match the ledger (check-points), and the faulty part is back.
# Ends with "N passed, N failed"; the figures of each test are printed as it finishes.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/scripts/cluster"
cluster="$root/scripts/cluster.sh"
state="${ASSOCIATION_CLUSTER_DIR:-$root/.local/cluster}"
results="$state/results"
api_dir="$root/backend/Association.Api/bin/Release/net10.0"
node_ports=3421,3422,3423
passed=0
failed=0
mkdir -p "$results"

say() { echo "faults: $*" >&2; }

outcome() {
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    echo "PASS $1"
  else
    failed=$((failed + 1))
    echo "FAIL $1"
  fi
}

# The node HAProxy sends writes to now.
writer() { "$cluster" writer; }

synced() {
  [ "$(mariadb --no-defaults --protocol=socket --socket="$state/$1/mysqld.sock" -uroot -Nse \
    "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" = Synced ]
}

check_points() {
  (eval "$("$cluster" env)" && cd "$api_dir" && dotnet Association.Api.dll check-points) >"$results/check-points.log" 2>&1
}

# Waits for a node to be Synced again; prints the seconds it took and how it caught up (IST or SST).
await_rejoin() {
  local node="$1" started="$2"
  for _ in $(seq 1 180); do
    if synced "$node"; then
      local how=IST
      grep -q "SST complete\|SST succeeded\|State transfer required" <(tail -n 400 "$state/$node/error.log") && how=SST
      grep -q "IST received\|Receiving IST" <(tail -n 400 "$state/$node/error.log") && how=IST
      echo "$(($(date +%s) - started)) $how"
      return 0
    fi
    sleep 1
  done
  return 1
}

test_writer_killed() {
  local name="kill -9 the database writer during a burst of awards and applications" node pid
  node="$(writer)"
  pid="$(cat "$state/$node/mysqld.pid")"
  say "$name ($node, pid $pid)"
  python3 "$here/burst.py" --seconds 40 --fault-after 10 --fault "kill -9 $pid; echo $node" >"$results/writer-killed.json"
  local new_writer restarted ok=0
  new_writer="$(writer)"
  restarted=$(date +%s)
  "$cluster" up >"$results/writer-killed-up.log" 2>&1 || ok=1
  local rejoin
  rejoin="$(await_rejoin "$node" "$restarted")" || { rejoin="never"; ok=1; }
  python3 "$here/verify.py" "$results/writer-killed.json" "$node_ports" || ok=1
  check_points || { ok=1; say "check-points found differences: $results/check-points.log"; }
  [ "$new_writer" != "$node" ] || { ok=1; say "the proxy kept sending writes to the killed node"; }
  echo "  writer $node killed; the proxy moved writes to $new_writer; $node rejoined in ${rejoin% *} s by ${rejoin#* }"
  outcome "$name" $ok
}

test_node_paused() {
  local name="a network pause of the Galera writer node (SIGSTOP for 30 s)" node pid
  node="$(writer)"
  pid="$(cat "$state/$node/mysqld.pid")"
  say "$name ($node, pid $pid)"
  python3 "$here/burst.py" --seconds 45 --fault-after 5 \
    --fault "kill -STOP $pid; sleep 15; $cluster writer >'$results/writer-while-paused'; sleep 15; kill -CONT $pid; echo $node" \
    >"$results/node-paused.json"
  local resumed ok=0 rejoin
  resumed=$(date +%s)
  rejoin="$(await_rejoin "$node" "$resumed")" || { rejoin="never"; ok=1; }
  python3 "$here/verify.py" "$results/node-paused.json" "$node_ports" || ok=1
  check_points || ok=1
  local moved
  moved="$(cat "$results/writer-while-paused")"
  [ "$moved" != "$node" ] || { ok=1; say "the proxy kept sending writes to the paused node"; }
  echo "  $node paused 30 s; the proxy moved writes to $moved meanwhile; $node synced again ${rejoin% *} s after it resumed (${rejoin#* })"
  outcome "$name" $ok
}

sql() { mariadb --no-defaults -h127.0.0.1 -P3420 -uassociation -passociation-dev-only association -Nse "$1"; }

test_redis_primary_killed() {
  local name="kill the Redis primary: Sentinel promotes a replica, leaderboards keep answering, boards converge"
  local old port pid sub_district ok=0
  old="$(redis-cli -p 26421 sentinel get-master-addr-by-name association | tail -n1)"
  port=$((old - 6420))
  pid="$(cat "$state/redis/redis$port.pid")"
  sub_district="$(sql "SELECT id FROM org_units WHERE code = 'TX-DTP'")"
  say "$name (redis$port on :$old, pid $pid)"
  python3 "$here/burst.py" --seconds 40 --fault-after 8 --read "/api/leaderboards/SubDistrict/$sub_district" \
    --fault "$here/redis-failover.sh $old $pid" \
    >"$results/redis-killed.json"
  local promoted new
  promoted="$(python3 -c "import json; print(json.load(open('$results/redis-killed.json'))['fault'])")"
  new="$(redis-cli -p 26421 sentinel get-master-addr-by-name association | tail -n1)"
  "$cluster" up >"$results/redis-killed-up.log" 2>&1 || ok=1
  local drained=never
  for waited in $(seq 1 90); do
    [ "$(sql "SELECT COUNT(*) FROM leaderboard_outbox")" = 0 ] && { drained=$waited; break; }
    sleep 1
  done
  [ "$drained" != never ] || { ok=1; say "the leaderboard outbox did not drain"; }
  python3 "$here/verify.py" "$results/redis-killed.json" "$node_ports" || ok=1
  # Leaderboards keep answering (from MariaDB while Redis is away): at most one read in a hundred may go unanswered.
  python3 -c "import json, sys; r = json.load(open('$results/redis-killed.json')); sys.exit(1 if sum(r['readErrors'].values()) > r['reads'] / 100 else 0)" ||
    { ok=1; say "leaderboard reads failed while Redis failed over"; }
  local role=""
  for _ in $(seq 1 60); do
    role="$(redis-cli -p "$old" role 2>/dev/null | head -n1)"
    [ "$role" = slave ] && break
    sleep 1
  done
  [ "$role" = slave ] || { ok=1; say "the old primary :$old did not come back as a replica"; }
  python3 "$here/converge.py" http://127.0.0.1:5100 3420 "$sub_district" || ok=1
  [ "$new" != "$old" ] || { ok=1; say "no replica was promoted"; }
  echo "  Redis primary :$old killed; Sentinel promoted :$new in ${promoted:-?} s; the outbox drained ${drained} s after the old primary was restarted (it came back as a $role)"
  outcome "$name" $ok
}

test_jobs_instance_killed() {
  local name="kill the API instance running the jobs: the every-minute job still runs once a minute on another" ok=0
  say "$name"
  python3 "$here/jobs.py" "$state" 150 || ok=1
  "$cluster" up >"$results/jobs-killed-up.log" 2>&1 || ok=1
  outcome "$name" $ok
}

"$cluster" up >"$results/up.log" 2>&1 || { tail -n 30 "$results/up.log" >&2; echo "0 passed, 1 failed"; exit 1; }
test_writer_killed
test_node_paused
test_redis_primary_killed
test_jobs_instance_killed
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
