#!/usr/bin/env bash
# Stop Kafka and wipe infra/.data (all topics, consumer offsets, the KRaft cluster id, broker logs).
# The next up.sh formats a fresh cluster. Downloaded jars (infra/.kafka) are kept; pass --jars to
# delete them too. The Postgres database is NOT touched (drop it yourself if you need to).
set -euo pipefail
BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INFRA="$(cd "$BIN/.." && pwd)"
bash "$BIN/kafka.sh" stop
rm -rf "$INFRA/.data"
echo "reset: removed infra/.data"
if [[ "${1:-}" == "--jars" ]]; then
  rm -rf "$INFRA/.kafka"
  echo "reset: removed infra/.kafka"
fi
