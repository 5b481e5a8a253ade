#!/usr/bin/env bash
# Local single-node Kafka (KRaft) for Flagpole development and CI, without Docker.
#
#   infra/bin/kafka.sh start     fetch jars if needed, format storage once, start, wait for READY
#   infra/bin/kafka.sh stop      SIGTERM, wait up to KAFKA_STOP_TIMEOUT s, then SIGKILL
#   infra/bin/kafka.sh status    prints state; exit 0 if a ready broker serves KAFKA_PORT, else 1
#   infra/bin/kafka.sh logs [-f] [N]   last N (default 100) lines of infra/.data/kafka.log
#   infra/bin/kafka.sh fetch     only download the broker jars (Maven) into infra/.kafka/libs
#   infra/bin/kafka.sh ready     only wait for readiness (KAFKA_READY_TIMEOUT)
#
# Env: KAFKA_DATA_DIR (infra/.data), KAFKA_PORT (19092), KAFKA_CONTROLLER_PORT (19093), KAFKA_HEAP_OPTS (-Xmx512m -Xms256m),
#      KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_LOG4J_OPTS, KAFKA_READY_TIMEOUT (60), KAFKA_STOP_TIMEOUT (30),
#      KAFKA_REUSE_EXISTING (1: if another process already serves a ready Kafka on KAFKA_PORT, use it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INFRA="$ROOT/infra"
KAFKA_SRC="$INFRA/kafka"
POM="$KAFKA_SRC/pom.xml"
LIBS="$INFRA/.kafka/libs"
STAMP="$INFRA/.kafka/pom.sha256"
# KAFKA_DATA_DIR lets a second broker run beside the first (tests that stop a broker use one).
DATA="${KAFKA_DATA_DIR:-$INFRA/.data}"
PIDFILE="$DATA/kafka.pid"
LOGFILE="$DATA/kafka.log"
LOG_DIRS="$DATA/kafka"
CONF="$DATA/server.properties"
CLUSTER_ID_FILE="$DATA/kafka-cluster.id"
LOCKFILE="$DATA/kafka.lock"

KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true}"
KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$KAFKA_SRC/log4j2.xml}"
KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
KAFKA_REUSE_EXISTING="${KAFKA_REUSE_EXISTING:-1}"
BROKER="$KAFKA_HOST:$KAFKA_PORT"
export KAFKAJS_NO_PARTITIONER_WARNING=1

log() { echo "kafka: $*"; }
die() { echo "kafka: ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"; }

lock() {
  mkdir -p "$DATA"
  exec 9>"$LOCKFILE"
  if command -v flock >/dev/null 2>&1; then
    flock -w 600 9 || die "could not lock $LOCKFILE (another kafka.sh is busy?)"
  fi
}

# --- process helpers --------------------------------------------------------------------------

# Our broker = the pid in PIDFILE, alive, and its command line is kafka.Kafka with OUR config.
our_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PIDFILE")"
  [[ -n "$pid" ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $CONF" || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/$KAFKA_HOST/$1") 2>/dev/null; }

port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -1
  fi
}

is_ready() { # $1 = timeout seconds, $2 = pid to watch ("" for none), rest = extra flags
  local args=(--brokers "$BROKER" --timeout "$1" --log "$LOGFILE")
  [[ -n "${2:-}" ]] && args+=(--pid "$2")
  node "$INFRA/bin/kafka-ready.js" "${args[@]}" "${@:3}"
}

quick_ready() { node "$INFRA/bin/kafka-ready.js" --brokers "$BROKER" --timeout 0 --quiet >/dev/null 2>&1; }

# --- fetch ------------------------------------------------------------------------------------

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

jars_present() { compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null && compgen -G "$LIBS/log4j-slf4j-impl-*.jar" >/dev/null; }

fetch() {
  if jars_present && [[ -f "$STAMP" && "$(cat "$STAMP")" == "$(pom_hash)" ]]; then
    return 0
  fi
  need java "OpenJDK 17+"
  need mvn "Apache Maven, used to fetch the broker jars from Maven Central"
  local t0 out
  t0="$(now)"
  log "fetching broker jars with Maven (infra/kafka/pom.xml) into infra/.kafka/libs ..."
  # Start from an empty libs dir: the classpath is libs/*, so jars of an older pin must go.
  rm -rf "$LIBS" "$STAMP"
  mkdir -p "$LIBS"
  out="$(mktemp)"
  local mvn_args=(-q -B -Dstyle.color=never -f "$POM" package)
  # Offline first (fast, no network when ~/.m2 already has everything), then online.
  if ! mvn -o "${mvn_args[@]}" >"$out" 2>&1; then
    if ! mvn "${mvn_args[@]}" >"$out" 2>&1; then
      cat "$out" >&2
      rm -f "$out"
      die "Maven could not fetch the Kafka broker jars (see output above)"
    fi
  fi
  rm -f "$out"
  jars_present || die "Maven finished but $LIBS has no kafka_2.13 / log4j-slf4j-impl jar"
  pom_hash >"$STAMP"
  log "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $(since "$t0")s"
}

# --- config + storage -------------------------------------------------------------------------

render_config() {
  mkdir -p "$DATA" "$LOG_DIRS"
  local tmp="$CONF.tmp.$$"
  sed -e "s|@KAFKA_HOST@|$KAFKA_HOST|g" \
      -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@LOG_DIRS@|$LOG_DIRS|g" \
      "$KAFKA_SRC/server.properties.template" >"$tmp"
  mv -f "$tmp" "$CONF"
}

