#!/usr/bin/env bash
# The Redis fault: kill -9 the primary (pid $2, port $1) and wait until the Sentinels name another; prints the seconds.
set -u
kill -9 "$2"
started=$EPOCHREALTIME
until [ "$(redis-cli -p 26421 sentinel get-master-addr-by-name association | tail -n1)" != "$1" ]; do
  sleep 0.2
  awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a > 120) }' && { echo never; exit 1; }
done
awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", b - a }'
