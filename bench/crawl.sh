#!/usr/bin/env bash
# `./run bench crawl [PAGES] [LATENCY_MS]`: billwatch against Debian's urlwatch on the same
# loopback pages, at the same per-host concurrency (10; urlwatch's worker count is fixed
# at 10). Three runs per tool: first crawl, unchanged re-run, re-run with 5% of the pages
# changed. Measures wall time, CPU time (user+sys) and peak RSS with GNU time, and the
# requests and bytes the server answered. Prints a table and the ratios.
#
# Two corpora: "mixed" (the legislature pages of the fixtures, mostly not about restraint
# or seclusion) and "on-topic" (the bill texts billwatch exists for: WA HB 1795 in both
# versions and WY HB 65, as HTML), where every page is analyzed and stored. The first
# crawl's wall time is compared with the transfer floor, PAGES x LATENCY / 10 connections.
set -euo pipefail
BILLWATCH=$(realpath "$1")
SERVER=$(realpath "$2")
PAGES=${3:-1000}
LATENCY=${4:-50}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FIXTURES=$ROOT/tests/fixtures
WORK=$(mktemp -d "${TMPDIR:-/tmp}/billwatch-bench.XXXXXX")
trap 'kill $SERVER_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

. "$ROOT/tests/support/wait_for.sh"
. "$ROOT/bench/crawl_config.sh"

control() { curl -fsS "$BASE/$1" >/dev/null; }

# The on-topic pages (bench/on_topic_pages.py).
python3 "$ROOT/bench/on_topic_pages.py" "$FIXTURES" "$WORK"

# measure TOOL RUN COMMAND...: one line "tool run wall cpu rss_kb requests bytes" to results
measure() {
  local tool=$1 run=$2
  shift 2
  local before after
  before=$(curl -fsS "$BASE/__stats")
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/$tool-$run.err" || {
    echo "$tool ($run) failed:" >&2
    tail -5 "$WORK/$tool-$run.err" >&2
  }
  after=$(curl -fsS "$BASE/__stats")
  read -r wall user sys rss <"$WORK/time"
  python3 - "$tool" "$run" "$wall" "$user" "$sys" "$rss" "$before" "$after" \
    >>"$WORK/results" <<'PY'
import json, sys
tool, run, wall, user, sys_, rss, before, after = sys.argv[1:]
b, a = json.loads(before), json.loads(after)
print(tool, run, wall, float(user) + float(sys_), rss, a["requests"] - b["requests"],
      a["bytes"] - b["bytes"])
PY
}

run_series() {
  local tool=$1
  shift
  control __reset
  echo "== $tool: first crawl" >&2
  measure "$tool" first "$@"
  echo "== $tool: unchanged re-run" >&2
  measure "$tool" unchanged "$@"
  control "__change?percent=5"
  echo "== $tool: re-run with 5% changed" >&2
  measure "$tool" changed5 "$@"
}

# corpus NAME FIXTURE...: serves PAGES pages built from the fixtures and runs both tools.
corpus() {
  local name=$1
  shift
  "$SERVER" "$PAGES" "$LATENCY" "$@" >"$WORK/server.out" &
  SERVER_PID=$!
  PORT=$(port_in "$WORK/server.out")
  BASE=http://127.0.0.1:$PORT
  rm -rf "$WORK/billwatch.db"* "$WORK/urlwatch.db"
  crawl_config "$WORK" "$BASE" "$PAGES"
  while read -r url; do printf 'url: "%s"\nfilter: html2text\n---\n' "$url"; done \
    <"$WORK/pages.txt" >"$WORK/urls.yaml"

  : >"$WORK/results"
  run_series billwatch "$BILLWATCH" --config "$WORK/billwatch.toml" run --quiet
  run_series urlwatch urlwatch --urls "$WORK/urls.yaml" --config "$WORK/urlwatch.yaml" \
    --cache "$WORK/urlwatch.db" --hooks "$WORK/hooks.py"

  kill $SERVER_PID 2>/dev/null || true
  wait $SERVER_PID 2>/dev/null || true
  report "$name"
}

report() {
python3 - "$WORK/results" "$PAGES" "$LATENCY" "$1" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
data = {(r[0], r[1]): r for r in rows}
pages, latency, corpus = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print(f"\ncrawl benchmark, {corpus} corpus: {pages} pages, {latency} ms latency, "
      f"per-host concurrency 10\n")
print(f"| tool | run | wall s | CPU s (user+sys) | peak RSS MB | requests | bytes |")
print(f"|---|---|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r[0]} | {r[1]} | {float(r[2]):.2f} | {float(r[3]):.2f} | {int(r[4])/1024:.1f} | {r[5]} | {r[6]} |")
print(f"\n| run | CPU billwatch/urlwatch | wall billwatch/urlwatch | RSS billwatch/urlwatch |")
print(f"|---|---:|---:|---:|")
for run in ("first", "unchanged", "changed5"):
    b, u = data.get(("billwatch", run)), data.get(("urlwatch", run))
    if not b or not u:
        continue
    ratio = lambda i: float(b[i]) / float(u[i]) if float(u[i]) else float("nan")
    print(f"| {run} | {ratio(3):.3f} | {ratio(2):.3f} | {ratio(4):.3f} |")
floor = pages * latency / 1000 / 10
first = data.get(("billwatch", "first"))
if first:
    print(f"\n{corpus}: transfer floor {floor:.2f} s (pages x latency / 10 connections); "
          f"billwatch's first crawl {float(first[2]):.2f} s = {float(first[2]) / floor:.2f} x the floor")
PY
}

corpus mixed \
  "$FIXTURES/states/mo_openstates_test_billdetail.html" \
  "$FIXTURES/states/mo_openstates_test_billtext-house.html" \
  "$FIXTURES/states/sc_openstates_494_fulltext.htm" \
  "$FIXTURES/federal/BILLS-119hr9025ih.html"
corpus on-topic "$WORK/wa1.html" "$WORK/wa2.html" "$WORK/wy.html"
