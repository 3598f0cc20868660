#!/usr/bin/env bash
# Quick start: installs what is missing, builds sqlt, and runs the flagship project end to end on
# the embedded PostgreSQL (started under .sqlt/postgres/ on first use): seeds, models and tests
# (`sqlt build`), then the documentation site when `sqlt docs` is available.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
swift build -c release --product sqlt
sqlt=.build/release/sqlt
"$sqlt" debug
"$sqlt" build
if "$sqlt" docs --help >/dev/null 2>&1; then
  "$sqlt" docs generate
  echo "documentation: $(pwd)/target/docs/index.html (serve it with: $sqlt docs serve --port 8080)"
fi
echo
echo "sqlt is at $sqlt; the embedded PostgreSQL keeps running (\`$sqlt db status\`, \`$sqlt db stop\`)."
