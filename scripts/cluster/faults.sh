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

"$cluster" up >"$results/up.log" 2>&1 || { tail -n 30 "$results/up.log" >&2; echo "0 passed, 1 failed"; exit 1; }
test_writer_killed
test_node_paused
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
