#!/usr/bin/env bash
# sqlt's overhead above PostgreSQL's own time (issue 15): each line compares sqlt with the floor,
# the same statements run by psql, measured in the same invocation.
#
#   scripts/bench_overheads.sh [--models N] [--tests-models N] [--rows N] [--inc-rows N]
#                              [--big-models N] [--repeat R] [--quick] [--callgrind] [--no-big]
#
#   1. run N views (default 100), 1 thread, views already there (the scheduled re-run): `sqlt run`
#      vs psql running the statements sqlt wrote to target/run (one session), and vs a plain
#      `create view` of each compiled model into an empty schema;
#   2. `sqlt test` of the generic tests of those models vs psql running each test's compiled
#      query wrapped as `select count(*) from (...)` (one session);
#   3. `sqlt seed` of a generated CSV (--rows, default 100,000 rows x 8 columns) vs `psql \copy`
#      of the same file into a table of the same column types;
#   4. an incremental `merge` model of --inc-rows rows (default 1,000,000) receiving rows/100 new
#      and rows/1000 updated rows: `sqlt run -s` vs psql running sqlt's own statements from
#      target/run on the same starting table; both results are checked equal to a full rebuild;
#   5. start-up: `sqlt run -s one_model` on the flagship (a copy of this repository's project)
#      and on a generated --big-models project (default 10,000): sqlt's own time is the wall time
#      minus the time of the model's statements (psql -f of them minus an empty psql);
#   6. peak memory (/usr/bin/time -v, maximum resident set size) of `sqlt run` of the whole
#      --big-models project.
#   --callgrind: `valgrind --tool=callgrind` of `sqlt run` of 50 views (re-run); prints the top
#      inclusive functions (instruction counts do not move with machine load). Where valgrind
#      cannot run the Swift binary, `perf record` of repeated runs stands in (said in the output).
#
# Every figure is the median of --repeat runs (default 5; --quick: 3, smaller sizes). The machine
# is shared: absolute figures are noisy, the ratios against the floor of the same run are what
# counts. Runs in a throwaway PostgreSQL (initdb + pg_ctl in a temporary folder, Unix socket only,
# as the postgres user when run as root), stopped and removed on exit. Asserts nothing except that
# the incremental results equal the full rebuild (exit 1 otherwise).
#
# Environment: SQLT (default .build/release/sqlt: `swift build -c release`), PG_BIN (default:
# where initdb is), STEP_TIMEOUT (seconds per step, default 900).
set -euo pipefail

MODELS=100 ROWS=100000 INC_ROWS=1000000 BIG=10000 REPEAT=5 CALLGRIND=0 DO_BIG=1 CG_MODELS=50
while [[ $# -gt 0 ]]; do
    case "$1" in
        --models) MODELS="$2"; shift 2 ;;
        --rows) ROWS="$2"; shift 2 ;;
        --inc-rows) INC_ROWS="$2"; shift 2 ;;
        --big-models) BIG="$2"; shift 2 ;;
        --repeat) REPEAT="$2"; shift 2 ;;
        --quick) MODELS=50 ROWS=20000 INC_ROWS=100000 BIG=2000 REPEAT=3; shift ;;
        --callgrind) CALLGRIND=1; shift ;;
        --no-big) DO_BIG=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
STEP_TIMEOUT="${STEP_TIMEOUT:-900}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SQLT="${SQLT:-$ROOT/.build/release/sqlt}"
source "$ROOT/scripts/lib/throwaway_pg.sh"
pg_find_bin
pg_require "$SQLT" "$PG_BIN/initdb" "$PG_BIN/pg_ctl" /usr/bin/time
if [[ $CALLGRIND -eq 1 ]] && ! command -v valgrind >/dev/null; then echo "--callgrind needs valgrind" >&2; exit 2; fi

# --- throwaway PostgreSQL (scripts/lib/throwaway_pg.sh) ---------------------------------------
pg_start_throwaway 56000 50

