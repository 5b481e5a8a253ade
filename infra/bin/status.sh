#!/usr/bin/env bash
# Status of the local infrastructure. Exit 0 only if Kafka is ready AND Postgres + database are up.
set -uo pipefail
BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rc=0
bash "$BIN/kafka.sh" status || rc=1
bash "$BIN/postgres.sh" status || rc=1
exit "$rc"
