#!/usr/bin/env bash
# SDK benchmarks. One command per benchmark; each rewrites its section of
# bench/sdk/results.md and bench/sdk/results.json.
#   bash bench/sdk/run.sh propagation [--quick] [--no-build]   HTTP 2xx → change event in another process (control plane from dist/)
#   bash bench/sdk/run.sh cold-start  [--quick]                time to ready and heap, 10,000 and 100,000 flags
#   bash bench/sdk/run.sh evaluation  [--quick]                SDK public API vs the bare engine, same process
# The benchmark is compiled into bench/sdk/.out; libs/sdk imports its siblings through the
# @flagpole/* path aliases, which tsc-alias rewrites to relative paths (plain node has no aliases).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
what="${1:-}"
case "$what" in
  propagation | cold-start | evaluation) shift ;;
  *) echo "usage: bash bench/sdk/run.sh propagation|cold-start|evaluation [--quick] [--no-build]" >&2; exit 64 ;;
esac
if ! bash infra/bin/status.sh >/dev/null 2>&1; then
  echo "bench:sdk: Kafka and Postgres must be up (bash infra/bin/up.sh); status:" >&2
  bash infra/bin/status.sh >&2 || true
  exit 1
fi
args=()
build=1
for a in "$@"; do
  if [[ "$a" == --no-build ]]; then build=0; else args+=("$a"); fi
done
if [[ "$what" == propagation && $build == 1 ]]; then
  echo "[bench:sdk] npm run build (the control plane runs from dist/)"
  npm run build --silent
fi
rm -rf "$here/.out"
node "$root/node_modules/typescript/bin/tsc" -p "$here/tsconfig.json"
node "$root/node_modules/tsc-alias/dist/bin/index.js" -p "$here/tsconfig.json"
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node --expose-gc "$here/.out/bench/sdk/src/$what.js" "${args[@]}"