# --- helpers ----------------------------------------------------------------------------------
now() { date +%s.%N; }
step() { timeout "$STEP_TIMEOUT" "$@" >"$WORK/step.log" 2>&1 || { echo "failed: $*" >&2; tail -30 "$WORK/step.log" >&2; exit 1; }; }
# timed ARRAY CMD...: runs CMD (output to step.log, failure fatal) and appends its wall time in
# seconds to the array named ARRAY.
timed() { local -n _into="$1"; shift; local _t0; _t0=$(now); step "$@"; _into+=("$(awk -v a="$_t0" -v b="$(now)" 'BEGIN { printf "%.4f", b - a }')"); }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
secs() { awk -v a="$1" 'BEGIN { printf "%.3f s", a }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.0f ms", a * 1000 }'; }
row() { printf '%-72s | %10s | %10s | %7s\n' "$1" "$2" "$3" "$4"; }
profile() { # project-name schema [target-name]
    printf '%s:\n  target: %s\n  outputs:\n' "$1" "${3:-bench}"
    printf '    %s:\n      type: postgres\n      host: %s\n      port: %s\n      user: postgres\n      password: ""\n      dbname: postgres\n      schema: %s\n      threads: 1\n' \
        "${3:-bench}" "$SOCK" "$PORT" "$2"
}
# [ONLY=model] run_sql PROJECT SQL_OUT [DROP_OUT] [PLAIN_OUT]: from target/manifest.json, in dependency order,
# the statements sqlt wrote to target/run for each model (plus the drop of the renamed old
# relation, which sqlt runs after the commit but does not record); the drop statements (reverse order) and
# the plain `create view|table ... as <compiled_code>` of each model.
run_sql() {
    python3 - "$1" "$2" "${3:-/dev/null}" "${4:-/dev/null}" <<'PY'
import json, os, re, sys
project, out, drop_out, plain_out = sys.argv[1:5]
manifest = json.load(open(os.path.join(project, "target", "manifest.json")))
only = os.environ.get("ONLY")
nodes = {k: v for k, v in manifest["nodes"].items()
         if v["resource_type"] == "model" and (not only or v["name"] == only)}
order, seen = [], set()
def visit(uid):
    if uid in seen or uid not in nodes: return
    seen.add(uid)
    for parent in sorted(manifest["parent_map"].get(uid, [])): visit(parent)
    order.append(uid)
for uid in sorted(nodes): visit(uid)
rel = lambda n: '"%s"."%s"' % (n["schema"], n["alias"])
kind = lambda n: "table" if n["config"].get("materialized") in ("table", "incremental") else "view"
with open(out, "w") as f, open(drop_out, "w") as d, open(plain_out, "w") as p:
    for uid in order:
        n = nodes[uid]
        path = os.path.join(project, "target", "run", n["package_name"], n["original_file_path"])
        if not os.path.exists(path): continue
        script = open(path).read().rstrip() + "\n"
        f.write(script)
        # sqlt drops the renamed old relation after the commit without recording it: add it.
        for kw, backup in re.findall(r'alter (view|table) "[^"]+"\."[^"]+" rename to "([^"]+__sqlt_backup_[^"]+)"', script):
            f.write('drop %s if exists "%s"."%s" cascade;\n' % (kw, n["schema"], backup))
        p.write("create %s %s as\n%s;\n" % (kind(n), rel(n), n["compiled_code"].rstrip().rstrip(";")))
    for uid in reversed(order):
        d.write("drop %s if exists %s cascade;\n" % (kind(nodes[uid]), rel(nodes[uid])))
PY
}

echo "PostgreSQL $("${PSQL[@]}" -tAc 'show server_version') on $SOCK:$PORT; sqlt $("$SQLT" --version 2>/dev/null || echo '?') at $SQLT"
echo "median of $REPEAT runs each; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "NOTE: the machine is shared and busy: absolute figures are noisy; the ratios against the"
echo "      floor measured in the same run are what counts."
echo
row "work" "sqlt" "floor" "ratio"
row "----" "----" "-----" "-----"

