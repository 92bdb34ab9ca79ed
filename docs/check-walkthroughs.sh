#!/usr/bin/env bash
# Runs every ```bash block of the README and of the guides in docs/ against a fresh demo, so the walkthroughs stay true.
#
# For each document: start the built server in demo mode on 127.0.0.1 (a free port) with a fresh temporary SQLite
# file, then run the document's blocks in order in ONE shell with `set -e` (variables carry from block to block, as
# for a reader; no pipefail, since `| head` may cut a pipe), failing on the first failing command and naming the
# document and block. The docs are written for
# http://127.0.0.1:5080 and a webhook receiver on 127.0.0.1:9000; both are rewritten to free ports before running.
#
# Markers, on the line(s) just before a block's opening fence (blank lines between are allowed):
#   <!-- norun -->        the block is not run (the two top-level commands, long-running or installer blocks,
#                         fragments that need input a reader supplies); a fence written ```bash norun is the same
#   <!-- fresh-demo -->   stop the server and start it again on a new, empty database before the block (where the
#                         text says "start a fresh demo")
# A block also fails if its output holds a 5xx problem ("status": 5xx): a walkthrough never expects one.
#
# Usage: docs/check-walkthroughs.sh [FILE.md ...]   (default: README.md and every docs/*.md with a bash block)
# Needs bash, curl, jq and python3 (the webhook receiver); builds src/Bindery.Server in Release if it is not built.
# Last line: "walkthroughs: N passed, N failed, N skipped" (documents; blocks are counted in the line before).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

missing=()
for tool in curl jq python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "check-walkthroughs: skipped: ${missing[*]} not installed (Debian: apt-get install -y curl jq python3)" >&2
  echo "walkthroughs: 0 passed, 0 failed, 1 skipped"
  exit 0
fi

dll=src/Bindery.Server/bin/Release/net10.0/Bindery.Server.dll
if [ ! -f "$dll" ]; then
  echo "check-walkthroughs: building src/Bindery.Server (Release)" >&2
  dotnet build src/Bindery.Server -c Release -nologo -v quiet >&2 || { echo "walkthroughs: 0 passed, 1 failed, 0 skipped"; exit 1; }
fi

if [ "$#" -gt 0 ]; then
  docs=("$@")
