#!/usr/bin/env bash
# HAProxy's check of a Galera node (external-check: arguments proxy address, proxy port, server address, server port).
# Healthy only when the node is Synced (or donating by mariadb-backup or IST, which keeps it writable) in a primary
# component: a joiner, or a node cut off from the others, still accepts connections but must not take writes.
state="$(mariadb --no-defaults --connect-timeout=2 -h"$3" -P"$4" -uhaproxy_check -Nse \
  "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME) FROM information_schema.GLOBAL_STATUS
    WHERE VARIABLE_NAME IN ('WSREP_CLUSTER_STATUS', 'WSREP_LOCAL_STATE_COMMENT')" 2>/dev/null)"
[ "$state" = "Primary,Synced" ] || [ "$state" = "Primary,Donor/Desynced" ]
