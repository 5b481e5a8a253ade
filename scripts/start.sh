#!/usr/bin/env bash
# `npm start`: bring up Kafka and Postgres (infra/), build, start the services, print where they are.
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

node dist/services/control-plane/src/main.js >>"$LOG_DIR/control-plane.log" 2>&1 &
CP_PID=$!
trap 'kill $CP_PID 2>/dev/null; wait $CP_PID 2>/dev/null; exit 0' INT TERM

URL="http://$HOST:$PORT"
for _ in $(seq 1 120); do
  if ! kill -0 "$CP_PID" 2>/dev/null; then
    echo "the control plane exited; last log lines:" >&2
    tail -n 30 "$LOG_DIR/control-plane.log" >&2
    exit 1
  fi
  if curl -fsS "$URL/health/ready" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "$URL/health/ready" >/dev/null || { echo "the control plane did not become ready; see $LOG_DIR/control-plane.log" >&2; exit 1; }

cat <<MSG

Flagpole is up.
  API            $URL/api
  OpenAPI docs   $URL/docs
  Health         $URL/health/ready    Metrics  $URL/metrics
  Admin token    $FLAGPOLE_BOOTSTRAP_TOKEN
  Logs           $LOG_DIR/control-plane.log

Try:
  curl -s -X POST $URL/api/environments -H "Authorization: Bearer $FLAGPOLE_BOOTSTRAP_TOKEN" \\
       -H 'Content-Type: application/json' -d '{"key":"production","name":"Production"}'

Ctrl-C stops the services (Kafka keeps running; npm run infra:down stops it).
MSG
wait "$CP_PID"
