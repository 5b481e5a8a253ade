#!/usr/bin/env bash
# Start the local infrastructure: Kafka (KRaft, 127.0.0.1:$KAFKA_PORT) + Postgres database.
# Idempotent: a second run with everything up is a quick no-op.
# Prints the connection settings as KEY=value lines (eval-able) at the end.
set -euo pipefail
BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_PORT="${KAFKA_PORT:-19092}"
DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flagpole}"
export KAFKA_PORT DATABASE_URL

bash "$BIN/kafka.sh" start
bash "$BIN/postgres.sh" ensure

echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
echo "DATABASE_URL=$DATABASE_URL"
