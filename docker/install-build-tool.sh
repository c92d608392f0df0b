#!/usr/bin/env bash
# Installs Apache Maven or Gradle for repositories that have no wrapper (mvnw/gradlew), after checking the
# download against a checksum the caller pins. Nothing is installed when the checksum is missing or differs.
#
# Usage: install-build-tool.sh maven  VERSION SHA512 PREFIX   -> PREFIX/apache-maven-VERSION, PREFIX/bin/mvn
#        install-build-tool.sh gradle VERSION SHA256 PREFIX   -> PREFIX/gradle-VERSION,       PREFIX/bin/gradle
# Env:   MAVEN_REPOSITORY_URL  Maven repository root (default Maven Central); apache-maven is fetched from
#                              org/apache/maven/apache-maven/VERSION/apache-maven-VERSION-bin.tar.gz
#        GRADLE_DIST_URL       Gradle distributions (default https://services.gradle.org/distributions)
# Published checksums: https://repo1.maven.org/maven2/org/apache/maven/apache-maven/VERSION/apache-maven-VERSION-bin.tar.gz.sha512
#                      https://services.gradle.org/distributions/gradle-VERSION-bin.zip.sha256
set -euo pipefail
TOOL=${1:-}
VERSION=${2:-}
CHECKSUM=${3:-}
PREFIX=${4:-}
die() { echo "install-build-tool: $1" >&2; exit "${2:-1}"; }
[ -n "$TOOL" ] && [ -n "$VERSION" ] && [ -n "$PREFIX" ] || die "usage: install-build-tool.sh maven|gradle VERSION CHECKSUM PREFIX" 2
case "$VERSION" in *[!A-Za-z0-9._-]*) die "'$VERSION' is not a version" 2 ;; esac

case "$TOOL" in
  maven)
    repo=${MAVEN_REPOSITORY_URL:-https://repo1.maven.org/maven2}
    url="${repo%/}/org/apache/maven/apache-maven/$VERSION/apache-maven-$VERSION-bin.tar.gz"
    algorithm=sha512 length=128 home="apache-maven-$VERSION" bin=mvn arg=MAVEN_SHA512
    ;;
  gradle)
    dist=${GRADLE_DIST_URL:-https://services.gradle.org/distributions}
    url="${dist%/}/gradle-$VERSION-bin.zip"
    algorithm=sha256 length=64 home="gradle-$VERSION" bin=gradle arg=GRADLE_SHA256
    ;;
  *) die "the tool must be maven or gradle, not '$TOOL'" 2 ;;
esac
# Never print a URL with credentials in it.
shown=$(printf '%s' "$url" | sed -E 's#(://)[^/@]+@#\1***@#')

CHECKSUM=$(printf '%s' "$CHECKSUM" | tr 'A-F' 'a-f')
if [ -z "$CHECKSUM" ]; then
  die "no $algorithm checksum for $TOOL $VERSION: pass --build-arg $arg=<the published $algorithm of $shown>" 2
fi
if ! printf '%s' "$CHECKSUM" | grep -Eq "^[0-9a-f]{$length}\$"; then
  die "$arg must be $length hex digits (the $algorithm of $shown), not '$CHECKSUM'" 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
archive="$tmp/$(basename "$url")"
curl --fail --silent --show-error --location --retry 3 --retry-delay 2 -o "$archive" "$url" \
  || die "cannot download $shown"
actual=$("${algorithm}sum" "$archive" | cut -d' ' -f1)
if [ "$actual" != "$CHECKSUM" ]; then
  die "$TOOL $VERSION: $algorithm of $shown is $actual, expected $CHECKSUM ($arg); nothing installed"
fi

mkdir -p "$PREFIX/bin"
case "$TOOL" in
  maven) tar -xzf "$archive" -C "$tmp" ;;
  gradle) unzip -q "$archive" -d "$tmp" ;;
esac
[ -x "$tmp/$home/bin/$bin" ] || die "$(basename "$url") holds no $home/bin/$bin"
rm -rf "${PREFIX:?}/$home"
mv "$tmp/$home" "$PREFIX/$home"
ln -sfn "../$home/bin/$bin" "$PREFIX/bin/$bin"
echo "install-build-tool: installed $TOOL $VERSION ($algorithm verified) in $PREFIX/$home" >&2
