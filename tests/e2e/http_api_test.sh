#!/usr/bin/env bash
# End-to-end test of the HTTP API: indexes tests/e2e/http_docs.jsonl with the CLI, starts
# `rasai serve` on an ephemeral port and checks the contract in docs/http-api.md with curl.
# Env: RASAI (the rasai binary), RASAI_SOURCE (repo root). Exit 77 = skipped.
set -euo pipefail

: "${RASAI:?set RASAI to the rasai binary}"
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

. "$RASAI_SOURCE/tests/e2e/http_lib.sh"
rasai_workspace http-e2e

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }

# fetch NAME CURL_ARGS...: runs curl, leaving the status in $CODE, body in $TMP/NAME.body,
# headers in $TMP/NAME.head.
fetch() {
  local name="$1"; shift
  CODE=$(curl -sS --max-time 20 -o "$TMP/$name.body" -D "$TMP/$name.head" -w '%{http_code}' "$@" || echo 000)
}
expect_code() {  # expect_code WANT NAME DESCRIPTION
  if [ "$CODE" = "$1" ]; then ok "$3 -> $CODE"; else bad "$3: want $1, got $CODE: $(head -c 300 "$TMP/$2.body" 2>/dev/null)"; fi
}
# check_json NAME DESCRIPTION PYTHON_EXPR: the expression sees the parsed body as `j`.
check_json() {
  if python3 - "$TMP/$1.body" "$3" <<'PY'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
ok = eval(sys.argv[2])
sys.exit(0 if ok else 1)
PY
  then ok "$2"; else bad "$2: $(head -c 400 "$TMP/$1.body")"; fi
}
header_has() {  # header_has NAME DESCRIPTION REGEX
  if grep -qiE "$3" "$TMP/$1.head"; then ok "$2"; else bad "$2: headers were: $(tr '\r\n' '  ' <"$TMP/$1.head")"; fi
}

echo "# indexing"
"$RASAI" index --index "$TMP/idx" "$RASAI_SOURCE/tests/e2e/http_docs.jsonl" >"$TMP/index.out" 2>&1 || {
  cat "$TMP/index.out"; echo "FAIL rasai index"; exit 1; }
DOCS=$(grep -c . "$RASAI_SOURCE/tests/e2e/http_docs.jsonl")

echo "# serving"
TOKEN="e2e-$RANDOM$RANDOM"
rasai_start "$TMP/idx" RASAI_OPERATOR_TOKEN="$TOKEN"
echo "server at $URL"
case "$URL" in http://127.0.0.1:[0-9]*/) ok "serve printed its URL";; *) bad "odd URL $URL";; esac

fetch health "${URL}healthz"
expect_code 200 health "GET /healthz"
check_json health "healthz reports status ok and $DOCS docs" "j['status'] == 'ok' and j['docs'] == $DOCS and j['generation'] >= 1"

fetch search -G "${URL}api/search" --data-urlencode "q=لاہور بارش"
expect_code 200 search "GET /api/search Urdu"
check_json search "Urdu search finds ur-rain first-page with hits fields" \
  "any(h['id'] == 'ur-rain' for h in j['hits']) and j['total'] >= 1 and j['query'] == 'لاہور بارش' and all(set(h) >= {'id','score','title','snippet','url','date','lang','source','category'} for h in j['hits'])"
check_json search "snippets mark the query terms" "any('<mark>' in h['snippet'] for h in j['hits'])"
check_json search "search reports took_ms, facets and suggestion" \
  "isinstance(j['took_ms'], (int, float)) and isinstance(j['facets'], dict) and isinstance(j['suggestion'], str)"
header_has search "JSON content type" '^content-type: application/json; charset=utf-8'

fetch search_copy -G "${URL}api/search" --data-urlencode "q=سائنس میلہ"
check_json search_copy "an edited copy of a hit says so (copy_of), the original does not" \
  "sorted(h['id'] for h in j['hits'][:2]) == ['ur-fair', 'ur-fair-edited'] and [h.get('copy_of', '') for h in j['hits']] == ['', j['hits'][0]['id']] + [''] * (len(j['hits']) - 2)"
