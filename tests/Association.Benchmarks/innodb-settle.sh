# Sourced by the benchmark scripts. innodb_settle MAX_SECONDS waits until InnoDB holds fewer than 1000 dirty pages
# (or MAX_SECONDS pass), so the flushing of what one measurement wrote does not share the cores with the next one.
# Sets innodb_dirty (pages left) and innodb_waited (seconds waited).
innodb_settle() {
  innodb_dirty=0
  for innodb_waited in $(seq 0 "$1"); do
    innodb_dirty="$(mariadb --no-defaults -h127.0.0.1 -P"${ASSOCIATION_MARIADB_PORT:-3407}" -uassociation -passociation-dev-only -N \
      -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | awk '{print $2}')"
    [ "${innodb_dirty:-0}" -lt 1000 ] && break
    sleep 1
  done
}
