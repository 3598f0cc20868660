#!/usr/bin/env bash
# Compares `sqlt run` with the same compiled SQL executed through one psql session, and (when
# dbt is installed) with `dbt run`; then `sqlt seed` with `dbt seed` and psql \copy on a
# 100,000-row CSV.
#
#   scripts/bench_run.sh [N]
#
# N generated models (default 200, --kind mixed: views and tables in three layers) are built in
# a throwaway PostgreSQL that the script starts itself (initdb + pg_ctl in a temporary folder, as
# the postgres user when run as root, Unix socket only) and stops on exit. The baseline is
# manifest.json's compiled_code of each model wrapped as `create view|table ... as`, in
# dependency order, in one psql session. Prints timings, ratios and sqlt's overhead per model;
# asserts nothing. Every step has a time limit (STEP_TIMEOUT seconds, default 900).
#
# Environment: SQLT (default .build/release/sqlt), DBT (default /work/venv-dbt/bin/dbt, else dbt
# on PATH; DBT=none skips dbt), THREADS (default 1: like the single psql session),
# SEED_ROWS (default 100000; 0 skips the seed comparison), PG_BIN (default: where initdb is).
set -euo pipefail

N="${1:-200}"
THREADS="${THREADS:-1}"
SEED_ROWS="${SEED_ROWS:-100000}"
STEP_TIMEOUT="${STEP_TIMEOUT:-900}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SQLT="${SQLT:-$ROOT/.build/release/sqlt}"
if [[ -z "${DBT:-}" ]]; then
    if [[ -x /work/venv-dbt/bin/dbt ]]; then DBT=/work/venv-dbt/bin/dbt; else DBT="$(command -v dbt || true)"; fi
fi
[[ "$DBT" == none ]] && DBT=""
source "$ROOT/scripts/lib/throwaway_pg.sh"
pg_find_bin
pg_require "$SQLT" "$PG_BIN/initdb" "$PG_BIN/pg_ctl"
pg_start_throwaway 55000 50
echo "PostgreSQL $("${PSQL[@]}" -tAc 'show server_version') on $SOCK:$PORT; $N models, threads $THREADS"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
step() { timeout "$STEP_TIMEOUT" "$@" >"$WORK/step.log" 2>&1 || { echo "failed: $*" >&2; tail -30 "$WORK/step.log" >&2; exit 1; }; }

PROJECT="$WORK/project"
python3 "$ROOT/scripts/gen_bench_project.py" "$PROJECT" --models "$N" --kind mixed --dbt-file >/dev/null
profile() { # name schema
    cat <<YML
    $1:
      type: postgres
      host: $SOCK
      port: $PORT
      user: postgres
      password: ""
      dbname: postgres
      schema: $2
      threads: $THREADS
YML
}
{ echo "bench:"; echo "  target: sqlt"; echo "  outputs:"; profile sqlt bench_sqlt; profile dbt bench_dbt; } >"$PROJECT/profiles.yml"
SQLT_ARGS=(--project-dir "$PROJECT" --profiles-dir "$PROJECT" --target sqlt)

# 1. Seed, then the baseline: the compiled SQL through one psql session.
step "$SQLT" seed "${SQLT_ARGS[@]}"
step "$SQLT" parse "${SQLT_ARGS[@]}"
python3 - "$PROJECT/target/manifest.json" "$WORK/baseline.sql" "$WORK/drop.sql" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
order, seen = [], set()
def visit(uid):
    if uid in seen or uid not in nodes: return
    seen.add(uid)
    for parent in sorted(manifest["parent_map"].get(uid, [])): visit(parent)
    order.append(uid)
for uid in sorted(nodes): visit(uid)
def relation(n): return '"%s"."%s"' % (n["schema"], n["alias"])
kind = lambda n: "table" if n["config"].get("materialized") == "table" else "view"
with open(sys.argv[2], "w") as f:
    for uid in order:
        n = nodes[uid]
        f.write("create %s %s as\n%s;\n" % (kind(n), relation(n), n["compiled_code"].rstrip().rstrip(";")))
