#!/bin/sh
# Renders the HTML part of the WA HB 1795 alert (as the run-cycle test receives it from the
# loopback SMTP server) with headless Chromium at a phone's width, to look at:
#   tests/render_alert.sh [OUT.png] [WIDTH]      (default: build/alert.png, 400 px)
# Needs Debian's chromium package and a built tree (./run build).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/alert.png}
WIDTH=${2:-400}
HTML=$(mktemp --suffix=.html)
trap 'rm -f "$HTML"' EXIT
BILLWATCH_ALERT_HTML="$HTML" "$ROOT/build/tests/integration_test" \
  --gtest_filter='RunCycleTest.TwoVersionsTwoEventsOneMailEachAndNothingOnAnUnchangedRun' >/dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size="$WIDTH,2400" --screenshot="$OUT" "file://$HTML" 2>/dev/null
echo "$OUT"
