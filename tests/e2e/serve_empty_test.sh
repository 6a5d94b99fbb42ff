#!/usr/bin/env bash
# End-to-end test of `rasai serve` starting from nothing: a folder with no index gets an empty one
# (and says so), is filled through POST /api/docs (token from --token-file) and serves it again
# after a restart; a folder holding other files but no index is refused and left untouched.
# Env: RASAI (the rasai binary), RASAI_SOURCE (repo root). Exit 77 = skipped.
set -euo pipefail

: "${RASAI:?set RASAI to the rasai binary}"
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

. "$RASAI_SOURCE/tests/e2e/http_lib.sh"
rasai_workspace serve-empty

FAIL=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAIL=$((FAIL + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
# json URL EXPR: fetches URL and evaluates the Python expression EXPR on the parsed body `j`.
json() {
  curl -sS --max-time 20 "$1" | python3 -c 'import json, sys; j = json.load(sys.stdin); sys.exit(0 if eval(sys.argv[1]) else 1)' "$2"
}
# serve N ARGS...: starts `rasai serve ARGS... --listen 127.0.0.1:0` in the background (output in
# $TMP/serve.N.out and .err), sets SERVER_PID and URL ("" when it printed none in 120 s).
serve() {
  local n="$1"; shift
  "$RASAI" serve "$@" --listen 127.0.0.1:0 >"$TMP/serve.$n.out" 2>"$TMP/serve.$n.err" &
  SERVER_PID=$!
  rasai_url "$TMP/serve.$n.out" "$SERVER_PID" 120 || true
}

TOKEN="empty-start-$RANDOM$RANDOM"
printf '%s\n' "$TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"

echo "# a folder that does not exist yet"
IDX="$TMP/new/index"
serve 1 --index "$IDX" --token-file "$TMP/token"
[ -n "$URL" ] || { cat "$TMP/serve.1.out" "$TMP/serve.1.err"; echo "FAIL rasai serve did not start on a new folder"; exit 1; }
check "says it created an empty index" "grep -q 'no index in $IDX: created an empty one' '$TMP/serve.1.out'"
check "serves 0 documents" "grep -q '^Rasai serving 0 documents at' '$TMP/serve.1.out'"
check "the folder holds a MANIFEST" "[ -f '$IDX/MANIFEST' ]"
check "/healthz answers with 0 documents" "json '${URL}healthz' \"j['status'] == 'ok' and j['docs'] == 0\""
check "a search of the empty index answers 0 hits" \
  "json '${URL}api/search?q=%D9%84%D8%A7%DB%81%D9%88%D8%B1' \"j['total'] == 0 and j['hits'] == []\""
code=$(curl -sS -o "$TMP/home.html" -w '%{http_code}' "$URL")
check "the search page loads (200)" "[ '$code' = 200 ]"

code=$(curl -sS -o "$TMP/post.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  --data-binary @"$RASAI_SOURCE/tests/e2e/http_docs.jsonl" "${URL}api/docs")
check "POST /api/docs with the token from --token-file fills it (200)" "[ '$code' = 200 ]"
DOCS=$(grep -c . "$RASAI_SOURCE/tests/e2e/http_docs.jsonl")
check "the documents are searchable" "json '${URL}api/search?q=monsoon' \"any(h['id'] == 'en-rain' for h in j['hits'])\""
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer wrong" --data-binary '{"id":"x"}' "${URL}api/docs")
check "a wrong token is refused (403)" "[ '$code' = 403 ]"
rasai_stop

echo "# the same folder again: an index now"
serve 2 --index "$IDX"
check "restart serves the $DOCS documents" "grep -q '^Rasai serving $DOCS documents at' '$TMP/serve.2.out'"
check "restart does not create anything" "! grep -q 'created an empty' '$TMP/serve.2.out'"
check "without a token it says documents cannot be added" "grep -q 'no operator token' '$TMP/serve.2.out'"
rasai_stop

echo "# an empty folder"
mkdir "$TMP/empty"
serve 3 --index "$TMP/empty"
check "an empty folder gets an empty index" "grep -q 'created an empty one' '$TMP/serve.3.out' && [ -f '$TMP/empty/MANIFEST' ]"
rasai_stop

echo "# folders that are not an index"
mkdir "$TMP/notes"
echo "a teacher's notes" >"$TMP/notes/notes.txt"
status=0
"$RASAI" serve --index "$TMP/notes" --listen 127.0.0.1:0 >"$TMP/serve.4.out" 2>&1 || status=$?
check "a folder of other files is refused (exit 1)" "[ $status = 1 ]"
check "the refusal names the folder and its file" "grep -q 'holds 1 file(s) (notes.txt) but no Rasai index' '$TMP/serve.4.out'"
check "and nothing is written there" "[ \"\$(ls -A '$TMP/notes')\" = notes.txt ]"

# An index whose MANIFEST was lost: its segments would be leftovers of a new index, and removed.
"$RASAI" index --index "$TMP/lost" "$RASAI_SOURCE/tests/e2e/http_docs.jsonl" >/dev/null
rm "$TMP/lost/MANIFEST"
before=$(ls -A "$TMP/lost" | sort | tr '\n' ' ')
status=0
"$RASAI" serve --index "$TMP/lost" --listen 127.0.0.1:0 >"$TMP/serve.5.out" 2>&1 || status=$?
check "an index without its MANIFEST is refused (exit 1)" "[ $status = 1 ] && grep -q 'no MANIFEST' '$TMP/serve.5.out'"
check "and its segment files are kept" "[ \"\$(ls -A '$TMP/lost' | sort | tr '\n' ' ')\" = '$before' ]"

echo "hello" >"$TMP/file"
status=0
"$RASAI" serve --index "$TMP/file" --listen 127.0.0.1:0 >"$TMP/serve.6.out" 2>&1 || status=$?
check "a file given as the index folder is refused" "[ $status = 1 ] && grep -q 'is not a folder' '$TMP/serve.6.out'"

echo "# token files"
status=0
"$RASAI" serve --index "$IDX" --listen 127.0.0.1:0 --token-file "$TMP/missing" >"$TMP/serve.7.out" 2>&1 || status=$?
check "a missing --token-file is an error" "[ $status = 1 ] && grep -q 'cannot read --token-file' '$TMP/serve.7.out'"
: >"$TMP/empty-token"
status=0
"$RASAI" serve --index "$IDX" --listen 127.0.0.1:0 --token-file "$TMP/empty-token" >"$TMP/serve.8.out" 2>&1 || status=$?
check "an empty --token-file is an error" "[ $status = 1 ] && grep -q 'is empty' '$TMP/serve.8.out'"
status=0
"$RASAI" serve --index "$IDX" --listen 127.0.0.1:0 --token x --token-file "$TMP/token" >"$TMP/serve.9.out" 2>&1 || status=$?
check "--token and --token-file together are an error" "[ $status = 1 ] && grep -q 'not both' '$TMP/serve.9.out'"

[ "$FAIL" = 0 ] && echo "all passed" || echo "$FAIL failed"
exit $((FAIL > 0))
