#!/usr/bin/env bash
# The service on a cluster, on loopback, from nothing (installing what is missing, like servers.sh):
#   a 3-node MariaDB Galera cluster, a Redis primary with two replicas watched by three Sentinels, three API
#   instances (the third with Jobs__RunServer=false) and HAProxy in front of the API instances and of the database
#   (one writer node at a time, the other two standing by, each checked for being Synced).
#   scripts/cluster.sh up      start everything (safe to run twice); the API answers on http://127.0.0.1:5100
#   scripts/cluster.sh down    stop everything (the data stays in .local/cluster)
#   scripts/cluster.sh status  who is primary where, and what runs
#   scripts/cluster.sh env     the API's settings as shell exports (through the proxy and the Sentinels)
#   scripts/cluster.sh test    the fault tests (scripts/cluster/faults.sh); ends with "N passed, N failed"
# Memory: three 256 MiB buffer pools, three small Redis, three APIs: about 3 GiB in all.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${ASSOCIATION_CLUSTER_DIR:-$root/.local/cluster}"
here="$root/scripts/cluster"
db_user=association
db_password=association-dev-only
proxy_db_port=3420
proxy_api_port=5100
proxy_stats_port=5109
simulator_port=5104
sentinel_service=association
ready_timeout=120

say() { echo "cluster: $*" >&2; }

node_sql_port() { echo $((3420 + $1)); }
node_gcomm_port() { echo $((4600 + 10 * $1)); }
redis_port() { echo $((6420 + $1)); }
sentinel_port() { echo $((26420 + $1)); }
api_port() { echo $((5100 + $1)); }

