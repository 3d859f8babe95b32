#!/usr/bin/env bash
# The offline demo behind `./run demo`: Washington HB 1795 ("Student restraint,
# isolation") as served by a loopback web server, first the Original bill, then the
# Substitute, watched by billwatch and mailed to a loopback SMTP server; beside it a
# federal bill followed through govinfo's bulk data (the real BILLSTATUS files of H.R.
# 4350, 117th Congress, served under govinfo's paths with a sitemap the demo writes).
# Usage: tests/demo.sh path/to/billwatch
set -euo pipefail
BILLWATCH=$(realpath "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES=$HERE/fixtures/states
PY=/usr/bin/python3   # Debian's interpreter: python3-aiosmtpd is installed for it

. "$HERE/support/servers.sh" demo

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

mkdir -p "$WORK/site"
cp "$FIXTURES/wa_2025-26_HB1795_text_1_original.md" "$WORK/site/hb1795.md"

# govinfo's layout: a sitemap per Congress and bill type, one status file per bill.
BILLSTATUS=$HERE/fixtures/federal/billstatus
mkdir -p "$WORK/site/sitemap/bulkdata/BILLSTATUS/117hr" "$WORK/site/bulkdata/BILLSTATUS/117/hr"
# sitemap LASTMOD: what govinfo would list for H.R. 4350 (written by the demo).
sitemap() {
  cat >"$WORK/site/sitemap/bulkdata/BILLSTATUS/117hr/sitemap.xml.new" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://www.govinfo.gov/bulkdata/BILLSTATUS/117/hr/BILLSTATUS-117hr4350.xml</loc><lastmod>$1</lastmod></url>
</urlset>
XML
  mv "$WORK/site/sitemap/bulkdata/BILLSTATUS/117hr/sitemap.xml.new" \
    "$WORK/site/sitemap/bulkdata/BILLSTATUS/117hr/sitemap.xml"
}
sitemap 2021-12-16T00:01:47Z
cp "$BILLSTATUS/BILLSTATUS-117hr4350.v1-2021-12-16.xml" \
  "$WORK/site/bulkdata/BILLSTATUS/117/hr/BILLSTATUS-117hr4350.xml"
start http "$PY" "$HERE/support/fixture_httpd.py" "$WORK/site"
HTTP_PORT=$PORT
start smtp "$PY" "$HERE/support/smtpd.py" "$WORK/mail"
SMTP_PORT=$PORT
# The site's port goes in [web] base_url (the mails' links) before it listens.
WEB_PORT=$(free_port)

cat >"$WORK/billwatch.toml" <<TOML
[database]
path = "$WORK/billwatch.db"

[crawler]
user_agent = "billwatch-demo/0.1 (+mailto:demo@example.org)"
allow_private = ["127.0.0.1"]   # the demo's servers are on loopback

[smtp]
url = "smtp://127.0.0.1:$SMTP_PORT"
from = "Bill alerts <alerts@example.org>"

[web]
base_url = "http://127.0.0.1:$WEB_PORT"   # https in production; plain http only on loopback

[[source]]
type = "html"
name = "wa-hb1795"
jurisdiction = "WA"
bill_id = "WA-2025-HB-1795"
urls = ["http://127.0.0.1:$HTTP_PORT/hb1795.md"]

# Congress, from govinfo's bulk data as served on loopback. The fixtures hold no text of
# H.R. 4350, so its text versions are reported as not on govinfo yet.
[[source]]
type = "congress"
name = "congress"
congresses = [117]
bill_types = ["hr"]
track = ["US-117-HR-4350"]
base_url = "http://127.0.0.1:$HTTP_PORT"
# No keys in the demo, whatever the environment holds.
api_key_env = ""
govinfo_api_key_env = ""
TOML
bw() { "$BILLWATCH" --config "$WORK/billwatch.toml" "$@"; }

step "A parent subscribes to Washington bills; a researcher to federal ones"
bw subscribe --confirmed parent@example.org --jurisdiction WA
bw subscribe --confirmed researcher@example.org --jurisdiction US

step "Run 1: the Original bill (February 2025) is online"
bw run

step "The legislature publishes the Substitute bill"
cp "$FIXTURES/wa_2025-26_HB1795_text_S_substitute.md" "$WORK/site/hb1795.md.new"
mv "$WORK/site/hb1795.md.new" "$WORK/site/hb1795.md"

step "govinfo lists a new BILLSTATUS file for H.R. 4350: one new action"
cp "$BILLSTATUS/BILLSTATUS-117hr4350.v3-2022-10-21.xml" \
  "$WORK/site/bulkdata/BILLSTATUS/117/hr/BILLSTATUS-117hr4350.xml"
sitemap 2022-10-21T18:41:12Z

step "Run 2: billwatch finds both changes"
bw run

step "Run 3: nothing changed, so nothing is stored and nothing is sent"
bw run --json

step "What billwatch stored"
bw bills
echo
bw history WA-2025-HB-1795
echo
echo "(the end of H.R. 4350's timeline)"
bw history US-117-HR-4350 | tail -n 8

step "The alert that arrived for the Substitute (headers and text part)"
"$PY" - "$WORK/mail/json" <<'PY'
import glob, json, sys
files = sorted(glob.glob(sys.argv[1] + "/*.json"))
print(f"{len(files)} message(s) received by the SMTP server\n")
messages = [json.load(open(f, encoding="utf-8")) for f in files]
last = [m for m in messages if "parent@example.org" in m["rcpt_tos"]][-1]
print(f"Envelope: MAIL FROM {last['mail_from']} RCPT TO {', '.join(last['rcpt_tos'])}")
for name in ("Date", "From", "To", "Subject", "Message-ID", "Content-Type"):
    print(f"{name}: {last['headers'].get(name)}")
print()
print(last["text"])
PY

step "The web side: billwatch serve (pages, Atom feeds, JSON API) on the same database"
# The binary itself in the background, not the bw function: its PID is what cleanup kills.
"$BILLWATCH" --config "$WORK/billwatch.toml" serve --listen "127.0.0.1:$WEB_PORT" >"$WORK/serve.out" \
  2>"$WORK/serve.log" &
PIDS+=($!)
SITE=$(site_in "$WORK/serve.out") ||
  { echo "demo: billwatch serve did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
echo "The bill's page: ${SITE}bills/WA-2025-HB-1795"
echo "Its diff:        ${SITE}bills/WA-2025-HB-1795/diff?from=1&to=2"
echo "Its feed:        ${SITE}feeds/bills/WA-2025-HB-1795.atom"
echo
curl -fsS "${SITE}bills/WA-2025-HB-1795" | sed -n 's/.*<h1>\(.*\)<\/h1>.*/page heading: \1/p'
echo "feed entries: $(curl -fsS "${SITE}feeds/bills/WA-2025-HB-1795.atom" | grep -c '<entry>')"
echo "API: $(curl -fsS "${SITE}api/v1/bills" | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["bills"]), "bills")')"

step "A reader subscribes on the site: one confirmation mail, nothing else until it is opened"
FORM_TOKEN=$(curl -fsS "${SITE}subscribe" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p')
curl -fsS -o /dev/null "${SITE}subscribe" \
  --data "email=reader%40example.org&preset=bans&frequency=weekly&form_token=$FORM_TOKEN"
"$PY" - "$WORK/mail/json" <<'PY'
import glob, json, sys, time
for _ in range(100):
    mails = [json.load(open(f, encoding="utf-8")) for f in sorted(glob.glob(sys.argv[1] + "/*.json"))]
    mine = [m for m in mails if "reader@example.org" in m["rcpt_tos"]]
    if mine:
        break
    time.sleep(0.1)
print(f"Subject: {mine[-1]['headers']['Subject']}\n")
print(mine[-1]["text"])
PY
bw subscriptions | sed -n '/waiting for confirmation/,$p'
if [ -n "${BILLWATCH_DEMO_KEEP:-}" ]; then
  bw backup "$BILLWATCH_DEMO_KEEP" >/dev/null
fi
