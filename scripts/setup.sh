#!/usr/bin/env bash
# Installs everything mass-ingest needs on a Debian machine from nothing: system packages the tests use
# (git, nginx with WebDAV for the artifact-repository tests, chromium for the report's browser test), then the workspace with pnpm 12.4.2.
# Safe to run again; skips what is already there. With --run (scripts/run.sh), only what a run needs: git.
set -euo pipefail
cd "$(dirname "$0")/.."

# --run: only what a plain run needs (git); the tests also need nginx, git-http-backend and chromium.
only_run=0
[ "${1:-}" = "--run" ] && only_run=1

need=()
command -v git >/dev/null 2>&1 || need+=(git)
if [ "$only_run" = 0 ]; then
  command -v nginx >/dev/null 2>&1 || need+=(nginx)
  [ -x /usr/lib/git-core/git-http-backend ] || need+=(git)
  # Debian's chromium: the run report is checked in a real browser (playwright-core drives it; no browser download).
  [ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: missing ${need[*]}; install them (sudo apt-get install -y ${need[*]}) and run again" >&2
    exit 2
  fi
fi
[ "$only_run" = 1 ] || command -v moto_server >/dev/null 2>&1 || echo "setup: warning: moto_server not on PATH; the AWS tests need it (pip install 'moto[server]')" >&2

export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
npx -y pnpm@12.4.2 install --frozen-lockfile
