#!/usr/bin/env bash
# Sets up and runs the main job on its embedded defaults: the processor ingests the root repos.csv on this
# machine (no AWS). Extra arguments go to mass-ingest-processor (try --help). The processor runs directly (not
# under nx) so it keeps the terminal: a progress bar on a TTY, and its own exit code (0/1/2/130/143).
# Set-up (the install and the processor's build) is skipped when they are current (scripts/run-ready.mjs), and a
# plain run needs only git from the system: nginx and chromium are for the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v git >/dev/null 2>&1 || ! node scripts/run-ready.mjs; then
  bash scripts/setup.sh --run >&2
  npx -y pnpm@12.4.2 exec nx run processor:build --output-style=stream >&2
fi
exec node apps/processor/dist/main.js "$@"
