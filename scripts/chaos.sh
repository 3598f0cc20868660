#!/usr/bin/env bash
# Interrupts `sqlt` runs the ways an operator's world does and checks that nothing is lost or
# leaked: kill -9 at a random moment, SIGTERM, SIGINT, pg_terminate_backend of a worker and of the
# run-lock session, with readers querying every relation in a loop during each run.
#
#   scripts/chaos.sh [--count N] [--project generated|flagship|both] [--models M] [--seed S]
#                    [--classes "kill9 sigterm sigint worker lock"]
#
# For each project (a generated one with views over tables in three layers, and the repository's
# flagship) and each class, it runs N interrupted runs and after each one checks:
#   missing       relations of a clean build absent right after the interruption
#   leftovers     sqlt temporary/backup relations (__sqlt_, but __sqlt_changed) still there after the next run
#   reader_errors failed reads by the readers during the interrupted run
#   unconverged   next runs (uninterrupted) that failed or whose content differs from a clean build
# An interruption that came after the run had already finished is not counted as one (the run is).
# Prints one line per project and class and exits 1 when any of those counts is not 0.
#
# A throwaway PostgreSQL is started in a temporary folder (initdb + pg_ctl, as the postgres user
# when run as root, Unix socket only) and stopped on exit. Environment: SQLT (default
# .build/release/sqlt, else .build/debug/sqlt), THREADS (default 4), PG_BIN (default: where
# initdb is), STEP_TIMEOUT (seconds per sqlt command, default 300).
set -uo pipefail
export LC_ALL=C

COUNT=10
PROJECTS=both
MODELS=60
SEED=42
CLASSES="kill9 sigterm sigint worker lock"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --count) COUNT="$2"; shift 2 ;;
        --project) PROJECTS="$2"; shift 2 ;;
        --models) MODELS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --classes) CLASSES="$2"; shift 2 ;;
        -h|--help) sed -n 2,20p "$0"; exit 0 ;;
        *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$PROJECTS" =~ ^(generated|flagship|both)$ ]] || { echo "--project is generated, flagship or both" >&2; exit 2; }
RANDOM=$SEED
THREADS="${THREADS:-4}"
STEP_TIMEOUT="${STEP_TIMEOUT:-300}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${SQLT:-}" ]]; then
    if [[ -x "$ROOT/.build/release/sqlt" ]]; then SQLT="$ROOT/.build/release/sqlt"; else SQLT="$ROOT/.build/debug/sqlt"; fi
fi
source "$ROOT/scripts/lib/throwaway_pg.sh"
pg_find_bin
pg_require "$SQLT" "$PG_BIN/initdb" "$PG_BIN/pg_ctl"
pg_before_cleanup() { jobs -p | xargs -r kill -9 2>/dev/null; }
pg_start_throwaway 56000 100
# The chaos checks read relations that may be missing: psql must not stop at the first error.
PSQL=(psql -X -q -h "$SOCK" -p "$PORT" -U postgres -d postgres)
echo "PostgreSQL $("${PSQL[@]}" -tAc 'show server_version') on $SOCK:$PORT; sqlt $SQLT; count $COUNT; threads $THREADS; seed $SEED"

now_ms() { date +%s%3N; }

# --- projects -------------------------------------------------------------------------------
# setup_<project>: writes the project, sets PROJECT_DIR, SCHEMA, BUILD (the command of one run).
setup_generated() {
    PROJECT_DIR="$WORK/generated"
    SCHEMA=chaos_gen
    python3 "$ROOT/scripts/gen_bench_project.py" "$PROJECT_DIR" --models "$MODELS" --kind mixed >/dev/null
    BUILD=(run)
}
setup_flagship() {
    PROJECT_DIR="$WORK/flagship"
    SCHEMA=chaos_flag
    mkdir -p "$PROJECT_DIR/scripts"
    for item in sqlt_project.yml models seeds snapshots tests macros; do [[ -e "$ROOT/$item" ]] && cp -r "$ROOT/$item" "$PROJECT_DIR/"; done
    BUILD=(build --exclude-resource-type seed)
}
sqlt_cmd() { "$SQLT" "$@" --project-dir "$PROJECT_DIR" --database-url "$URL&schema=$SCHEMA" --threads "$THREADS"; }
# The same, replacing the (background) subshell, so that $! is sqlt's own pid.
sqlt_exec() { exec "$SQLT" "$@" --project-dir "$PROJECT_DIR" --database-url "$URL&schema=$SCHEMA" --threads "$THREADS"; }

