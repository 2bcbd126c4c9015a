#!/usr/bin/env bash
# A three-node Switchboard cluster on this machine, behind nginx, with one command.
#
#   deploy/local-cluster.sh              start Redis, three nodes and nginx; Ctrl-C stops them all
#   deploy/local-cluster.sh --detach     the same, but return once everything is ready
#   deploy/local-cluster.sh stop         stop a cluster started by this script (from any terminal)
#   deploy/local-cluster.sh status       what runs, with PIDs and readiness
#   deploy/local-cluster.sh node N       start node N (1-3) again after you killed or drained it
#
# What runs (all on 127.0.0.1, nothing listens on other addresses):
#   Redis     127.0.0.1:$REDIS_PORT (6379), AOF on, data in the run directory
#             (skipped when SB_REDIS_URL is set: the nodes use that Redis instead)
#   node-1..3 127.0.0.1:8081, 8082, 8083  (java -jar target/switchboard.jar -cluster, dev mode)
#   nginx     127.0.0.1:8080  (deploy/nginx/nginx.conf), balancing over the three nodes
#   between the nodes: Hazelcast on 127.0.0.1:5701-5703 (cluster name "switchboard-local") and
#   the Vert.x event bus on a random 127.0.0.1 port each
#
# Needs: bash, curl, JDK 17+ (and Maven if target/switchboard.jar is not built yet), redis-server
# (or SB_REDIS_URL pointing at a Redis), nginx (optional: without it the nodes are still usable
# directly on 8081-8083). On Debian or Ubuntu: sudo apt-get install -y redis-server nginx curl
# (neither service needs to be enabled: this script runs its own processes as the current user).
#
# Settings (environment variables):
#   SWITCHBOARD_LOCAL_DIR   run directory: logs, Redis data, nginx files, PIDs
#                  (default: ${TMPDIR:-/tmp}/switchboard-local-<uid>; emptied at each start)
#   REDIS_PORT     port of the Redis this script starts (default 6379)
#   SB_REDIS_URL   use this Redis instead of starting one
#   SB_DRAIN_MS    drain window of the nodes on SIGTERM (default here 3000; the product's is 10000)
#   JAVA_OPTS      JVM options for the nodes (default: -Xmx256m)
#   START_TIMEOUT  seconds to wait for each process to become ready (default 90)

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/switchboard.jar"
RUN_DIR="${SWITCHBOARD_LOCAL_DIR:-${TMPDIR:-/tmp}/switchboard-local-$(id -u)}"
LOGS="$RUN_DIR/logs"
PIDS="$RUN_DIR/pids"
MARKER="$RUN_DIR/.switchboard-local"

LB_PORT=8080                      # fixed in deploy/nginx/switchboard.conf
NODE_PORTS=(8081 8082 8083)       # likewise
REDIS_PORT="${REDIS_PORT:-6379}"
DRAIN_MS="${SB_DRAIN_MS:-3000}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m}"
START_TIMEOUT="${START_TIMEOUT:-90}"
CLUSTER_NAME="switchboard-local"  # not the default name, so stray nodes started by hand stay out

say() { printf '%s\n' "$*"; }
die() { printf 'local-cluster: %s\n' "$*" >&2; exit 1; }

# --- small helpers ---------------------------------------------------------------------------------

# true when something accepts TCP connections on 127.0.0.1:$1
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

pid_of() { if [[ -f "$PIDS/$1" ]]; then cat "$PIDS/$1"; fi; }

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

redis_ping() {
  if command -v redis-cli >/dev/null 2>&1; then
    [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'PING\r\n' >&3 && IFS= read -r -t 2 line <&3 && [[ "$line" == +PONG* ]]) 2>/dev/null
  fi
}

# wait_until <what> <pid> <log file> <command...>: polls the command until it succeeds, at most
# START_TIMEOUT seconds; gives up at once if the process died, showing the end of its log.
wait_until() {
  local what="$1" pid="$2" log="$3"
  shift 3
  local deadline=$((SECONDS + START_TIMEOUT))
  until "$@"; do
    if ! alive "$pid"; then
      say "  $what exited during start-up. The end of $log:" >&2
      tail -n 5 "$log" | sed 's/^/    /' >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      say "  $what not ready after ${START_TIMEOUT}s: see $log" >&2
      return 1
    fi
    sleep 0.3   # poll interval; the deadline above is what bounds the wait
  done
}

