# Sourced by the demo, the browser check and the benchmarks: waiting for a server started in
# the background to say where it listens.

# wait_for FILE SED_EXPRESSION: prints what the expression extracts from FILE as soon as it
# is there (up to 10 s); returns 1 when it never is.
wait_for() {
  local file=$1 expression=$2 value
  for _ in $(seq 100); do
    value=$(sed -n "$expression" "$file" 2>/dev/null)
    if [ -n "$value" ]; then
      echo "$value"
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# The port a test server printed ("PORT 41234").
port_in() { wait_for "$1" 's/^PORT //p'; }

# The address `billwatch serve` printed ("serving DB at http://127.0.0.1:8080/ ...").
site_in() { wait_for "$1" 's/^serving .* at \(http[^ ]*\) .*/\1/p'; }
