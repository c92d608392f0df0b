#!/usr/bin/env bash
# Builds the worker's apps and writes a self-contained production deployment of each:
#   OUT/processor, OUT/chunker     the app + production node_modules (workspace libraries such as @mass-ingest/core
#                                  and @mass-ingest/contract copied in, no links)
#   OUT/bin/mass-ingest-processor  one launcher per `bin` entry of each app's package.json (what the job
#   OUT/bin/mass-ingest-chunker    definitions' commands run)
# To ship another app (e.g. apps/doctor), add its directory name to APPS below.
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

APPS=(processor chunker doctor)
FILTERS=()
for app in "${APPS[@]}"; do FILTERS+=(--filter "@mass-ingest/$app-app..."); done
export CI=1
# shellcheck disable=SC2086 # PNPM and PNPM_INSTALL_ARGS are word lists on purpose
$PNPM install --frozen-lockfile ${PNPM_INSTALL_ARGS:-} "${FILTERS[@]}"
# shellcheck disable=SC2086
$PNPM "${FILTERS[@]}" run build

for app in "${APPS[@]}"; do
  # shellcheck disable=SC2086
  $PNPM --filter "@mass-ingest/$app-app" deploy --prod "$OUT/$app"
  # Build inputs are not needed at run time.
  rm -rf "$OUT/$app/src" "$OUT/$app/test" "$OUT/$app/bench" "$OUT/$app"/*.config.ts "$OUT/$app/tsconfig.json"
done

mkdir -p "$OUT/bin"
for app in "${APPS[@]}"; do
  # Every `bin` entry of the app (a map, or a string named after the package) as "name<TAB>path" lines.
  bins=$(node -e '
    const pkg = require(process.argv[1]);
    const bin = typeof pkg.bin === "string" ? { [pkg.name.replace(/^@[^/]+\//, "")]: pkg.bin } : pkg.bin ?? {};
    for (const [name, path] of Object.entries(bin)) console.log(`${name}\t${path}`);
  ' "$OUT/$app/package.json")
  if [ -z "$bins" ]; then
    echo "bundle: $app/package.json has no bin entry" >&2
    exit 1
  fi
  while IFS="$(printf '\t')" read -r bin main; do
    case "$bin" in *[!A-Za-z0-9._-]*|"") echo "bundle: $app: '$bin' is not a command name" >&2; exit 1 ;; esac
    if [ ! -f "$OUT/$app/$main" ]; then
      echo "bundle: $bin points at $app/$main, which the build did not produce" >&2
      exit 1
    fi
    if [ -e "$OUT/bin/$bin" ]; then
      echo "bundle: two apps declare the command $bin" >&2
      exit 1
    fi
    cat > "$OUT/bin/$bin" <<LAUNCHER
#!/bin/sh
# $bin: starts the bundled app with the node on PATH.
here=\$(dirname "\$(readlink -f "\$0")")
exec node "\$here/../$app/$main" "\$@"
LAUNCHER
    chmod 0755 "$OUT/bin/$bin"
  done <<< "$bins"
done
echo "bundle: wrote $OUT (${APPS[*]}, bin/)" >&2
