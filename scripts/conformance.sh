#!/usr/bin/env bash
# Conformance: builds the integration_tests projects of real dbt packages with sqlt (and with dbt
# when it is installed) and prints, per suite, the nodes that pass, fail, error and are skipped.
#
#   scripts/conformance.sh [SUITE...]    suites: dbt_utils dbt_expectations dbt_date audit_helper
#
# Each suite's integration_tests folder is copied to a temporary folder (nothing is written under
# the packages folder), its packages are installed into dbt_packages/ (with `sqlt deps` and
# SQLT_PACKAGE_MIRROR when sqlt has that command, else by copying from the packages folder), a
# profile `integration_tests` (target `postgres`) is written, then `sqlt seed` and `sqlt build` run
# into the schema `sqlt_<suite>`. With dbt present the same suite is built by `dbt seed` and
# `dbt build` into `dbt_<suite>`, and the script prints the nodes whose status differs and the
# relations whose contents differ (`except all` both ways).
#
# Environment:
#   SQLT                 sqlt binary (default .build/debug/sqlt, then .build/release/sqlt)
#   DBT                  dbt binary (default /work/dbt-venv/bin/dbt when present; DBT=none skips dbt)
#   DBT_PACKAGES_DIR     the packages folder (default ../shared/dbt-packages next to the repository)
#   CONFORMANCE_DATABASE_URL   postgresql:// URL to use; default: an embedded server started by sqlt
#                        in the temporary folder (stopped at the end)
#   CONFORMANCE_OUT      a folder to write one `<suite>.txt` summary and `<suite>.json` node statuses
#   CONFORMANCE_KEEP=1   keep the temporary folder
# Exit status: 0 when every sqlt node that ran passed or warned, 1 when one failed or errored.
set -uo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
packages="${DBT_PACKAGES_DIR:-$here/../shared/dbt-packages}"
if [[ ! -d "$packages" ]]; then
    echo "conformance: the packages folder $packages is absent (set DBT_PACKAGES_DIR); nothing to run" >&2
    exit 3
fi
packages="$(cd "$packages" && pwd)"
SQLT="${SQLT:-}"
if [[ -z "$SQLT" ]]; then
    for candidate in "$here/.build/debug/sqlt" "$here/.build/release/sqlt"; do
        if [[ -x "$candidate" ]]; then SQLT="$candidate"; break; fi
    done
fi
[[ -x "$SQLT" ]] || { echo "conformance: no sqlt binary (build it or set SQLT)" >&2; exit 3; }
DBT="${DBT:-/work/dbt-venv/bin/dbt}"
[[ "$DBT" != none && -x "$DBT" ]] || DBT=""

