#!/usr/bin/env bash
# Runs dbt-postgres and sqlt on the same sequence of source changes (scripts/snapshot_compare:
# the project, steps.sql, normalize.sql) and diffs every snapshot table and the model built on
# one. Times set by a run (check strategy, deletions) are compared by their order, not value.
#
#   scripts/snapshot_dbt_compare.sh [--write-expected]
#
# SQLT (default .build/debug/sqlt) and DBT (default /work/dbt-venv/bin/dbt, or `dbt` on PATH)
# name the binaries. --write-expected stores dbt's tables as
# scripts/snapshot_compare/expected.txt, which Tests/SqltTests/SnapshotCompareTests.swift checks
# sqlt against. Exit 0 when every table is identical.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
compare="$root/scripts/snapshot_compare"
sqlt="${SQLT:-$root/.build/debug/sqlt}"
dbt="${DBT:-/work/dbt-venv/bin/dbt}"
[ -x "$dbt" ] || dbt="$(command -v dbt || true)"
if [ -z "$dbt" ]; then echo "dbt is not installed (set DBT=/path/to/dbt)" >&2; exit 2; fi
[ -x "$sqlt" ] || { echo "no sqlt binary at $sqlt (swift build first, or set SQLT)" >&2; exit 2; }

work="$(mktemp -d /tmp/snapcmp.XXXXXX)"
cleanup() { "$sqlt" db stop --project-dir "$work/server" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/server"
printf 'name: snapshot_compare_server\n' > "$work/server/sqlt_project.yml"
"$sqlt" db start --project-dir "$work/server" >/dev/null
url="$("$sqlt" db url --project-dir "$work/server")"
socket="${url##*host=}"
export PGHOST="$socket" PGPORT=5432 PGUSER=postgres PGDATABASE=sqlt

# Two copies of the project: dbt builds into schema cmp_dbt, sqlt into cmp_sqlt.
for tool in dbt sqlt; do
  cp -r "$compare/project" "$work/$tool"
  cat > "$work/$tool/profiles.yml" <<YAML
snapshot_compare:
  target: dev
  outputs:
    dev:
      type: postgres
      host: "$socket"
      port: 5432
      user: postgres
      password: ""
      dbname: sqlt
      schema: cmp_$tool
      threads: 1
YAML
done
psql -q -v ON_ERROR_STOP=1 -c "create schema snapshot_compare_raw"

# steps.sql holds "-- step N:" sections: apply one, snapshot with both tools, repeat.
steps=$(grep -c '^-- step ' "$compare/steps.sql")
for n in $(seq 1 "$steps"); do
  awk -v n="$n" '/^-- step /{k++} k==n' "$compare/steps.sql" \
    | PGOPTIONS="-c search_path=snapshot_compare_raw" psql -q -v ON_ERROR_STOP=1 >/dev/null
  t0=$(date +%s.%N)
  (cd "$work/dbt" && "$dbt" snapshot --profiles-dir . --no-use-colors -q) || { echo "dbt snapshot failed at step $n" >&2; exit 1; }
  t1=$(date +%s.%N)
  "$sqlt" snapshot --project-dir "$work/sqlt" --profiles-dir "$work/sqlt" >/dev/null || { echo "sqlt snapshot failed at step $n" >&2; exit 1; }
  t2=$(date +%s.%N)
  dbt_seconds=$(awk "BEGIN { print ${dbt_seconds:-0} + $t1 - $t0 }"); sqlt_seconds=$(awk "BEGIN { print ${sqlt_seconds:-0} + $t2 - $t1 }")
  sleep 1  # distinct run times
done
(cd "$work/dbt" && "$dbt" run --profiles-dir . --no-use-colors -q)
"$sqlt" run --project-dir "$work/sqlt" --profiles-dir "$work/sqlt" >/dev/null

tables="check_ignore check_invalidate check_new_record check_updated_at_current people_current ts_ignore ts_invalidate ts_new_record yaml_check_all_new_record yaml_ts_current"
dump() {
  for table in $tables; do
    echo "## $table"
    psql -X -A -t -v ON_ERROR_STOP=1 -c "select 'columns: ' || string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' order by attnum) from pg_attribute where attrelid = to_regclass('\"$1\".\"$table\"') and attnum > 0 and not attisdropped"
    sed "s/__TABLE__/\"$1\".\"$table\"/" "$compare/normalize.sql" | psql -X -A -t -v ON_ERROR_STOP=1
  done
}
dump cmp_dbt > "$work/dbt.txt"
dump cmp_sqlt > "$work/sqlt.txt"
if [ "${1:-}" = "--write-expected" ]; then cp "$work/dbt.txt" "$compare/expected.txt"; echo "wrote $compare/expected.txt"; fi
echo "dbt: $("$dbt" --version 2>/dev/null | grep -m1 installed | tr -s ' ')"
printf 'time of the %s snapshot runs: dbt %.2f s, sqlt %.2f s (dbt/sqlt %.1fx)\n' "$steps" "$dbt_seconds" "$sqlt_seconds" \
  "$(awk "BEGIN { print $dbt_seconds / $sqlt_seconds }")"
status=0
for table in $tables; do
  a="$(awk -v t="## $table" '$0==t{on=1;next} /^## /{on=0} on' "$work/dbt.txt")"
  b="$(awk -v t="## $table" '$0==t{on=1;next} /^## /{on=0} on' "$work/sqlt.txt")"
  if [ "$a" = "$b" ]; then
    echo "identical  $table ($(printf '%s\n' "$a" | grep -vc '^columns:') rows)"
  else
    echo "DIFFERENT  $table"; diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | sed 's/^/    /' || true; status=1
  fi
done
exit $status
