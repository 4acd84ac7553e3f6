#!/usr/bin/env bash
# shellcheck shell=bash
#
# Private, per-checkout Postgres clusters for scripts/run and scripts/test.
# Source this file; do not execute it.
#
#   relais_pg_up NAME PORT [EXTRA_PG_OPTS...]   create/reuse + start cluster NAME
#   relais_pg_down NAME                         stop cluster NAME (if running)
#   relais_pg_createdb PORT DBNAME              create DBNAME if it is missing
#
# After relais_pg_up: RELAIS_PG_BIN, RELAIS_PG_DATA, RELAIS_PG_SOCK,
# RELAIS_PG_PORT are exported, and RELAIS_PG_STARTED is 1 if this call
# started the server (0 if an already running one was reused), so callers
# only stop what they started.
set -euo pipefail

# Checkout root = two levels above this file (scripts/lib/pg.sh).
RELAIS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

relais__log() { printf 'pg: %s\n' "$*" >&2; }

# Locate the server binaries; install them if we can (root + apt), else bail.
relais__pg_bin() {
    if [[ -n ${RELAIS_PG_BIN:-} && -x ${RELAIS_PG_BIN}/initdb ]]; then
        return 0
    fi
    if ! command -v pg_config >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        relais__log "pg_config not found; installing postgresql-15 via apt-get"
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-15 postgresql-client-15; } >&2 || true
    fi
    if ! command -v pg_config >/dev/null 2>&1; then
        echo "error: pg_config not found - install PostgreSQL 15 (e.g. 'apt-get install postgresql-15 postgresql-client-15')" >&2
        exit 1
    fi
    RELAIS_PG_BIN=$(pg_config --bindir)
    if [[ ! -x $RELAIS_PG_BIN/initdb ]]; then
        # libpq-dev's pg_config can point at a bindir without a server in it.
        echo "error: no initdb in $RELAIS_PG_BIN - install the PostgreSQL 15 server (postgresql-15)" >&2
        exit 1
    fi
    export RELAIS_PG_BIN
}