declare -A suite_dir=(
    [dbt_utils]="dbt-labs/dbt_utils/1.3.3"
    [dbt_expectations]="calogica/dbt_expectations/0.10.4"
    [dbt_date]="godatadriven/dbt_date/0.17.1"
    [audit_helper]="dbt-labs/audit_helper/0.12.2"
)
suites=("$@")
[[ ${#suites[@]} -gt 0 ]] || suites=(dbt_utils dbt_expectations dbt_date audit_helper)

work="$(mktemp -d /tmp/sqlt-conformance.XXXXXX)"
chmod 755 "$work"
cleanup() {
    if [[ -n "${embedded:-}" ]]; then "$SQLT" db stop --project-dir "$embedded" >/dev/null 2>&1; fi
    if [[ "${CONFORMANCE_KEEP:-0}" != 1 ]]; then rm -rf "$work"; else echo "kept $work" >&2; fi
}
trap cleanup EXIT

# The database: a given URL, or sqlt's embedded server in the temporary folder.
url="${CONFORMANCE_DATABASE_URL:-}"
embedded=""
if [[ -z "$url" ]]; then
    embedded="$work/pg"
    mkdir -p "$embedded"
    printf 'name: conformance_pg\n' > "$embedded/sqlt_project.yml"
    "$SQLT" db start --project-dir "$embedded" >/dev/null || { echo "conformance: cannot start the embedded PostgreSQL" >&2; exit 3; }
    url="$("$SQLT" db url --project-dir "$embedded")"
fi
# Connection fields for profiles.yml (dbt needs them apart).
read -r pg_host pg_port pg_user pg_password pg_db < <(python3 - "$url" <<'PY'
import sys, urllib.parse as u
p = u.urlparse(sys.argv[1]); q = u.parse_qs(p.query)
host = q.get("host", [p.hostname or "localhost"])[0]
print(host, p.port or q.get("port", ["5432"])[0], u.unquote(p.username or "postgres"),
      u.unquote(p.password or "") or "-", (p.path or "/postgres").lstrip("/") or "postgres")
PY
)
[[ "$pg_password" == "-" ]] && pg_password=""
export PGHOST="$pg_host" PGPORT="$pg_port" PGUSER="$pg_user" PGPASSWORD="$pg_password" PGDATABASE="$pg_db"

# Installs the packages of a copied integration project without the network: `sqlt deps` from the
# mirror when sqlt has it, else copies of the `local:` package and of its hub packages.
install_packages() {
    local project="$1" package_root="$2" tool="$3"
    if [[ "$tool" == sqlt ]] && "$SQLT" --help 2>&1 | grep -qE '^ +deps '; then
        (cd "$project" && SQLT_PACKAGE_MIRROR="$packages" "$SQLT" deps --project-dir "$project" >"$project/deps.log" 2>&1) \
            && return 0
        echo "  sqlt deps failed (see below); installing by copy" >&2
        tail -5 "$project/deps.log" >&2
    fi
    python3 - "$project" "$package_root" "$packages" <<'PY'
import os, re, shutil, sys
project, root, mirror = sys.argv[1:4]
target = os.path.join(project, "dbt_packages")
os.makedirs(target, exist_ok=True)
def name_of(folder):
    m = re.search(r"^name:\s*['\"]?([A-Za-z0-9_]+)", open(os.path.join(folder, "dbt_project.yml")).read(), re.M)
    return m.group(1)
def install(folder):
    dest = os.path.join(target, name_of(folder))
    if os.path.exists(dest):
        return
    shutil.copytree(folder, dest, ignore=shutil.ignore_patterns("integration_tests", ".git"))
    deps = os.path.join(folder, "packages.yml")
    if os.path.exists(deps):
        for org_name in re.findall(r"package:\s*['\"]?([\w-]+/[\w-]+)", open(deps).read()):
            versions = sorted(os.listdir(os.path.join(mirror, org_name)), key=lambda v: [int(x) if x.isdigit() else 0 for x in v.split(".")])
            install(os.path.join(mirror, org_name, versions[-1]))
install(root)
PY
}

write_profile() {
    local project="$1" schema="$2"
    cat > "$project/profiles.yml" <<YML
integration_tests:
  target: postgres
  outputs:
    postgres:
      type: postgres
      host: "$pg_host"
      port: $pg_port
      user: "$pg_user"
      password: "$pg_password"
      dbname: "$pg_db"
      schema: "$schema"
      threads: 2
YML
}

# Prints "pass fail error skip warn total" from a run_results.json (dbt's statuses).
summarize() {
    python3 - "$@" <<'PY'
import json, sys, collections
counts = collections.Counter()
statuses = {}
for path in sys.argv[1:]:
    try:
        results = json.load(open(path))["results"]
    except Exception:
        continue
    for r in results:
        status = {"success": "pass", "pass": "pass", "fail": "fail", "error": "error", "runtime error": "error",
                  "skipped": "skip", "warn": "warn"}.get(r["status"], r["status"])
        statuses[r["unique_id"]] = status
for s in statuses.values():
    counts[s] += 1
print(" ".join(str(counts[k]) for k in ("pass", "fail", "error", "skip", "warn")), len(statuses))
PY
}

overall=0
for suite in "${suites[@]}"; do
    rel="${suite_dir[$suite]:-}"
    if [[ -z "$rel" || ! -d "$packages/$rel/integration_tests" ]]; then
        echo "$suite: unknown suite or missing folder $packages/$rel" >&2; overall=1; continue
    fi
    root="$packages/$rel"
    echo "=== $suite ($rel)"
    for tool in sqlt ${DBT:+dbt}; do
        # The whole package is copied, so the project's `local: ../` names the copy.
        mkdir -p "$work/$tool-$suite"
        cp -r "$root/." "$work/$tool-$suite/"
        project="$work/$tool-$suite/integration_tests"
        rm -rf "$project/dbt_packages" "$project/target" "$project/package-lock.yml"
        install_packages "$project" "$work/$tool-$suite" "$tool"
        write_profile "$project" "${tool}_$suite"
        psql -X -q -tAc "select nspname from pg_namespace where nspname = '${tool}_$suite' or nspname like '${tool}\\_${suite}\\_%'" 2>/dev/null |
            while read -r s; do psql -X -q -c "drop schema if exists \"$s\" cascade" >/dev/null 2>&1; done
        if [[ "$tool" == sqlt ]]; then
            run=("$SQLT")
            flags=(--project-dir "$project" --profiles-dir "$project" --target postgres)
        else
            run=("$DBT")
            flags=(--project-dir "$project" --profiles-dir "$project" --target postgres)
        fi
        (cd "$project" && "${run[@]}" seed "${flags[@]}" >"$project/seed.log" 2>&1)
        [[ -f "$project/target/run_results.json" ]] && cp "$project/target/run_results.json" "$project/seed_results.json"
        (cd "$project" && "${run[@]}" build "${flags[@]}" >"$project/build.log" 2>&1)
        build_status=$?
        read -r pass fail error skip warn total < <(summarize "$project/seed_results.json" "$project/target/run_results.json")
        line="$suite $tool: pass=$pass fail=$fail error=$error skip=$skip warn=$warn total=$total (build exit $build_status)"
        echo "$line"
        if [[ "$tool" == sqlt ]]; then
            if [[ "$total" == 0 ]]; then
                echo "  no node ran; the build said:"; grep -E "error|Error" "$project/build.log" | head -15 | sed 's/^/    /'
                overall=1
            fi
            [[ "$fail" == 0 && "$error" == 0 && "$total" != 0 ]] || overall=1
            if [[ -n "${CONFORMANCE_OUT:-}" ]]; then
                mkdir -p "$CONFORMANCE_OUT"
                echo "$line" > "$CONFORMANCE_OUT/$suite.txt"
                python3 - "$project/seed_results.json" "$project/target/run_results.json" > "$CONFORMANCE_OUT/$suite.json" <<'PY'
import json, sys
out = {}
for path in sys.argv[1:]:
    try:
        for r in json.load(open(path))["results"]:
            out[r["unique_id"]] = {"status": r["status"], "message": r.get("message")}
    except Exception:
        pass
print(json.dumps(out, indent=1, sort_keys=True))
PY
                cp "$project/build.log" "$CONFORMANCE_OUT/$suite.build.log"
            fi
        fi
    done
    if [[ -n "$DBT" ]]; then
        python3 - "$work/sqlt-$suite/integration_tests" "$work/dbt-$suite/integration_tests" "$url" <<'PY'
import json, subprocess, sys
sqlt_dir, dbt_dir, url = sys.argv[1:4]
def key(uid):
    # Test ids end with a hash of dbt's own making: compare tests by their names.
    parts = uid.split(".")
    return ".".join(parts[:-1]) if parts[0] == "test" and len(parts) > 3 else uid
def statuses(d):
    out = {}
    for f in ("seed_results.json", "target/run_results.json"):
        try:
            for r in json.load(open(f"{d}/{f}"))["results"]:
                out[key(r["unique_id"])] = r["status"]
        except Exception:
            pass
    return out
def relations(d):
    try:
        nodes = json.load(open(f"{d}/target/manifest.json"))["nodes"]
    except Exception:
        return {}
    return {key(k): (n.get("schema"), n.get("alias") or n.get("name")) for k, n in nodes.items()
            if n.get("resource_type") in ("model", "seed") and (n.get("config") or {}).get("materialized") != "ephemeral"}
norm = {"success": "pass", "skipped": "skip"}
s, d = statuses(sqlt_dir), statuses(dbt_dir)
diff = []
for uid in sorted(set(s) | set(d)):
    a, b = norm.get(s.get(uid), s.get(uid)), norm.get(d.get(uid), d.get(uid))
    if a != b:
        diff.append(f"  status {uid}: sqlt={a or 'absent'} dbt={b or 'absent'}")
print(f"  nodes with a different status: {len(diff)}")
for line in diff: print(line)
rs, rd = relations(sqlt_dir), relations(dbt_dir)
differ = 0
def q(x): return '"' + x.replace('"', '""') + '"'
for uid in sorted(set(rs) & set(rd)):
    if s.get(uid) not in ("success", "pass") or d.get(uid) not in ("success", "pass"):
        continue
    a, b = f"{q(rs[uid][0])}.{q(rs[uid][1])}", f"{q(rd[uid][0])}.{q(rd[uid][1])}"
    sql = f"select (select count(*) from (select * from {a} except all select * from {b}) x), (select count(*) from (select * from {b} except all select * from {a}) y)"
    r = subprocess.run(["psql", "-X", "-q", "-tA", "-F", " ", "-c", sql], capture_output=True, text=True)
    if r.returncode != 0:
        differ += 1
        print(f"  relation {uid}: cannot compare: {r.stderr.strip().splitlines()[0] if r.stderr.strip() else 'error'}")
    elif r.stdout.strip() != "0 0":
        differ += 1
        print(f"  relation {uid}: rows only in sqlt / only in dbt: {r.stdout.strip()}")
print(f"  relations compared: {len([u for u in set(rs) & set(rd) if s.get(u) in ('success','pass') and d.get(u) in ('success','pass')])}, differing: {differ}")
PY
    fi
done
exit $overall
