#!/usr/bin/env bash
# The flagship's 20-minute loop at scale: generates ACTIVITIES activities (default 1,000,000,
# 5,000 employees) with scripts/generate_data.py, loads them on a copy of the project (embedded
# PostgreSQL), then times
#   full:  sqlt build --exclude-resource-type seed (first build, every model from all rows)
#   cycle: append 1% of activities (half new, a quarter late-arriving, a quarter corrections of
#          existing ids with a newer loaded_at) to the landing table, then the same build
#   psql:  the cycle's MERGE alone, as the floor a cycle cannot beat
#   dbt:   when dbt-core is installed (DBT, default /work/dbt-venv/bin/dbt), the same full build
#          and the same cycle (the same rows appended) under dbt-core, on the same data loaded in
#          schemas dbtbench_* of the same database (dbt reads CSV seeds: the HR and sport exports
#          come from the same generator with --workbooks-as-csv)
# and prints the seconds side by side with the cycle's ratio to the full build. Figures are
# measured in the same run; nothing is asserted.
#   ACTIVITIES=200000 scripts/bench_flagship.sh     # a smaller set
#   DBT=none scripts/bench_flagship.sh             # sqlt only
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
activities="${ACTIVITIES:-1000000}"
employees="${EMPLOYEES:-$(( activities / 200 ))}"
sqlt="${SQLT_BIN:-$here/.build/release/sqlt}"
if [[ ! -x "$sqlt" ]]; then (cd "$here" && swift build -c release --product sqlt); fi
work="$(mktemp -d /tmp/sqlt-bench-flagship.XXXXXX)"
chmod 755 "$work"
trap '"$sqlt" db stop --project-dir "$work/project" >/dev/null 2>&1; rm -rf "$work"' EXIT

data="$work/data"
python3 "$here/scripts/generate_data.py" --employees "$employees" --activities-per-year $(( activities / 2 )) \
    --years 2 --out "$data" 2>&1 | tail -1
mkdir -p "$work/project"
cp -r "$here/models" "$here/snapshots" "$here/tests" "$here/macros" "$here/sqlt_project.yml" "$work/project/"
mkdir -p "$work/project/seeds"
cp "$here/seeds/_seeds.yml" "$data/rh_info.xlsx" "$data/sport_enterprise.xlsx" "$data/distance_cache.csv" \
    "$data/sport_activities.csv" "$work/project/seeds/"
run() { "$sqlt" "$@" --project-dir "$work/project" > "$work/last.log" 2>&1 || { tail -30 "$work/last.log"; exit 1; }; }
seconds() { local start end; start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc; }

t_seed=$(seconds run seed)
url="$("$sqlt" db url --project-dir "$work/project" | tail -1)"
rows="$(psql -X -At -d "$url" -c 'select count(*) from public_bronze.sport_activities')"
t_full=$(seconds run build --exclude-resource-type seed)

# One cycle's new rows: 1% of the table, loaded now.
n=$(( rows / 100 ))
psql -X -q -d "$url" <<SQL
create table public.bench_batch as
with base as (select max(id_activity) as top from public_bronze.sport_activities),
new_rows as (
    select b.top + g as id_activity, a.id_salarie, a.date_debut + interval '1 day' as date_debut, a.sport_type,
           a.distance_m, a.date_fin + interval '1 day' as date_fin, 'Nouvelle' as commentaire, now()::timestamp as loaded_at
    from base b, generate_series(1, $n / 2) g
    join public_bronze.sport_activities a on a.id_activity = g
),
late as (
    select b.top + $n + g, a.id_salarie, a.date_debut - interval '300 days', a.sport_type, a.distance_m,
           a.date_fin - interval '300 days', 'Saisie tardive', now()::timestamp
    from base b, generate_series(1, $n / 4) g
    join public_bronze.sport_activities a on a.id_activity = g + 1000
),
corrected as (
    select a.id_activity, a.id_salarie, a.date_debut, a.sport_type, (coalesce(a.distance_m, 0) * 1.1)::integer,
           a.date_fin, 'Distance corrigée', now()::timestamp
    from public_bronze.sport_activities a where a.id_activity % 400 = 7 limit $n / 4
)
select * from new_rows union all select * from late union all select * from corrected;
SQL
t_append=$(seconds psql -X -q -d "$url" -c 'insert into public_bronze.sport_activities select * from public.bench_batch')
t_cycle=$(seconds run build --exclude-resource-type seed)
# Where the cycle's time goes: its slowest nodes (run_results.json).
slowest="$(python3 - "$work/project/target/run_results.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for r in sorted(results, key=lambda r: -r["execution_time"])[:8]:
    print(f'  {r["execution_time"]:6.2f} s  {r["unique_id"]}')