sqlt_cmd() { "$SQLT" "$@" --project-dir "$PROJECT_DIR" --database-url "$URL&schema=$SCHEMA" --threads "$THREADS"; }
# The same, replacing the (background) subshell, so that $! is sqlt's own pid.
sqlt_exec() { exec "$SQLT" "$@" --project-dir "$PROJECT_DIR" --database-url "$URL&schema=$SCHEMA" --threads "$THREADS"; }
# The FROM and WHERE of the project's relations (tables, views, materialized views).
relations_from() {
    echo "from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname like '${SCHEMA}%' and c.relkind in ('r','v','m','p') and not c.relispartition"
}

# Relations of the project's schemas (schema.name), without sqlt's temporary names.
relations() {
    "${PSQL[@]}" -tAc "select n.nspname || '.' || c.relname $(relations_from) and c.relname not like '%\_\_sqlt\_%'" | sort
}
leftovers() {
    # (<model>__sqlt_changed is no leftover: the keys an incremental model's latest run wrote,
    # kept for its tests when it sets test_changed_rows_only)
    "${PSQL[@]}" -tAc "select count(*) $(relations_from) and c.relname like '%\_\_sqlt\_%'
        and c.relname not like '%\_\_sqlt\_changed'"
}
# One line per relation: schema.name and the md5 of its sorted rows.
fingerprint() {
    "${PSQL[@]}" -tAc "select format('select %L, md5(coalesce(string_agg(x::text, chr(10) order by x::text), %L)) from %I.%I x;',
        n.nspname || '.' || c.relname, '', n.nspname, c.relname)
        $(relations_from) and c.relname not like '%\_\_sqlt\_%'" >"$WORK/fingerprint.sql"
    "${PSQL[@]}" -tA -F ' ' -f "$WORK/fingerprint.sql" 2>/dev/null | sort
}
# The lines of fingerprint output ($1) for the relations listed in stable.rel.
stable_only() { awk 'NR == FNR { keep[$1]; next } ($1 in keep)' "$WORK/stable.rel" "$1"; }

# Readers: every relation of a clean build, read in a loop until $WORK/stop exists; each failed
# read is one "ERROR" line in $WORK/readers.err.
start_readers() {
    rm -f "$WORK/stop" "$WORK/readers.err"
    : >"$WORK/readers.err"
    READERS=()
    for reader in 1 2; do
        (
            while [[ ! -e "$WORK/stop" ]]; do
                "${PSQL[@]}" -v ON_ERROR_STOP=0 -o /dev/null -f "$WORK/reads.sql" 2>&1 | grep 'ERROR' >>"$WORK/readers.err"
            done
        ) &
        READERS+=($!)
    done
}
stop_readers() {
    touch "$WORK/stop"
    wait "${READERS[@]}" 2>/dev/null
}

# --- one class ------------------------------------------------------------------------------
# interrupt CLASS PID: does the interruption; returns 0 when it hit a running run.
interrupt() {
    local class="$1" pid="$2" target
    kill -0 "$pid" 2>/dev/null || return 1
    case "$class" in
        kill9) kill -9 "$pid" ;;
        sigterm) kill -TERM "$pid" ;;
        sigint) kill -INT "$pid" ;;
        worker|lock)
            # From the random moment on, the first backend of that kind seen while the run lasts.
            target=""
            while [[ -z "$target" ]] && kill -0 "$pid" 2>/dev/null; do
                if [[ "$class" == worker ]]; then
                    # A worker holds the run's shared advisory lock and no exclusive one (the lock
                    # session holds both, and is called 'sqlt' too until it names itself).
                    target=$("${PSQL[@]}" -tAc "select a.pid from pg_stat_activity a where a.application_name = 'sqlt'
                        and exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and l.mode = 'ShareLock')
                        and not exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and l.mode = 'ExclusiveLock')
                        order by a.state = 'active' desc, random() limit 1")
                else
                    target=$("${PSQL[@]}" -tAc "select pid from pg_stat_activity where application_name like 'sqlt run %' limit 1")
                fi
                [[ -n "$target" ]] || sleep 0.01
            done
            [[ -n "$target" ]] || return 1
            "${PSQL[@]}" -tAc "select pg_terminate_backend($target)" >/dev/null 2>&1
            ;;
    esac
    kill -0 "$pid" 2>/dev/null || [[ "$class" == kill9 ]]
}

