#!/usr/bin/env bash
# End-to-end test of orchestration/airflow/dags/sport_pipeline.py with a real Apache Airflow 3:
#   1. installs apache-airflow 3 from PyPI into a throwaway venv (AIRFLOW_VENV to reuse one);
#   2. imports the DAG folder with Airflow's DagBag: no import error, the DAG's tasks and schedule;
#   3. checks the exit-code mapping (exit 2 is not retried, exit 1 is) with a stand-in sqlt;
#   4. on a copy of the flagship project (seeded, on its embedded PostgreSQL) with the second
#      activity batch dropped in the inbox, runs `airflow dags test sport_pipeline` against
#      Airflow's embedded SQLite database, with SLACK_WEBHOOK_URL on a loopback listener, and
#      checks the batch was loaded, the build ran, and the day's message was posted.
# scripts/test.sh runs it when CI=true (it takes minutes: the install dominates).
# Prints "N passed, M failed"; exits 1 when a check failed.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
SQLT_BIN="${SQLT_BIN:-$here/.build/debug/sqlt}"
if [[ ! -x "$SQLT_BIN" ]]; then (cd "$here" && swift build) || exit 1; fi
work="$(mktemp -d /tmp/sqlt-airflow.XXXXXX)"
chmod 755 "$work"
listener_pid=""
cleanup() {
    [[ -n "$listener_pid" ]] && kill "$listener_pid" 2>/dev/null
    "$SQLT_BIN" db stop --project-dir "$work/project" >/dev/null 2>&1
    if [[ "${AIRFLOW_TEST_KEEP:-0}" != 1 ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT
passed=0; failed=0
check() {  # check "what" command...
    local what="$1"; shift
    if "$@"; then passed=$((passed + 1)); echo "ok: $what"; else failed=$((failed + 1)); echo "FAILED: $what" >&2; fi
}
finish() { echo "$passed passed, $failed failed"; [[ $failed -eq 0 ]]; exit $?; }

venv="${AIRFLOW_VENV:-$work/venv}"
start=$(date +%s)
if [[ ! -x "$venv/bin/airflow" ]]; then
    python3 -m venv "$venv" && "$venv/bin/pip" install -q "apache-airflow>=3.0,<4" \
        || { echo "cannot install apache-airflow 3 from PyPI" >&2; failed=$((failed + 1)); finish; }
fi
echo "airflow $("$venv/bin/airflow" version 2>/dev/null) ready in $(( $(date +%s) - start )) s"

export AIRFLOW_HOME="$work/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$here/orchestration/airflow/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__UNIT_TEST_MODE=False
export SQLT_BIN
mkdir -p "$AIRFLOW_HOME"
"$venv/bin/airflow" db migrate > "$work/db-migrate.log" 2>&1
check "airflow db migrate (embedded SQLite database)" test $? -eq 0

# 2. The DAG imports with no error and has the expected shape.
check "the DAG folder imports without errors" "$venv/bin/python" - <<'PY'
import datetime as dt, os
try:
    from airflow.dag_processing.dagbag import DagBag
except ImportError:
    from airflow.models.dagbag import DagBag
bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
assert not bag.import_errors, bag.import_errors
dag = bag.dags["sport_pipeline"]
upstream = {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks}
assert upstream == {"load_new_activities": [], "sqlt_build": ["load_new_activities"],
                    "post_slack_message": ["sqlt_build"]}, upstream
assert dag.schedule == dt.timedelta(minutes=20), dag.schedule
assert dag.get_task("sqlt_build").retries == 2
print("DAG sport_pipeline:", upstream, "every", dag.schedule)
PY

# 3. Exit codes: 0 success, 2 fails without retry, 1 fails and is retried.
fake="$work/fake-sqlt"
printf '#!/bin/sh\necho "fake sqlt $*"\nexit ${FAKE_EXIT:-0}\n' > "$fake"; chmod +x "$fake"
check "exit codes map to task states (2 not retried, 1 retried)" env SQLT_BIN="$fake" "$venv/bin/python" - <<'PY'
import importlib.util, os
try:
    from airflow.sdk.exceptions import AirflowException, AirflowFailException
except ImportError:
    from airflow.exceptions import AirflowException, AirflowFailException
spec = importlib.util.spec_from_file_location("sport_pipeline", os.path.join(os.environ["AIRFLOW__CORE__DAGS_FOLDER"], "sport_pipeline.py"))
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
os.environ["FAKE_EXIT"] = "0"; assert "fake sqlt build" in module.run_sqlt("build")
for code, expected in (("2", AirflowFailException), ("1", AirflowException)):
    os.environ["FAKE_EXIT"] = code
    try:
        module.run_sqlt("build"); raise SystemExit(f"exit {code} did not fail")
    except AirflowException as error:
        assert type(error) is expected, (code, type(error))
print("exit codes ok")
PY

# 4. The real pipeline on the flagship project.
mkdir -p "$work/project/inbox"
cp -r "$here/models" "$here/seeds" "$here/snapshots" "$here/tests" "$here/macros" "$here/sqlt_project.yml" "$work/project/"
"$SQLT_BIN" seed --project-dir "$work/project" > "$work/seed.log" 2>&1
check "sqlt seed of the flagship copy" test $? -eq 0
"$SQLT_BIN" build --exclude-resource-type seed --project-dir "$work/project" > "$work/first-build.log" 2>&1
url="$("$SQLT_BIN" db url --project-dir "$work/project" | tail -1)"
count() { psql -X -At -d "$url" -c "select count(*) from public_bronze.sport_activities"; }
before="$(count)"
cp "$here/scripts/data/activities_batch2.csv" "$work/project/inbox/"
batch_rows=$(( $(wc -l < "$here/scripts/data/activities_batch2.csv") - 1 ))

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 - "$port" "$work/slack-bodies.txt" <<'PY' &
import http.server, sys
port, out = int(sys.argv[1]), sys.argv[2]
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(out, "ab") as f: f.write(body + b"\n")
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", port), Hook)
server.timeout = 1
for _ in range(1800):  # at most 30 minutes, then it stops by itself
    server.handle_request()
PY
listener_pid=$!
export SQLT_PROJECT_DIR="$work/project" SLACK_WEBHOOK_URL="http://127.0.0.1:$port/services/T/B/X"
start=$(date +%s)
"$venv/bin/airflow" dags test sport_pipeline 2026-02-23 > "$work/dags-test.log" 2>&1
status=$?
echo "airflow dags test: exit $status in $(( $(date +%s) - start )) s"
check "airflow dags test sport_pipeline succeeds" test $status -eq 0
check "the run ended in state success" grep -qiE "state[=: ]+success|DagRunState.SUCCESS|dag_run.*success" "$work/dags-test.log"
check "the inbox file was loaded and moved" test -f "$work/project/inbox/loaded/activities_batch2.csv"
after="$(count)"
check "the landing table grew by the batch ($before + $batch_rows = $after)" test "$after" -eq $(( before + batch_rows ))
check "the day's message was posted to the webhook" grep -q "Bravo" "$work/slack-bodies.txt"
if [[ $failed -gt 0 ]]; then tail -60 "$work/dags-test.log" >&2; fi
finish
