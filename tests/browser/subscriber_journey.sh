#!/usr/bin/env bash
# The subscriber's journey (subscriber_journey.py) against real servers on loopback: the WA
# HB 1795 page served by fixture_httpd.py, mail received by smtpd.py, `billwatch serve` at
# the [web] base_url the mails link to, and `billwatch run` as the timer runs it.
# usage: subscriber_journey.sh BILLWATCH OUT_DIR
set -euo pipefail
BILLWATCH=$(realpath "$1")
OUT=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES=$HERE/../fixtures/states
PY=/usr/bin/python3
. "$HERE/../support/servers.sh" journey

mkdir -p "$WORK/site"
cp "$FIXTURES/wa_2025-26_HB1795_text_1_original.md" "$WORK/site/hb1795.md"
start http "$PY" "$HERE/../support/fixture_httpd.py" "$WORK/site"
HTTP_PORT=$PORT
start smtp "$PY" "$HERE/../support/smtpd.py" "$WORK/mail"
SMTP_PORT=$PORT
WEB_PORT=$(free_port)   # in [web] base_url before the site listens

cat >"$WORK/billwatch.toml" <<TOML
[database]
path = "$WORK/billwatch.db"

[crawler]
user_agent = "billwatch-journey/0.1 (+mailto:test@example.org)"
allow_private = ["127.0.0.1"]   # every server of this test is on loopback

[smtp]
url = "smtp://127.0.0.1:$SMTP_PORT"
from = "Bill alerts <alerts@example.org>"

[web]
base_url = "http://127.0.0.1:$WEB_PORT"

[[source]]
type = "html"
name = "wa-hb1795"
jurisdiction = "WA"
bill_id = "WA-2025-HB-1795"
urls = ["http://127.0.0.1:$HTTP_PORT/hb1795.md"]
TOML
bw() { "$BILLWATCH" --config "$WORK/billwatch.toml" "$@"; }

# A control subscriber (consent given elsewhere) shows that later changes are still mailed.
bw subscribe --confirmed researcher@example.org --jurisdiction WA >/dev/null
bw run >"$WORK/run1.log" 2>&1
"$BILLWATCH" --config "$WORK/billwatch.toml" serve --listen "127.0.0.1:$WEB_PORT" >"$WORK/serve.out" 2>&1 &
PIDS+=($!)
SITE=$(site_in "$WORK/serve.out") || { cat "$WORK/serve.out" >&2; exit 1; }
"$PY" "$HERE/subscriber_journey.py" "$BILLWATCH" "$WORK/billwatch.toml" "$SITE" "$WORK/mail" \
  "$WORK/site/hb1795.md" "$FIXTURES" "$OUT" || {
  echo "--- serve log" >&2
  cat "$WORK/serve.out" >&2
  exit 1
}
