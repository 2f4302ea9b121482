#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests.
#
#   scripts/pg_cluster.sh start DIR   -> prints ONE line: a SQLAlchemy URL
#                                        postgresql+psycopg://postgres@127.0.0.1:PORT/jwmetrics_test
#   scripts/pg_cluster.sh stop DIR    -> stops the cluster and removes DIR (idempotent)
#
# Layout of DIR: data/ (PGDATA), postgres.log, port, the unix socket (.s.PGSQL.PORT) and a
# marker file .jwmetrics-pg-cluster (stop refuses to delete a non-empty DIR without it).
# Trust auth on the local socket and 127.0.0.1, fsync off: for tests only, never for real data.
#
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), PG_USER (OS user that runs the
# server when invoked as root, default postgres), PG_DB (default jwmetrics_test).
# All diagnostics go to stderr so that stdout carries only the URL.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_USER="${PG_USER:-postgres}"
PG_DB="${PG_DB:-jwmetrics_test}"
MARKER=".jwmetrics-pg-cluster"
START_ATTEMPTS=5

die() { echo "pg_cluster.sh: error: $*" >&2; exit 1; }
log() { echo "pg_cluster.sh: $*" >&2; }

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

# Run a command as the server's OS user (root must not run postgres), from inside DIR so that
# an unreadable working directory (e.g. /root) does not produce warnings.
as_pg() {
    if [[ "$(id -u)" -eq 0 ]]; then
        (cd "$DIR" && runuser -u "$PG_USER" -- "$@")
    else
        (cd "$DIR" && "$@")
    fi
}

check_binaries() {
    local b
    for b in initdb pg_ctl pg_isready createdb; do
        [[ -x "$PG_BIN/$b" ]] || die "PostgreSQL binary '$PG_BIN/$b' not found or not executable" \
            "(install postgresql-15, or set PG_BIN to the directory holding initdb/pg_ctl)"
    done
    if [[ "$(id -u)" -eq 0 ]]; then
        id "$PG_USER" >/dev/null 2>&1 || die "OS user '$PG_USER' does not exist (set PG_USER)"
        command -v runuser >/dev/null 2>&1 || die "'runuser' not found (util-linux)"
    fi
}

# Print a TCP port on 127.0.0.1 that nothing listens on right now. Racy by nature; start_server
# retries with a new port if the postmaster cannot bind.
pick_port() {
    local port i
    for i in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "could not find a free TCP port"
}

init_cluster() {
    local sock_path="$DIR/.s.PGSQL.65535"
    # Unix socket paths are limited to 107 bytes (sun_path).
    (( ${#sock_path} <= 107 )) || die "DIR path too long for a unix socket: $DIR"

    mkdir -p "$DIR"
    touch "$DIR/$MARKER"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown -R "$PG_USER:" "$DIR"
        chmod 755 "$DIR"  # data/ itself stays 0700 (initdb)
        runuser -u "$PG_USER" -- test -w "$DIR" -a -x "$DIR" \
            || die "user '$PG_USER' cannot write to $DIR (a parent directory is not" \
                   "traversable by it?) - choose a DIR under /tmp"
    fi
    as_pg "$PG_BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C --no-sync >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    # The defaults of initdb with --auth=trust already trust local, 127.0.0.1/32 and ::1/128.
    cat >>"$DIR/data/postgresql.conf" <<EOF

# --- throwaway test cluster (scripts/pg_cluster.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
}

# Start the postmaster on a free port (retrying on bind races); writes the port to DIR/port.
start_server() {
    local attempt port
    for attempt in $(seq 1 "$START_ATTEMPTS"); do
        port="$(pick_port)"
        if as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -o "-p $port" \
                -w -t 60 start >/dev/null 2>&1; then
            echo "$port" >"$DIR/port"
            wait_ready "$port"
            echo "$port"
            return 0
        fi
        log "start attempt $attempt on port $port failed; retrying"
    done
    tail -n 30 "$DIR/postgres.log" >&2 || true
    return 1
}

wait_ready() {
    local port="$1" i
    for i in $(seq 1 120); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
            return 0
        fi
        sleep 0.25
    done
    die "server on port $port did not accept connections within 30 s"
}

cmd_start() {
    check_binaries
    if [[ -e "$DIR/data/PG_VERSION" ]]; then
        die "$DIR already holds a cluster; run '$0 stop $DIR' first"
    fi
    if [[ -d "$DIR" && -n "$(ls -A "$DIR")" && ! -e "$DIR/$MARKER" ]]; then
        die "$DIR exists and is not empty; refusing to use it"
    fi
    local port
    # Any failure from here on (die exits) removes the half-made cluster again.
    trap 'log "start failed; cleaning up $DIR"; cmd_stop >/dev/null 2>&1 || true' EXIT
    init_cluster
    port="$(start_server)" || die "could not start PostgreSQL (log above)"
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$PG_DB" \
        || die "createdb $PG_DB failed"
    trap - EXIT
    echo "postgresql+psycopg://postgres@127.0.0.1:${port}/${PG_DB}"
}

cmd_stop() {
    [[ -e "$DIR" ]] || return 0
    [[ -d "$DIR" ]] || die "$DIR is not a directory"
    if [[ -n "$(ls -A "$DIR")" && ! -e "$DIR/$MARKER" ]]; then
        die "$DIR does not look like a cluster made by this script; not removing it"
    fi
    if [[ -f "$DIR/data/postmaster.pid" && -x "$PG_BIN/pg_ctl" ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 \
            || log "pg_ctl stop failed (server already gone?)"
    fi
    rm -rf -- "$DIR"
}

main() {
    [[ $# -eq 2 ]] || usage
    local action="$1"
    [[ -n "$2" ]] || usage
    DIR="$(realpath -m -- "$2")"
    [[ "$DIR" != "/" ]] || die "refusing to use / as DIR"
    case "$action" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        *) usage ;;
    esac
}

main "$@"
