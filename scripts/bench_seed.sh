#!/usr/bin/env bash
# Compares loading a CSV with `psql \copy` (the baseline) and with `sqlt seed`.
#
#   DATABASE_URL=postgresql://user@host/db scripts/bench_seed.sh [rows]
#
# Generates seeds/bench_seed.csv (default 1,000,000 rows x 8 columns) in a temporary project,
# times `\copy` into a table of the same column types, times `sqlt seed --select bench_seed`
# into the same database, and prints both timings and their ratio. Needs psql, python3 and a
# built sqlt (`swift build -c release`; SQLT points at another binary).
set -euo pipefail

ROWS="${1:-1000000}"
URL="${DATABASE_URL:-${SQLT_DATABASE_URL:-}}"
if [[ -z "$URL" ]]; then
    echo "set DATABASE_URL (or SQLT_DATABASE_URL) to the PostgreSQL to load into" >&2
    exit 2
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SQLT="${SQLT:-$ROOT/.build/release/sqlt}"
SCHEMA="bench_seed_$$"
WORK="$(mktemp -d)"
trap 'psql "$URL" -qc "drop schema if exists $SCHEMA cascade" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

mkdir -p "$WORK/seeds"
CSV="$WORK/seeds/bench_seed.csv"
python3 "$ROOT/scripts/gen_seed_csv.py" "$CSV" "$ROWS"
echo "generated $ROWS rows ($(du -h "$CSV" | cut -f1)) in $CSV"

psql "$URL" -qv ON_ERROR_STOP=1 <<SQL
create schema $SCHEMA;
create table $SCHEMA.baseline (id integer, employee_id integer, name text, unit text, amount numeric,
    active boolean, day date, started_at timestamp without time zone);
SQL

now() { date +%s.%N; }
start=$(now)
psql "$URL" -qv ON_ERROR_STOP=1 -c "\\copy $SCHEMA.baseline from '$CSV' with (format csv, header true)"
baseline=$(echo "$(now) - $start" | bc)
echo "psql \\copy: ${baseline}s"

cat > "$WORK/sqlt_project.yml" <<YML
name: bench
profile: bench
seed-paths: ["seeds"]
YML
# The seed lands in the target schema, which sqlt reads from the URL's `schema` parameter.
if [[ "$URL" == *"?"* ]]; then SQLT_URL="$URL&schema=$SCHEMA"; else SQLT_URL="$URL?schema=$SCHEMA"; fi

if [[ ! -x "$SQLT" ]] || ! "$SQLT" seed --help >/dev/null 2>&1; then
    echo "sqlt seed is not available at $SQLT (build it with: swift build -c release); baseline only"
    exit 0
fi
start=$(now)
"$SQLT" seed --select bench_seed --project-dir "$WORK" --database-url "$SQLT_URL"
loaded=$(echo "$(now) - $start" | bc)
psql "$URL" -tAc "select 'rows loaded: ' || count(*) from $SCHEMA.bench_seed"
echo "sqlt seed:  ${loaded}s"
echo "ratio sqlt/psql: $(echo "scale=2; $loaded / $baseline" | bc)"