fetch related_copy -G "${URL}api/related/ur-fair"
check_json related_copy "related leaves out the edited copy" "all(h['id'] != 'ur-fair-edited' for h in j['hits'])"

fetch search_en -G "${URL}api/search" --data-urlencode "q=monsoon Lahore" --data-urlencode "lang=en"
expect_code 200 search_en "GET /api/search English with lang filter"
check_json search_en "English search finds en-rain and only English hits" \
  "any(h['id'] == 'en-rain' for h in j['hits']) and all(h['lang'] == 'en' for h in j['hits'])"

fetch search_src -G "${URL}api/search" --data-urlencode "q=کرکٹ" --data-urlencode "source=اردو ٹائمز" --data-urlencode "n=5"
expect_code 200 search_src "GET /api/search with a source filter"
check_json search_src "source filter keeps ur-cricket" "[h['id'] for h in j['hits']] == ['ur-cricket']"

fetch doc "${URL}api/doc/ur-rain"
expect_code 200 doc "GET /api/doc/ur-rain"
check_json doc "stored document comes back" "j['id'] == 'ur-rain' and j['title'].startswith('لاہور') and j['source'] == 'رسائی خبریں'"

fetch doc_slash "${URL}api/doc/guides%2Furdu%20keyboard"
expect_code 200 doc_slash "GET /api/doc with an encoded slash and space in the id"
check_json doc_slash "the id with a slash round-trips" "j['id'] == 'guides/urdu keyboard'"

fetch related "${URL}api/related/ur-rain?n=3"
expect_code 200 related "GET /api/related/ur-rain"
check_json related "related excludes the document itself" "j['id'] == 'ur-rain' and len(j['hits']) <= 3 and all(h['id'] != 'ur-rain' for h in j['hits'])"

fetch suggest -G "${URL}api/suggest" --data-urlencode "q=لاہ"
expect_code 200 suggest "GET /api/suggest"
check_json suggest "suggestions is a list of strings" "isinstance(j['suggestions'], list) and all(isinstance(s, str) for s in j['suggestions'])"
fetch suggest_next -G "${URL}api/suggest" --data-urlencode "q=موسلا "
expect_code 200 suggest_next "GET /api/suggest after a word and a space"
check_json suggest_next "after a word and a space, the word written after it" "j['suggestions'][:1] == ['موسلا دھار']"

fetch missing "${URL}api/doc/no-such-id"
expect_code 404 missing "GET /api/doc/no-such-id"
check_json missing "404 has a JSON error" "j['status'] == 404 and isinstance(j['error'], str)"
fetch nopage "${URL}no/such/page"
expect_code 404 nopage "GET /no/such/page"

echo "# hostile requests"
fetch bad_pct "${URL}api/search?q=%zz"
expect_code 400 bad_pct "bad percent-encoding"
check_json bad_pct "bad percent-encoding explains itself" "'percent' in j['error']"
fetch bad_n "${URL}api/search?q=a&n=abc"
expect_code 400 bad_n "n=abc"
fetch bad_sort "${URL}api/search?q=a&sort=sideways"
expect_code 400 bad_sort "sort=sideways"
fetch traversal --path-as-is "${URL}../../etc/passwd"
expect_code 400 traversal "path traversal ../../etc/passwd"
fetch traversal2 --path-as-is "${URL}%2e%2e/%2e%2e/etc/passwd"
expect_code 400 traversal2 "encoded path traversal"
LONG=$(head -c 20000 /dev/zero | tr '\0' a)
fetch longq "${URL}api/search?q=$LONG"
if [ "$CODE" = 414 ] || [ "$CODE" = 400 ]; then ok "20 kB query string -> $CODE"; else bad "20 kB query string -> $CODE"; fi
BIGH=$(head -c 70000 /dev/zero | tr '\0' h)
fetch bighead -H "X-Big: $BIGH" "${URL}healthz"
case "$CODE" in 4??|000) ok "70 kB header -> $CODE (refused)";; *) bad "70 kB header -> $CODE";; esac
fetch odd -G "${URL}api/search" --data-urlencode 'q=((("unclosed AND OR -- *'
expect_code 200 odd "odd query text still searches"
fetch health2 "${URL}healthz"
expect_code 200 health2 "server alive after hostile requests"

