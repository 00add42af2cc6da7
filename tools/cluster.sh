#!/usr/bin/env bash
# A local scale-out cluster for tests and demos, from Debian's packages only:
# the project's PostgreSQL cluster (the primary, left running), a second
# cluster streaming from it as a read replica, and two Odoo nodes in prefork
# mode on one database, each sending its read-only requests to the replica
# (db_replica_host / db_replica_port).  README.md, "Scaling out".
#
# Usage: tools/cluster.sh up [DB]   primary prepared, replica created and
#                                   streaming, DB (default cluster_db, created
#                                   with both addons and their demo data when
#                                   missing) served by the two nodes
#        tools/cluster.sh down      nodes stopped, replica dropped, the
#                                   primary's settings put back (KEEP_DB=1
#                                   keeps a database this script created)
#        tools/cluster.sh status    the nodes and the replication
#
# The primary is never restarted (other suites may be using it): streaming
# needs wal_level >= replica and max_wal_senders > 0, PostgreSQL's defaults;
# the script adds a replication role, a pg_hba.conf line only if none lets
# that role in, wal_keep_size by ALTER SYSTEM, each followed by a reload, and
# records what it changed in .run/cluster/state so that `down` undoes exactly
# that.  Needs root (or sudo) for the postgres user and pg_createcluster.
# Overrides: CLUSTER_DB, REPLICA_NAME (replica), REPLICA_PORT (5433),
# CLUSTER_HTTP_PORTS ("8271 8272"), CLUSTER_GEVENT_PORTS ("8281 8282"),
# CLUSTER_WORKERS (2), REPL_ROLE (complaint_replicator), CLUSTER_ADDONS (the
# project's addons/: another copy to serve, e.g. the last commit's while the
# working tree is being edited: git archive HEAD addons | tar -x -C DIR, then
# CLUSTER_ADDONS=DIR/addons).
source "$(dirname "$0")/common.sh"

RUN_DIR="$PROJECT_DIR/.run"
STATE_DIR="$RUN_DIR/cluster"
STATE="$STATE_DIR/state"
CLUSTER_DB="${CLUSTER_DB:-cluster_db}"
REPLICA_NAME="${REPLICA_NAME:-replica}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
read -r -a HTTP_PORTS <<< "${CLUSTER_HTTP_PORTS:-8271 8272}"
read -r -a GEVENT_PORTS <<< "${CLUSTER_GEVENT_PORTS:-8281 8282}"
CLUSTER_WORKERS="${CLUSTER_WORKERS:-2}"
CLUSTER_ADDONS="${CLUSTER_ADDONS:-$PROJECT_DIR/addons}"
REPL_ROLE="${REPL_ROLE:-complaint_replicator}"
WAL_KEEP_MB=512
MARK="# complaint-desk tools/cluster.sh"

die() { warn "$*"; exit 1; }

# psql (or another client) as the postgres superuser, on the local socket.
as_postgres() {
  (cd / && as_root runuser -u postgres -- env -u PGHOST -u PGUSER -u PGPASSWORD -u PGPORT "$@")
}
su_sql() { as_postgres psql -X -qAt -v ON_ERROR_STOP=1 -p "$PGPORT" -d "${2:-postgres}" -c "$1"; }
replica_sql() { as_postgres psql -X -qAt -v ON_ERROR_STOP=1 -p "$REPLICA_PORT" -d postgres -c "$1"; }

state_get() { if [ -f "$STATE" ]; then sed -n "s/^$1=//p" "$STATE" | tail -n1; fi; }
state_set() {
  mkdir -p "$STATE_DIR"
  touch "$STATE"
  sed -i "/^$1=/d" "$STATE"
  echo "$1=$2" >> "$STATE"
}
state_del() { if [ -f "$STATE" ]; then sed -i "/^$1=/d" "$STATE"; fi; }

# Version and name of the cluster on PGPORT (the primary), as Debian lists it.
primary_cluster() { pg_lsclusters -h | awk -v port="$PGPORT" '$3 == port { print $1, $2; exit }'; }

node_conf() { echo "$RUN_DIR/cluster-node$1.conf"; }
node_pidfile() { echo "$RUN_DIR/cluster-node$1.pid"; }

# The pid of node N when it runs (its pidfile names a live odoo-bin started
# with its configuration), else nothing.
node_pid() {
  local pid
  pid=$(cat "$(node_pidfile "$1")" 2>/dev/null || state_get "node$1_pid")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$(node_conf "$1")" && echo "$pid"
  return 0
}