# --- 1. run N views ------------------------------------------------------------------------------
P1="$WORK/views"
python3 "$ROOT/scripts/gen_bench_project.py" "$P1" --models "$MODELS" --kind view >/dev/null
profile bench bench_views >"$P1/profiles.yml"
A1=(--project-dir "$P1" --profiles-dir "$P1")
step "$SQLT" seed "${A1[@]}"
step "$SQLT" run "${A1[@]}"          # first build: the views exist from now on
step "$SQLT" run "${A1[@]}"          # a re-run: target/run holds the re-run's statements
run_sql "$P1" "$WORK/views_run.sql" "$WORK/views_drop.sql" "$WORK/views_plain.sql"
step "${PSQL[@]}" -f "$WORK/views_run.sql"   # the statements replay (the views stay in place)
t_sqlt=() t_floor=() t_plain=()
for _ in $(seq "$REPEAT"); do
    timed t_sqlt "$SQLT" run "${A1[@]}"
    timed t_floor "${PSQL[@]}" -f "$WORK/views_run.sql"
    step "${PSQL[@]}" -f "$WORK/views_drop.sql"
    timed t_plain "${PSQL[@]}" -f "$WORK/views_plain.sql"
done
run_sqlt=$(median "${t_sqlt[@]}") run_floor=$(median "${t_floor[@]}") run_plain=$(median "${t_plain[@]}")
row "run $MODELS views, 1 thread (re-run) vs its target/run statements" "$(secs "$run_sqlt")" "$(secs "$run_floor")" "$(ratio "$run_sqlt" "$run_floor")"
row "run $MODELS views, 1 thread (re-run) vs plain create view, empty schema" "$(secs "$run_sqlt")" "$(secs "$run_plain")" "$(ratio "$run_sqlt" "$run_plain")"
step "$SQLT" run "${A1[@]}"

# --- 2. generic tests ----------------------------------------------------------------------------
step "$SQLT" compile "${A1[@]}"
python3 - "$P1/target/manifest.json" "$WORK/tests.sql" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
with open(sys.argv[2], "w") as f:
    for n in sorted(tests, key=lambda n: n["unique_id"]):
        f.write("select count(*) as failures from (\n%s\n) dbt_internal_test;\n" % n["compiled_code"].rstrip().rstrip(";"))
PY
n_tests=$(grep -c '^select count' "$WORK/tests.sql")
t_sqlt=() t_floor=()
for _ in $(seq "$REPEAT"); do
    timed t_sqlt "$SQLT" test "${A1[@]}"
    timed t_floor "${PSQL[@]}" -o /dev/null -f "$WORK/tests.sql"
done
m_sqlt=$(median "${t_sqlt[@]}") m_floor=$(median "${t_floor[@]}")
row "$n_tests generic tests on $MODELS models: sqlt test vs the same queries" "$(secs "$m_sqlt")" "$(secs "$m_floor")" "$(ratio "$m_sqlt" "$m_floor")"

# --- 3. seed -------------------------------------------------------------------------------------
P3="$WORK/seedproject"
mkdir -p "$P3/seeds"
printf 'name: bench_seed\nprofile: bench\nseed-paths: ["seeds"]\n' >"$P3/sqlt_project.yml"
profile bench bench_seed >"$P3/profiles.yml"
CSV="$P3/seeds/bench_rows.csv"
python3 "$ROOT/scripts/gen_seed_csv.py" "$CSV" "$ROWS"
A3=(--project-dir "$P3" --profiles-dir "$P3")
COPY_TABLE="create schema if not exists bench_copy; drop table if exists bench_copy.rows;
create table bench_copy.rows (id integer, employee_id integer, name text, unit text, amount numeric,
    active boolean, day date, started_at timestamp without time zone);"
