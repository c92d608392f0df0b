#!/usr/bin/env bash
# Sets up from nothing and runs every check: build, typecheck, lint, every test suite (unit, real-server
# integration, the published-package consumer test). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx -y pnpm@12.4.2 exec nx run-many -t build typecheck lint test --output-style=stream --skip-nx-cache "$@"