echo "# web UI"
fetch home "$URL"
expect_code 200 home "GET /"
header_has home "home is HTML" '^content-type: text/html'
if grep -q 'dir="rtl"' "$TMP/home.body"; then ok "home is right-to-left"; else bad "home lacks dir=rtl"; fi
fetch reader "${URL}read/ur-rain"
expect_code 200 reader "GET /read/ur-rain"
if grep -q 'موسلا دھار بارش' "$TMP/reader.body" && grep -q 'lang="ur" dir="rtl"' "$TMP/reader.body"; then
  ok "reader shows the Urdu article right-to-left"; else bad "reader page content"; fi
fetch js "${URL}app.js"
expect_code 200 js "GET /app.js"
header_has js "app.js content type" '^content-type: text/javascript'
fetch gz -H 'Accept-Encoding: gzip' "${URL}app.js"
header_has gz "app.js is compressed for clients that accept gzip" '^content-encoding: gzip'

echo "# operator endpoints"
printf '%s\n' '{"id":"op-1","title":"گوجرانوالہ میں پہلوانی کا دنگل","body":"گوجرانوالہ کے اکھاڑے میں دنگل ہوا۔","lang":"ur"}' \
  'not json' >"$TMP/new.jsonl"
fetch post_noauth -X POST --data-binary @"$TMP/new.jsonl" "${URL}api/docs"
expect_code 401 post_noauth "POST /api/docs without a token"
fetch post_wrong -X POST -H "Authorization: Bearer wrong" --data-binary @"$TMP/new.jsonl" "${URL}api/docs"
expect_code 403 post_wrong "POST /api/docs with a wrong token"
fetch post -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$TMP/new.jsonl" "${URL}api/docs"
if [ "$CODE" = 403 ] && grep -q 'no operator token' "$TMP/post.body"; then
  bad "POST /api/docs: rasai serve ignored RASAI_OPERATOR_TOKEN (operator endpoints disabled)"
else
  expect_code 200 post "POST /api/docs with the token"
  check_json post "one added, line 2 reported" "j['added'] == 1 and [e['line'] for e in j['errors']] == [2]"
fi

echo "# restart: acknowledged documents survive"
stopped_cleanly() {  # the server exits 0 on SIGTERM (a sanitizer report or a leak would not)
  if rasai_stop && [ "$STOP_STATUS" = 0 ]; then ok "$1 (exit 0)"; else
    bad "$1: exit ${STOP_STATUS:-none}; server stderr: $(tail -c 2000 "$SERVER_ERR")"; fi
}
stopped_cleanly "server stopped on SIGTERM"
rasai_start "$TMP/idx" RASAI_OPERATOR_TOKEN="$TOKEN"
fetch after "${URL}api/doc/op-1"
expect_code 200 after "op-1 is there after a restart"
fetch del -X DELETE -H "Authorization: Bearer $TOKEN" "${URL}api/docs/op-1"
expect_code 200 del "DELETE /api/docs/op-1"
check_json del "delete reports the document existed" "j['existed'] is True"
fetch gone "${URL}api/doc/op-1"
expect_code 404 gone "op-1 is gone after DELETE"

fetch metrics "${URL}metrics"
expect_code 200 metrics "GET /metrics"
if grep -q '^rasai_http_requests_total{route="/api/doc",status="404"} 1$' "$TMP/metrics.body" &&
   grep -q '^rasai_search_duration_seconds_count ' "$TMP/metrics.body" &&
   grep -q "^rasai_index_documents $DOCS\$" "$TMP/metrics.body"; then
  ok "metrics count requests, search latency and documents"
else
  bad "metrics content: $(head -c 600 "$TMP/metrics.body")"
fi

stopped_cleanly "server stopped"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
