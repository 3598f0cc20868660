#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, checks formatting, builds, and runs
# `swift test`.
# Integration tests start their own throwaway PostgreSQL (or use SQLT_TEST_DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
SQLT_WITH_BROWSER=1 scripts/install_deps.sh
# Formatting is part of the suite: `swift format -i -r Sources Tests Plugins Fuzz/Sources Package.swift`
# fixes what this reports (settings in .swift-format).
if ! swift format lint --strict -r Sources Tests Plugins Fuzz/Sources Package.swift; then
  echo "formatting: run swift format -i -r Sources Tests Plugins Fuzz/Sources Package.swift" >&2
  exit 1
fi
swift build --build-tests
# The Airflow end-to-end test installs Apache Airflow 3 from PyPI (a few minutes): in CI only, or
# with SQLT_TEST_AIRFLOW=1. It runs before `swift test` so the suite's summary stays the last line.
if [ "${CI:-}" = "true" ] || [ "${SQLT_TEST_AIRFLOW:-0}" = "1" ]; then
  scripts/test_airflow.sh
fi
swift test --skip-build