with open(sys.argv[3], "w") as f:
    for uid in reversed(order):
        n = nodes[uid]
        f.write("drop %s if exists %s cascade;\n" % (kind(n), relation(n)))
PY
start=$(now)
step "${PSQL[@]}" -f "$WORK/baseline.sql"
baseline=$(elapsed "$start")
step "${PSQL[@]}" -f "$WORK/drop.sql"

# 2. sqlt run on the same (now empty) schema.
start=$(now)
step "$SQLT" run "${SQLT_ARGS[@]}"
sqlt_run=$(elapsed "$start")
built=$("${PSQL[@]}" -tAc "select count(*) from information_schema.tables where table_schema = 'bench_sqlt'")
echo "psql session (compiled SQL):  ${baseline}s"
echo "sqlt run:                     ${sqlt_run}s  ($built relations in bench_sqlt, seed included)"
echo "ratio sqlt run / psql:        $(ratio "$sqlt_run" "$baseline")x"
echo "sqlt overhead per model:      $(awk -v a="$sqlt_run" -v b="$baseline" -v n="$N" 'BEGIN { printf "%.1f", (a - b) * 1000 / n }') ms"

# 3. dbt run on its own schema.
if [[ -n "$DBT" ]]; then
    export DBT_SEND_ANONYMOUS_USAGE_STATS=false
    DBT_ARGS=(--project-dir "$PROJECT" --profiles-dir "$PROJECT" --target dbt)
    step "$DBT" seed "${DBT_ARGS[@]}"
    start=$(now)
    step "$DBT" run "${DBT_ARGS[@]}"
    dbt_run=$(elapsed "$start")
    echo "dbt run:                      ${dbt_run}s"
    echo "ratio dbt run / sqlt run:     $(ratio "$dbt_run" "$sqlt_run")x"
else
    echo "dbt not found (set DBT=/path/to/dbt to compare)"
fi

# 4. Seeds: one CSV of SEED_ROWS rows through sqlt seed and dbt seed; psql \copy via bench_seed.sh.
[[ "$SEED_ROWS" -gt 0 ]] || exit 0
SEEDS="$WORK/seedproject"
mkdir -p "$SEEDS/seeds"
printf 'name: bench_seed\nversion: "1.0"\nconfig-version: 2\nprofile: bench\nseed-paths: ["seeds"]\n' >"$SEEDS/dbt_project.yml"
cp "$PROJECT/profiles.yml" "$SEEDS/profiles.yml"
python3 "$ROOT/scripts/gen_seed_csv.py" "$SEEDS/seeds/bench_rows.csv" "$SEED_ROWS"
start=$(now)
step "$SQLT" seed --project-dir "$SEEDS" --profiles-dir "$SEEDS" --target sqlt
sqlt_seed=$(elapsed "$start")
echo "sqlt seed ($SEED_ROWS rows):   ${sqlt_seed}s"
if [[ -n "$DBT" ]]; then
    start=$(now)
    step "$DBT" seed --project-dir "$SEEDS" --profiles-dir "$SEEDS" --target dbt
    dbt_seed=$(elapsed "$start")
    echo "dbt seed ($SEED_ROWS rows):    ${dbt_seed}s"
    echo "ratio dbt seed / sqlt seed:   $(ratio "$dbt_seed" "$sqlt_seed")x"
fi
echo "-- scripts/bench_seed.sh $SEED_ROWS (psql \\copy vs sqlt seed):"
DATABASE_URL="$URL" SQLT="$SQLT" \
    timeout "$STEP_TIMEOUT" "$ROOT/scripts/bench_seed.sh" "$SEED_ROWS" | grep -E "^(psql|sqlt seed|rows loaded|ratio)"
