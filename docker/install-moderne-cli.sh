#!/usr/bin/env bash
# Installs the Moderne CLI 4.x wrapper (modw) from a Maven repository as DEST (default /usr/local/bin/mod) and pins
# it in a moderne-wrapper.properties file. The wrapper for version V is
# <repository>/io/moderne/moderne-cli/V/moderne-cli-V-modw.sh (it exists only from 4.0.0); on first use it downloads
# the CLI distribution and runs it on a Java 25 (MODERNE_JAVA_HOME).
#
# Usage: install-moderne-cli.sh DEST            install DEST and write MODERNE_WRAPPER_PROPERTIES
#        install-moderne-cli.sh --prefetch DEST run `DEST --version` once, with the repository credentials handed
#                                              to the wrapper (MODERNE_WRAPPER_DISTRIBUTION_*), so the CLI is cached
#
# Env (the Dockerfiles pass their build args):
#   MODERNE_CLI_VERSION         4.x.y to install (the image pins one); empty or RELEASE = the <release> of
#                               io/moderne/moderne-cli/maven-metadata.xml at install time (not reproducible)
#   MODERNE_CLI_REPOSITORY      cgp (default: https://artifacts.codegenomeproject.org/maven), central
#                               (https://repo1.maven.org/maven2, releases up to 4.7.4 only) or a mirror's root URL
#   MODERNE_CLI_DISTRIBUTION_URL  the wrapper's distributionUrl (a template with ${version}, ${platform},
#                               ${extension}); default: unset for cgp (the wrapper's own default), else
#                               <repository>/io/moderne/moderne-cli-linux-<arch>/${version}/moderne-cli-linux-<arch>-${version}.${extension}
#   MODERNE_CLI_CREDENTIALS_FILE  optional secret, key=value lines: username= and password=, or token= (Bearer);
#                               default /run/secrets/moderne-cli-repository (a Docker build secret) when it exists.
#                               MODERNE_CLI_REPOSITORY_USERNAME / _PASSWORD / _TOKEN in the env work too.
#   MODERNE_CLI_WRAPPER_SHA256  optional: the modw script's SHA-256, checked
#   MODERNE_CLI_DISTRIBUTION_SHA256  optional: written as distributionSha256Sum
#   MODERNE_WRAPPER_PROPERTIES  where the properties go (default ~/.moderne/cli/dist/moderne-wrapper.properties)
#   MODERNE_CLI_VERSION_FILE    when set, the installed version is also written there
# Credentials never reach a command line (curl reads them from stdin) nor the properties file.
# Exit 2: bad configuration; 1: the repository refused or the download failed (the message names the URL, the
# version and the setting to check).
set -euo pipefail
say() { echo "install-moderne-cli: $*" >&2; }
die() { say "$1"; exit "${2:-1}"; }

prefetch=false
if [ "${1:-}" = "--prefetch" ]; then prefetch=true; shift; fi
DEST=${1:-/usr/local/bin/mod}
CGP=https://artifacts.codegenomeproject.org/maven
CENTRAL=https://repo1.maven.org/maven2
case "${MODERNE_CLI_REPOSITORY:-cgp}" in
  cgp) REPO=$CGP ;;
  central) REPO=$CENTRAL ;;
  http://* | https://*) REPO=$MODERNE_CLI_REPOSITORY ;;
  *) die "MODERNE_CLI_REPOSITORY must be cgp, central or an http(s) URL, not '${MODERNE_CLI_REPOSITORY}'" 2 ;;
esac
REPO=${REPO%/}
case "$REPO" in *://*@*) die "MODERNE_CLI_REPOSITORY must not carry credentials: put them in the build secret moderne-cli-repository (MODERNE_CLI_CREDENTIALS_FILE)" 2 ;; esac
BASE="$REPO/io/moderne/moderne-cli"

# Credentials: the secret file, else the env.
user=${MODERNE_CLI_REPOSITORY_USERNAME:-} pass=${MODERNE_CLI_REPOSITORY_PASSWORD:-} token=${MODERNE_CLI_REPOSITORY_TOKEN:-}
creds_file=${MODERNE_CLI_CREDENTIALS_FILE:-/run/secrets/moderne-cli-repository}
if [ -f "$creds_file" ] && [ -r "$creds_file" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    case "$line" in
      username=*) user=${line#username=} ;;
      password=*) pass=${line#password=} ;;
      token=*) token=${line#token=} ;;
    esac
  done < "$creds_file"
fi
auth=none
if [ -n "$token" ]; then auth=token; elif [ -n "$user" ]; then auth=basic; fi

# A value inside a curl config string: backslashes and quotes escaped.
esc() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '%s' "$s"; }
# One GET: curl reads the credentials from stdin (never on its command line); prints the HTTP status.
get() {
  local url=$1 out=$2
  {
    case "$auth" in
      token) printf 'header = "Authorization: Bearer %s"\n' "$(esc "$token")" ;;
      basic) printf 'user = "%s:%s"\n' "$(esc "$user")" "$(esc "$pass")" ;;
    esac
  } | curl --config - --silent --show-error --location --retry 3 --retry-delay 2 -o "$out" -w '%{http_code}' "$url" || true
}
# Why a status is a refusal, and what to check.
refuse() {
  local status=$1 url=$2 what
  case "$status" in
    401) what="the repository wants credentials or rejected them: check the build secret moderne-cli-repository (MODERNE_CLI_CREDENTIALS_FILE; auth used: $auth)" ;;
    403) what="the credentials are not entitled to the Moderne CLI: check the account behind the build secret moderne-cli-repository (auth used: $auth)" ;;
    404) what="no such artifact: check MODERNE_CLI_VERSION ($VERSION_SHOWN) and MODERNE_CLI_REPOSITORY ($REPO); Maven Central has releases up to 4.7.4 only, newer ones are on the Code Genome Project" ;;
    000) what="no answer (DNS, proxy, TLS or network): check MODERNE_CLI_REPOSITORY ($REPO) and the build's network" ;;
    *) what="unexpected HTTP $status: check MODERNE_CLI_REPOSITORY ($REPO)" ;;
  esac
  die "GET $url answered $status for version $VERSION_SHOWN: $what"
}

