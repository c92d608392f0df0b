#!/usr/bin/env bash
# Sets up and runs the main job on its embedded defaults: the processor ingests the root repos.csv on this
# machine (no AWS). Extra arguments go to mass-ingest-processor (try --help). The processor runs directly (not
# under nx) so it keeps the terminal: a progress bar on a TTY, and its own exit code (0/1/2/130/143).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
npx -y pnpm@12.4.2 exec nx run processor:build --output-style=stream >&2
exec node apps/processor/dist/main.js "$@"
