#!/usr/bin/env bash
# Installs the Moderne CLI wrapper (modw) from a Maven repository as DEST (default /usr/local/bin/mod).
# The wrapper for version V is io/moderne/moderne-cli/V/moderne-cli-V-modw.sh; it needs a JDK and downloads
# the CLI jar on first use.
#
# Env (the Dockerfile passes its build args):
#   MODERNE_CLI_VERSION   exact version; empty = resolve from maven-metadata.xml by stage
#   MODERNE_CLI_STAGE     stable (<release>, default) or staging (<latest>, may be a pre-release)
#   MAVEN_REPOSITORY_URL  repository root (default Maven Central); user:password@ in the URL is used for auth
#   MODERNE_CLI_VERSION_FILE  when set, the installed (resolved) version is written there: the image pins the
#                         wrapper to it (~/.moderne/cli/dist/moderne-wrapper.properties `version=`); without that
#                         file the wrapper follows the newest release at run time
set -euo pipefail
DEST=${1:-/usr/local/bin/mod}
REPO=${MAVEN_REPOSITORY_URL:-https://repo1.maven.org/maven2}
REPO=${REPO%/}
STAGE=${MODERNE_CLI_STAGE:-stable}
VERSION=${MODERNE_CLI_VERSION:-}
BASE="$REPO/io/moderne/moderne-cli"
# Never print the repository URL with credentials in it.
SHOWN=$(printf '%s' "$BASE" | sed -E 's#(://)[^/@]+@#\1***@#')

fetch() { curl --fail --silent --show-error --location --retry 3 --retry-delay 2 "$@"; }

if [ -z "$VERSION" ]; then
  case "$STAGE" in
    stable) tag=release ;;
    staging) tag=latest ;;
    *) echo "install-moderne-cli: MODERNE_CLI_STAGE must be stable or staging, not '$STAGE'" >&2; exit 2 ;;
  esac
  metadata=$(fetch "$BASE/maven-metadata.xml") || { echo "install-moderne-cli: cannot read $SHOWN/maven-metadata.xml" >&2; exit 1; }
  VERSION=$(printf '%s' "$metadata" | tr -d '\n\r' | sed -nE "s#.*<$tag>[[:space:]]*([^<[:space:]]+)[[:space:]]*</$tag>.*#\1#p")
  if [ -z "$VERSION" ]; then
    echo "install-moderne-cli: $SHOWN/maven-metadata.xml names no <$tag> version; set MODERNE_CLI_VERSION" >&2
    exit 1
  fi
fi
case "$VERSION" in
  *[!A-Za-z0-9._-]*) echo "install-moderne-cli: '$VERSION' is not a version" >&2; exit 2 ;;
esac

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
fetch "$BASE/$VERSION/moderne-cli-$VERSION-modw.sh" -o "$tmp" || {
  echo "install-moderne-cli: cannot download moderne-cli-$VERSION-modw.sh from $SHOWN/$VERSION/" >&2
  exit 1
}
if ! head -n 1 "$tmp" | grep -q '^#!'; then
  echo "install-moderne-cli: moderne-cli-$VERSION-modw.sh is not a script" >&2
  exit 1
fi
mkdir -p "$(dirname "$DEST")"
install -m 0755 "$tmp" "$DEST"
if [ -n "${MODERNE_CLI_VERSION_FILE:-}" ]; then
  mkdir -p "$(dirname "$MODERNE_CLI_VERSION_FILE")"
  printf '%s\n' "$VERSION" > "$MODERNE_CLI_VERSION_FILE"
fi
echo "install-moderne-cli: installed modw $VERSION ($STAGE) as $DEST" >&2
