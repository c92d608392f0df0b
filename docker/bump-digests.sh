#!/usr/bin/env bash
# Pins every base image of the worker image's Dockerfiles to the digest its tag has now: rewrites each
#   ARG <NAME>_IMAGE=<image>:<tag>[@sha256:<old>]
# default to <image>:<tag>@sha256:<current>. Run it on a machine with registry access, review the diff, build,
# commit. The tag stays in the line, so a later run moves to the tag's newest digest (security updates).
#
# Usage: docker/bump-digests.sh [--check] [DOCKERFILE...]   (default: docker/Dockerfile docker/Dockerfile.fips)
#   --check  change nothing; exit 1 when an image is not pinned to a digest (for a release pipeline)
# Resolves digests with `crane digest` when crane is installed, else `docker buildx imagetools inspect`.
# Env: DIGEST_TOOL=crane|buildx to choose.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check=false
if [ "${1:-}" = "--check" ]; then check=true; shift; fi
[ $# -gt 0 ] || set -- "$here/Dockerfile" "$here/Dockerfile.fips"

tool=${DIGEST_TOOL:-}
if [ -z "$tool" ]; then
  if command -v crane >/dev/null 2>&1; then tool=crane; else tool=buildx; fi
fi

# digest IMAGE:TAG -> sha256:... of the tag's manifest (the multi-platform index when there is one).
digest() {
  local ref=$1 out
  case "$tool" in
    crane) out=$(crane digest "$ref") ;;
    buildx) out=$(docker buildx imagetools inspect "$ref" --format '{{json .Manifest}}' \
                  | grep -o '"digest": *"sha256:[0-9a-f]\{64\}"' | head -n 1 | grep -o 'sha256:[0-9a-f]\{64\}') ;;
    *) echo "bump-digests: DIGEST_TOOL must be crane or buildx, not '$tool'" >&2; exit 2 ;;
  esac
  if ! printf '%s' "$out" | grep -Eq '^sha256:[0-9a-f]{64}$'; then
    echo "bump-digests: $tool gave no digest for $ref: '$out'" >&2
    exit 1
  fi
  printf '%s' "$out"
}

unpinned=0
for file in "$@"; do
  [ -f "$file" ] || { echo "bump-digests: no $file" >&2; exit 2; }
  while IFS= read -r line; do
    name=${line#ARG }; name=${name%%=*}
    value=${line#*=}
    ref=${value%%@*}
    if [ "$check" = true ]; then
      if [ "$ref" = "$value" ]; then echo "bump-digests: $file: $name=$value has no digest" >&2; unpinned=$((unpinned + 1)); fi
      continue
    fi
    new="$ref@$(digest "$ref")"
    if [ "$new" != "$value" ]; then
      # The line is matched whole; image references hold no sed metacharacters but '.', escaped here.
      old_re=$(printf '%s' "$line" | sed 's/[.[\*^$/]/\\&/g')
      sed -i.bak "s/^${old_re}\$/ARG ${name}=$(printf '%s' "$new" | sed 's/[\/&]/\\&/g')/" "$file" && rm -f "$file.bak"
      echo "bump-digests: $(basename "$file"): $name=$new" >&2
    fi
  done < <(grep -E '^ARG [A-Z0-9_]+_IMAGE=' "$file")
done
if [ "$check" = true ] && [ "$unpinned" -gt 0 ]; then
  echo "bump-digests: $unpinned base image(s) not pinned; run docker/bump-digests.sh" >&2
  exit 1
fi
