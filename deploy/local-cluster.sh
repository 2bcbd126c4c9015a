#!/usr/bin/env bash
# A three-node Switchboard cluster on this machine, behind nginx, with one command.
#
#   deploy/local-cluster.sh              start Redis, three nodes and nginx; Ctrl-C stops them all
#   deploy/local-cluster.sh --detach     the same, but return once everything is ready
#   deploy/local-cluster.sh stop         stop a cluster started by this script (from any terminal)
#   deploy/local-cluster.sh status       what runs, with PIDs and readiness
#   deploy/local-cluster.sh node N       start node N again after you killed or drained it
#
# What runs (all on 127.0.0.1, nothing listens on other addresses):
#   Redis     127.0.0.1:$REDIS_PORT (6379), AOF on, data in the run directory
#             (skipped when SB_REDIS_URL is set: the nodes use that Redis instead)
#   node-1..3 127.0.0.1:8081, 8082, 8083 ($NODE_PORTS: one node per port)
#             (java -jar target/switchboard.jar -cluster, dev mode)
#   nginx     127.0.0.1:8080 ($LB_PORT), balancing over the nodes, with deploy/nginx/ configured
#             for those ports (a copy in the run directory)
#   between the nodes: Hazelcast on 127.0.0.1:5701 upwards (cluster name "switchboard-local") and
#   the Vert.x event bus on a random 127.0.0.1 port each
#   with WEBHOOK_RECEIVER=1: examples/webhook-receiver on 127.0.0.1:$WEBHOOK_PORT (8787), and the
#   nodes send it their event webhooks (docs/webhooks.md); its log shows the pushes it would send
#
# Needs: bash, curl, JDK 17+ (and Maven if target/switchboard.jar is not built yet), redis-server
# (or SB_REDIS_URL pointing at a Redis), nginx (optional: without it the nodes are still usable
# directly on their ports). On Debian or Ubuntu: sudo apt-get install -y redis-server nginx curl
# (neither service needs to be enabled: this script runs its own processes as the current user).
#
# Settings (environment variables). Those marked * are remembered in the run directory when the
# cluster starts: `stop`, `status` and `node N` use the remembered values, whatever the environment
# says then (a different value there is reported and ignored; stop and start again to change it).
#   SWITCHBOARD_LOCAL_DIR   run directory: logs, Redis data, nginx files, PIDs, remembered settings
#                  (default: ${TMPDIR:-/tmp}/switchboard-local-<uid>; emptied at each start)
# * REDIS_PORT     port of the Redis this script starts (default 6379)
# * SB_REDIS_URL   use this Redis instead of starting one
# * NODE_PORTS     HTTP ports of the nodes, one node per port (default "8081 8082 8083")
# * LB_PORT        port of nginx (default 8080)
# * SB_CLUSTER_NAME  Hazelcast cluster name of the nodes (default switchboard-local)
# * NODE_NAME_PREFIX node names: <prefix>1, <prefix>2, ... (default node-)
# * SB_DRAIN_MS    drain window of the nodes on SIGTERM (default here 3000; the product's is 10000)
# * JAVA_OPTS      JVM options for the nodes (default: -Xmx256m)
# * WEBHOOK_RECEIVER  1 to start the example webhook receiver (needs Node.js 20+; default 0)
# * WEBHOOK_PORT   its port (default 8787)
#   START_TIMEOUT  seconds to wait for each process to become ready (default 90)

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/switchboard.jar"
RUN_DIR="${SWITCHBOARD_LOCAL_DIR:-${TMPDIR:-/tmp}/switchboard-local-$(id -u)}"
LOGS="$RUN_DIR/logs"
PIDS="$RUN_DIR/pids"
MARKER="$RUN_DIR/.switchboard-local"

# The settings a run remembers (see the header): the script's name of each, and its environment variable
REMEMBERED=(REDIS_PORT:REDIS_PORT REDIS_URL:SB_REDIS_URL NODE_PORTS:NODE_PORTS LB_PORT:LB_PORT
  CLUSTER_NAME:SB_CLUSTER_NAME NODE_NAME_PREFIX:NODE_NAME_PREFIX DRAIN_MS:SB_DRAIN_MS JAVA_OPTS:JAVA_OPTS
  WEBHOOK_RECEIVER:WEBHOOK_RECEIVER WEBHOOK_PORT:WEBHOOK_PORT)