else
  docs=(README.md)
  for f in docs/*.md; do grep -q '^```bash' "$f" && docs+=("$f"); done
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bindery-walkthroughs.XXXXXX")
server_pid=""
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

# Starts the demo on $port with a new database under $tmp; remembers its pid in $server_pid and in $tmp/server.pid
# (the document's shell is a subshell: a server it restarts must still be stopped by the parent).
start_server() {
  local run="$tmp/run-$RANDOM$RANDOM"
  mkdir -p "$run"
  urls="http://127.0.0.1:$port" Bindery__ConnectionString="Data Source=$run/b.db" Bindery__EvidencePath="$run/ev" \
    dotnet "$root/$dll" --demo >"$run/server.log" 2>&1 &
  server_pid=$!
  disown "$server_pid" 2>/dev/null   # not a job of the document's shell: its `kill %1` means its own receiver
  echo "$server_pid" >>"$tmp/server.pids"
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "check-walkthroughs: the demo server did not become ready on port $port; its log:" >&2
  tail -20 "$run/server.log" >&2
  return 1
}
fresh_demo() { stop_server; start_server; }

cleanup() {
  stop_server
  if [ -f "$tmp/server.pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null; done <"$tmp/server.pids"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Writes the runnable blocks of $1 as one script to $2: before each block a call to __block N LINE (and fresh_demo
# where marked). Prints "run skipped" counts.
extract() {
  awk -v out="$2" '
    function flush_markers() { norun = 0; fresh = 0 }
    BEGIN { inblock = 0; flush_markers(); run = 0; skipped = 0; n = 0 }
    inblock && /^```[[:space:]]*$/ { inblock = 0; if (keep) print "" >> out; flush_markers(); next }
    inblock { if (keep) print >> out; next }
    /^```bash/ {
      n++; inblock = 1
      keep = !(norun || $0 ~ /norun/)
      if (keep) {
        run++
        if (fresh) print "fresh_demo" >> out
        print "__block " n " " NR >> out
      } else skipped++
      next
    }
    /^```/ { inblock = 2; keep = 0; flush_markers(); next }
    /^<!--.*norun.*-->[[:space:]]*$/ { norun = 1; next }
    /^<!--.*fresh-demo.*-->[[:space:]]*$/ { fresh = 1; next }
    /^[[:space:]]*$/ { next }
    { flush_markers() }
    END { print run " " skipped }
  ' "$1"
}

docs_passed=0; docs_failed=0; blocks_run=0; blocks_passed=0; blocks_skipped=0
for doc in "${docs[@]}"; do
  script="$tmp/$(echo "$doc" | tr '/' '_').sh"
  : >"$script"
  read -r run skipped < <(extract "$doc" "$script")
  blocks_skipped=$((blocks_skipped + skipped))
  if [ "$run" -eq 0 ]; then
    echo "== $doc: no runnable block ($skipped not run)"
    continue
  fi
  port=$(free_port); hook_port=$(free_port)
  sed -i -e "s/127\.0\.0\.1:5080/127.0.0.1:$port/g" -e "s/127\.0\.0\.1:9000/127.0.0.1:$hook_port/g" \
    -e "s/(\"127\.0\.0\.1\", 9000)/(\"127.0.0.1\", $hook_port)/g" "$script"
  echo "== $doc: $run blocks to run, $skipped not run (demo on 127.0.0.1:$port)"
  work="$tmp/work-$(basename "$doc" .md)"
  mkdir -p "$work"
  if ! start_server; then
    docs_failed=$((docs_failed + 1)); echo "FAILED: $doc: the demo server did not start"; continue
  fi
  log="$tmp/$(basename "$doc" .md).out"; rm -f "$tmp/done"
  (
    set -e +u +o pipefail
    cd "$work"
    exec 3>&1
    __doc=$doc; __n=0; __line=0; __done=0
    # Each block's output goes to a file of its own, shown (and checked for a 5xx) when the block has ended.
    __end_block() {
      exec 1>&3 2>&3
      if [ "$__n" -gt 0 ]; then
        cat "$tmp/block.out"
        if grep -Eq '"status": ?5[0-9][0-9]' "$tmp/block.out"; then echo "a 5xx answer in the output"; return 1; fi
        __done=$((__done + 1))
      fi
    }
    __block() {
      __end_block
      __n=$1; __line=$2; echo "--- $__doc block $1 (line $2)"
      exec >"$tmp/block.out" 2>&1
    }
    trap 'rc=$?; exec 1>&3 2>&3; [ "$rc" -eq 0 ] || cat "$tmp/block.out"; pkill -P "$BASHPID" 2>/dev/null || true
          echo "$__done" >"$tmp/done"; [ "$rc" -eq 0 ] || echo "FAILED: $__doc block $__n (line $__line): exit $rc"' EXIT
    # shellcheck disable=SC1090
    . "$script"
    __end_block
  ) 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  done_blocks=$(cat "$tmp/done" 2>/dev/null || echo 0)
  blocks_run=$((blocks_run + (status == 0 ? done_blocks : done_blocks + 1)))
  blocks_passed=$((blocks_passed + done_blocks))
  if [ -f "$tmp/server.pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null; done <"$tmp/server.pids"
    : >"$tmp/server.pids"
  fi
  server_pid=""
  if [ "$status" -eq 0 ]; then
    docs_passed=$((docs_passed + 1)); echo "ok: $doc ($done_blocks blocks)"
  else
    docs_failed=$((docs_failed + 1))
  fi
done

echo "blocks: $blocks_run run, $blocks_passed passed, $blocks_skipped not run (marked norun)"
echo "walkthroughs: $docs_passed passed, $docs_failed failed, 0 skipped"
[ "$docs_failed" -eq 0 ]
