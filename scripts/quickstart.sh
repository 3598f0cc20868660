#!/usr/bin/env bash
# Quick start: installs what is missing, builds sqlt, and runs the flagship project end to end on
# the embedded PostgreSQL (started under .sqlt/postgres/ on first use): seeds (the HR and sport
# exports are read from seeds/*.xlsx), models and tests (`sqlt build`, its Prometheus metrics written
# to target/sqlt.prom), the day's Slack message (a dry run unless SLACK_WEBHOOK_URL is set), then
# the documentation site.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
swift build -c release --product sqlt
sqlt=.build/release/sqlt
"$sqlt" debug
"$sqlt" build --metrics-file target/sqlt.prom
echo "metrics: $(pwd)/target/sqlt.prom (node-exporter textfile; --pushgateway URL pushes them; Grafana: orchestration/grafana/sqlt-dashboard.json)"
if [ -n "${SLACK_WEBHOOK_URL:-}" ]; then
  "$sqlt" notify slack --model gold_slack_message_activities --order-by date_debut
else
  "$sqlt" notify slack --model gold_slack_message_activities --order-by date_debut --dry-run
fi
if "$sqlt" docs --help >/dev/null 2>&1; then
  "$sqlt" docs generate
  echo "documentation: $(pwd)/target/docs/index.html (serve it with: $sqlt docs serve --port 8080)"
fi
echo
echo "sqlt is at $sqlt; the embedded PostgreSQL keeps running (\`$sqlt db status\`, \`$sqlt db stop\`)."
