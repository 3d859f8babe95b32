# Sourced by bench/crawl.sh and bench/web.sh: the billwatch configuration both crawl with.

# crawl_config WORK BASE PAGES: writes WORK/pages.txt (PAGES pages of the bench page server
# at BASE) and WORK/billwatch.toml, one html source reading them into WORK/billwatch.db at
# per-host concurrency 10 without delays.
crawl_config() {
  local work=$1 base=$2 pages=$3
  for i in $(seq 0 $((pages - 1))); do echo "$base/bill/$i.html"; done >"$work/pages.txt"
  cat >"$work/billwatch.toml" <<TOML
[database]
path = "$work/billwatch.db"
[crawler]
user_agent = "billwatch-bench/0.1"
allow_private = ["127.0.0.1"]
per_host_concurrency = 10
max_connections = 10
min_delay_ms = 0
[[source]]
type = "html"
name = "bench"
jurisdiction = "WA"
urls_file = "$work/pages.txt"
TOML
}