# which of them the environment gives (before the defaults fill them in), with their values
declare -A GIVEN=()
for entry in "${REMEMBERED[@]}"; do
  env_name="${entry#*:}"
  if [[ -n "${!env_name+set}" ]]; then GIVEN[${entry%%:*}]="${!env_name}"; fi
done
unset entry env_name
REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_URL="${SB_REDIS_URL:-}"
NODE_PORTS="${NODE_PORTS:-8081 8082 8083}"
LB_PORT="${LB_PORT:-8080}"
# not the product's default name, so stray nodes started by hand stay out
CLUSTER_NAME="${SB_CLUSTER_NAME:-switchboard-local}"
NODE_NAME_PREFIX="${NODE_NAME_PREFIX:-node-}"
DRAIN_MS="${SB_DRAIN_MS:-3000}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m}"
WEBHOOK_RECEIVER="${WEBHOOK_RECEIVER:-0}"
WEBHOOK_PORT="${WEBHOOK_PORT:-8787}"
START_TIMEOUT="${START_TIMEOUT:-90}"
SETTINGS="$RUN_DIR/settings"

say() { printf '%s\n' "$*"; }
die() { printf 'local-cluster: %s\n' "$*" >&2; exit 1; }

# --- small helpers ---------------------------------------------------------------------------------

# true when something accepts TCP connections on 127.0.0.1:$1
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# a zombie (killed, not reaped yet) counts as gone
alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]; }

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

# NODE_PORTS as an array, and what each node is called; the PID files say node-<n> whatever the names
ports_array() { read -r -a PORTS <<<"$NODE_PORTS"; }
node_count() { ports_array; echo "${#PORTS[@]}"; }
node_port() { ports_array; echo "${PORTS[$(($1 - 1))]}"; }
node_name() { echo "$NODE_NAME_PREFIX$1"; }

save_settings() {
  local entry v
  for entry in "${REMEMBERED[@]}"; do
    v="${entry%%:*}"
    printf '%s=%q\n' "$v" "${!v}"
  done >"$SETTINGS"
}

# The settings of the running cluster replace those of the environment: a node started again must
# join the same Redis, cluster and ports as the others. A different value asked for is reported.
load_settings() {
  [[ -f "$SETTINGS" ]] || return 0
  # shellcheck disable=SC1090 # written by save_settings, values quoted with %q
  source "$SETTINGS"
  local entry v
  for entry in "${REMEMBERED[@]}"; do
    v="${entry%%:*}"
    if [[ -n "${GIVEN[$v]+set}" && "${GIVEN[$v]}" != "${!v}" ]]; then
      say "note: ${entry#*:}=${GIVEN[$v]} ignored: this cluster runs with '${!v}' (remembered in $SETTINGS)"
    fi
  done
}