run_class() {
    local project="$1" class="$2"
    local runs=0 hits=0 missing=0 left=0 reader_errors=0 unconverged=0 codes=""
    while [[ $hits -lt $COUNT && $runs -lt $((COUNT * 10)) ]]; do
        runs=$((runs + 1))
        start_readers
        sqlt_exec "${BUILD[@]}" >"$WORK/interrupted.log" 2>&1 &
        local pid=$!
        local delay=$((RANDOM % (CLEAN_MS + 1)))
        sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
        local hit=0
        interrupt "$class" "$pid" && hit=1
        wait "$pid" 2>/dev/null
        local code=$?
        stop_readers
        reader_errors=$((reader_errors + $(wc -l <"$WORK/readers.err")))
        if [[ -s "$WORK/readers.err" ]]; then echo "  reader errors ($project/$class run $runs): $(head -3 "$WORK/readers.err")" >&2; fi
        [[ $hit -eq 1 ]] || continue
        hits=$((hits + 1))
        codes="$codes $code"
        if [[ "$class" == worker && $code -ne 0 ]]; then
            echo "  $project/$class run $runs exited $code:" >&2
            grep -A3 -E '^(Database|Runtime|Compilation) Error|^error' "$WORK/interrupted.log" | head -8 >&2
        fi
        local now_missing
        now_missing=$(comm -23 "$WORK/reference.rel" <(relations) | wc -l)
        if [[ $now_missing -gt 0 ]]; then
            echo "  missing after $project/$class run $runs: $(comm -23 "$WORK/reference.rel" <(relations) | head -5 | tr '\n' ' ')" >&2
        fi
        missing=$((missing + now_missing))
        if ! timeout "$STEP_TIMEOUT" "$SQLT" "${BUILD[@]}" --project-dir "$PROJECT_DIR" --database-url "$URL&schema=$SCHEMA" --threads "$THREADS" >"$WORK/next.log" 2>&1; then
            unconverged=$((unconverged + 1))
            echo "  next run failed after $project/$class run $runs:" >&2
            grep -iE 'error|fail' "$WORK/next.log" | head -5 >&2
        elif fingerprint >"$WORK/now.fp" && ! diff -q <(stable_only "$WORK/now.fp") "$WORK/reference.fp" >/dev/null; then
            unconverged=$((unconverged + 1))
            echo "  content differs after $project/$class run $runs:" >&2
            diff <(stable_only "$WORK/now.fp") "$WORK/reference.fp" | head -5 >&2
        fi
        left=$((left + $(leftovers)))
    done
    printf '%-9s %-8s runs %3d  interruptions %3d  missing %d  leftovers %d  reader_errors %d  unconverged %d  exit codes:%s\n' \
        "$project" "$class" "$runs" "$hits" "$missing" "$left" "$reader_errors" "$unconverged" "$(echo "$codes" | tr ' ' '\n' | grep . | sort -n | uniq -c | awk '{ printf " %s×%s", $2, $1 }')"
    TOTAL_HITS=$((TOTAL_HITS + hits))
    TOTAL_BAD=$((TOTAL_BAD + missing + left + reader_errors + unconverged))
}

TOTAL_HITS=0
TOTAL_BAD=0
for project in generated flagship; do
    [[ "$PROJECTS" == both || "$PROJECTS" == "$project" ]] || continue
    "setup_$project"
    sqlt_cmd seed >"$WORK/seed.log" 2>&1 || { echo "seed failed for $project:" >&2; tail -20 "$WORK/seed.log" >&2; exit 2; }
    start=$(now_ms)
    sqlt_cmd "${BUILD[@]}" >"$WORK/clean.log" 2>&1 || { echo "clean build failed for $project:" >&2; tail -20 "$WORK/clean.log" >&2; exit 2; }
    CLEAN_MS=$(( $(now_ms) - start ))
    relations >"$WORK/reference.rel"
    fingerprint >"$WORK/first.fp"
    sqlt_cmd "${BUILD[@]}" >"$WORK/clean.log" 2>&1 || { echo "second clean build failed for $project:" >&2; tail -20 "$WORK/clean.log" >&2; exit 2; }
    fingerprint >"$WORK/second.fp"
    # Relations whose content two clean builds agree on (a load timestamp makes some differ).
    comm -12 "$WORK/first.fp" "$WORK/second.fp" | awk '{ print $1 }' >"$WORK/stable.rel"
    stable_only "$WORK/second.fp" >"$WORK/reference.fp"
    awk '{ split($0, p, "."); printf "select count(*) from \"%s\".\"%s\";\n", p[1], p[2] }' "$WORK/reference.rel" >"$WORK/reads.sql"
    echo "$project: $(wc -l <"$WORK/reference.rel") relations ($(wc -l <"$WORK/stable.rel") compared by content), clean run ${CLEAN_MS} ms"
    for class in $CLASSES; do run_class "$project" "$class"; done
done
echo "total: $TOTAL_HITS interruptions, $TOTAL_BAD problems"
[[ $TOTAL_BAD -eq 0 ]]