step "$SQLT" seed "${A3[@]}"
t_sqlt=() t_floor=()
for _ in $(seq "$REPEAT"); do
    timed t_sqlt "$SQLT" seed "${A3[@]}"
    step "${PSQL[@]}" -c "$COPY_TABLE"
    timed t_floor "${PSQL[@]}" -c "\\copy bench_copy.rows from '$CSV' with (format csv, header true)"
done
loaded=$("${PSQL[@]}" -tAc "select count(*) from bench_seed.bench_rows")
copied=$("${PSQL[@]}" -tAc "select count(*) from bench_copy.rows")
[[ "$loaded" == "$ROWS" && "$copied" == "$ROWS" ]] || { echo "seed: $loaded rows by sqlt, $copied by \\copy, expected $ROWS" >&2; exit 1; }
m_sqlt=$(median "${t_sqlt[@]}") m_floor=$(median "${t_floor[@]}")
row "seed $ROWS rows x 8 columns: sqlt seed vs psql \\copy" "$(secs "$m_sqlt")" "$(secs "$m_floor")" "$(ratio "$m_sqlt" "$m_floor")"

# --- 4. incremental merge -------------------------------------------------------------------------
P4="$WORK/incproject"
NEW=$((INC_ROWS / 100)) UPD=$((INC_ROWS / 1000))
mkdir -p "$P4/models"
printf 'name: bench_inc\nprofile: bench\nmodel-paths: ["models"]\n' >"$P4/sqlt_project.yml"
{ profile bench bench_inc; printf '    full:\n'; profile bench bench_full | sed -n '/type:/,$p'; } >"$P4/profiles.yml"
cat >"$P4/models/_sources.yml" <<'YML'
version: 2
sources:
  - name: raw
    schema: bench_raw
    tables:
      - name: events
YML
cat >"$P4/models/inc_events.sql" <<'SQL'
{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}
select id, customer_id, amount, status, updated_at
from {{ source('raw', 'events') }}
{% if is_incremental() %}
where updated_at > (select max(updated_at) from {{ this }})
{% endif %}
SQL
A4=(--project-dir "$P4" --profiles-dir "$P4")
step "${PSQL[@]}" -c "create schema bench_raw; create table bench_raw.events as
    select i as id, i % 997 as customer_id, (i % 10000) / 100.0 as amount, 'new'::text as status,
           timestamp '2024-01-01' + i * interval '1 second' as updated_at
    from generate_series(1, $INC_ROWS) i; analyze bench_raw.events;"
step "$SQLT" run -s inc_events "${A4[@]}"
step "${PSQL[@]}" -c "create table bench_raw.inc_start as table bench_inc.inc_events;
    insert into bench_raw.events
    select i, i % 997, (i % 10000) / 100.0, 'new', timestamp '2025-01-01' + i * interval '1 second'
    from generate_series($INC_ROWS + 1, $INC_ROWS + $NEW) i;
    update bench_raw.events set amount = amount + 1, status = 'updated',
           updated_at = timestamp '2025-06-01' + id * interval '1 millisecond'
    where id % 1000 = 0 and id <= $INC_ROWS;
    analyze bench_raw.events;"
RESTORE="truncate bench_inc.inc_events; insert into bench_inc.inc_events select * from bench_raw.inc_start; analyze bench_inc.inc_events;"
INC_FILE="$P4/target/run/bench_inc/models/inc_events.sql"
t_sqlt=() t_floor=()
for i in $(seq "$REPEAT"); do
    step "${PSQL[@]}" -c "$RESTORE"
    timed t_sqlt "$SQLT" run -s inc_events "${A4[@]}"
    [[ $i -eq 1 ]] && cp "$INC_FILE" "$WORK/inc_statements.sql"
    step "${PSQL[@]}" -c "$RESTORE"
    timed t_floor "${PSQL[@]}" -f "$WORK/inc_statements.sql"
