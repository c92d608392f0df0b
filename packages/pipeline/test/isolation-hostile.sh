#!/bin/bash
# A hostile "mod build": tries to reach what an untrusted build must not reach and writes what it got to
# $CHECKOUT/findings (its own checkout). Arguments as `mod build <dir> ...`. DATA_DIR is the checkout's ../..
checkout="$2"
data="$(dirname "$(dirname "$checkout")")"
out="$checkout/findings"
sibling=row-2
[ "$(basename "$checkout")" = row-2 ] && sibling=row-1
try() { if eval "$2" >/dev/null 2>&1; then echo "$1=reached" >>"$out"; else echo "$1=denied" >>"$out"; fi; }
: >"$out" || exit 3
try parent-environ "grep -q SECRET_MARKER /proc/$PPID/environ"
try init-environ "grep -q SECRET_MARKER /proc/1/environ"
try signal-parent "kill -0 $PPID"
try build-logs "ls '$data/logs'"
try other-homes "ls '$data/.build-homes'"
found=0
for f in /proc/[0-9]*/environ; do grep -q SECRET_MARKER "$f" 2>/dev/null && found=$((found + 1)); done
echo "environs-with-secret=$found" >>"$out"
try credential-file "cat '$data/.auth/git-credentials'"
try list-work "ls '$data/work'"
try sibling-read "ls '$data/work/$sibling' && cat '$data/work/$sibling/file'"
try sibling-write "touch '$data/work/$sibling/planted'"
try sibling-csv "cat '$data/work/$sibling.csv'"
try state-write "touch '$data/state/forged.json'"
try state-read "cat '$data/state/state.json'"
try aws-env "env | grep -q -E '^(AWS_|ECS_)'"
try secret-env "env | grep -q SECRET_MARKER"
try own-write "touch '$checkout/built' && mkdir -p '$checkout/.moderne/build'"
try home-write "touch \"\$HOME/.m2-probe\" && touch \"\$TMPDIR/probe\""
echo "groups=$(id -G)" >>"$out"
echo "uid=$(id -u)" >>"$out"
setsid sleep 100000 </dev/null >/dev/null 2>&1 &
echo "setsid-pid=$!" >>"$out"
ln -s / "$checkout/.moderne/build/escape"
ln -s "$data/.auth" "$checkout/auth-link"
ln -s built "$checkout/inner-link"
echo "log line with SECRET_MARKER-publish-password" >>"$checkout/.moderne/build/build.log"
for log in "$checkout"/*/*/.moderne/build/*/build.log; do
  [ -f "$log" ] && echo "stolen: SECRET_MARKER-publish-password" >>"$log"
done
exit 0