install_missing() {
  local wanted=()
  command -v mariadbd >/dev/null 2>&1 || wanted+=(mariadb-server mariadb-client)
  [ -f /usr/lib/galera/libgalera_smm.so ] || wanted+=(galera-4)
  command -v socat >/dev/null 2>&1 || wanted+=(socat)
  command -v mariadb-backup >/dev/null 2>&1 || wanted+=(mariadb-backup)
  command -v haproxy >/dev/null 2>&1 || wanted+=(haproxy)
  command -v redis-server >/dev/null 2>&1 || wanted+=(redis-server)
  command -v redis-sentinel >/dev/null 2>&1 || wanted+=(redis-sentinel)
  [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || wanted+=(fonts-noto-cjk)
  [ ${#wanted[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing ${wanted[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${wanted[@]}" >/dev/null
  # The packages start their own system-wide services; ours run on their own ports, so those are not needed.
  for service in haproxy redis-sentinel redis-server mariadb; do
    $sudo systemctl disable --now "$service" >/dev/null 2>&1 || $sudo service "$service" stop >/dev/null 2>&1 || true
  done
}

pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_until() {
  local what="$1" check="$2" log="$3" waited=0
  until timeout 5 bash -c "$check" >/dev/null 2>&1; do
    sleep 1
    waited=$((waited + 1))
    if [ $waited -ge $ready_timeout ]; then
      say "$what not ready after ${ready_timeout}s; last lines of $log:"
      tail -n 30 "$log" >&2 2>/dev/null || true
      exit 1
    fi
  done
}

node_sql() {
  local i="$1"
  shift
  mariadb --no-defaults --protocol=socket --socket="$state/db$i/mysqld.sock" -uroot "$@"
}

write_node_config() {
  local i="$1"
  local dir="$state/db$i" peers=""
  for j in 1 2 3; do peers+="${peers:+,}127.0.0.1:$(node_gcomm_port "$j")"; done
  cat >"$dir/my.cnf" <<EOF
[mariadbd]
datadir=$dir/data
socket=$dir/mysqld.sock
pid-file=$dir/mysqld.pid
log-error=$dir/error.log
port=$(node_sql_port "$i")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-time-zone=+00:00
innodb_buffer_pool_size=256M
innodb_log_file_size=128M
innodb_flush_log_at_trx_commit=1
max_connections=400
# Galera replicates InnoDB rows: row-based binary log, interleaved auto-increment locks.
binlog_format=ROW
log_bin=$dir/data/binlog
log_slave_updates=ON
server_id=$i
expire_logs_days=7
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
# The schema has triggers; with the binary log on, their creators must be trusted explicitly.
log_bin_trust_function_creators=1
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=association
wsrep_cluster_address=gcomm://$peers
wsrep_node_name=db$i
wsrep_node_address=127.0.0.1:$(node_gcomm_port "$i")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(node_gcomm_port "$i");ist.recv_addr=127.0.0.1:$(($(node_gcomm_port "$i") + 1));gcache.size=256M"
# Joiners get a full copy from a donor by mariadb-backup, which keeps the donor writable meanwhile.
wsrep_sst_method=mariabackup
wsrep_sst_auth=root:
wsrep_sst_receive_address=127.0.0.1:$(($(node_gcomm_port "$i") + 2))
# Reads see every write the cluster has committed before them (read-your-writes through any node).
wsrep_sync_wait=1
EOF
}

# Whether any node is part of a primary component: then a node joins it; otherwise the first one founds it.
primary_node() {
  for i in 1 2 3; do
    if pid_alive "$state/db$i/mysqld.pid" &&
      [ "$(node_sql "$i" -Nse "SHOW STATUS LIKE 'wsrep_cluster_status'" 2>/dev/null | cut -f2)" = Primary ]; then
      echo "$i"
      return 0
    fi
  done
  return 1
}

start_node() {
  local i="$1" bootstrap="${2:-}"
  local dir="$state/db$i" run_as=()
  [ "$(id -u)" -eq 0 ] && run_as=(--user=root)
  mkdir -p "$dir"
  write_node_config "$i"
  if pid_alive "$dir/mysqld.pid"; then
    return 0
  fi
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --defaults-file="$dir/my.cnf" "${run_as[@]}" --auth-root-authentication-method=socket \
      --skip-test-db >"$dir/install.log" 2>&1 || { tail -n 20 "$dir/install.log" >&2; exit 1; }
  fi
  local extra=()
  if [ -n "$bootstrap" ]; then
    extra=(--wsrep-new-cluster)
    # A cluster stopped as a whole is founded again by its last node to stop, which Galera marks safe.
    [ -f "$dir/data/grastate.dat" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$dir/data/grastate.dat"
  fi
  rm -f "$dir/mysqld.sock" "$dir/mysqld.sock.lock"
  say "starting db$i on 127.0.0.1:$(node_sql_port "$i")${bootstrap:+ (founding the cluster)}"
  setsid mariadbd --defaults-file="$dir/my.cnf" "${run_as[@]}" "${extra[@]}" </dev/null >>"$dir/error.log" 2>&1 &
}

wait_synced() {
  local i="$1"
  wait_until "db$i" "[ \"\$(mariadb --no-defaults --protocol=socket --socket='$state/db$i/mysqld.sock' -uroot -Nse \"SHOW STATUS LIKE 'wsrep_local_state_comment'\" | cut -f2)\" = Synced ]" \
    "$state/db$i/error.log"
}

start_galera() {
  local founder
  if ! founder="$(primary_node)"; then
    founder=1
    start_node 1 bootstrap
    wait_synced 1
  fi
  for i in 1 2 3; do
    [ "$i" = "$founder" ] || start_node "$i"
  done
  for i in 1 2 3; do wait_synced "$i"; done
  node_sql "$founder" <<SQL
CREATE USER IF NOT EXISTS '$db_user'@'127.0.0.1' IDENTIFIED BY '$db_password';
GRANT ALL PRIVILEGES ON \`association%\`.* TO '$db_user'@'127.0.0.1';
GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, REPLICATION CLIENT ON *.* TO '$db_user'@'127.0.0.1';
CREATE USER IF NOT EXISTS 'haproxy_check'@'127.0.0.1';
CREATE DATABASE IF NOT EXISTS association CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
SQL
}

start_redis() {
  local dir="$state/redis"
  mkdir -p "$dir"
  for i in 1 2 3; do
    local port
    port="$(redis_port "$i")"
    if ! pid_alive "$dir/redis$i.pid"; then
      # A replica's role is the Sentinels' to change; the file is written only the first time.
      if [ ! -f "$dir/redis$i.conf" ]; then
        cat >"$dir/redis$i.conf" <<EOF
bind 127.0.0.1
port $port
daemonize yes
pidfile $dir/redis$i.pid
logfile $dir/redis$i.log
dir $dir
dbfilename redis$i.rdb
appendonly yes
appendfilename redis$i.aof
appenddirname aof$i
appendfsync everysec
maxmemory 256mb
maxmemory-policy noeviction
lazyfree-lazy-server-del yes
save ""
replica-announce-ip 127.0.0.1
EOF
        [ "$i" -eq 1 ] || echo "replicaof 127.0.0.1 $(redis_port 1)" >>"$dir/redis$i.conf"
      fi
      say "starting redis$i on 127.0.0.1:$port"
      redis-server "$dir/redis$i.conf"
    fi
    wait_until "redis$i" "[ \"\$(redis-cli -p $port ping)\" = PONG ]" "$dir/redis$i.log"
  done
  for i in 1 2 3; do
    local port
    port="$(sentinel_port "$i")"
    if ! pid_alive "$dir/sentinel$i.pid"; then
      if [ ! -f "$dir/sentinel$i.conf" ]; then
        cat >"$dir/sentinel$i.conf" <<EOF
bind 127.0.0.1
port $port
daemonize yes
pidfile $dir/sentinel$i.pid
logfile $dir/sentinel$i.log
dir $dir
sentinel announce-ip 127.0.0.1
sentinel monitor $sentinel_service 127.0.0.1 $(redis_port 1) 2
sentinel down-after-milliseconds $sentinel_service 3000
sentinel failover-timeout $sentinel_service 15000
sentinel parallel-syncs $sentinel_service 1
EOF
      fi
      say "starting sentinel$i on 127.0.0.1:$port"
      redis-sentinel "$dir/sentinel$i.conf"
    fi
    wait_until "sentinel$i" "redis-cli -p $port sentinel get-master-addr-by-name $sentinel_service | grep -q 127.0.0.1" "$dir/sentinel$i.log"
  done
}

start_haproxy() {
  local dir="$state/haproxy"
  mkdir -p "$dir"
  cat >"$dir/haproxy.cfg.new" <<EOF
global
    daemon
    pidfile $dir/haproxy.pid
    stats socket $dir/admin.sock mode 600 level admin
    maxconn 4000
    # The database check asks each node whether it is Synced; HAProxy runs it as a program.
    external-check
    insecure-fork-wanted

defaults
    timeout connect 3s
    timeout client 1h
    timeout server 1h
    timeout check 5s

listen stats
    bind 127.0.0.1:$proxy_stats_port
    mode http
    stats enable
    stats uri /
    stats show-legends

# One writer at a time, chosen by the check (scripts/cluster/galera-check.sh): only the node named in the writer
# file is up, and it keeps the role until it fails; then the first healthy node takes over for good, and the old one
# stands by when it comes back. Connections to a node marked down are cut, so clients reconnect to the new writer.
listen db
    bind 127.0.0.1:$proxy_db_port
    mode tcp
    option external-check
    external-check path "/usr/bin:/bin"
    external-check command $dir/check.sh
    # Only the writer is ever up; right after a (re)start, before the first checks, all count as up: take the first.
    balance first
    default-server inter 3s fall 2 rise 1 on-marked-down shutdown-sessions
    server db1 127.0.0.1:$(node_sql_port 1) check
    server db2 127.0.0.1:$(node_sql_port 2) check
    server db3 127.0.0.1:$(node_sql_port 3) check

listen api
    bind 127.0.0.1:$proxy_api_port
    mode http
    timeout client 60s
    timeout server 60s
    balance roundrobin
    option httpchk GET /health/ready
    http-check expect status 200
    option redispatch
    retry-on conn-failure empty-response response-timeout
    retries 2
    default-server inter 1s fall 2 rise 2
    server api1 127.0.0.1:$(api_port 1) check
    server api2 127.0.0.1:$(api_port 2) check
    server api3 127.0.0.1:$(api_port 3) check
EOF
  # HAProxy hands a check only its four arguments; the wrapper adds where the writer is written down.
  printf '#!/usr/bin/env bash\nexec %q %q "$@"\n' "$here/galera-check.sh" "$dir/writer" >"$dir/check.sh"
  chmod +x "$dir/check.sh"
  haproxy -c -q -f "$dir/haproxy.cfg.new"
  if pid_alive "$dir/haproxy.pid" && cmp -s "$dir/haproxy.cfg.new" "$dir/haproxy.cfg"; then
    rm "$dir/haproxy.cfg.new"
  elif pid_alive "$dir/haproxy.pid"; then
    # A reload leaves the old process serving its open connections without checks: those are cut, so no client
    # keeps writing through a node the new process has moved away from.
    mv "$dir/haproxy.cfg.new" "$dir/haproxy.cfg"
    haproxy -f "$dir/haproxy.cfg" -st "$(cat "$dir/haproxy.pid")"
  else
    mv "$dir/haproxy.cfg.new" "$dir/haproxy.cfg"
    say "starting HAProxy: database 127.0.0.1:$proxy_db_port, API 127.0.0.1:$proxy_api_port, stats 127.0.0.1:$proxy_stats_port"
    haproxy -f "$dir/haproxy.cfg"
  fi
  wait_until "the database proxy" "mariadb --no-defaults -h127.0.0.1 -P$proxy_db_port -u$db_user -p$db_password -e 'SELECT 1'" "$state/db1/error.log"
}

# The settings every API instance shares: the proxy, the Sentinels, one set of field keys, the simulator.
print_env() {
  local sentinels=""
  for i in 1 2 3; do sentinels+="127.0.0.1:$(sentinel_port "$i"),"; done
  cat <<EOF
export Database__ConnectionString='Server=127.0.0.1;Port=$proxy_db_port;User ID=$db_user;Password=$db_password;Database=association'
export Redis__Configuration='${sentinels}serviceName=$sentinel_service'
export WeChat__AppId=wxsimulator000001 WeChat__AppSecret=simulator-secret-not-for-production WeChat__BaseUrl=http://127.0.0.1:$simulator_port
export FieldEncryption__ActiveKeyId=cluster FieldEncryption__Keys__cluster='$(cat "$state/field-key")' FieldEncryption__LookupKey='$(cat "$state/lookup-key")'
export Photos__Root='$state/photos' ASPNETCORE_ENVIRONMENT=Production
export Auth__LoginsPerAddressPerMinute=100000 Auth__LoginsPerOpenIdPerMinute=100000
EOF
}

start_apis() {
  local api_dir="$root/backend/Association.Api/bin/Release/net10.0"
  local simulator_dir="$root/backend/Association.WeChat.Simulator/bin/Release/net10.0"
  [ -f "$api_dir/Association.Api.dll" ] || (cd "$root" && dotnet build Association.sln -c Release -v quiet -nologo >/dev/null)
  for name in field-key lookup-key; do
    [ -s "$state/$name" ] || head -c 32 /dev/urandom | base64 >"$state/$name"
  done
  mkdir -p "$state/api" "$state/photos"
  eval "$(print_env)"
  if ! pid_alive "$state/api/simulator.pid"; then
    (cd "$simulator_dir" && exec setsid dotnet Association.WeChat.Simulator.dll --urls "http://127.0.0.1:$simulator_port") \
      >"$state/api/simulator.log" 2>&1 &
    echo $! >"$state/api/simulator.pid"
  fi
  wait_until "the WeChat simulator" "curl -fsS http://127.0.0.1:$simulator_port/_sim/stats" "$state/api/simulator.log"
  if [ ! -f "$state/api/seeded" ]; then
    say "migrating and loading the demo through the proxy"
    (cd "$api_dir" && dotnet Association.Api.dll seed-demo &&
      dotnet Association.Api.dll bootstrap-admin --openid "$(curl -fsS "http://127.0.0.1:$simulator_port/_sim/openid?code=admin" |
        sed -n 's/.*"openid":"\([^"]*\)".*/\1/p')" --sub-district TX-DTP &&
      dotnet Association.Api.dll seed-demo --rich) >"$state/api/seed.log" 2>&1 || { tail -n 30 "$state/api/seed.log" >&2; exit 1; }
    touch "$state/api/seeded"
  fi
  for i in 1 2 3; do
    if ! pid_alive "$state/api/api$i.pid"; then
      local jobs=true
      [ "$i" -eq 3 ] && jobs=false
      say "starting api$i on 127.0.0.1:$(api_port "$i") (jobs: $jobs)"
      (cd "$api_dir" && Jobs__RunServer=$jobs exec setsid dotnet Association.Api.dll --urls "http://127.0.0.1:$(api_port "$i")") \
        >>"$state/api/api$i.log" 2>&1 &
      echo $! >"$state/api/api$i.pid"
    fi
  done
  for i in 1 2 3; do
    wait_until "api$i" "curl -fsS http://127.0.0.1:$(api_port "$i")/health/ready" "$state/api/api$i.log"
  done
}

stop_pidfile() {
  local name="$1" pidfile="$2" waited=0
  pid_alive "$pidfile" || return 0
  local pid
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    [ $waited -ge 60 ] && kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$pidfile"
  say "$name stopped"
}

# The node the proxy sends writes to: the one the check has written down, as db1..db3.
writer_node() {
  local port
  port="$(cut -d: -f2 "$state/haproxy/writer" 2>/dev/null)"
  [ -n "$port" ] && echo "db$((port - 3420))"
}

status() {
  local writer
  writer="$(writer_node || true)"
  for i in 1 2 3; do
    if pid_alive "$state/db$i/mysqld.pid"; then
      echo "db$i 127.0.0.1:$(node_sql_port "$i") $(node_sql "$i" -Nse "SELECT CONCAT(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('WSREP_LOCAL_STATE_COMMENT','WSREP_CLUSTER_SIZE','WSREP_CLUSTER_STATUS') ORDER BY VARIABLE_NAME" 2>/dev/null | paste -sd' ')"
    else
      echo "db$i stopped"
    fi
  done
  echo "database writer (HAProxy 127.0.0.1:$proxy_db_port): ${writer:-none}"
  local master
  master="$(redis-cli -p "$(sentinel_port 1)" sentinel get-master-addr-by-name "$sentinel_service" 2>/dev/null | paste -sd: || true)"
  echo "redis primary (Sentinel '$sentinel_service'): ${master:-unknown}"
  for i in 1 2 3; do
    echo "redis$i 127.0.0.1:$(redis_port "$i") $(redis-cli -p "$(redis_port "$i")" role 2>/dev/null | head -n1 || echo stopped)"
  done
  for i in 1 2 3; do
    pid_alive "$state/redis/sentinel$i.pid" && echo "sentinel$i 127.0.0.1:$(sentinel_port "$i") running" || echo "sentinel$i stopped"
  done
  for i in 1 2 3; do
    echo "api$i 127.0.0.1:$(api_port "$i") $(curl -fsS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(api_port "$i")/health/ready" 2>/dev/null || echo down)"
  done
}

case "${1:-up}" in
  up)
    install_missing
    mkdir -p "$state"
    start_galera
    start_redis
    start_haproxy
    start_apis
    status
    say "ready: API http://127.0.0.1:$proxy_api_port (through HAProxy), HAProxy stats http://127.0.0.1:$proxy_stats_port/"
    ;;
  down)
    for i in 3 2 1; do stop_pidfile "api$i" "$state/api/api$i.pid"; done
    stop_pidfile simulator "$state/api/simulator.pid"
    stop_pidfile haproxy "$state/haproxy/haproxy.pid"
    for i in 1 2 3; do stop_pidfile "sentinel$i" "$state/redis/sentinel$i.pid"; done
    for i in 3 2 1; do stop_pidfile "redis$i" "$state/redis/redis$i.pid"; done
    # The last node down is the one Galera marks safe to found the cluster again.
    for i in 3 2 1; do stop_pidfile "db$i" "$state/db$i/mysqld.pid"; done
    ;;
  status) status ;;
  writer) writer_node ;;
  env) print_env ;;
  test) exec "$here/faults.sh" ;;
  *)
    echo "usage: $0 up|down|status|env|test" >&2
    exit 2
    ;;
esac
