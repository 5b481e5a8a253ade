#!/usr/bin/env bash
# Rebuild benchmark (issue 5): generates and publishes a 1,000,000-event log, replays it into
# fresh read-model tables with the rebuild command's code (3 runs, each in its own process), times
# as-of and history queries on the result, removes its topic and database, and writes
# bench/rebuild/results.md + results.json. About 8–12 minutes on the 2-core machine.
#   bash bench/rebuild/run.sh [--events=N] [--runs=N] [--queries=N] [--quick] [--keep] [--prefix=P] [--max-batch=N] [--out=DIR]
# EVENTS=N works as --events=N. Needs no build of the project: only this benchmark is compiled
# (tsc → bench/rebuild/.out, with tsc-alias for the @flagpole/* paths).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
if ! bash infra/bin/status.sh >/dev/null 2>&1; then
  echo "bench:rebuild: Kafka and Postgres must be up (bash infra/bin/up.sh); status:" >&2
  bash infra/bin/status.sh >&2 || true
  exit 1
fi
rm -rf "$here/.out"
node "$root/node_modules/typescript/bin/tsc" -p "$here/tsconfig.json"
node "$root/node_modules/tsc-alias/dist/bin/index.js" -p "$here/tsconfig.json"
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node "$here/.out/bench/rebuild/src/run.js" "$@"
