#!/usr/bin/env bash
# The web pages in real headless Chromium: fills a database with the demo (WA HB 1795 in
# two versions, H.R. 4350), serves it with `billwatch serve`, and loads the pages with
# check_pages.py (no console error, no CSP violation; screenshots at 400 and 1280 px).
# usage: browser_check.sh BILLWATCH SCREENSHOT_DIR
set -euo pipefail
BILLWATCH=$(realpath "$1")
OUT=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/billwatch-browser.XXXXXX")
SERVE_PID=
trap '[ -n "$SERVE_PID" ] && kill $SERVE_PID 2>/dev/null; rm -rf "$WORK"' EXIT

BILLWATCH_DEMO_KEEP="$WORK/billwatch.db" "$HERE/../demo.sh" "$BILLWATCH" >"$WORK/demo.log" 2>&1 || {
  echo "browser check: the demo failed:" >&2
  tail -20 "$WORK/demo.log" >&2
  exit 1
}
printf '[database]\npath = "%s"\n' "$WORK/billwatch.db" >"$WORK/billwatch.toml"
"$BILLWATCH" --config "$WORK/billwatch.toml" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>&1 &
SERVE_PID=$!
. "$HERE/../support/wait_for.sh"
SITE=$(site_in "$WORK/serve.out") || { cat "$WORK/serve.out" >&2; exit 1; }
/usr/bin/python3 "$HERE/check_pages.py" "$SITE" "$OUT" \
  /bills/WA-2025-HB-1795 "/bills/WA-2025-HB-1795/diff?from=1&to=2" \
  /bills/WA-2025-HB-1795/versions/2 / /bills /bills/US-117-HR-4350 "/search?q=seclusion" /about \
  /subscribe /manage /confirm/1-2-bad /manage/1-1-bad /unsubscribe/1-bad
