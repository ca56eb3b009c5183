#!/usr/bin/env bash
# Private MariaDB and Redis on loopback for development, tests and CI.
#   scripts/servers.sh up      install when missing, start, wait until ready (safe to run twice)
#   scripts/servers.sh down    stop both
#   scripts/servers.sh status  say what runs
#   scripts/servers.sh env     print the connection settings as shell exports
# Data lives in .local/ (git-ignored) on its own ports, so a system-wide server never clashes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${ASSOCIATION_STATE_DIR:-$root/.local}"
mariadb_port="${ASSOCIATION_MARIADB_PORT:-3407}"
redis_port="${ASSOCIATION_REDIS_PORT:-6390}"
db_user=association
db_password=association-dev-only
ready_timeout=60

mariadb_dir="$state/mariadb"
mariadb_data="$mariadb_dir/data"
mariadb_socket="$mariadb_dir/mysqld.sock"
mariadb_pid="$mariadb_dir/mysqld.pid"
mariadb_log="$mariadb_dir/error.log"
mariadb_cnf="$mariadb_dir/my.cnf"

redis_dir="$state/redis"
redis_pid="$redis_dir/redis.pid"
redis_log="$redis_dir/redis.log"
redis_conf="$redis_dir/redis.conf"

say() { echo "servers: $*" >&2; }

