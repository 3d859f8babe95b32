#!/usr/bin/env bash
# `./run bench web [SECONDS]`: wrk (Debian's) against `billwatch serve` at 64 connections,
# one bill page and one Atom feed, SECONDS each (default 10), while `billwatch run` writes
# into the same database: 1,000 on-topic loopback pages (WA HB 1795 and WY HB 65 as HTML),
# every page changed before each run, so every run stores 1,000 versions. Prints requests
# per second and latency percentiles per URL, and how many versions were written meanwhile.
set -euo pipefail
BILLWATCH=$(realpath "$1")
PAGE_SERVER=$(realpath "$2")
SECONDS_EACH=${3:-10}
PAGES=1000
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/billwatch-webbench.XXXXXX")
PIDS=()
trap 'touch "$WORK/stop"; for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The database: the demo's (WA HB 1795 in two versions, H.R. 4350).
BILLWATCH_DEMO_KEEP="$WORK/billwatch.db" "$ROOT/tests/demo.sh" "$BILLWATCH" >"$WORK/demo.log" 2>&1

python3 "$ROOT/bench/on_topic_pages.py" "$ROOT/tests/fixtures" "$WORK"
"$PAGE_SERVER" "$PAGES" 50 "$WORK/wa1.html" "$WORK/wa2.html" "$WORK/wy.html" >"$WORK/pages.out" &
PIDS+=($!)
. "$ROOT/tests/support/wait_for.sh"
PORT=$(port_in "$WORK/pages.out")
. "$ROOT/bench/crawl_config.sh"
crawl_config "$WORK" "http://127.0.0.1:$PORT" "$PAGES"
bw() { "$BILLWATCH" --config "$WORK/billwatch.toml" "$@"; }

# The binary itself in the background, not the bw function: its PID is what cleanup kills.
"$BILLWATCH" --config "$WORK/billwatch.toml" serve --listen 127.0.0.1:0 >"$WORK/serve.out" \
  2>"$WORK/serve.log" &
PIDS+=($!)
SITE=$(site_in "$WORK/serve.out") || { cat "$WORK/serve.log" >&2; exit 1; }

# The writer: run after run, every page changed before each, until the measuring ends.
(
  while [ ! -e "$WORK/stop" ]; do
    curl -fsS "http://127.0.0.1:$PORT/__change?percent=100" >/dev/null
    bw run --quiet >>"$WORK/runs.log" 2>&1 || true
    echo run >>"$WORK/runs.done"
  done
) &
PIDS+=($!)
sleep 1  # the first run is under way

sqlite3_count() {
  python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM versions").fetchone()[0])' "$WORK/billwatch.db"
}
BEFORE=$(sqlite3_count)
: >"$WORK/results"
for path in ${BENCH_WEB_PATHS:-bills/WA-2025-HB-1795 feeds/all.atom}; do
  echo "== wrk: ${SITE}$path, 64 connections, ${SECONDS_EACH}s" >&2
  wrk -t2 -c64 -d"${SECONDS_EACH}s" --latency "${SITE}$path" >"$WORK/wrk.out"
  python3 - "$path" "$WORK/wrk.out" >>"$WORK/results" <<'PY'
import re, sys
path, out = sys.argv[1], open(sys.argv[2]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
socket = re.search(r"Socket errors: (.*)", out)
print(path, rps, ms("50"), ms("90"), ms("99"), errors.group(1) if errors else 0,
      (socket.group(1).replace(" ", "") if socket else "none"))
PY
done
AFTER=$(sqlite3_count)
touch "$WORK/stop"
RUNS=$(wc -l <"$WORK/runs.done" 2>/dev/null || echo 0)

python3 - "$WORK/results" "$((AFTER - BEFORE))" "$RUNS" "$SECONDS_EACH" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
written, runs, seconds = sys.argv[2], sys.argv[3], sys.argv[4]
print(f"\nweb benchmark: wrk -t2 -c64, {seconds} s per URL, while billwatch run wrote "
      f"{written} versions (runs started: {runs}) into the same database\n")
print("| URL | requests/s | p50 ms | p90 ms | p99 ms | non-2xx/3xx | socket errors |")
print("|---|---:|---:|---:|---:|---:|---|")
for path, rps, p50, p90, p99, errors, sock in rows:
    print(f"| /{path} | {float(rps):.0f} | {float(p50):.2f} | {float(p90):.2f} | {float(p99):.2f} | {errors} | {sock} |")
print("\nTargets: >= 5000 requests/s and p99 <= 50 ms for each URL.")
PY
