#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests of the PostgreSQL backend
# (docs/testing.md). CTest's pg_cluster fixture runs it; by hand:
#
#   scripts/pg-test-cluster.sh start DIR   # prints nothing, writes DIR/conninfo
#   scripts/pg-test-cluster.sh stop DIR    # stops it and removes its data
#
# start: initdb into DIR/data (trust for the local socket and 127.0.0.1
# only), listen on 127.0.0.1 on a port chosen now (another one if it was
# taken in between), the socket in DIR/data when its path is short enough,
# and settings for tests (fsync off, small buffers, room for the connection
# pools of many tests at once). DIR/conninfo gets one libpq conninfo line
# for the maintenance database "postgres"; tests make their own databases.
# A cluster left running in DIR by an interrupted run is stopped first.
#
# initdb refuses to run as root. As root (CI in a fresh Debian 12), the
# cluster runs as the unprivileged "postgres" user that Debian's server
# package creates, owning its data; when DIR is below a directory that
# user cannot enter (a build tree under /root), the data goes to a fresh
# directory under /tmp instead, and DIR/datadir says where.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)

# The server's programs: pg_config's (libpq-dev), else the newest of
# Debian's versioned directories. Not PATH: on Debian initdb and pg_ctl are
# not in it, and what is in it on one machine may not be on the next.
bindir=""
if command -v pg_config >/dev/null 2>&1; then
    bindir=$(pg_config --bindir 2>/dev/null || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    bindir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin \
        -type d 2>/dev/null | sort -V | tail -n 1)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pg-test-cluster: no PostgreSQL server (apt-get install postgresql-15)" >&2
    exit 1
fi

# Who runs the server, and how commands are run as them.
if [ "$(id -u)" -eq 0 ]; then
    runner=postgres
    if ! id "$runner" >/dev/null 2>&1; then
        echo "pg-test-cluster: running as root and no user '$runner'" >&2
        exit 1
    fi
    as_runner() { runuser -u "$runner" -- "$@"; }
else
    runner=$(id -un)
    as_runner() { "$@"; }
fi

# Where the data of DIR lives (written by start).
datadir_of() {
    if [ -f "$dir/datadir" ]; then
        cat "$dir/datadir"
    else
        echo "$dir/data"
    fi
}

stop_cluster() {
    local data
    data=$(datadir_of)
    if [ -f "$data/postmaster.pid" ]; then
        as_runner "$bindir/pg_ctl" -D "$data" -m immediate -w stop \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$data" "$dir/conninfo" "$dir/datadir"
}

start_cluster() {
    local data sockdir port tries log user
    stop_cluster

    data="$dir/data"
    if [ "$runner" != "$(id -un)" ]; then
        mkdir -p "$data"
        chown "$runner:" "$data"
        chmod 700 "$data"
        if ! as_runner test -w "$data"; then
            rm -rf "$data"
            data=$(mktemp -d /tmp/taulu-pg.XXXXXX)
            chown "$runner:" "$data"
            echo "$data" >"$dir/datadir"
        fi
    fi
    # Unix socket paths are limited to 107 bytes ("/.s.PGSQL.NNNNN" is 15
    # of them); the socket goes into the data directory (the one place the
    # server's user surely may write), or TCP is the only way.
    sockdir=$data
    if [ ${#sockdir} -gt 90 ]; then
        sockdir=""
    fi

    user=$(id -un)
    log="$dir/initdb.log"
    # -U: the superuser is named after whoever runs the tests, so libpq's
    # default user name is the right one. C locale: text sorts and
    # lower() folds like SQLite's BINARY and NOCASE (bytes, ASCII only).
    if ! as_runner "$bindir/initdb" -D "$data" -U "$user" -E UTF8 \
        --locale=C --auth=trust --no-sync >"$log" 2>&1; then
        cat "$log" >&2
        exit 1
    fi
    cat >"$data/pg_hba.conf" <<EOF
# pg-test-cluster.sh: trust, but only for this machine
local all all trust
host all all 127.0.0.1/32 trust
EOF
    cat >>"$data/postgresql.conf" <<EOF
# pg-test-cluster.sh: a cluster for tests, thrown away after them
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 300
log_min_messages = warning
EOF

    # A port free a moment ago; if something took it meanwhile the server
    # does not start (could not bind) and another one is tried.
    for tries in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 40000))
        rm -f "$data/server.log"
        if as_runner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" \
            -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
            break
        fi
        if ! grep -q "could not bind\|could not create any TCP" \
            "$data/server.log" 2>/dev/null; then
            cat "$data/server.log" >&2 2>/dev/null || true
            exit 1
        fi
        port=""
    done
    if [ -z "$port" ]; then
        echo "pg-test-cluster: no free port after $tries tries" >&2
        exit 1
    fi
    for tries in $(seq 1 100); do
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            echo "host=127.0.0.1 port=$port user=$user dbname=postgres" \
                >"$dir/conninfo"
            return 0
        fi
        sleep 0.1
    done
    echo "pg-test-cluster: the server on port $port never became ready" >&2
    exit 1
}

case "$cmd" in
start) start_cluster ;;
stop) stop_cluster ;;
*) usage ;;
esac