if [ "$prefetch" = true ]; then
  # The wrapper reads these; env beats its properties. A concrete pinned version needs no lookup.
  case "$auth" in
    token) export MODERNE_WRAPPER_DISTRIBUTION_TOKEN="$token" ;;
    basic) export MODERNE_WRAPPER_DISTRIBUTION_USERNAME="$user" MODERNE_WRAPPER_DISTRIBUTION_PASSWORD="$pass" ;;
  esac
  say "prefetch: $DEST --version (auth: $auth)"
  exec "$DEST" --version
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
VERSION=${MODERNE_CLI_VERSION:-}
VERSION_SHOWN=${VERSION:-RELEASE}
if [ -z "$VERSION" ] || [ "$VERSION" = RELEASE ]; then
  status=$(get "$BASE/maven-metadata.xml" "$tmp/metadata.xml")
  [ "$status" = 200 ] || refuse "$status" "$BASE/maven-metadata.xml"
  VERSION=$(tr -d '\n\r' < "$tmp/metadata.xml" | sed -nE 's#.*<release>[[:space:]]*([^<[:space:]]+)[[:space:]]*</release>.*#\1#p')
  [ -n "$VERSION" ] || die "$BASE/maven-metadata.xml names no <release>; set MODERNE_CLI_VERSION" 1
  say "RELEASE resolved to $VERSION (pin it with MODERNE_CLI_VERSION for reproducible images)"
fi
case "$VERSION" in
  *[!A-Za-z0-9._-]* | "") die "MODERNE_CLI_VERSION '$VERSION' is not a version" 2 ;;
esac
major=${VERSION%%.*}
case "$major" in
  '' | *[!0-9]*) die "MODERNE_CLI_VERSION '$VERSION' is not a version" 2 ;;
esac
[ "$major" -ge 4 ] || die "MODERNE_CLI_VERSION $VERSION: the modw wrapper exists only from 4.0.0; pin a 4.x release" 2
VERSION_SHOWN=$VERSION

url="$BASE/$VERSION/moderne-cli-$VERSION-modw.sh"
status=$(get "$url" "$tmp/modw")
[ "$status" = 200 ] || refuse "$status" "$url"
head -n 1 "$tmp/modw" | grep -q '^#!' || die "$url is not a shell script (check MODERNE_CLI_REPOSITORY: a login page?)" 1
if [ -n "${MODERNE_CLI_WRAPPER_SHA256:-}" ]; then
  actual=$(sha256sum "$tmp/modw" | cut -d' ' -f1)
  [ "$actual" = "${MODERNE_CLI_WRAPPER_SHA256,,}" ] || die "$url: SHA-256 $actual, expected $MODERNE_CLI_WRAPPER_SHA256 (MODERNE_CLI_WRAPPER_SHA256)" 1
fi
mkdir -p "$(dirname "$DEST")"
install -m 0755 "$tmp/modw" "$DEST"

# The pin: a concrete version makes the wrapper skip the version lookup; jdkUrl=skip, the image brings Java 25.
dist=${MODERNE_CLI_DISTRIBUTION_URL:-}
if [ -z "$dist" ] && [ "$REPO" != "$CGP" ]; then
  case "$(uname -m)" in aarch64 | arm64) arch=aarch64 ;; *) arch=x64 ;; esac
  # shellcheck disable=SC2016 # the wrapper expands ${version} and ${extension}, not the shell
  dist="$REPO/io/moderne/moderne-cli-linux-$arch/"'${version}'"/moderne-cli-linux-$arch-"'${version}.${extension}'
fi
props=${MODERNE_WRAPPER_PROPERTIES:-${HOME:-/root}/.moderne/cli/dist/moderne-wrapper.properties}
mkdir -p "$(dirname "$props")"
{
  echo "# written by install-moderne-cli.sh: CLI $VERSION from $REPO"
  echo "version=$VERSION"
  if [ -n "$dist" ]; then echo "distributionUrl=$dist"; fi
  if [ -n "${MODERNE_CLI_DISTRIBUTION_SHA256:-}" ]; then echo "distributionSha256Sum=$MODERNE_CLI_DISTRIBUTION_SHA256"; fi
  echo "jdkUrl=skip"
} > "$props"
if [ -n "${MODERNE_CLI_VERSION_FILE:-}" ]; then
  mkdir -p "$(dirname "$MODERNE_CLI_VERSION_FILE")"
  printf '%s\n' "$VERSION" > "$MODERNE_CLI_VERSION_FILE"
fi
say "installed modw $VERSION from $REPO as $DEST (auth: $auth); pinned in $props"