PY
)"
# The floor: the MERGE of the same rows into a copy of silver_activities, alone.
psql -X -q -d "$url" -c 'create table public.bench_silver as select * from public_silver.silver_activities'
t_merge=$(seconds psql -X -q -d "$url" -c "merge into public.bench_silver t using (select distinct on (id_activity) * from public.bench_batch order by id_activity, loaded_at desc) s on t.id_activity = s.id_activity when matched then update set distance_m = s.distance_m, loaded_at = s.loaded_at when not matched then insert (id_activity, id_salarie, date_debut, date_fin, jour_activite, sport_type, distance_m, duree_s, commentaire, loaded_at) values (s.id_activity, s.id_salarie, s.date_debut, s.date_fin, s.date_debut::date, s.sport_type, s.distance_m, 0, s.commentaire, s.loaded_at)")

# The same full build and cycle under dbt-core, when installed.
dbt="${DBT:-/work/dbt-venv/bin/dbt}"
t_dbt_full="" t_dbt_cycle=""
if [[ -x "$dbt" ]]; then
    python3 "$here/scripts/generate_data.py" --employees "$employees" --activities-per-year $(( activities / 2 )) \
        --years 2 --workbooks-as-csv --out "$work/data-csv" > /dev/null 2>&1
    dbtp="$work/dbt-project"
    mkdir -p "$dbtp"
    cp -r "$here/models" "$here/seeds" "$here/snapshots" "$here/tests" "$here/macros" "$dbtp/"
    cp "$here/sqlt_project.yml" "$dbtp/dbt_project.yml"
    rm -f "$dbtp/seeds/"*.xlsx
    python3 "$here/scripts/generate_data.py" --workbooks-as-csv --out "$work/small-csv" > /dev/null 2>&1
    cp "$work/small-csv/rh_info.csv" "$work/small-csv/sport_enterprise.csv" "$dbtp/seeds/"
    read -r pg_host pg_port pg_user pg_db < <(python3 - "$url" <<'PY'
import sys, urllib.parse as u
p = u.urlparse(sys.argv[1]); q = u.parse_qs(p.query)
print(q.get("host", [p.hostname or "localhost"])[0], p.port or 5432, u.unquote(p.username or "postgres"),
      (p.path or "/postgres").lstrip("/") or "postgres")
PY
)
    cat > "$dbtp/profiles.yml" <<YML
sport_activities:
  target: bench
  outputs:
    bench: {type: postgres, host: "$pg_host", port: $pg_port, user: "$pg_user", password: "", dbname: "$pg_db", schema: dbtbench, threads: 2}
YML
    dbt_run() { (cd "$dbtp" && "$dbt" "$@" --profiles-dir "$dbtp" --project-dir "$dbtp") > "$work/dbt.log" 2>&1 \
        || { tail -30 "$work/dbt.log"; exit 1; }; }
    dbt_run seed
    for t in rh_info sport_enterprise distance_cache sport_activities; do
        csv="$work/data-csv/$t.csv"
        cols="$(head -1 "$csv" | sed 's/[^,]*/"&"/g')"
        psql -X -q -d "$url" -c "truncate dbtbench_bronze.$t" -c "\\copy dbtbench_bronze.$t ($cols) from '$csv' csv header" \
            -c "analyze dbtbench_bronze.$t"
    done
    t_dbt_full=$(seconds dbt_run build --exclude-resource-type seed)
    psql -X -q -d "$url" -c 'insert into dbtbench_bronze.sport_activities select * from public.bench_batch'
    t_dbt_cycle=$(seconds dbt_run build --exclude-resource-type seed)
fi

printf '\nflagship at %s activities (%s employees), cycle of %s rows\n' "$rows" "$employees" "$n"
printf '%-44s %10s %10s\n' "step" "sqlt" "dbt-core"
printf '%-44s %10.2f %10s\n' "seed (sqlt: xlsx + csv)" "$t_seed" "-"
printf '%-44s %10.2f %10s\n' "build, full (first build)" "$t_full" "${t_dbt_full:+$(printf '%.2f' "$t_dbt_full")}"
printf '%-44s %10.2f %10s\n' "append the cycle's rows (psql insert)" "$t_append" "-"
printf '%-44s %10.2f %10s\n' "build, one cycle" "$t_cycle" "${t_dbt_cycle:+$(printf '%.2f' "$t_dbt_cycle")}"
printf '%-44s %10.2f %10s\n' "the cycle's MERGE alone (psql)" "$t_merge" "-"
printf "sqlt cycle's slowest nodes:\n%s\n" "$slowest"
printf 'sqlt: cycle / full build: %.2f; cycle / MERGE alone: %.1f\n' "$(echo "$t_cycle / $t_full" | bc -l)" "$(echo "$t_cycle / $t_merge" | bc -l)"
if [[ -n "$t_dbt_cycle" ]]; then
    printf 'dbt-core cycle / sqlt cycle: %.1f\n' "$(echo "$t_dbt_cycle / $t_cycle" | bc -l)"
else
    echo "dbt-core: not installed at $dbt (set DBT=/path/to/dbt)"
fi