# wait_exit <pid> <seconds>: true once the process is gone, false if it still runs at the deadline
wait_exit() {
  local pid="$1" deadline=$((SECONDS + $2))
  while alive "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# --- the parts -------------------------------------------------------------------------------------

start_redis() {
  if [[ -n "${SB_REDIS_URL:-}" ]]; then
    say "Redis: using SB_REDIS_URL (not starting one)"
    return
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    die "redis-server not found. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server),
  or point the nodes at a Redis you have: SB_REDIS_URL=redis://host:6379 $0"
  fi
  if port_open "$REDIS_PORT"; then
    die "port $REDIS_PORT is in use (a Redis already running?). Use it with
  SB_REDIS_URL=redis://127.0.0.1:$REDIS_PORT $0, or start another with REDIS_PORT=6390 $0"
  fi
  mkdir -p "$RUN_DIR/redis"
  say "Redis: starting on 127.0.0.1:$REDIS_PORT (AOF in $RUN_DIR/redis)"
  # AOF with fsync every second: what docs/operations.md recommends; noeviction so a full Redis
  # refuses writes instead of dropping seq counters. setsid: Ctrl-C reaches only this script, which
  # then stops the parts in order (nodes first, Redis last).
  setsid redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --dir "$RUN_DIR/redis" --appendonly yes --appendfsync everysec --save '' \
    --maxmemory-policy noeviction --daemonize no --logfile '' \
    </dev/null >>"$LOGS/redis.log" 2>&1 &
  echo $! >"$PIDS/redis"
  wait_until "Redis" "$!" "$LOGS/redis.log" redis_ping "$REDIS_PORT"
}

# start_node <1-3>
start_node() {
  local n="$1" port="${NODE_PORTS[$(($1 - 1))]}"
  if alive "$(pid_of "node-$n")"; then
    die "node-$n is already running (pid $(pid_of "node-$n"))"
  fi
  if port_open "$port"; then
    die "port $port is in use by another process"
  fi
  say "node-$n: starting on 127.0.0.1:$port"
  # hazelcast.socket.bind.any=false: cluster.xml makes Hazelcast *advertise* 127.0.0.1, but it
  # still listens on every interface (0.0.0.0:5701...) unless told not to. vertx.cacheDirBase: the
  # files Vert.x unpacks from the jar go to the run directory, not to the working directory.
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  (
    cd "$ROOT"
    exec env \
      SB_NODE_NAME="node-$n" \
      SB_HTTP_HOST=127.0.0.1 \
      SB_HTTP_PORT="$port" \
      SB_DEV_MODE=true \
      SB_JWT_SECRET="$(cat "$RUN_DIR/jwt-secret")" \
      SB_API_KEYS="$(cat "$RUN_DIR/api-key")" \
      SB_REDIS_URL="${SB_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}" \
      SB_CLUSTER_NAME="$CLUSTER_NAME" \
      SB_DRAIN_MS="$DRAIN_MS" \
      SB_TRUSTED_PROXIES=127.0.0.1 \
      setsid java $JAVA_OPTS \
        -Dhazelcast.socket.bind.any=false \
        "-Dvertx.cacheDirBase=$RUN_DIR/vertx-cache" \
        -jar "$JAR" -cluster
  ) </dev/null >>"$LOGS/node-$n.log" 2>&1 &
  echo $! >"$PIDS/node-$n"
  wait_until "node-$n" "$!" "$LOGS/node-$n.log" http_ok "http://127.0.0.1:$port/health/ready"
}

start_nginx() {
  if ! command -v nginx >/dev/null 2>&1; then
    say "nginx: not found, so no load balancer on :$LB_PORT."
    say "       Install it (Debian/Ubuntu: sudo apt-get install -y nginx) and start again;"
    say "       meanwhile use the nodes directly: http://127.0.0.1:8081/ (8082, 8083)."
    return
  fi
  if port_open "$LB_PORT"; then
    say "nginx: port $LB_PORT is in use by another process; not starting it."
    say "       Use the nodes directly: http://127.0.0.1:8081/ (8082, 8083)."
    return
  fi
  local prefix="$RUN_DIR/nginx"
  mkdir -p "$prefix/logs"
  say "nginx: starting on 127.0.0.1:$LB_PORT (prefix $prefix)"
  nginx -q -t -p "$prefix" -e "$prefix/logs/error.log" -c "$ROOT/deploy/nginx/nginx.conf" \
    || die "nginx rejected deploy/nginx/nginx.conf (see above)"
  setsid nginx -p "$prefix" -e "$prefix/logs/error.log" -c "$ROOT/deploy/nginx/nginx.conf" \
    -g 'daemon off;' </dev/null >>"$LOGS/nginx.log" 2>&1 &
  echo $! >"$PIDS/nginx"
  wait_until "nginx" "$!" "$prefix/logs/error.log" http_ok "http://127.0.0.1:$LB_PORT/health/ready"
}

# Stops what this run started: the nodes first (SIGTERM: each drains, leaves the cluster and
# exits), then nginx, then Redis (SIGTERM: it flushes the AOF and exits).
stop_all() {
  local pid name pids=() names=()
  for name in node-1 node-2 node-3; do
    pid="$(pid_of "$name")"
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      names+=("$name")
    fi
  done
  if ((${#pids[@]})); then
    say "Stopping ${names[*]} (draining, up to $((DRAIN_MS / 1000 + 10)) s)..."
  fi
  local i
  for i in "${!pids[@]}"; do
    # the node's own limit is the drain window + 10 s; after that it is stuck: SIGKILL
    if ! wait_exit "${pids[$i]}" $((DRAIN_MS / 1000 + 15)); then
      say "  ${names[$i]} did not exit in time: killing it"
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  for name in nginx redis; do
    pid="$(pid_of "$name")"
    if alive "$pid"; then
      say "Stopping $name..."
      kill -TERM "$pid" 2>/dev/null || true
      wait_exit "$pid" 15 || kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$PIDS"/* 2>/dev/null || true
  say "Stopped. Logs are kept in $LOGS"
}

CLEANUP=1
STARTED=0
on_exit() {
  local rc=$?
  trap '' INT TERM          # a second Ctrl-C must not cut the orderly stop short
  if ((CLEANUP)); then
    CLEANUP=0
    say ""
    if ((!STARTED)); then
      say "Start-up failed (status $rc): stopping what was started."
    fi
    stop_all
  fi
}

print_summary() {
  local n pid lb="http://127.0.0.1:$LB_PORT"
  say ""
  say "Switchboard local cluster is up. Logs: $LOGS"
  say ""
  if alive "$(pid_of nginx)"; then
    say "  Open      $lb/   (nginx; open it in two windows and log in under two names)"
  fi
  for n in 1 2 3; do
    pid="$(pid_of "node-$n")"
    say "  node-$n    http://127.0.0.1:${NODE_PORTS[$((n - 1))]}/   pid $pid"
  done
  if alive "$(pid_of redis)"; then
    say "  Redis     redis://127.0.0.1:$REDIS_PORT   pid $(pid_of redis)   (AOF in $RUN_DIR/redis)"
  fi
  if alive "$(pid_of nginx)"; then
    say "  nginx     pid $(pid_of nginx)   (access log: $RUN_DIR/nginx/logs/access.log)"
  fi
  say ""
  say "  Crash a node:   kill -9 $(pid_of node-1)      (node-1; its clients reconnect to the others and resume)"
  say "  Drain a node:   kill -TERM $(pid_of node-1)   (clients get 'reconnect' + 1012 within ${DRAIN_MS} ms)"
  say "  Bring it back:  $0 node 1"
  say "  API:            curl -s -H \"Authorization: Bearer \$(cat $RUN_DIR/api-key)\" http://127.0.0.1:8081/api/v1/nodes"
  if [[ "${DETACH:-0}" == 1 ]]; then
    say "  Stop:           $0 stop"
  else
    say "  Stop:           Ctrl-C here, or $0 stop"
  fi
  say ""
}

# --- commands --------------------------------------------------------------------------------------

cmd_start() {
  local owner
  owner="$(pid_of script)"
  if alive "$owner" || alive "$(pid_of node-1)" || alive "$(pid_of node-2)" || alive "$(pid_of node-3)" \
    || alive "$(pid_of nginx)" || alive "$(pid_of redis)"; then
    die "a local cluster is already running from $RUN_DIR: $0 stop"
  fi
  for port in "$LB_PORT" "${NODE_PORTS[@]}"; do
    if port_open "$port"; then
      if [[ "$port" == "$LB_PORT" ]]; then continue; fi   # reported (and skipped) by start_nginx
      die "port $port is in use by another process; this script needs 8081-8083 (and 8080 for nginx)"
    fi
  done
  command -v java >/dev/null 2>&1 || die "java not found: install JDK 17+ (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless)"
  command -v curl >/dev/null 2>&1 || die "curl not found (Debian/Ubuntu: sudo apt-get install -y curl)"
  if [[ ! -f "$JAR" ]]; then
    command -v mvn >/dev/null 2>&1 || die "$JAR is missing and mvn is not installed to build it"
    say "Building $JAR (mvn -q -B package -DskipTests)..."
    (cd "$ROOT" && mvn -q -B package -DskipTests) || die "the build failed"
  fi

  # A fresh run directory: only one this script created (it carries the marker file) is emptied.
  if [[ -e "$RUN_DIR" ]]; then
    [[ -f "$MARKER" ]] || die "$RUN_DIR exists and was not made by this script; set SWITCHBOARD_LOCAL_DIR to another directory"
    rm -rf -- "$RUN_DIR"
  fi
  mkdir -p "$LOGS" "$PIDS"
  chmod 700 "$RUN_DIR"
  : >"$MARKER"
  # one secret for all nodes: a token from /dev/token on one node is valid on the others
  random_hex 32 >"$RUN_DIR/jwt-secret"
  random_hex 24 >"$RUN_DIR/api-key"
  echo $$ >"$PIDS/script"

  # Whatever ends this script from here on (a failed start, Ctrl-C, `stop`) stops what it started,
  # except a successful --detach.
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  start_redis
  # One after the other: each node joins the running cluster, and its log shows it. On a small
  # machine this is no slower than starting the three JVMs at once, which compete for the CPU
  # (2 cores: about 25 s one after the other, 31 s together).
  for n in 1 2 3; do
    start_node "$n"
  done
  start_nginx
  STARTED=1
  print_summary

  if [[ "${DETACH:-0}" == 1 ]]; then
    CLEANUP=0
    rm -f "$PIDS/script"
    return
  fi
  say "Running. Press Ctrl-C to stop everything."
  # Hold until Ctrl-C or `stop` (SIGTERM); `sleep & wait` lets the trap run at once.
  while :; do
    sleep 1 &
    wait $! || true
  done
}

cmd_stop() {
  local owner
  owner="$(pid_of script)"
  if alive "$owner"; then
    # the foreground script owns the cluster: let it stop everything in order
    kill -TERM "$owner"
    if wait_exit "$owner" $((DRAIN_MS / 1000 + 40)); then
      say "Stopped (logs in $LOGS)."
      return
    fi
    say "The starting script (pid $owner) did not finish; stopping the processes directly."
  fi
  stop_all
}

cmd_status() {
  local name pid
  [[ -d "$PIDS" ]] || { say "No local cluster in $RUN_DIR"; return; }
  for name in redis node-1 node-2 node-3 nginx; do
    pid="$(pid_of "$name")"
    if alive "$pid"; then
      case "$name" in
        node-*)
          local port="${NODE_PORTS[$((${name#node-} - 1))]}"
          if http_ok "http://127.0.0.1:$port/health/ready"; then
            say "$name  pid $pid  ready      http://127.0.0.1:$port/"
          else
            say "$name  pid $pid  NOT ready  http://127.0.0.1:$port/"
          fi
          ;;
        nginx) say "nginx   pid $pid  http://127.0.0.1:$LB_PORT/" ;;
        redis) say "redis   pid $pid  redis://127.0.0.1:$REDIS_PORT" ;;
      esac
    else
      say "$name  not running"
    fi
  done
  say "logs: $LOGS"
}

cmd_node() {
  local n="${1:-}"
  [[ "$n" =~ ^[123]$ ]] || die "usage: $0 node 1|2|3"
  [[ -f "$RUN_DIR/jwt-secret" ]] || die "no local cluster in $RUN_DIR: start one first"
  start_node "$n"
  say "node-$n is back: pid $(pid_of "node-$n"), http://127.0.0.1:${NODE_PORTS[$((n - 1))]}/"
}

DETACH=0
case "${1:-start}" in
  start | --detach | -d)
    if [[ "${1:-}" == --detach || "${1:-}" == -d || "${2:-}" == --detach || "${2:-}" == -d ]]; then
      DETACH=1
    fi
    cmd_start
    ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  node) cmd_node "${2:-}" ;;
  -h | --help | help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (start, --detach, stop, status, node N, help)" ;;
esac
