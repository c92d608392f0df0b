#!/usr/bin/env bash
# Sets up from nothing and runs every check: build, typecheck, lint, every test suite (unit, real-server
# integration, the coherence test, the published-package consumer test). Exits non-zero on any failure and
# ends with one line of totals over every project's vitest run: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node scripts/check-structure.mjs
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
npx -y pnpm@12.4.2 exec nx run-many -t build typecheck lint test --output-style=stream --skip-nx-cache "$@" 2>&1 | tee "$log" || status=$?
# vitest prints "Tests  12 passed | 1 failed (13)" per project; add them up.
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  / Tests  / { for (i = 1; i <= NF; i++) { if ($i == "passed") p += $(i-1); if ($i == "failed") f += $(i-1); if ($i == "skipped") s += $(i-1) } }
  END { printf "%d passed, %d failed", p, f; if (s) printf ", %d skipped", s; printf "\n"; if (p == 0) exit 1 }' || ran_none=1
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "${ran_none:-0}" = 1 ]; then echo "test.sh: no test ran" >&2; exit 1; fi
