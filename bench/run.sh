#!/usr/bin/env bash
# The one command of docs/benchmarks.md: builds the server and the bench jars, installs the Socket.IO
# peer (npm ci), runs every scenario against Switchboard, Socket.IO and the raw baseline, writes
# bench/results/latest.json, prints the table and regenerates docs/benchmarks.md and docs/bench/*.png.
# Flags go to the coordinator (see docs/benchmarks.md), e.g. `bench/run.sh --quick`.
set -euo pipefail
cd "$(dirname "$0")/.."

coordinator=""
cleanup() {
  # The coordinator kills what it started; this covers Ctrl-C and a coordinator that died. It runs
  # in a process group of its own (setsid), so the group holds it and every server and worker.
  if [ -n "$coordinator" ]; then
    kill -TERM -- "-$coordinator" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 -- "-$coordinator" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$coordinator" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -q -B -DskipTests package
  mvn -q -B -f bench/pom.xml package
  (cd bench/socketio && npm ci --no-audit --no-fund --loglevel=warn)
fi

setsid java -Xmx2g -jar bench/target/bench.jar "$@" &
coordinator=$!
wait "$coordinator"