done
# Equality with a full rebuild: the floor's result (the last run) and sqlt's, each against
# `sqlt run --full-refresh` of the same model into another schema.
step "$SQLT" run -s inc_events --full-refresh --target full "${A4[@]}"
differs() { "${PSQL[@]}" -tAc "select count(*) from ((table $1 except all table bench_full.inc_events)
    union all (table bench_full.inc_events except all table $1)) d"; }
step "${PSQL[@]}" -c "create table bench_raw.floor_result as table bench_inc.inc_events"
step "${PSQL[@]}" -c "$RESTORE"
step "$SQLT" run -s inc_events "${A4[@]}"
d_sqlt=$(differs bench_inc.inc_events) d_floor=$(differs bench_raw.floor_result)
n_rows=$("${PSQL[@]}" -tAc "select count(*) from bench_inc.inc_events")
if [[ "$d_sqlt" != 0 || "$d_floor" != 0 || "$n_rows" != $((INC_ROWS + NEW)) ]]; then
    echo "incremental result differs from the full rebuild: sqlt $d_sqlt rows, psql $d_floor rows, $n_rows rows" >&2
    exit 1
fi
m_sqlt=$(median "${t_sqlt[@]}") m_floor=$(median "${t_floor[@]}")
row "incremental merge +$NEW new, $UPD updated into $INC_ROWS (= full rebuild)" "$(secs "$m_sqlt")" "$(secs "$m_floor")" "$(ratio "$m_sqlt" "$m_floor")"

# --- 5. start-up: run -s one_model -----------------------------------------------------------------
t_empty=()
for _ in $(seq "$REPEAT"); do timed t_empty "${PSQL[@]}" -c ''; done
psql_empty=$(median "${t_empty[@]}")
# startup LABEL PROJECT_DIR MODEL: one line, own time = sqlt wall - (psql -f statements - empty psql)
startup() {
    local label="$1" dir="$2" model="$3"
    step "$SQLT" run -s "$model" --project-dir "$dir" --profiles-dir "$dir"
    ONLY="$model" run_sql "$dir" "$WORK/one_model.sql"
    local ts_sqlt=() ts_floor=()
    for _ in $(seq "$REPEAT"); do
        timed ts_sqlt "$SQLT" run -s "$model" --project-dir "$dir" --profiles-dir "$dir"
        timed ts_floor "${PSQL[@]}" -f "$WORK/one_model.sql"
    done
    local ms_sqlt ms_floor own
    ms_sqlt=$(median "${ts_sqlt[@]}") ms_floor=$(median "${ts_floor[@]}")
    own=$(awk -v a="$ms_sqlt" -v b="$ms_floor" -v e="$psql_empty" 'BEGIN { print a - (b - e) }')
    row "$label: own time $(ms "$own")" "$(secs "$ms_sqlt")" "$(secs "$ms_floor")" "$(ratio "$ms_sqlt" "$ms_floor")"
}
FLAG="$WORK/flagship"
mkdir -p "$FLAG"
cp -r "$ROOT/sqlt_project.yml" "$ROOT/models" "$ROOT/seeds" "$ROOT/macros" "$ROOT/tests" "$ROOT/snapshots" "$FLAG/"
profile sport_activities bench_flag >"$FLAG/profiles.yml"
timeout "$STEP_TIMEOUT" "$SQLT" build --project-dir "$FLAG" --profiles-dir "$FLAG" >"$WORK/flagship_build.log" 2>&1 \
    || { echo "(sqlt build of the flagship reported failures; start-up is measured on bronze_rh_info):" >&2; grep -iE "error|fail" "$WORK/flagship_build.log" | head -5 >&2; }
startup "start-up flagship: run -s bronze_rh_info" "$FLAG" bronze_rh_info
echo "      (start-up floor: psql -f of the model's statements; empty psql alone $(ms "$psql_empty"))"

