# Sourced by the benchmark and chaos scripts: finds PostgreSQL's binaries and starts a throwaway
# server on a unix socket in a fresh temporary folder, stopped and removed on exit.
#
#   source "$ROOT/scripts/lib/throwaway_pg.sh"
#   pg_find_bin                      # sets PG_BIN (kept when already set)
#   pg_require TOOL...               # exit 2 naming the first missing executable
#   pg_start_throwaway PORT_BASE MAX_CONNECTIONS
#       sets WORK (the temporary folder), SOCK, PORT, URL and PSQL (an array: psql on it)
#
# A script that needs more clean-up on exit defines `pg_before_cleanup` before starting.

pg_find_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then return; fi
    if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then PG_BIN=/usr/lib/postgresql/15/bin; else PG_BIN="$(dirname "$(command -v initdb)")"; fi
}

pg_require() {
    local tool
    for tool in "$@"; do
        [[ -x "$tool" ]] || { echo "missing $tool (sqlt: swift build -c release)" >&2; exit 2; }
    done
    command -v psql >/dev/null || { echo "psql is needed for the baseline" >&2; exit 2; }
}

as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_cleanup() {
    if declare -F pg_before_cleanup >/dev/null; then pg_before_cleanup; fi
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}

pg_start_throwaway() {
    local port_base="$1" max_connections="$2"
    WORK="$(mktemp -d)"
    chmod 755 "$WORK"
    SOCK="$WORK/pg/sock"
    PORT=$((port_base + $$ % 1000))
    trap pg_cleanup EXIT
    mkdir -p "$WORK/pg/data" "$SOCK"
    if [[ $(id -u) -eq 0 ]]; then chown -R postgres "$WORK/pg"; fi
    as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" -A trust -U postgres >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 2; }
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -w -t 60 -l "$WORK/pg/server.log" \
        -o "-c listen_addresses='' -k $SOCK -p $PORT -c fsync=off -c max_connections=$max_connections" start >/dev/null || exit 2
    PSQL=(psql -X -q -h "$SOCK" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
    URL="postgresql://postgres@/postgres?host=$SOCK&port=$PORT"
}
