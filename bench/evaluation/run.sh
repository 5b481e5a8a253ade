#!/usr/bin/env bash
# Evaluation benchmark: build (tsc → bench/evaluation/.out) then run.
#   bash bench/evaluation/run.sh [--quick] [--engines=a,b] [--scenarios=S1,S3] [--no-heap]
#     → writes bench/evaluation/results.md and bench/evaluation/results.json
#   bash bench/evaluation/run.sh --profile=flagpole:S2 [seconds]
#     → CPU profile of one engine on one scenario (bench/evaluation/profiles/), top self-time functions
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
rm -rf "$here/.out"
node "$root/node_modules/typescript/bin/tsc" -p "$here/tsconfig.json"
out="$here/.out/bench/evaluation/src"

if [[ "${1:-}" == --profile=* ]]; then
  spec="${1#--profile=}"
  engine="${spec%%:*}"
  scenario="${spec#*:}"
  dir="$here/profiles/$engine-$scenario"
  rm -rf "$dir"
  node --cpu-prof --cpu-prof-dir="$dir" "$out/profile.js" "$engine" "$scenario" "${2:-5}"
  # inlining hides callees inside their callers: a second profile without it shows where time goes
  node --cpu-prof --no-turbo-inlining --cpu-prof-dir="$dir/no-inlining" "$out/profile.js" "$engine" "$scenario" "${2:-5}"
  echo "--- self time (no inlining); profiles in ${dir#$root/}"
  node "$out/top-self.js" "$dir"/no-inlining/*.cpuprofile 20
  exit 0
fi

exec node --expose-gc "$out/main.js" "$@"
