#!/bin/sh
# with_postgres.sh COMMAND [ARGS...]: run COMMAND against a throwaway
# PostgreSQL, for the CTest cases labelled `db`.
#
# A fresh cluster (initdb) in a temporary directory, listening only on a Unix
# socket in that directory (listen_addresses = '', no TCP port), trust
# authentication for the local socket, one database `vitals`.  As root the
# server runs as the `postgres` user (PostgreSQL refuses to run as root),
# with the directory chowned to it.  COMMAND runs with
#   PGHOST PGPORT PGUSER PGDATABASE  set, so psql and libpq need no options,
#   VITALS_PG_URI                    postgresql:///vitals?host=...&port=...&user=...
#   VITALS_PG_DIR                    the temporary directory (removed after)
# and the server is stopped and the directory removed when COMMAND ends,
# fails, or the script is interrupted.  Exits with COMMAND's status (1 if
# the server could not start; its log is shown then).
#
# The PostgreSQL binaries: $PG_BINDIR, else Debian's newest
# /usr/lib/postgresql/N/bin, else PATH.  scripts/deps.sh installs them.
set -u
[ $# -gt 0 ] || { echo "usage: with_postgres.sh COMMAND [ARGS...]" >&2; exit 2; }

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n); do
        bindir=$candidate
    done
fi
if [ -n "$bindir" ]; then
    PATH=$bindir:$PATH
    export PATH
fi
command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 || {
    echo "with_postgres: initdb/pg_ctl not found (scripts/deps.sh build installs postgresql)" >&2
    exit 1
}

# A short path: a Unix socket's path must fit in 107 bytes.
dir=$(mktemp -d /tmp/vitals-pg.XXXXXX) || exit 1
as_server() { "$@"; }
server_user=$(id -un)
if [ "$(id -u)" = 0 ]; then
    server_user=postgres
    chown postgres "$dir"
    as_server() { runuser -u postgres -- "$@"; }
fi
chmod 700 "$dir"
started=0
stop() {
    status=$?
    trap - EXIT INT TERM HUP
    if [ "$started" = 1 ]; then
        as_server pg_ctl -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$dir"
    exit "$status"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# A port number is still part of the socket's name (.s.PGSQL.PORT); with no
# TCP listener any number will do, and a per-run one keeps logs apart.
port=$((20000 + $$ % 20000))
as_server initdb -D "$dir/data" -U "$server_user" --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
}
started=1
as_server pg_ctl -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c full_page_writes=off" \
    start >/dev/null 2>&1 || {
    echo "with_postgres: the server did not start:" >&2
    cat "$dir/server.log" >&2
    exit 1
}
PGHOST=$dir PGPORT=$port PGUSER=$server_user PGDATABASE=vitals
export PGHOST PGPORT PGUSER PGDATABASE
VITALS_PG_URI="postgresql:///vitals?host=$dir&port=$port&user=$server_user"
VITALS_PG_DIR=$dir
export VITALS_PG_URI VITALS_PG_DIR
createdb vitals || exit 1
"$@"
