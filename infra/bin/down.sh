#!/usr/bin/env bash
# Stop the local Kafka broker started by up.sh. The machine's PostgreSQL is left running.
set -euo pipefail
BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$BIN/kafka.sh" stop
