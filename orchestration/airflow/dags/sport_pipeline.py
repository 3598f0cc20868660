"""sport_pipeline: the flagship platform's 20-minute loop, as Airflow runs it.

    load_new_activities  ->  sqlt_build  ->  post_slack_message

1. load_new_activities appends the activity files the producer dropped in the inbox
   (SPORT_INBOX, CSV with the landing table's header) to <schema>_bronze.sport_activities with
   psql's \\copy, one transaction per file, and moves each loaded file to inbox/loaded/.
2. sqlt_build runs `sqlt build --exclude-resource-type seed` (seeds are loaded once: re-seeding
   would truncate the landing table). Exit 1 (a model or data test failed, or the database was
   unreachable) is retried; exit 2 (a configuration or compile error) fails at once, since a
   retry cannot fix it.
3. post_slack_message runs `sqlt notify slack` for gold_slack_message_activities when
   SLACK_WEBHOOK_URL is set: nothing is posted on a day without activity.

Settings (environment of the scheduler/workers):
    SQLT_BIN            the sqlt executable (default: sqlt on PATH)
    SQLT_PROJECT_DIR    the sqlt project (default: the repository holding this file)
    SQLT_DATABASE_URL   the warehouse (default: the project's profiles.yml, else its embedded server)
    SQLT_TARGET         --target (optional)
    SQLT_SCHEMA         the target schema prefix for the landing table (default: from `sqlt debug`)
    SPORT_INBOX         the producer's drop folder (default: <project>/inbox)
    SLACK_WEBHOOK_URL   the Slack incoming webhook (optional)
    SQLT_PUSHGATEWAY_URL  pushes each step's metrics to a Prometheus Pushgateway (optional)
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

try:  # Airflow 3
    from airflow.sdk import dag, task
except ImportError:  # Airflow 2.x
    from airflow.decorators import dag, task
try:  # Airflow 3
    from airflow.sdk.exceptions import AirflowException, AirflowFailException
except ImportError:
    from airflow.exceptions import AirflowException, AirflowFailException

PROJECT_DIR = Path(os.environ.get("SQLT_PROJECT_DIR", Path(__file__).resolve().parents[3]))
LANDING_COLUMNS = "id_activity, id_salarie, date_debut, sport_type, distance_m, date_fin, commentaire, loaded_at"


def sqlt_command(*arguments: str) -> list[str]:
    """The sqlt command line for this project, with the connection settings of the environment."""
    command = [os.environ.get("SQLT_BIN", "sqlt"), *arguments, "--project-dir", str(PROJECT_DIR)]
    if os.environ.get("SQLT_TARGET"):
        command += ["--target", os.environ["SQLT_TARGET"]]
    if os.environ.get("SQLT_DATABASE_URL"):
        command += ["--database-url", os.environ["SQLT_DATABASE_URL"]]
    return command


def run_sqlt(*arguments: str) -> str:
    """Runs sqlt and maps its exit code to the task's state: 0 success; 2 (configuration or
    compile error) fails without retry; any other code (1: a node or data test failed, or the
    database is unreachable) fails and is retried."""
    command = sqlt_command(*arguments)
    print("running:", " ".join(command), flush=True)
    completed = subprocess.run(command, capture_output=True, text=True)
    print(completed.stdout, flush=True)
    if completed.stderr:
        print(completed.stderr, flush=True)
    if completed.returncode == 0:
        return completed.stdout
    if completed.returncode == 2:
        raise AirflowFailException(f"sqlt {arguments[0]}: configuration or compile error (exit 2), not retried")
    raise AirflowException(f"sqlt {arguments[0]} failed with exit code {completed.returncode}")


def database_url() -> str:
    """The warehouse URL: SQLT_DATABASE_URL, else the project's embedded server."""
    if os.environ.get("SQLT_DATABASE_URL"):
        return os.environ["SQLT_DATABASE_URL"]
    return run_sqlt("db", "url").strip().splitlines()[-1]


def landing_table() -> str:
    schema = os.environ.get("SQLT_SCHEMA")
    if not schema:
        for line in run_sqlt("debug").splitlines():
            if line.startswith("schema: "):
                schema = line[len("schema: "):].strip()
    return f'"{schema}_bronze".sport_activities'


@dag(
    dag_id="sport_pipeline",
    schedule=dt.timedelta(minutes=20),
    start_date=dt.datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": dt.timedelta(minutes=1)},
    tags=["sqlt", "sport"],
    doc_md=__doc__,
)
def sport_pipeline():
    @task
    def load_new_activities() -> int:
        inbox = Path(os.environ.get("SPORT_INBOX", PROJECT_DIR / "inbox"))
        files = sorted(inbox.glob("*.csv")) if inbox.is_dir() else []
        if not files:
            print(f"no new activity file in {inbox}")
            return 0
        url, table = database_url(), landing_table()
        loaded = inbox / "loaded"
        loaded.mkdir(exist_ok=True)
        for path in files:
            copy = f"\\copy {table} ({LANDING_COLUMNS}) from '{path}' csv header"
            completed = subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-1", "-d", url, "-c", copy],
                                       capture_output=True, text=True)
            print(completed.stdout, completed.stderr, flush=True)
            if completed.returncode != 0:
                raise AirflowException(f"could not load {path}: {completed.stderr.strip()}")
            shutil.move(str(path), loaded / path.name)
        return len(files)

    @task
    def sqlt_build() -> None:
        run_sqlt("build", "--exclude-resource-type", "seed")

    @task(retries=1)
    def post_slack_message() -> None:
        if not os.environ.get("SLACK_WEBHOOK_URL"):
            print("SLACK_WEBHOOK_URL is not set: no message posted")
            return
        run_sqlt("notify", "slack", "--model", "gold_slack_message_activities", "--order-by", "date_debut")

    load_new_activities() >> sqlt_build() >> post_slack_message()


sport_pipeline()
