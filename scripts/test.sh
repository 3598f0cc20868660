#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds, and runs `swift test`.
# Integration tests start their own throwaway PostgreSQL (or use SQLT_TEST_DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
SQLT_WITH_BROWSER=1 scripts/install_deps.sh
swift build --build-tests
swift test --skip-build