java_tool() { # run a Kafka class with the broker classpath, quietly
  java -Xmx256m $KAFKA_LOG4J_OPTS -cp "$LIBS/*" "$@"
}

format_storage() {
  if [[ -f "$LOG_DIRS/meta.properties" ]]; then
    return 0
  fi
  local cid
  if [[ -s "$CLUSTER_ID_FILE" ]]; then
    cid="$(cat "$CLUSTER_ID_FILE")"
  else
    # Same format as `kafka-storage random-uuid` (16 random bytes, URL-safe base64, no padding,
    # not starting with '-'), without paying for a JVM start.
    cid=""
    while [[ -z "$cid" || "$cid" == -* ]]; do
      cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    [[ "$cid" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "could not generate a cluster id ('$cid')"
    echo "$cid" >"$CLUSTER_ID_FILE"
  fi
  log "formatting KRaft storage $LOG_DIRS (cluster id $cid)"
  if ! java_tool kafka.tools.StorageTool format -t "$cid" -c "$CONF" --ignore-formatted >>"$LOGFILE" 2>&1; then
    tail -n 30 "$LOGFILE" >&2
    die "StorageTool format failed"
  fi
}

# --- commands ---------------------------------------------------------------------------------

cmd_start() {
  need node "Node.js, used for the readiness check"
  lock
  local pid t0
  if pid="$(our_pid)"; then
    if quick_ready; then
      log "already running (pid $pid) and ready at $BROKER"
      return 0
    fi
    log "running (pid $pid) but not ready yet; waiting up to ${KAFKA_READY_TIMEOUT}s"
    is_ready "$KAFKA_READY_TIMEOUT" "$pid" || die "broker pid $pid is not ready (see $LOGFILE)"
    return 0
  fi
  rm -f "$PIDFILE"

  if port_open "$KAFKA_PORT"; then
    if [[ "$KAFKA_REUSE_EXISTING" == "1" ]] && quick_ready; then
      log "WARNING: $BROKER is already served by a Kafka broker not started from this checkout" \
          "($(port_owner "$KAFKA_PORT")); using it. kafka.sh stop will not stop it." \
          "Set KAFKA_PORT to run a separate broker."
      return 0
    fi
    die "port $KAFKA_PORT is in use by another process ($(port_owner "$KAFKA_PORT")); set KAFKA_PORT/KAFKA_CONTROLLER_PORT"
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "controller port $KAFKA_CONTROLLER_PORT is in use ($(port_owner "$KAFKA_CONTROLLER_PORT")); set KAFKA_CONTROLLER_PORT"
  fi

  need java "OpenJDK 17+"
  fetch
  render_config
  [[ -f "$LOGFILE" ]] && mv -f "$LOGFILE" "$LOGFILE.1"
  format_storage

  t0="$(now)"
  # setsid: own session, so Ctrl-C / SIGHUP of the calling shell, npm or jest does not kill it.
  # shellcheck disable=SC2086
  setsid nohup java $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_LOG4J_OPTS \
    -Dkafka.logs.dir="$DATA/logs" \
    -cp "$LIBS/*" kafka.Kafka "$CONF" >>"$LOGFILE" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PIDFILE"
  log "started pid $pid (heap: $KAFKA_HEAP_OPTS), log $LOGFILE; waiting for READY (max ${KAFKA_READY_TIMEOUT}s)"
  if ! is_ready "$KAFKA_READY_TIMEOUT" "$pid" --warmup --quiet; then
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    die "broker did not become ready (details above; full log: $LOGFILE)"
  fi
  log "ready at $BROKER (pid $pid) in $(since "$t0")s"
}

cmd_stop() {
  lock
  local pid i
  if ! pid="$(our_pid)"; then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  log "stopping pid $pid (SIGTERM, max ${KAFKA_STOP_TIMEOUT}s)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < KAFKA_STOP_TIMEOUT * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after ${KAFKA_STOP_TIMEOUT}s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$PIDFILE"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(our_pid)"; then
    if quick_ready; then
      echo "kafka: running (pid $pid), ready at $BROKER"
      return 0
    fi
    echo "kafka: running (pid $pid), NOT ready at $BROKER"
    return 1
  fi
  if port_open "$KAFKA_PORT" && quick_ready; then
    echo "kafka: stopped here, but $BROKER is served by another broker ($(port_owner "$KAFKA_PORT")), ready"
    return 0
  fi
  echo "kafka: stopped"
  return 1
}

cmd_logs() {
  local follow="" n=100
  for a in "$@"; do
    case "$a" in
      -f) follow=1 ;;
      *[!0-9]*) die "usage: kafka.sh logs [-f] [N]" ;;
      *) n="$a" ;;
    esac
  done
  [[ -f "$LOGFILE" ]] || die "no log yet ($LOGFILE)"
  if [[ -n "$follow" ]]; then exec tail -n "$n" -f "$LOGFILE"; fi
  tail -n "$n" "$LOGFILE"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  fetch) lock; fetch; log "jars present in $LIBS" ;;
  ready) is_ready "$KAFKA_READY_TIMEOUT" "" ;;
  *) echo "usage: $0 start|stop|status|logs [-f] [N]|fetch|ready" >&2; exit 64 ;;
esac