install_missing() {
  local wanted=()
  command -v mariadbd >/dev/null 2>&1 || wanted+=(mariadb-server mariadb-client)
  command -v redis-server >/dev/null 2>&1 || wanted+=(redis-server)
  # Service certificates are drawn in this font (backend/Association.Api/Certificates).
  [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || wanted+=(fonts-noto-cjk)
  [ ${#wanted[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing ${wanted[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${wanted[@]}" >/dev/null
}

# A pid file counts only when its process is alive and is the program we expect;
# anything else is left over from a crash or a reboot and is removed.
alive() {
  local pidfile="$1" program="$2" pid
  [ -s "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null && grep -q "$program" "/proc/$pid/cmdline" 2>/dev/null; then
    return 0
  fi
  say "removing stale $(basename "$pidfile") (pid $pid is gone)"
  rm -f "$pidfile"
  return 1
}

fail_with_log() {
  say "$1"
  say "last lines of $2:"
  tail -n 30 "$2" >&2 2>/dev/null || true
  exit 1
}

# Waits until "$check" succeeds; gives up early when the server process has died (a port in use,
# a bad setting), and after $ready_timeout seconds otherwise, showing the server's log either way.
wait_ready() {
  local name="$1" pidfile="$2" program="$3" log="$4" check="$5" waited=0
  until timeout 3 bash -c "$check" >/dev/null 2>&1; do
    sleep 1
    waited=$((waited + 1))
    if [ $waited -ge 3 ] && ! alive "$pidfile" "$program"; then
      fail_with_log "$name exited during start-up" "$log"
    fi
    if [ $waited -ge $ready_timeout ]; then
      fail_with_log "$name not ready after ${ready_timeout}s" "$log"
    fi
  done
}

mariadb_cli() {
  mariadb --no-defaults --protocol=socket --socket="$mariadb_socket" -uroot "$@"
}

write_mariadb_config() {
  cat >"$mariadb_cnf" <<EOF
[mariadbd]
datadir=$mariadb_data
socket=$mariadb_socket
pid-file=$mariadb_pid
log-error=$mariadb_log
port=$mariadb_port
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-time-zone=+00:00
# Durability: every commit reaches the disk before it is acknowledged.
innodb_flush_log_at_trx_commit=1
sync_binlog=1
# Large enough to hold the benchmark data set (10^7 ledger entries) in memory.
innodb_buffer_pool_size=2G
max_connections=500
EOF
}

start_mariadb() {
  mkdir -p "$mariadb_dir"
  write_mariadb_config
  local run_as=()
  # mariadbd refuses root unless told; the private instance belongs to whoever runs the script.
  [ "$(id -u)" -eq 0 ] && run_as=(--user=root)
  if [ ! -d "$mariadb_data/mysql" ]; then
    say "initialising MariaDB data in $mariadb_data"
    mariadb-install-db --defaults-file="$mariadb_cnf" "${run_as[@]}" \
      --auth-root-authentication-method=socket --skip-test-db >"$mariadb_dir/install.log" 2>&1 ||
      fail_with_log "mariadb-install-db failed" "$mariadb_dir/install.log"
  fi
  if alive "$mariadb_pid" mariadbd; then
    say "MariaDB already running on 127.0.0.1:$mariadb_port"
  else
    rm -f "$mariadb_socket" "$mariadb_socket.lock"
    say "starting MariaDB on 127.0.0.1:$mariadb_port"
    setsid mariadbd --defaults-file="$mariadb_cnf" "${run_as[@]}" </dev/null >>"$mariadb_log" 2>&1 &
  fi
  wait_ready MariaDB "$mariadb_pid" mariadbd "$mariadb_log" \
    "mariadb --no-defaults --protocol=socket --socket='$mariadb_socket' -uroot -e 'SELECT 1'"
  # The application's account may create the databases it owns (tests make one per class).
  mariadb_cli <<SQL
CREATE USER IF NOT EXISTS '$db_user'@'127.0.0.1' IDENTIFIED BY '$db_password';
CREATE USER IF NOT EXISTS '$db_user'@'localhost' IDENTIFIED BY '$db_password';
GRANT ALL PRIVILEGES ON \`association%\`.* TO '$db_user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`association%\`.* TO '$db_user'@'localhost';
CREATE DATABASE IF NOT EXISTS association CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
SQL
}

start_redis() {
  mkdir -p "$redis_dir"
  cat >"$redis_conf" <<EOF
bind 127.0.0.1
port $redis_port
daemonize yes
pidfile $redis_pid
logfile $redis_log
dir $redis_dir
# Durability and no silent data loss: an append-only log, and writes refused rather than keys evicted.
appendonly yes
appendfsync everysec
maxmemory-policy noeviction
# Replacing a big leaderboard key (RENAME onto it) frees the old value in the background, not while serving.
lazyfree-lazy-server-del yes
save ""
EOF
  if alive "$redis_pid" redis-server; then
    say "Redis already running on 127.0.0.1:$redis_port"
  else
    say "starting Redis on 127.0.0.1:$redis_port"
    redis-server "$redis_conf" >>"$redis_log" 2>&1 || fail_with_log "redis-server did not start" "$redis_log"
  fi
  wait_ready Redis "$redis_pid" redis-server "$redis_log" \
    "[ \"\$(redis-cli -h 127.0.0.1 -p $redis_port ping)\" = PONG ]"
}

stop_one() {
  local name="$1" pidfile="$2" program="$3" pid waited=0
  if ! alive "$pidfile" "$program"; then
    say "$name is not running"
    return 0
  fi
  pid="$(cat "$pidfile")"
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if [ $waited -ge $ready_timeout ]; then
      say "$name did not stop in ${ready_timeout}s; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$pidfile"
  say "$name stopped"
}

print_env() {
  cat <<EOF
export Database__ConnectionString='Server=127.0.0.1;Port=$mariadb_port;User ID=$db_user;Password=$db_password;Database=association'
export Redis__Configuration='127.0.0.1:$redis_port'
EOF
}

case "${1:-up}" in
  up)
    install_missing
    start_mariadb
    start_redis
    say "ready: MariaDB 127.0.0.1:$mariadb_port, Redis 127.0.0.1:$redis_port"
    ;;
  down)
    stop_one MariaDB "$mariadb_pid" mariadbd
    stop_one Redis "$redis_pid" redis-server
    ;;
  status)
    alive "$mariadb_pid" mariadbd && echo "MariaDB running (127.0.0.1:$mariadb_port)" || echo "MariaDB stopped"
    alive "$redis_pid" redis-server && echo "Redis running (127.0.0.1:$redis_port)" || echo "Redis stopped"
    ;;
  env) print_env ;;
  fresh-db)
    # An empty database for a suite that starts the service itself (scripts/contracts-test.sh).
    name="${2:?fresh-db needs a database name starting with association}"
    [[ "$name" =~ ^association[a-z0-9_]*$ ]] || { echo "fresh-db: '$name' is not an association database name" >&2; exit 2; }
    mariadb_cli -e "DROP DATABASE IF EXISTS \`$name\`; CREATE DATABASE \`$name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    ;;
  *)
    echo "usage: $0 up|down|status|env|fresh-db NAME" >&2
    exit 2
    ;;
esac
