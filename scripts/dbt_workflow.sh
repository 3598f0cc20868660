#!/usr/bin/env bash
# The command sequence an orchestrator or Makefile runs with dbt, unchanged; `DBT=sqlt
# scripts/dbt_workflow.sh` runs it with sqlt in the current project folder (or DBT_PROJECT_DIR).
# `deps` and `snapshot` come with sqlt's deps and snapshot commands.
set -euo pipefail
DBT=${DBT:-dbt}
$DBT deps && $DBT seed && $DBT snapshot && $DBT build --no-partial-parse --log-format json && $DBT source freshness && $DBT docs generate
