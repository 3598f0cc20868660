#!/usr/bin/env bash
# Times `sqlt parse` on generated projects of N/2, N and 2N models (N defaults to 10,000) and,
# when dbt is installed, `dbt parse --no-partial-parse` on the N project.
#
#   scripts/bench_parse.sh [N]
#
# For each size: median wall time of RUNS runs (default 3), time per 1,000 models, peak memory
# (/usr/bin/time %M), CPU utilisation ((user+sys)/wall: above 1.0 means more than one core
# worked) and the growth factor against the previous size (2.0 is linear). Prints figures and
# ratios; asserts nothing. Needs python3 and a release build (`swift build -c release`; SQLT
# points at another binary). DBT points at dbt (default /work/venv-dbt/bin/dbt, else dbt on
# PATH; DBT=none skips it).
set -euo pipefail

N="${1:-10000}"
RUNS="${RUNS:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SQLT="${SQLT:-$ROOT/.build/release/sqlt}"
if [[ -z "${DBT:-}" ]]; then
    if [[ -x /work/venv-dbt/bin/dbt ]]; then DBT=/work/venv-dbt/bin/dbt; else DBT="$(command -v dbt || true)"; fi
fi
[[ "$DBT" == none ]] && DBT=""
if [[ ! -x "$SQLT" ]]; then
    echo "no sqlt at $SQLT (build it with: swift build -c release)" >&2
    exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "needs /usr/bin/time (GNU time) for peak memory" >&2
    exit 2
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# run_timed OUT_FILE CMD...: one run; appends "wall user sys maxrss_kb" to OUT_FILE.
run_timed() {
    local out="$1"; shift
    if ! /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >"$WORK/cmd.log" 2>&1; then
        echo "failed: $*" >&2
        tail -20 "$WORK/cmd.log" >&2
        exit 1
    fi
    tail -1 "$WORK/time.txt" >>"$out"
}

# summarize FILE MODELS: median wall, per 1,000 models, max RSS, CPU utilisation of the median run.
summarize() {
    sort -n "$1" | awk -v models="$2" '
        { wall[NR] = $1; cpu[NR] = $2 + $3; if ($4 > rss) rss = $4 }
        END {
            m = int((NR + 1) / 2)
            printf "%.3f %.3f %.1f %.2f\n", wall[m], wall[m] * 1000 / models, rss / 1024, (wall[m] > 0 ? cpu[m] / wall[m] : 0)
        }'
}

declare -A WALL
SIZES=("$((N / 2))" "$N" "$((N * 2))")
printf "%-8s %10s %14s %12s %10s %8s\n" "models" "wall (s)" "s / 1k models" "peak (MB)" "cpu/wall" "growth"
previous=""
for size in "${SIZES[@]}"; do
    project="$WORK/p$size"
    python3 "$ROOT/scripts/gen_bench_project.py" "$project" --models "$size" --dbt-file >/dev/null
    : >"$WORK/sqlt_$size.txt"
    for ((run = 1; run <= RUNS; run++)); do
        run_timed "$WORK/sqlt_$size.txt" "$SQLT" parse --project-dir "$project"
    done
    read -r wall per1k peak util < <(summarize "$WORK/sqlt_$size.txt" "$size")
    WALL[$size]="$wall"
    growth="-"
    if [[ -n "$previous" ]]; then growth="$(awk -v a="$wall" -v b="${WALL[$previous]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"; fi
    printf "%-8s %10s %14s %12s %10s %8s\n" "$size" "$wall" "$per1k" "$peak" "$util" "$growth"
    previous="$size"
    [[ "$size" != "$N" ]] && rm -rf "$project"
done
echo "sqlt: $(tail -1 "$WORK/cmd.log")"
echo "growth = wall(size) / wall(previous size); sizes double, so 2.00 is linear"

if [[ -z "$DBT" ]]; then
    echo "dbt not found (set DBT=/path/to/dbt to compare)"
    exit 0
fi
project="$WORK/p$N"
cat >"$project/profiles.yml" <<YML
bench:
  target: dev
  outputs:
    dev:
      type: postgres
      host: 127.0.0.1
      port: 5432
      user: bench
      password: bench
      dbname: bench
      schema: analytics
      threads: 2
YML
: >"$WORK/dbt.txt"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
run_timed "$WORK/dbt.txt" "$DBT" parse --no-partial-parse --project-dir "$project" --profiles-dir "$project"
read -r dwall dper1k dpeak dutil < <(summarize "$WORK/dbt.txt" "$N")
printf "%-8s %10s %14s %12s %10s   (dbt parse --no-partial-parse, 1 run)\n" "$N" "$dwall" "$dper1k" "$dpeak" "$dutil"
echo "ratio dbt/sqlt at $N models: $(awk -v a="$dwall" -v b="${WALL[$N]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')x"