# Run a pg command as the cluster owner. initdb/pg_ctl refuse to run as root,
# so root uses the postgres user; cd / first because the checkout (cwd) may
# not be enterable by postgres and pg_ctl/initdb fail on an unreadable cwd.
relais__as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Set RELAIS__BASE for cluster NAME (data, socket and log live below it).
relais__paths() {
    local name=$1
    if [[ $(id -u) -eq 0 ]]; then
        # Root: the checkout may be under /root, which postgres cannot reach,
        # so keep the cluster in /var/tmp keyed by a hash of the checkout path.
        local hash
        hash=$(printf '%s' "$RELAIS_ROOT" | sha256sum | cut -c1-12)
        RELAIS__BASE=/var/tmp/relais-pg/$hash/$name
    else
        RELAIS__BASE=$RELAIS_ROOT/.pg/$name
    fi
    RELAIS_PG_DATA=$RELAIS__BASE/data
    RELAIS_PG_SOCK=$RELAIS__BASE/sock
    # Unix socket paths are limited to ~107 bytes; deep checkouts overflow it.
    if (( ${#RELAIS_PG_SOCK} > 90 )); then
        RELAIS_PG_SOCK=${TMPDIR:-/tmp}/relais-pg-$(id -u)-$(printf '%s' "$RELAIS_PG_DATA" | sha256sum | cut -c1-12)
    fi
}

# Create directories (and, as root, the .pg/NAME convenience symlink).
relais__prepare_dirs() {
    local name=$1
    if [[ $(id -u) -eq 0 ]]; then
        # Parents must be traversable (755) so postgres can reach its data.
        install -d -m 755 /var/tmp/relais-pg "$(dirname "$RELAIS__BASE")"
        install -d -o postgres -g postgres -m 755 "$RELAIS__BASE"
        install -d -o postgres -g postgres -m 700 "$RELAIS_PG_DATA"
        install -d -o postgres -g postgres -m 755 "$RELAIS_PG_SOCK"
        mkdir -p "$RELAIS_ROOT/.pg"
        if [[ -L $RELAIS_ROOT/.pg/$name || ! -e $RELAIS_ROOT/.pg/$name ]]; then
            ln -sfn "$RELAIS__BASE" "$RELAIS_ROOT/.pg/$name"
        else
            relais__log "warning: $RELAIS_ROOT/.pg/$name exists and is not a symlink; leaving it"
        fi
    else
        mkdir -p "$RELAIS__BASE" "$RELAIS_PG_SOCK"
        install -d -m 700 "$RELAIS_PG_DATA"
    fi
}

# 0 if postmaster.pid names a live postmaster for this data dir. A pid file
# left over from a crash/container restart may name an unrelated live process
# (pid reuse), which pg_ctl status would wrongly report as "running".
relais__postmaster_alive() {
    local pidfile=$RELAIS_PG_DATA/postmaster.pid pid
    [[ -f $pidfile ]] || return 1
    pid=$(head -n1 "$pidfile" 2>/dev/null || true)
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    local cmdline
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
    [[ $cmdline == *"$RELAIS_PG_DATA"* ]]
}

relais__ready() {
    "$RELAIS_PG_BIN/pg_isready" -q -h "$RELAIS_PG_SOCK" -p "$1" -U postgres
}

relais_pg_up() {
    if (( $# < 2 )); then
        echo "usage: relais_pg_up NAME PORT [EXTRA_PG_OPTS...]" >&2
        return 2
    fi
    local name=$1 port=$2
    shift 2
    relais__pg_bin
    relais__paths "$name"
    relais__prepare_dirs "$name"
    export RELAIS_PG_BIN RELAIS_PG_DATA RELAIS_PG_SOCK
    export RELAIS_PG_PORT=$port RELAIS_PG_STARTED=0
    local log=$RELAIS__BASE/pg.log

    if [[ ! -f $RELAIS_PG_DATA/PG_VERSION ]]; then
        relais__log "initialising cluster '$name' in $RELAIS_PG_DATA"
        relais__as_owner "$RELAIS_PG_BIN/initdb" -D "$RELAIS_PG_DATA" -U postgres \
            --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$RELAIS__BASE/initdb.log" 2>&1 || {
            cat "$RELAIS__BASE/initdb.log" >&2
            return 1
        }
    fi

    if relais__postmaster_alive; then
        local running_port
        running_port=$(sed -n 4p "$RELAIS_PG_DATA/postmaster.pid")
        if [[ $running_port == "$port" ]]; then
            # Already up (maybe still starting): wait briefly, then reuse.
            local i
            for ((i = 0; i < 30; i++)); do
                if relais__ready "$port"; then
                    relais__log "reusing running cluster '$name' on 127.0.0.1:$port"
                    return 0
                fi
                sleep 1
            done
            relais__log "cluster '$name' is running but not accepting connections; restarting"
        else
            relais__log "cluster '$name' runs on port $running_port, restarting on $port"
        fi
        relais__as_owner "$RELAIS_PG_BIN/pg_ctl" -D "$RELAIS_PG_DATA" -m fast -w stop >/dev/null
    elif [[ -f $RELAIS_PG_DATA/postmaster.pid ]]; then
        relais__log "removing stale postmaster.pid for cluster '$name'"
        rm -f "$RELAIS_PG_DATA/postmaster.pid" "$RELAIS_PG_SOCK/.s.PGSQL.$port" "$RELAIS_PG_SOCK/.s.PGSQL.$port.lock"
    fi

    relais__log "starting cluster '$name' on 127.0.0.1:$port (log: $log)"
    # Options are joined into one -o string; they must not contain spaces.
    local opts="-p $port -k $RELAIS_PG_SOCK -c listen_addresses=127.0.0.1"
    if (( $# > 0 )); then
        opts+=" $*"
    fi
    if ! relais__as_owner "$RELAIS_PG_BIN/pg_ctl" -D "$RELAIS_PG_DATA" -l "$log" -w -t 60 -o "$opts" start >/dev/null; then
        relais__log "failed to start cluster '$name'; last log lines:"
        tail -n 20 "$log" >&2 || true
        return 1
    fi
    RELAIS_PG_STARTED=1
}

relais_pg_down() {
    if (( $# != 1 )); then
        echo "usage: relais_pg_down NAME" >&2
        return 2
    fi
    local name=$1
    relais__pg_bin
    relais__paths "$name"
    if relais__postmaster_alive; then
        relais__log "stopping cluster '$name'"
        relais__as_owner "$RELAIS_PG_BIN/pg_ctl" -D "$RELAIS_PG_DATA" -m fast -w stop >/dev/null
    fi
}

relais_pg_createdb() {
    if (( $# != 2 )); then
        echo "usage: relais_pg_createdb PORT DBNAME" >&2
        return 2
    fi
    local port=$1 db=$2 exists
    relais__pg_bin
    # Quote the name as an SQL literal (double any single quotes).
    exists=$("$RELAIS_PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAc \
        "SELECT 1 FROM pg_database WHERE datname='${db//\'/\'\'}'")
    if [[ $exists != 1 ]]; then
        relais__log "creating database '$db'"
        "$RELAIS_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
    fi
}
