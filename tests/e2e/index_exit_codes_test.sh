#!/usr/bin/env bash
# End-to-end test of `rasai index`'s exit codes and progress (issue 19, "exit codes that scripts can
# trust"): 0 when documents were indexed (problems listed and summed up), 1 when nothing could be
# read (a missing file: no index created; every line bad), 2 for a wrong option value, 3 when the
# index cannot be opened or written; a progress line on a terminal.
# Env: RASAI (the rasai binary). Exit 77 = skipped.
set -uo pipefail
: "${RASAI:?set RASAI to the rasai binary}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-exit-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAIL=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAIL=$((FAIL + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
run() { "$RASAI" index "$@" > "$TMP/out" 2> "$TMP/err"; echo $?; }

echo '{"id":"a","title":"t","body":"some text"}' > "$TMP/good.jsonl"
printf '{"id": broken\n{"title":"no id"}\n\n[1,2]\n' > "$TMP/bad.jsonl"

rc=$(run --index "$TMP/idx1" "$TMP/missing.jsonl")
check "a missing file: exit 1" "[ $rc -eq 1 ]"
check "  says which file and why" "grep -q 'missing.jsonl: cannot read: no such file or folder' '$TMP/err' && grep -q 'nothing to index' '$TMP/err'"
check "  and creates no index" "[ ! -e '$TMP/idx1' ]"

rc=$(run --index "$TMP/idx2" "$TMP/bad.jsonl")
check "every line bad: exit 1" "[ $rc -eq 1 ]"
check "  each line's reason and the cause" "grep -q 'bad.jsonl:1: malformed JSON' '$TMP/err' && grep -q 'bad.jsonl:2: missing id' '$TMP/err' && grep -q 'bad.jsonl:4: not an object' '$TMP/err' && grep -q 'nothing was indexed' '$TMP/err'"
check "  the summary still counts them" "grep -q 'indexed 0 documents.*3 skipped' '$TMP/out'"

rc=$(run --index "$TMP/idx3" "$TMP/good.jsonl" "$TMP/missing.jsonl" "$TMP/bad.jsonl")
check "partial success: exit 0" "[ $rc -eq 0 ]"
check "  with the problems summed up" "grep -q 'indexed 1 documents.*4 skipped; problems (cannot read: 1, malformed JSON: 1, missing id: 1, not an object: 1)' '$TMP/out'"
check "  the document is found" "'$RASAI' search --index '$TMP/idx3' --json text | grep '\"id\":\"a\"' >/dev/null"

rc=$(run --index "$TMP/idx4" --fields title,nope "$TMP/good.jsonl")
check "an unknown field: exit 2" "[ $rc -eq 2 ] && grep -q \"unknown field 'nope'\" '$TMP/err'"

touch "$TMP/afile"
rc=$(run --index "$TMP/afile" "$TMP/good.jsonl")
check "an index that cannot be opened: exit 3" "[ $rc -eq 3 ] && grep -q 'rasai index:' '$TMP/err'"

check "--help documents the exit codes" "'$RASAI' index --help | grep 'Exit codes: 0 documents were indexed' >/dev/null"

# On a terminal: a progress line updated in place (script(1) gives the command a terminal).
if command -v script > /dev/null; then
  python3 -c "
import json
for i in range(60000):
    print(json.dumps({'id': 'p%d' % i, 'title': 'title %d' % i, 'body': 'word%d other words here ' % i * 20}))
" > "$TMP/many.jsonl"
  script -qec "'$RASAI' index --index '$TMP/idx5' '$TMP/many.jsonl'" /dev/null > "$TMP/tty.out" 2>&1
  check "a terminal gets a progress line" "grep -q \$'\\r' '$TMP/tty.out' && grep -q 'documents/s' '$TMP/tty.out' && grep -q 'MB/s' '$TMP/tty.out'"
  "$RASAI" index --index "$TMP/idx6" "$TMP/many.jsonl" > "$TMP/plain.out" 2> "$TMP/plain.err"
  check "a pipe gets no carriage returns" "! grep -q \$'\\r' '$TMP/plain.err' && ! grep -q \$'\\r' '$TMP/plain.out'"
else
  echo "skip progress checks: script(1) missing"
fi

echo "$FAIL failed"
[ "$FAIL" -eq 0 ]
