#!/usr/bin/env bash
# HAProxy's check of a Galera node: healthy only for the one node that takes the writes.
#   galera-check.sh WRITER_FILE PROXY_ADDR PROXY_PORT NODE_ADDR NODE_PORT   (HAProxy's four, after the file)
# A node may take writes when it is Synced (or donating by mariadb-backup or IST, which keeps it writable) in a primary
# component. The writer is named in WRITER_FILE and keeps the role until it fails a check; then the first node that
# finds it failed takes over (under a lock), and the old writer stays a standby when it comes back. So HAProxy never
# has two nodes up at once, and clients never write through two nodes.
writer_file="$1"
node="$4:$5"

# A frozen node (a paused process, a lost network) accepts the connection and never answers: 1 s at most, so a
# check, which HAProxy kills after its interval, has time to look at the writer too.
writable() {
  local state
  state="$(timeout 1 mariadb --no-defaults --connect-timeout=1 -h"${1%:*}" -P"${1#*:}" -uhaproxy_check -Nse \
    "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME) FROM information_schema.GLOBAL_STATUS
      WHERE VARIABLE_NAME IN ('WSREP_CLUSTER_STATUS', 'WSREP_LOCAL_STATE_COMMENT')" 2>/dev/null)"
  [ "$state" = "Primary,Synced" ] || [ "$state" = "Primary,Donor/Desynced" ]
}

writer="$(cat "$writer_file" 2>/dev/null)"
if [ "$writer" = "$node" ]; then
  writable "$node"
  exit
fi
writable "$node" || exit 1
if [ -n "$writer" ] && writable "$writer"; then
  exit 1
fi
# The writer is gone (or none was chosen): take over, unless another node did while we looked.
exec 9>>"$writer_file.lock"
flock -w 1 9 || exit 1
[ "$(cat "$writer_file" 2>/dev/null)" = "$writer" ] || exit 1
echo "$node" >"$writer_file.new" && mv "$writer_file.new" "$writer_file"
