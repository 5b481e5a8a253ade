#!/usr/bin/env bash
# Builds the example (tsc → examples/nestjs-service/.out, @flagpole/* aliases rewritten by
# tsc-alias) and runs it. Configuration: see README.md (KAFKA_BROKERS, FLAGPOLE_ENVIRONMENT,
# FLAGPOLE_TOPIC_PREFIX, FLAGPOLE_SNAPSHOT, PORT, LOG_LEVEL).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
rm -rf "$here/.out"
node "$root/node_modules/typescript/bin/tsc" -p "$here/tsconfig.json"
node "$root/node_modules/tsc-alias/dist/bin/index.js" -p "$here/tsconfig.json"
export FLAGPOLE_SNAPSHOT="${FLAGPOLE_SNAPSHOT-$here/.data/flags.json}"
exec node "$here/.out/examples/nestjs-service/src/main.js"
