#!/bin/bash
# A "mod" for the end-to-end test: the stand-in for every call; after `mod build` the hostile script runs as the
# same user (the build user when isolated), as a repository's build would.
"$STANDIN_COMMAND" "$@"
rc=$?
if [ "$1" = build ] && [ "$2" != --help ]; then bash "$(dirname "$0")/isolation-hostile.sh" "$@" || exit 3; fi
exit $rc
