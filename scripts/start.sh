#!/usr/bin/env bash
# `npm start`: bring up Kafka and Postgres (infra/), build, start the control plane and the
# projector, print where they are.
# Ctrl-C stops the services; Kafka keeps running (npm run infra:down stops it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash infra/bin/up.sh
echo "building…"
npm run --silent build

mkdir -p infra/.data
TOKEN_FILE=infra/.data/admin-token
# One admin token per checkout, made on first start and reused, so scripts keep working.
if [ ! -s "$TOKEN_FILE" ]; then
  node -e "process.stdout.write('fp_' + require('node:crypto').randomBytes(24).toString('base64url'))" > "$TOKEN_FILE"
  chmod 600 "$TOKEN_FILE"
fi
export FLAGPOLE_BOOTSTRAP_TOKEN="$(cat "$TOKEN_FILE")"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-19092}}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flagpole}"
export PORT="${PORT:-3000}"
export HOST="${HOST:-127.0.0.1}"
LOG_DIR=infra/.data/logs
mkdir -p "$LOG_DIR"

PROJECTOR_PORT="${PROJECTOR_PORT:-3001}"

node dist/services/control-plane/src/main.js >>"$LOG_DIR/control-plane.log" 2>&1 &
CP_PID=$!
# The projector is its own process (DESIGN.md decision 6): the query routes read what it writes.
PORT="$PROJECTOR_PORT" node dist/services/projector/src/main.js >>"$LOG_DIR/projector.log" 2>&1 &
PROJECTOR_PID=$!
stop_services() {
  kill "$CP_PID" "$PROJECTOR_PID" 2>/dev/null || true
  wait "$CP_PID" "$PROJECTOR_PID" 2>/dev/null || true
}
trap 'stop_services; exit 0' INT TERM

# wait_ready NAME PID URL LOG
wait_ready() {
  local name="$1" pid="$2" url="$3" log="$4"
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the $name exited; last log lines:" >&2
      tail -n 30 "$log" >&2
      stop_services
      exit 1
    fi
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "the $name did not become ready; see $log" >&2
  stop_services
  exit 1
}

URL="http://$HOST:$PORT"
PROJECTOR_URL="http://$HOST:$PROJECTOR_PORT"
wait_ready "control plane" "$CP_PID" "$URL" "$LOG_DIR/control-plane.log"
wait_ready projector "$PROJECTOR_PID" "$PROJECTOR_URL" "$LOG_DIR/projector.log"

cat <<MSG

Flagpole is up.
  API            $URL/api
  OpenAPI docs   $URL/docs
  Health         $URL/health/ready    Metrics  $URL/metrics
  Projector      $PROJECTOR_URL/health/ready    Metrics  $PROJECTOR_URL/metrics
  Admin token    $FLAGPOLE_BOOTSTRAP_TOKEN
  Logs           $LOG_DIR/control-plane.log, $LOG_DIR/projector.log

Try:
  curl -s -X POST $URL/api/environments -H "Authorization: Bearer $FLAGPOLE_BOOTSTRAP_TOKEN" \\
       -H 'Content-Type: application/json' -d '{"key":"production","name":"Production"}'

Ctrl-C stops the services (Kafka keeps running; npm run infra:down stops it).
MSG
# Either service ending ends the session (and stops the other).
wait -n "$CP_PID" "$PROJECTOR_PID" || true
stop_services
