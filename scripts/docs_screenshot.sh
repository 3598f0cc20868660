#!/usr/bin/env bash
# Takes a screenshot of the generated documentation with headless Chromium:
#
#   scripts/docs_screenshot.sh [route] [output]
#
# route:  the page's hash route (default: the overview; for example '#!/model/model.p.x/column/id')
# output: the PNG to write (default target/docs/screenshot.png)
#
# Runs `sqlt docs generate` first when target/docs/index.html is missing (SQLT points at another
# binary; default .build/debug/sqlt). Needs Chromium (`apt-get install -y chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTE="${1:-}"
OUT="${2:-target/docs/screenshot.png}"
SQLT="${SQLT:-.build/debug/sqlt}"
BROWSER="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$BROWSER" ]]; then
    echo "chromium is not installed (apt-get install -y chromium)" >&2
    exit 2
fi
if [[ ! -f target/docs/index.html ]]; then
    "$SQLT" docs generate
fi
mkdir -p "$(dirname "$OUT")"
OUT_ABS="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT
"$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$PROFILE" \
    --virtual-time-budget=5000 --window-size=1400,900 --screenshot="$OUT_ABS" \
    "file://$PWD/target/docs/index.html$ROUTE" 2>/dev/null
echo "screenshot written to $OUT_ABS"
