#!/usr/bin/env bash
# Validates the flagship project with dbt-core on PostgreSQL, in a temporary copy of the project:
#   dbt seed, dbt build, append the second activity batch to the landing table, dbt build
#   (incremental), dump silver_activities and every gold table sorted, dbt build --full-refresh,
#   dump again; exits non-zero when a step fails or the two dumps differ.
#
# Environment:
#   DBT                 dbt executable (default /work/venv-dbt/bin/dbt, dbt-core + dbt-postgres 1.8+)
#   FLAGSHIP_PG_HOST    host or socket folder (default /tmp/flagship-pg)
#   FLAGSHIP_PG_PORT    port (default 55432)
#   FLAGSHIP_PG_USER    user (default postgres); FLAGSHIP_PG_PASSWORD optional
#   FLAGSHIP_PG_DB      database (default sport_activities_db, created when missing)
#   FLAGSHIP_SCHEMA     target schema prefix (default flagship): <prefix>_bronze/_silver/_gold
#   FLAGSHIP_DATA_DIR   optional folder written by scripts/generate_data.py --out DIR: its CSVs
#                       replace the seed tables' contents (\copy) before the first build, and
#                       its activities_batch2.csv is the second batch (benchmarks)
#   FLAGSHIP_KEEP=1     keep the temporary copy
#
# Seeds are loaded once (dbt seed); every build excludes them (--exclude-resource-type seed),
# because re-seeding would truncate the landing table and drop what the producer appended.
# The second batch is loaded exactly as the scheduler's producer would load it: appended to the
# landing table <prefix>_bronze.sport_activities with
#   \copy <prefix>_bronze.sport_activities (id_activity, id_salarie, date_debut, sport_type,
#         distance_m, date_fin, commentaire, loaded_at) from 'activities_batch2.csv' csv header
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
DBT="${DBT:-/work/venv-dbt/bin/dbt}"
export PGHOST="${FLAGSHIP_PG_HOST:-/tmp/flagship-pg}"
export PGPORT="${FLAGSHIP_PG_PORT:-55432}"
export PGUSER="${FLAGSHIP_PG_USER:-postgres}"
export PGPASSWORD="${FLAGSHIP_PG_PASSWORD:-}"
db="${FLAGSHIP_PG_DB:-sport_activities_db}"
schema="${FLAGSHIP_SCHEMA:-flagship}"
data_dir="${FLAGSHIP_DATA_DIR:-}"
batch2="${data_dir:+$data_dir/activities_batch2.csv}"
batch2="${batch2:-$here/scripts/data/activities_batch2.csv}"

work="$(mktemp -d /tmp/flagship-dbt.XXXXXX)"
if [[ "${FLAGSHIP_KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi
cp -r "$here/models" "$here/seeds" "$here/snapshots" "$here/tests" "$here/macros" "$here/sqlt_project.yml" "$work/"
ln -s sqlt_project.yml "$work/dbt_project.yml"
# dbt-core reads only CSV seeds: the HR and sport exports (.xlsx for sqlt) are written again as CSV
# with the same headers and values by the same deterministic generator.
python3 "$here/scripts/generate_data.py" --workbooks-as-csv --out "$work/csv-seeds" 2>/dev/null
cp "$work/csv-seeds/rh_info.csv" "$work/csv-seeds/sport_enterprise.csv" "$work/seeds/"
rm -f "$work/seeds/"*.xlsx
cat > "$work/profiles.yml" <<YML
sport_activities:
  target: check
  outputs:
    check:
      type: postgres
      host: "$PGHOST"
      port: $PGPORT
      user: "$PGUSER"
      password: "$PGPASSWORD"
      dbname: "$db"
      schema: "$schema"
      threads: 2
YML

step() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
psql_db() { psql -X -v ON_ERROR_STOP=1 -q -d "$db" "$@"; }
dbt_run() { (cd "$work" && "$DBT" "$@" --profiles-dir "$work" --project-dir "$work"); }

step "database $db, schemas ${schema}_bronze/_silver/_gold reset"
psql -X -q -d postgres -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1 \
    || psql -X -q -d postgres -c "create database \"$db\""
psql_db -c "drop schema if exists ${schema}_bronze cascade; drop schema if exists ${schema}_silver cascade;
            drop schema if exists ${schema}_gold cascade; drop schema if exists ${schema}_snapshots cascade;
            drop schema if exists ${schema}_dbt_test__audit cascade;"

step "dbt seed"
dbt_run seed

if [[ -n "$data_dir" ]]; then
    step "load $data_dir into the seed tables"
    for t in rh_info sport_enterprise distance_cache sport_activities; do
        if [[ ! -f "$data_dir/$t.csv" ]]; then
            echo "$data_dir/$t.csv missing: generate the set with --workbooks-as-csv for dbt" >&2
            exit 2
        fi
        cols="$(head -1 "$data_dir/$t.csv" | sed 's/[^,]*/"&"/g')"
        psql_db -c "truncate ${schema}_bronze.$t" -c "\\copy ${schema}_bronze.$t ($cols) from '$data_dir/$t.csv' csv header"
        psql_db -c "analyze ${schema}_bronze.$t"
    done
    psql_db -tAc "select 'sport_activities rows: ' || count(*) from ${schema}_bronze.sport_activities"
fi

dump() {
    local out="$1"
    : > "$out"
    for rel in ${schema}_silver.silver_activities \
               ${schema}_gold.gold_sport_activities_per_bu \
               ${schema}_gold.gold_sport_activities_prime_last_year \
               ${schema}_gold.gold_slack_message_activities \
               ${schema}_gold.gold_potential_moyen_deplac_bonus \
               ${schema}_gold.gold_incorrect_moyen_deplacement \
               ${schema}_gold.gold_sport_commute_bonus; do
        echo "## $rel $(psql_db -tAc "select count(*) from $rel") rows" >> "$out"
        psql_db -tA -c "select t::text from $rel t order by 1" >> "$out"
    done
}

step "dbt build (first run)"
start=$(date +%s)
dbt_run build --exclude-resource-type seed
echo "first build: $(( $(date +%s) - start )) s"
dump "$work/dump_first.txt"
grep '^## ' "$work/dump_first.txt"

step "append the second batch to ${schema}_bronze.sport_activities"
psql_db -c "\\copy ${schema}_bronze.sport_activities (id_activity, id_salarie, date_debut, sport_type, distance_m, date_fin, commentaire, loaded_at) from '$batch2' csv header"

step "dbt build (incremental)"
start=$(date +%s)
dbt_run build --exclude-resource-type seed
echo "incremental build: $(( $(date +%s) - start )) s"

step "dump after the incremental run"
dump "$work/dump_incremental.txt"
grep '^## ' "$work/dump_incremental.txt"

step "dbt build --full-refresh"
start=$(date +%s)
dbt_run build --full-refresh --exclude-resource-type seed
echo "full-refresh build: $(( $(date +%s) - start )) s"

step "dump after the full refresh"
dump "$work/dump_full_refresh.txt"

if diff -q "$work/dump_incremental.txt" "$work/dump_full_refresh.txt" > /dev/null; then
    echo "OK: incremental and full-refresh results are identical"
else
    echo "FAIL: incremental and full-refresh results differ" >&2
    diff "$work/dump_incremental.txt" "$work/dump_full_refresh.txt" | head -40 >&2
    exit 1
fi
