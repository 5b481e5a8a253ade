#!/usr/bin/env bash
# Command benchmark: build the project (dist/) and the benchmark (tsc → bench/commands/.out), then
# run it: it starts the control plane as a child process against the local Kafka and Postgres
# (fresh database, unique topic prefix), runs the scenarios, stops it, removes the database and
# the topics, and writes bench/commands/results.md + results.json.
#   bash bench/commands/run.sh [--quick] [--profile] [--keep-topics] [--out=DIR] [--no-build]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
if ! bash infra/bin/status.sh >/dev/null 2>&1; then
  echo "bench:commands: Kafka and Postgres must be up (bash infra/bin/up.sh); status:" >&2
  bash infra/bin/status.sh >&2 || true
  exit 1
fi
args=()
build=1
for a in "$@"; do
  if [[ "$a" == --no-build ]]; then build=0; else args+=("$a"); fi
done
if [[ $build == 1 ]]; then
  echo "[bench:commands] npm run build"
  npm run build --silent
fi
rm -rf "$here/.out/bench" "$here/.out/libs"
node "$root/node_modules/typescript/bin/tsc" -p "$here/tsconfig.json"
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node "$here/.out/bench/commands/run.js" "${args[@]}"
