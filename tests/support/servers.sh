# Sourced by the demo and the subscriber journey: a work directory and background servers
# that go away with the script, whatever way it ends.
# usage: . servers.sh NAME   (the work directory is $TMPDIR/billwatch-NAME.XXXXXX)

# shellcheck source=wait_for.sh
. "$(dirname "${BASH_SOURCE[0]}")/wait_for.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/billwatch-$1.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start NAME COMMAND...: runs a server that prints "PORT <n>"; sets $PORT. Started as the
# program itself (not a shell function), so that cleanup's kill reaches it.
start() {
  local name=$1
  shift
  "$@" >"$WORK/$name.port" 2>"$WORK/$name.log" &
  PIDS+=($!)
  PORT=$(port_in "$WORK/$name.port") && return 0
  echo "$(basename "$0"): the $name server did not start:" >&2
  cat "$WORK/$name.log" >&2
  exit 1
}

# A free loopback port, for a server whose address must be known before it listens (the
# [web] base_url that mails link to).
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