# --- 6. 10,000 models: peak memory of sqlt run, then start-up ---------------------------------------
if [[ $DO_BIG -eq 1 ]]; then
    PB="$WORK/big"
    python3 "$ROOT/scripts/gen_bench_project.py" "$PB" --models "$BIG" --kind view >/dev/null
    profile bench bench_big >"$PB/profiles.yml"
    step "$SQLT" seed --project-dir "$PB" --profiles-dir "$PB"
    s=$(now)
    timeout "$STEP_TIMEOUT" /usr/bin/time -v "$SQLT" run --project-dir "$PB" --profiles-dir "$PB" >"$WORK/big_run.log" 2>&1 \
        || { tail -30 "$WORK/big_run.log" >&2; exit 1; }
    big_wall=$(awk -v a="$s" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f MB", $2 / 1024 }' "$WORK/big_run.log")
    row "peak memory, sqlt run of $BIG views (1 thread, ${big_wall} s wall)" "$rss" "-" "-"
    startup "start-up $BIG models: run -s l1_m00000" "$PB" l1_m00000
fi

# --- where sqlt's own time goes ------------------------------------------------------------------
# callgrind (instruction counts, stable under load) when valgrind can run the binary; valgrind 3.19
# dies on Swift 6 binaries here (an internal SIGSEGV even on `sqlt --version`), so then `perf record`
# (cpu-clock samples with DWARF call graphs, over REPEAT x 2 runs) stands in.
if [[ $CALLGRIND -eq 1 ]]; then
    PC="$WORK/callgrind"
    python3 "$ROOT/scripts/gen_bench_project.py" "$PC" --models "$CG_MODELS" --kind view >/dev/null
    profile bench bench_cg >"$PC/profiles.yml"
    AC=(--project-dir "$PC" --profiles-dir "$PC")
    step "$SQLT" seed "${AC[@]}"
    step "$SQLT" run "${AC[@]}"
    demangle() { if command -v swift >/dev/null; then swift demangle --simplified 2>/dev/null; else cat; fi; }
    OUT="$WORK/callgrind.out"
    echo
    if valgrind --tool=callgrind --callgrind-out-file="$WORK/probe.out" "$SQLT" --version >"$WORK/probe.log" 2>&1; then
        step valgrind --tool=callgrind --callgrind-out-file="$OUT" "$SQLT" run "${AC[@]}"
        echo "callgrind, sqlt run of $CG_MODELS views (re-run): top inclusive functions (Ir = instructions)"
        callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null | sed -n '/^ *Ir/,$p' | sed -n '1,45p' | demangle | cut -c1-200
    elif command -v perf >/dev/null; then
        echo "valgrind cannot run $SQLT here ($(grep -m1 -o 'VALGRIND INTERNAL ERROR.*' "$WORK/probe.log" || echo 'it failed'));"
        echo "perf record (cpu-clock samples, all threads) of $((REPEAT * 2)) x sqlt run of $CG_MODELS views (re-run) instead:"
        step perf record -o "$WORK/perf.data" -F 4999 --call-graph dwarf,16384 -- \
            bash -c "for i in \$(seq $((REPEAT * 2))); do '$SQLT' run --project-dir '$PC' --profiles-dir '$PC' >/dev/null; done"
        echo "-- self time by library:"
        perf report -i "$WORK/perf.data" --no-children --stdio -g none --sort dso 2>/dev/null \
            | grep -E '^ +[0-9.]+%' | grep -v ' bash' | head -10
        echo "-- top inclusive functions of sqlt and the Swift libraries (children %, self %):"
        perf report -i "$WORK/perf.data" --children --stdio -g none --sort dso,sym 2>/dev/null \
            | grep -E '^ +[0-9.]+%' | grep -E ' (sqlt|libFoundation[A-Za-z_]*\.so|lib_FoundationICU\.so|libswiftCore\.so) ' \
            | demangle | cut -c1-180 | head -40
    else
        echo "neither valgrind nor perf can profile $SQLT here"
    fi
fi
