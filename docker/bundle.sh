#!/usr/bin/env bash
# Builds the worker's two apps and writes a self-contained production deployment of each:
#   OUT/processor, OUT/chunker     the app + production node_modules (workspace libraries copied in, no links)
#   OUT/bin/mass-ingest-processor  launchers (what the job definitions' commands run)
#   OUT/bin/mass-ingest-chunker
# The Dockerfile's build stage runs exactly this (OUT=/out) and copies OUT to /app; apps/infra/test/bundle.test.ts
# runs it on a copy of the build context outside the workspace and starts both launchers from there.
#
# Usage: docker/bundle.sh OUT        (run from anywhere; works on the repository the script is in)
# Env:   PNPM               the pnpm command (default: pnpm)
#        PNPM_INSTALL_ARGS  extra `pnpm install` flags (e.g. --prefer-offline)
set -euo pipefail
OUT=${1:?usage: docker/bundle.sh OUT}
PNPM=${PNPM:-pnpm}
cd "$(dirname "$0")/.."
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
  echo "bundle: $OUT is not empty; give a new directory" >&2
  exit 2
fi

APPS=(--filter "@mass-ingest/processor-app..." --filter "@mass-ingest/chunker-app...")
export CI=1
# shellcheck disable=SC2086 # PNPM and PNPM_INSTALL_ARGS are word lists on purpose
$PNPM install --frozen-lockfile ${PNPM_INSTALL_ARGS:-} "${APPS[@]}"
# shellcheck disable=SC2086
$PNPM "${APPS[@]}" run build

for app in processor chunker; do
  # shellcheck disable=SC2086
  $PNPM --filter "@mass-ingest/$app-app" deploy --prod "$OUT/$app"
  # Build inputs are not needed at run time.
  rm -rf "$OUT/$app/src" "$OUT/$app/test" "$OUT/$app/bench" "$OUT/$app"/*.config.ts "$OUT/$app/tsconfig.json"
done

mkdir -p "$OUT/bin"
for app in processor chunker; do
  bin="mass-ingest-$app"
  main=$(node -p "require(process.argv[1]).bin[process.argv[2]]" "$OUT/$app/package.json" "$bin")
  if [ ! -f "$OUT/$app/$main" ]; then
    echo "bundle: $bin points at $app/$main, which the build did not produce" >&2
    exit 1
  fi
  cat > "$OUT/bin/$bin" <<LAUNCHER
#!/bin/sh
# $bin: starts the bundled app with the node on PATH.
here=\$(dirname "\$(readlink -f "\$0")")
exec node "\$here/../$app/$main" "\$@"
LAUNCHER
  chmod 0755 "$OUT/bin/$bin"
done
echo "bundle: wrote $OUT (processor, chunker, bin/)" >&2