# Checks the settings before anything starts, so a typo fails here and not as a node that never
# gets ready.
check_settings() {
  local p
  ports_array
  ((${#PORTS[@]} >= 1)) || die "NODE_PORTS is empty: give one port per node, e.g. NODE_PORTS=\"8081 8082 8083\""
  [[ "$WEBHOOK_RECEIVER" == 0 || "$WEBHOOK_RECEIVER" == 1 ]] || die "WEBHOOK_RECEIVER is '$WEBHOOK_RECEIVER': 0 or 1"
  for p in "${PORTS[@]}" "$LB_PORT" "$REDIS_PORT" "$WEBHOOK_PORT"; do
    [[ "$p" =~ ^[0-9]+$ ]] && ((p >= 1 && p <= 65535)) || die "'$p' is not a port (NODE_PORTS, LB_PORT, REDIS_PORT, WEBHOOK_PORT)"
  done
  [[ "$(printf '%s\n' "${PORTS[@]}" "$LB_PORT" | sort -u | wc -l)" == $((${#PORTS[@]} + 1)) ]] \
    || die "NODE_PORTS ($NODE_PORTS) and LB_PORT ($LB_PORT) must all differ"
  [[ "$CLUSTER_NAME" =~ ^[A-Za-z0-9._-]+$ ]] || die "SB_CLUSTER_NAME '$CLUSTER_NAME': letters, digits, . _ - only"
  [[ "$NODE_NAME_PREFIX" =~ ^[A-Za-z0-9._-]*$ ]] || die "NODE_NAME_PREFIX '$NODE_NAME_PREFIX': letters, digits, . _ - only"
}

# --- the parts -------------------------------------------------------------------------------------

start_redis() {
  if [[ -n "$REDIS_URL" ]]; then
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

redis_url() { echo "${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"; }

webhook_url() { echo "http://127.0.0.1:$WEBHOOK_PORT/webhooks"; }

# examples/webhook-receiver, with the secret the nodes sign their webhooks with
start_receiver() {
  ((WEBHOOK_RECEIVER)) || return 0
  command -v node >/dev/null 2>&1 || die "WEBHOOK_RECEIVER=1 needs Node.js 20+ (node) on the PATH"
  if port_open "$WEBHOOK_PORT"; then
    die "port $WEBHOOK_PORT is in use: set WEBHOOK_PORT to a free one"
  fi
  say "webhook receiver: starting on $(webhook_url)"
  SWITCHBOARD_BACKEND_SECRETS="$(cat "$RUN_DIR/backend-secret")" PORT="$WEBHOOK_PORT" HOST=127.0.0.1 \
    setsid node "$ROOT/examples/webhook-receiver/receiver.mjs" </dev/null >>"$LOGS/webhook-receiver.log" 2>&1 &
  echo $! >"$PIDS/webhook-receiver"
  wait_until "webhook receiver" "$!" "$LOGS/webhook-receiver.log" port_open "$WEBHOOK_PORT"
}

# start_node <n>: starts it and waits until it is ready; a node that does not get ready is stopped
# again (a node restarted by `node N` must not be left running half-started)
start_node() {
  local n="$1" port name
  port="$(node_port "$n")"
  name="$(node_name "$n")"
  if alive "$(pid_of "node-$n")"; then
    die "$name is already running (pid $(pid_of "node-$n"))"
  fi
  if port_open "$port"; then
    die "port $port is in use by another process"
  fi
  say "$name: starting on 127.0.0.1:$port"
  local WEBHOOK_ENV=()
  if ((WEBHOOK_RECEIVER)); then
    WEBHOOK_ENV=("SB_BACKEND_SECRETS=$(cat "$RUN_DIR/backend-secret")" "SB_WEBHOOKS_URL=$(webhook_url)")
  fi
  # vertx.cacheDirBase: the files Vert.x unpacks from the jar go to the run directory, not to the
  # working directory. (cluster.xml already keeps Hazelcast on 127.0.0.1.)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  (
    cd "$ROOT"
    exec env \
      SB_NODE_NAME="$name" \
      SB_HTTP_HOST=127.0.0.1 \
      SB_HTTP_PORT="$port" \
      SB_DEV_MODE=true \
      SB_JWT_SECRET="$(cat "$RUN_DIR/jwt-secret")" \
      SB_API_KEYS="$(cat "$RUN_DIR/api-key")" \
      SB_REDIS_URL="$(redis_url)" \
      SB_CLUSTER_NAME="$CLUSTER_NAME" \
      SB_DRAIN_MS="$DRAIN_MS" \
      SB_TRUSTED_PROXIES=127.0.0.1 \
      ${WEBHOOK_ENV[@]+"${WEBHOOK_ENV[@]}"} \
      setsid java $JAVA_OPTS \
        "-Dvertx.cacheDirBase=$RUN_DIR/vertx-cache" \
        -jar "$JAR" -cluster
  ) </dev/null >>"$LOGS/node-$n.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$PIDS/node-$n"
  disown "$pid" 2>/dev/null || true   # tracked by its PID file; no "Killed" job notice from bash
  if ! wait_until "$name" "$pid" "$LOGS/node-$n.log" http_ok "http://127.0.0.1:$port/health/ready"; then
    if alive "$pid"; then
      say "  stopping $name (pid $pid)" >&2
      kill -TERM "$pid" 2>/dev/null || true
      wait_exit "$pid" $((DRAIN_MS / 1000 + 15)) || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDS/node-$n"
    return 1
  fi
}

# deploy/nginx/ as it is, with the listen port and the node list of this run
write_nginx_conf() {
  local conf="$1" n
  mkdir -p "$conf"
  cp "$ROOT/deploy/nginx/nginx.conf" "$conf/nginx.conf"
  local servers=""
  for ((n = 1; n <= $(node_count); n++)); do
    servers+="    server 127.0.0.1:$(node_port "$n") max_fails=1 fail_timeout=10s;"$'\n'
  done
  SERVERS="$servers" LB="$LB_PORT" awk '
    /^ *server 127\.0\.0\.1:[0-9]+ / { if (!done) { printf "%s", ENVIRON["SERVERS"]; done = 1 } next }
    /^ *listen 127\.0\.0\.1:[0-9]+;/ { sub(/:[0-9]+;/, ":" ENVIRON["LB"] ";") }
    { print }
  ' "$ROOT/deploy/nginx/switchboard.conf" >"$conf/switchboard.conf"
  grep -q "listen 127.0.0.1:$LB_PORT;" "$conf/switchboard.conf" \
    || die "deploy/nginx/switchboard.conf has no 'listen 127.0.0.1:<port>;' line to set to $LB_PORT"
}

start_nginx() {
  if ! command -v nginx >/dev/null 2>&1; then
    say "nginx: not found, so no load balancer on :$LB_PORT."
    say "       Install it (Debian/Ubuntu: sudo apt-get install -y nginx) and start again;"
    say "       meanwhile use the nodes directly: http://127.0.0.1:$(node_port 1)/ (and the others)."
    return
  fi
  if port_open "$LB_PORT"; then
    say "nginx: port $LB_PORT is in use by another process; not starting it."
    say "       Use the nodes directly: http://127.0.0.1:$(node_port 1)/ (and the others)."
    return
  fi
  local prefix="$RUN_DIR/nginx"
  mkdir -p "$prefix/logs"
  write_nginx_conf "$prefix/conf"
  say "nginx: starting on 127.0.0.1:$LB_PORT (prefix $prefix)"
  nginx -q -t -p "$prefix" -e "$prefix/logs/error.log" -c "$prefix/conf/nginx.conf" \
    || die "nginx rejected $prefix/conf/nginx.conf (made from deploy/nginx/, see above)"
  setsid nginx -p "$prefix" -e "$prefix/logs/error.log" -c "$prefix/conf/nginx.conf" \
    -g 'daemon off;' </dev/null >>"$LOGS/nginx.log" 2>&1 &
  echo $! >"$PIDS/nginx"
  wait_until "nginx" "$!" "$prefix/logs/error.log" http_ok "http://127.0.0.1:$LB_PORT/health/ready"
}

# Stops what this run started: the nodes first (SIGTERM: each drains, leaves the cluster and
# exits), then nginx, then Redis (SIGTERM: it flushes the AOF and exits).
stop_all() {
  local pid n pids=() names=()
  for ((n = 1; n <= $(node_count); n++)); do
    pid="$(pid_of "node-$n")"
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      names+=("$(node_name "$n")")
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
  local name
  for name in nginx webhook-receiver redis; do
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
  say "Switchboard local cluster \"$CLUSTER_NAME\" is up. Logs: $LOGS"
  say ""
  if alive "$(pid_of nginx)"; then
    say "  Open      $lb/   (nginx; open it in two windows and log in under two names)"
  fi
  for ((n = 1; n <= $(node_count); n++)); do
    pid="$(pid_of "node-$n")"
    say "  $(node_name "$n")    http://127.0.0.1:$(node_port "$n")/   pid $pid"
  done
  if alive "$(pid_of redis)"; then
    say "  Redis     $(redis_url)   pid $(pid_of redis)   (AOF in $RUN_DIR/redis)"
  else
    say "  Redis     $(redis_url)   (not started by this script)"
  fi
  if alive "$(pid_of nginx)"; then
    say "  nginx     pid $(pid_of nginx)   (access log: $RUN_DIR/nginx/logs/access.log)"
  fi
  if alive "$(pid_of webhook-receiver)"; then
    say "  webhooks  $(webhook_url)   pid $(pid_of webhook-receiver)   (what it would push: $LOGS/webhook-receiver.log)"
  fi
  say ""
  say "  Crash a node:   kill -9 $(pid_of node-1)      ($(node_name 1); its clients reconnect to the others and resume)"
  say "  Drain a node:   kill -TERM $(pid_of node-1)   (clients get 'reconnect' + 1012 within ${DRAIN_MS} ms)"
  say "  Bring it back:  $0 node 1"
  say "  API:            curl -s -H \"Authorization: Bearer \$(cat $RUN_DIR/api-key)\" http://127.0.0.1:$(node_port 1)/api/v1/nodes"
  if [[ "${DETACH:-0}" == 1 ]]; then
    say "  Stop:           $0 stop"
  else
    say "  Stop:           Ctrl-C here, or $0 stop"
  fi
  say ""
}

# true when a process this run directory names is alive
any_alive() {
  local f
  [[ -d "$PIDS" ]] || return 1
  for f in "$PIDS"/*; do
    [[ -f "$f" ]] && alive "$(cat "$f")" && return 0
  done
  return 1
}

# --- commands --------------------------------------------------------------------------------------

cmd_start() {
  if any_alive; then
    die "a local cluster is already running from $RUN_DIR: $0 stop"
  fi
  check_settings
  local port
  for port in $NODE_PORTS; do
    if port_open "$port"; then
      die "port $port is in use by another process; the nodes need $NODE_PORTS (set NODE_PORTS to others)"
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
  save_settings
  # one secret for all nodes: a token from /dev/token on one node is valid on the others
  random_hex 32 >"$RUN_DIR/jwt-secret"
  random_hex 24 >"$RUN_DIR/api-key"
  random_hex 32 >"$RUN_DIR/backend-secret"
  echo $$ >"$PIDS/script"

  # Whatever ends this script from here on (a failed start, Ctrl-C, `stop`) stops what it started,
  # except a successful --detach.
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  start_redis
  start_receiver
  # One after the other: each node joins the running cluster, and its log shows it. On a small
  # machine this is no slower than starting the JVMs at once, which compete for the CPU
  # (2 cores, three nodes: about 25 s one after the other, 31 s together).
  local n
  for ((n = 1; n <= $(node_count); n++)); do
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
  local n pid port name
  [[ -d "$PIDS" ]] || { say "No local cluster in $RUN_DIR"; return; }
  say "cluster \"$CLUSTER_NAME\" in $RUN_DIR"
  pid="$(pid_of redis)"
  if [[ -n "$REDIS_URL" ]]; then
    say "redis   $REDIS_URL (not started by this script)"
  elif alive "$pid"; then
    say "redis   pid $pid  redis://127.0.0.1:$REDIS_PORT"
  else
    say "redis   not running (redis://127.0.0.1:$REDIS_PORT)"
  fi
  for ((n = 1; n <= $(node_count); n++)); do
    pid="$(pid_of "node-$n")"
    port="$(node_port "$n")"
    name="$(node_name "$n")"
    if ! alive "$pid"; then
      say "$name  not running (http://127.0.0.1:$port/; start it with: $0 node $n)"
    elif http_ok "http://127.0.0.1:$port/health/ready"; then
      say "$name  pid $pid  ready      http://127.0.0.1:$port/"
    else
      say "$name  pid $pid  NOT ready  http://127.0.0.1:$port/"
    fi
  done
  pid="$(pid_of nginx)"
  if alive "$pid"; then
    say "nginx   pid $pid  http://127.0.0.1:$LB_PORT/"
  else
    say "nginx   not running"
  fi
  if ((WEBHOOK_RECEIVER)); then
    pid="$(pid_of webhook-receiver)"
    if alive "$pid"; then
      say "webhook receiver  pid $pid  $(webhook_url)"
    else
      say "webhook receiver  not running"
    fi
  fi
  say "logs: $LOGS"
}

cmd_node() {
  local n="${1:-}" count
  count="$(node_count)"
  [[ "$n" =~ ^[0-9]+$ ]] && ((n >= 1 && n <= count)) || die "usage: $0 node N (N from 1 to $count)"
  [[ -f "$RUN_DIR/jwt-secret" ]] || die "no local cluster in $RUN_DIR: start one first"
  start_node "$n" || die "$(node_name "$n") did not get ready (see $LOGS/node-$n.log)"
  say "$(node_name "$n") is back: pid $(pid_of "node-$n"), http://127.0.0.1:$(node_port "$n")/"
}

DETACH=0
COMMAND="${1:-start}"
case "$COMMAND" in
  stop | status | node) load_settings ;;
esac
case "$COMMAND" in
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
