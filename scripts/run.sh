#!/usr/bin/env bash
# Sets up and runs the main job on its embedded defaults: the processor ingests the root repos.csv on this
# machine (no AWS). Extra arguments go to mass-ingest-processor (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx -y pnpm@12.4.2 exec nx run processor:start --output-style=stream -- "$@"
