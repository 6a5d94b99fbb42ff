#!/usr/bin/env bash
# The usage figures (GET /api/stats) survive a restart of rasai serve, and a power cut (SIGKILL)
# after they were last saved; /api/stats refuses without the operator token.
# Env: RASAI (the rasai binary), RASAI_SOURCE (repo root).
set -euo pipefail
: "${RASAI:?set RASAI to the rasai binary}"
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-usage-e2e.XXXXXX")
SERVER_PID=""
. "$RASAI_SOURCE/tests/e2e/http_lib.sh"
cleanup() { [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
"$RASAI" index --index "$TMP/idx" "$RASAI_SOURCE/tests/e2e/http_docs.jsonl" >/dev/null 2>&1
TOKEN=usage-token
search() { curl -sf -o /dev/null "${URL}api/search?q=$1"; }
stats() { curl -sf -H "Authorization: Bearer $TOKEN" "${URL}api/stats?period=$1"; }
# count QUERY_URLENCODED LIST: the count of that query in the stats JSON on stdin, 0 when absent.
count() { python3 -c "
import json, sys, urllib.parse
q = urllib.parse.unquote(sys.argv[1]); j = json.load(sys.stdin)
print(next((e['count'] for e in j[sys.argv[2]] if e['query'] == q), 0))" "$1" "$2"; }
LAHORE=%D9%84%D8%A7%DB%81%D9%88%D8%B1   # لاہور
NOTHING=%D8%B2%D8%B2%D8%B2%D8%B2%D8%B2  # ززززز

rasai_start "$TMP/idx" RASAI_OPERATOR_TOKEN=$TOKEN RASAI_USAGE_FLUSH_SECONDS=1
code=$(curl -s -o /dev/null -w '%{http_code}' "${URL}api/stats")
[ "$code" = 401 ] && ok "/api/stats without the token: 401" || bad "/api/stats without the token: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer wrong" "${URL}api/stats")
[ "$code" = 403 ] && ok "/api/stats with a wrong token: 403" || bad "/api/stats with a wrong token: $code"
search $LAHORE; search $LAHORE; search $NOTHING
[ "$(stats all | count $LAHORE top_queries)" = 2 ] && ok "two searches counted" || bad "counts: $(stats all)"
rasai_stop
rasai_start "$TMP/idx" RASAI_OPERATOR_TOKEN=$TOKEN RASAI_USAGE_FLUSH_SECONDS=1
[ "$(stats all | count $LAHORE top_queries)" = 2 ] && ok "after a restart: still 2" || bad "after a restart: $(stats all)"
[ "$(stats week | count $NOTHING zero_result_queries)" = 1 ] && ok "after a restart: the search that found nothing" ||
  bad "zero results after a restart: $(stats week)"
search $LAHORE
sleep 3  # saved within a second
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
rasai_start "$TMP/idx" RASAI_OPERATOR_TOKEN=$TOKEN
[ "$(stats day | count $LAHORE top_queries)" = 3 ] && ok "after a power cut (SIGKILL): 3" || bad "after SIGKILL: $(stats day)"
ls "$TMP/idx" | grep '^USAGE$' >/dev/null && ok "kept in the index folder as USAGE" || bad "no USAGE file"
ls "$TMP/idx" | grep 'USAGE.tmp' >/dev/null && bad "a USAGE.tmp was left" || ok "no half-written file left"
rasai_stop
[ "$fails" = 0 ] && echo "all passed" || { echo "$fails failed"; exit 1; }
