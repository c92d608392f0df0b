#!/usr/bin/env bash
# The worker image's ENTRYPOINT: does what must happen before the app's node process starts, then execs the
# command (the job definition's `mass-ingest-processor ...` or `mass-ingest-chunker submit ...`, or the CMD).
#
# Env:
#   CA_CERTS          extra CA certificates at run time: a path (PEM file, or a directory of *.crt/*.pem) or the
#                     PEM text itself (e.g. a Secrets Manager secret in the job definition). They go into every
#                     JDK's cacerts (the Moderne CLI and the builds), and into one bundle (system + these) that
#                     git, curl and Node use: SSL_CERT_FILE, GIT_SSL_CAINFO, CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS.
#                     PUBLISH_CA_FILE (the processor's HTTPS log uploads) is set to the extra CAs unless set.
#                     For the processor, `mod config http trust-store edit file <cacerts>` is run again (the
#                     cacerts of MODERNE_JAVA_HOME, the CLI's Java 25).
#   MOD_JAVA_OPTIONS  when set, exported as MODERNE_OPTS, the CLI's JVM options (the image sets MODERNE_OPTS from
#                     its build arg MOD_JAVA_OPTIONS, default -Xmx4g -Xss3m).
#   MOD_CLI           the Moderne CLI (default mod).
#   MASS_INGEST_CA_DIR  where the bundles are written (default $HOME/.mass-ingest/ca).
# Exit 2 when CA_CERTS is unusable; otherwise the command's own exit code.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
say() { echo "entrypoint: $1" >&2; }
die() { say "$1"; exit "${2:-2}"; }

[ $# -gt 0 ] || die "no command given (the job definition's command, e.g. mass-ingest-processor --help)"
is_processor=false
case "$(basename "$1")" in mass-ingest-processor) is_processor=true ;; esac
mod=${MOD_CLI:-mod}

mod_config() {
  say "$mod config $*"
  "$mod" config "$@" >&2 || die "\`$mod config $*\` failed (exit $?)" 1
}

if [ -n "${CA_CERTS:-}" ]; then
  dir=${MASS_INGEST_CA_DIR:-${HOME:-/tmp}/.mass-ingest/ca}
  mkdir -p "$dir"
  case "$CA_CERTS" in
    *-----BEGIN*)
      source="$dir/ca-certs-from-env.pem"
      printf '%s\n' "$CA_CERTS" > "$source"
      shown="CA_CERTS (PEM text)"
      ;;
    *)
      [ -e "$CA_CERTS" ] || die "CA_CERTS is neither PEM text (-----BEGIN CERTIFICATE-----) nor an existing path: $CA_CERTS"
      source=$CA_CERTS
      shown="CA_CERTS=$CA_CERTS"
      ;;
  esac
  bash "$here/import-ca-certs.sh" runtime "$source" "$dir" || die "could not import $shown" "$?"
  export SSL_CERT_FILE="$dir/ca-bundle.pem" GIT_SSL_CAINFO="$dir/ca-bundle.pem" CURL_CA_BUNDLE="$dir/ca-bundle.pem"
  export NODE_EXTRA_CA_CERTS="$dir/ca-bundle.pem"
  if [ -z "${PUBLISH_CA_FILE:-}" ]; then export PUBLISH_CA_FILE="$dir/extra-ca.pem"
  else say "PUBLISH_CA_FILE is set ($PUBLISH_CA_FILE): the uploads use it, not CA_CERTS"; fi
  say "imported $shown"
  if [ "$is_processor" = true ]; then
    mod_config http trust-store edit file "${MODERNE_JAVA_HOME:-${JAVA_HOME:-/usr}}/lib/security/cacerts"
  fi
fi

if [ -n "${MOD_JAVA_OPTIONS:-}" ]; then export MODERNE_OPTS="$MOD_JAVA_OPTIONS"; fi

exec "$@"