http_ok() { curl -sf -o /dev/null --max-time 10 "http://127.0.0.1:$1/web/login"; }

replica_exists() { [ -n "$PG_VERSION" ] && pg_lsclusters -h | awk '{ print $1, $2 }' | grep -qx "$PG_VERSION $REPLICA_NAME"; }

streaming_state() {
  su_sql "SELECT state FROM pg_stat_replication WHERE application_name = '$PG_VERSION/$REPLICA_NAME'" 2>/dev/null | head -n1
}

# ----------------------------------------------------------------------------
# up
# ----------------------------------------------------------------------------

ensure_database() {
  local db=$1 conf="$STATE_DIR/install.conf" installed
  mkdir -p "$STATE_DIR"
  {
    echo "[options]"
    echo "addons_path = $ODOO_SRC/addons,$CLUSTER_ADDONS"
    echo "db_host = $PGHOST"
    echo "db_port = $PGPORT"
    echo "db_user = $PGUSER"
    echo "db_password = $PGPASSWORD"
    echo "data_dir = $STATE_DIR/data"
    echo "admin_passwd = admin"
    echo "list_db = False"
    echo "workers = 0"
    echo "max_cron_threads = 0"
    echo "log_level = warn"
  } > "$conf"
  installed=$(psql -d "$db" -tAc "SELECT count(*) FROM ir_module_module WHERE state = 'installed'
      AND name IN ('complaint_service', 'complaint_reports')" 2>/dev/null || true)
  if [ "$installed" = 2 ]; then
    log "database $db: complaint_service and complaint_reports installed"
    return
  fi
  if [ -z "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    state_set created_db "$db"
  fi
  log "installing complaint_service,complaint_reports with demo data into $db (a few minutes)"
  "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$db" -i complaint_service,complaint_reports \
    --stop-after-init --log-level=warn || die "the installation into $db failed"
}

# pg_stat_statements: loaded by the replica only (the primary would need a
# restart), but its view must exist in the database, created on the primary.
ensure_extension() {
  local db=$1
  if [ -z "$(su_sql "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'" "$db")" ]; then
    log "creating the extension pg_stat_statements in $db (read on the replica)"
    su_sql "CREATE EXTENSION pg_stat_statements" "$db" >/dev/null
    state_set created_extension "$db"
  fi
}

prepare_primary() {
  local wal_level senders password keep hba_file
  wal_level=$(su_sql "SHOW wal_level")
  senders=$(su_sql "SHOW max_wal_senders")
  if [ "$wal_level" = minimal ] || [ "$senders" = 0 ]; then
    die "the primary has wal_level=$wal_level, max_wal_senders=$senders: streaming needs
    wal_level=replica and max_wal_senders>0, which take a restart of the primary that this
    script does not do (ALTER SYSTEM SET wal_level = replica; then pg_ctlcluster ... restart)"
  fi
  # The replication role, with a password kept in .run/cluster (mode 0600).
  password=$(cat "$STATE_DIR/replicator.pass" 2>/dev/null || true)
  if [ -z "$password" ]; then
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    (umask 077 && echo "$password" > "$STATE_DIR/replicator.pass")
  fi
  if [ -z "$(su_sql "SELECT 1 FROM pg_roles WHERE rolname = '$REPL_ROLE'")" ]; then
    log "primary: creating the replication role $REPL_ROLE"
    su_sql "CREATE ROLE \"$REPL_ROLE\" LOGIN REPLICATION PASSWORD '$password'" >/dev/null
    state_set created_role "$REPL_ROLE"
  elif [ -n "$(state_get created_role)" ]; then
    su_sql "ALTER ROLE \"$REPL_ROLE\" LOGIN REPLICATION PASSWORD '$password'" >/dev/null
  else
    die "a role $REPL_ROLE exists that this script did not create: set REPL_ROLE"
  fi
  # pg_hba.conf: Debian's default already lets any role replicate from
  # 127.0.0.1 with a password; a line is added (first) only when needed.
  if ! repl_connect "$password"; then
    hba_file=$(su_sql "SHOW hba_file")
    log "primary: allowing $REPL_ROLE to replicate from 127.0.0.1 in $hba_file (reload)"
    as_root sed -i "1i host replication $REPL_ROLE 127.0.0.1/32 scram-sha-256 $MARK" "$hba_file"
    state_set hba_file "$hba_file"
    su_sql "SELECT pg_reload_conf()" >/dev/null
    sleep 1
    repl_connect "$password" || die "$REPL_ROLE still cannot open a replication connection"
  fi
  # WAL kept for a replica that falls behind (no replication slot: nothing
  # grows without bound if the replica disappears).
  keep=$(su_sql "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_keep_size'")
  if [ "$keep" -lt "$WAL_KEEP_MB" ] && [ -z "$(state_get wal_keep_size_before)" ]; then
    log "primary: ALTER SYSTEM SET wal_keep_size = '${WAL_KEEP_MB}MB' (reload)"
    state_set wal_keep_size_before "$(su_sql "SELECT coalesce(max(setting), 'unset') FROM pg_file_settings
        WHERE name = 'wal_keep_size' AND sourcefile LIKE '%postgresql.auto.conf'")"
    su_sql "ALTER SYSTEM SET wal_keep_size = '${WAL_KEEP_MB}MB'" >/dev/null
    su_sql "SELECT pg_reload_conf()" >/dev/null
  fi
}

repl_connect() {
  PGPASSWORD=$1 psql -X -qAt "host=127.0.0.1 port=$PGPORT user=$REPL_ROLE dbname=postgres replication=true" \
    -c "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

create_replica() {
  local password data setting options
  password=$(cat "$STATE_DIR/replicator.pass")
  if replica_exists; then
    [ -n "$(state_get replica)" ] ||
      die "a cluster $PG_VERSION/$REPLICA_NAME exists that this script did not create: set REPLICA_NAME"
    log "replica $PG_VERSION/$REPLICA_NAME exists"
  else
    if ss -ltn | awk '{ print $4 }' | grep -qE "[:.]$REPLICA_PORT\$"; then
      die "port $REPLICA_PORT is taken: set REPLICA_PORT"
    fi
    # The replica's own settings, in its postgresql.conf (pg_dropcluster
    # removes them with it): a hot standby needs the first five at least as
    # high as on its primary; pg_stat_statements is loaded here only.
    options=(-o hot_standby=on -o hot_standby_feedback=on -o ssl=off
      -o shared_preload_libraries=pg_stat_statements -o pg_stat_statements.max=10000
      -o track_activity_query_size=16384)
    for setting in max_connections max_worker_processes max_wal_senders \
      max_prepared_transactions max_locks_per_transaction; do
      options+=(-o "$setting=$(su_sql "SHOW $setting")")
    done
    log "creating the cluster $PG_VERSION/$REPLICA_NAME on port $REPLICA_PORT (pg_createcluster)"
    state_set replica "$PG_VERSION/$REPLICA_NAME"
    as_root pg_createcluster "$PG_VERSION" "$REPLICA_NAME" -p "$REPLICA_PORT" --start-conf=manual \
      "${options[@]}" >/dev/null
    data=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$REPLICA_NAME" '$1 == v && $2 == c { print $6 }')
    case "$data" in /*/"$REPLICA_NAME") ;; *) die "unexpected data directory '$data'" ;; esac
    log "copying the primary (pg_basebackup -R: every database of the cluster)"
    as_root find "$data" -mindepth 1 -delete
    as_postgres env PGPASSWORD="$password" pg_basebackup -h 127.0.0.1 -p "$PGPORT" -U "$REPL_ROLE" \
      -D "$data" -R -X stream -c fast ||
      die "pg_basebackup failed (tools/cluster.sh down cleans up)"
  fi
  if ! pg_isready -q -h localhost -p "$REPLICA_PORT"; then
    log "starting the replica"
    as_root pg_ctlcluster "$PG_VERSION" "$REPLICA_NAME" start
  fi
  for _ in $(seq 120); do
    [ "$(replica_sql "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ] &&
      [ "$(streaming_state)" = streaming ] && break
    sleep 1
  done
  [ "$(replica_sql "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ] ||
    die "the replica is not in recovery (see /var/log/postgresql/postgresql-$PG_VERSION-$REPLICA_NAME.log)"
  [ "$(streaming_state)" = streaming ] || die "the replica does not stream from the primary"
  log "replica on port $REPLICA_PORT: in recovery, streaming from port $PGPORT"
}

write_node_conf() {
  local n=$1 db=$2
  {
    echo "; Odoo node $n of the local cluster (tools/cluster.sh): written by the script."
    echo "[options]"
    echo "addons_path = $ODOO_SRC/addons,$CLUSTER_ADDONS"
    echo "data_dir = $STATE_DIR/data"
    echo "admin_passwd = admin"
    echo "db_host = $PGHOST"
    echo "db_port = $PGPORT"
    echo "db_user = $PGUSER"
    echo "db_password = $PGPASSWORD"
    echo "; read-only requests (readonly routes, @api.readonly methods) go to the replica"
    echo "db_replica_host = localhost"
    echo "db_replica_port = $REPLICA_PORT"
    echo "dbfilter = ^$db\$"
    echo "list_db = False"
    echo "http_interface = 127.0.0.1"
    echo "http_port = ${HTTP_PORTS[$((n - 1))]}"
    echo "gevent_port = ${GEVENT_PORTS[$((n - 1))]}"
    echo "workers = $CLUSTER_WORKERS"
    echo "max_cron_threads = 1"
    echo "limit_time_cpu = 180"
    echo "limit_time_real = 240"
    echo "logfile = $RUN_DIR/cluster-node$n.log"
    echo "pidfile = $(node_pidfile "$n")"
    echo "log_level = info"
  } > "$(node_conf "$n")"
}

start_node() {
  local n=$1 db=$2 port=${HTTP_PORTS[$(($1 - 1))]} pid
  pid=$(node_pid "$n")
  if [ -n "$pid" ]; then
    log "node $n runs (pid $pid, http://127.0.0.1:$port)"
    return
  fi
  if ss -ltn | awk '{ print $4 }' | grep -qE "[:.]($port|${GEVENT_PORTS[$((n - 1))]})\$"; then
    die "port $port or ${GEVENT_PORTS[$((n - 1))]} is taken: set CLUSTER_HTTP_PORTS / CLUSTER_GEVENT_PORTS"
  fi
  write_node_conf "$n" "$db"
  log "starting node $n on http://127.0.0.1:$port ($CLUSTER_WORKERS workers, log .run/cluster-node$n.log)"
  setsid "$PY" "$ODOO_SRC/odoo-bin" -c "$(node_conf "$n")" -d "$db" \
    </dev/null >>"$STATE_DIR/node$n.out" 2>&1 &
  state_set "node${n}_pid" "$!"
}

wait_node() {
  local n=$1 port=${HTTP_PORTS[$(($1 - 1))]}
  for _ in $(seq 120); do
    http_ok "$port" && { log "node $n answers on http://127.0.0.1:$port"; return; }
    [ -n "$(node_pid "$n")" ] || die "node $n exited: see .run/cluster-node$n.log"
    sleep 1
  done
  die "node $n does not answer on port $port: see .run/cluster-node$n.log"
}

cmd_up() {
  local db=${1:-$CLUSTER_DB} current
  current=$(state_get db)
  if [ -n "$current" ] && [ "$current" != "$db" ]; then
    die "the cluster serves $current: tools/cluster.sh down first"
  fi
  ensure_postgres
  read -r PG_VERSION _ <<< "$(primary_cluster)"
  [ -n "$PG_VERSION" ] || die "no Debian PostgreSQL cluster listens on port $PGPORT"
  state_set db "$db"
  ensure_database "$db"
  ensure_extension "$db"
  prepare_primary
  create_replica
  start_node 1 "$db"
  start_node 2 "$db"
  wait_node 1
  wait_node 2
  cmd_status
  log "cluster up: $db on http://127.0.0.1:${HTTP_PORTS[0]} and http://127.0.0.1:${HTTP_PORTS[1]};" \
    "check it with $PY tools/cluster_check.py"
}

# ----------------------------------------------------------------------------
# down
# ----------------------------------------------------------------------------

stop_node() {
  local n=$1 pid
  pid=$(node_pid "$n")
  if [ -z "$pid" ]; then
    state_del "node${n}_pid"
    return
  fi
  log "stopping node $n (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "node $n did not stop in 30 s: killing its process group"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  # Its workers belong to its process group (setsid): none may outlive it.
  for _ in $(seq 10); do
    pgrep -g "$pid" >/dev/null 2>&1 || break
    sleep 1
  done
  if pgrep -g "$pid" >/dev/null 2>&1; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  rm -f "$(node_pidfile "$n")"
  state_del "node${n}_pid"
}

cmd_down() {
  local replica db before hba_file
  stop_node 1
  stop_node 2
  read -r PG_VERSION _ <<< "$(primary_cluster)"
  replica=$(state_get replica)
  if [ -n "$replica" ]; then
    if pg_lsclusters -h | awk '{ print $1 "/" $2 }' | grep -qx "$replica"; then
      log "dropping the replica $replica (pg_dropcluster --stop)"
      as_root pg_dropcluster --stop "${replica%/*}" "${replica#*/}"
    fi
    as_root rm -f "/var/log/postgresql/postgresql-${replica%/*}-${replica#*/}.log"
    state_del replica
  elif replica_exists; then
    warn "a cluster $PG_VERSION/$REPLICA_NAME exists that this script did not create: left alone"
  fi
  if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    before=$(state_get wal_keep_size_before)
    if [ -n "$before" ]; then
      if [ "$before" = unset ]; then
        log "primary: ALTER SYSTEM RESET wal_keep_size (reload)"
        su_sql "ALTER SYSTEM RESET wal_keep_size" >/dev/null
      else
        log "primary: ALTER SYSTEM SET wal_keep_size = '$before' (as before; reload)"
        su_sql "ALTER SYSTEM SET wal_keep_size = '$before'" >/dev/null
      fi
      su_sql "SELECT pg_reload_conf()" >/dev/null
      state_del wal_keep_size_before
    fi
    hba_file=$(state_get hba_file)
    if [ -n "$hba_file" ]; then
      log "primary: removing the replication line from $hba_file (reload)"
      as_root sed -i "\|$MARK\$|d" "$hba_file"
      su_sql "SELECT pg_reload_conf()" >/dev/null
      state_del hba_file
    fi
    if [ -n "$(state_get created_role)" ]; then
      log "primary: dropping the role $(state_get created_role)"
      su_sql "DROP ROLE IF EXISTS \"$(state_get created_role)\"" >/dev/null
      state_del created_role
    fi
    db=$(state_get created_db)
    if [ -n "$db" ] && [ -z "${KEEP_DB:-}" ]; then
      log "dropping the database $db (created by tools/cluster.sh up; KEEP_DB=1 keeps it)"
      dropdb --if-exists "$db"
      rm -rf "$STATE_DIR/data/filestore/$db"
      state_del created_db
      state_del created_extension
    fi
    db=$(state_get created_extension)
    if [ -n "$db" ] && [ -z "${KEEP_DB:-}" ]; then
      log "dropping the extension pg_stat_statements from $db"
      su_sql "DROP EXTENSION IF EXISTS pg_stat_statements" "$db" >/dev/null
      state_del created_extension
    fi
  else
    [ -z "$(state_get created_role)$(state_get hba_file)$(state_get wal_keep_size_before)" ] ||
      warn "the primary is not running: its settings are put back on the next down"
  fi
  state_del db
  if [ -f "$STATE" ] && [ ! -s "$STATE" ]; then
    rm -f "$STATE" "$STATE_DIR/replicator.pass"
  fi
  log "cluster down"
}

# ----------------------------------------------------------------------------
# status
# ----------------------------------------------------------------------------

cmd_status() {
  local n pid port row
  read -r PG_VERSION _ <<< "$(primary_cluster)"
  echo "database: $(state_get db)"
  if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    echo "primary:  $PG_VERSION/$(primary_cluster | cut -d' ' -f2) on port $PGPORT," \
      "wal_level=$(su_sql "SHOW wal_level"), wal_keep_size=$(su_sql "SHOW wal_keep_size")"
  else
    echo "primary:  not running on port $PGPORT"
  fi
  if replica_exists; then
    if pg_isready -q -h localhost -p "$REPLICA_PORT"; then
      echo "replica:  $PG_VERSION/$REPLICA_NAME on port $REPLICA_PORT, in recovery:" \
        "$(replica_sql "SELECT pg_is_in_recovery()"), replayed up to" \
        "$(replica_sql "SELECT pg_last_wal_replay_lsn()")"
      row=$(su_sql "SELECT state || ', sent ' || sent_lsn || ', replayed ' || replay_lsn
          || ', replay lag ' || coalesce(replay_lag::text, '0')
          FROM pg_stat_replication WHERE application_name = '$PG_VERSION/$REPLICA_NAME'")
      echo "stream:   ${row:-none (the primary sees no such standby)}"
    else
      echo "replica:  $PG_VERSION/$REPLICA_NAME exists, not running"
    fi
  else
    echo "replica:  none"
  fi
  for n in 1 2; do
    pid=$(node_pid "$n")
    port=${HTTP_PORTS[$((n - 1))]}
    if [ -z "$pid" ]; then
      echo "node $n:   not running"
    elif http_ok "$port"; then
      echo "node $n:   pid $pid, http://127.0.0.1:$port answers (gevent port ${GEVENT_PORTS[$((n - 1))]})"
    else
      echo "node $n:   pid $pid, http://127.0.0.1:$port does not answer (yet)"
    fi
  done
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up [DB] | down | status" >&2; exit 2 ;;
esac
