#!/usr/bin/env bash
# End-to-end test through the CLI: index (with bad input), search (single and batch, --json
# contract), stats, check, extract, re-index (replacement), and a damaged index.
# Env: RASAI (the rasai binary). Exit 77 = skipped.
set -euo pipefail
: "${RASAI:?set RASAI to the rasai binary}"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-cli-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAIL=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAIL=$((FAIL + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

{
  echo '{"id":"n1","title":"کراچی میں بارش","body":"کراچی میں شدید بارش کے بعد سڑکیں ڈوب گئیں۔","source":"BBC","date":"2016-07-01"}'
  echo '{"id":"n2","title":"وزیراعظم کا دورہ","body":"وزیر اعظم نے چین کا دورہ کیا۔","source":"VOA"}'
  echo '{"id":"n3","title":"Floods in Sindh","body":"Heavy floods hit Sindh province."}'
  echo '{"title":"no id here"}'
  echo '{"id":"n4", "title": broken json'
  printf '{"id":"n5","title":"bad \xff utf8","body":"still indexed"}\n'
  echo ''
} > "$TMP/docs.jsonl"
mkdir -p "$TMP/pages"
printf '# Opening hours\n\nThe center opens at nine.\n' > "$TMP/pages/hours.md"
printf '<html lang="ur"><head><title>مرکز</title><script>var x=1;</script></head><body><p>مرکز صبح نو بجے کھلتا ہے۔</p></body></html>' > "$TMP/pages/markaz.html"

"$RASAI" index --index "$TMP/idx" "$TMP/docs.jsonl" "$TMP/pages" > "$TMP/index.out" 2> "$TMP/index.err" || bad "index exit code"
cat "$TMP/index.out"
check "summary counts added and skipped" "grep -q '6 added, 0 replaced, 2 skipped' '$TMP/index.out'"
check "malformed line reported with file and line" "grep -q 'docs.jsonl:5' '$TMP/index.err'"
check "missing id reported with file and line" "grep -q 'docs.jsonl:4: missing id' '$TMP/index.err'"
check "broken UTF-8 reported" "grep -qi 'utf-8' '$TMP/index.err'"

"$RASAI" search --index "$TMP/idx" --json -n 5 "كراچي" > "$TMP/s1.json"
check "json contract, Arabic-keyboard query finds the Urdu article" "python3 - '$TMP/s1.json' <<'PY'
import json, sys
o = json.loads(open(sys.argv[1]).read())
assert list(o)[:5] == ['qid', 'query', 'total', 'took_ms', 'hits'], list(o)
assert o['hits'][0]['id'] == 'n1', o
assert set(o['hits'][0]) >= {'id', 'score', 'title', 'snippet', 'url'}
PY"
printf 'q1\tوزیر اعظم\tn2\nq2\tfloods\tn3\nq3\tnothing-matches-this\n' > "$TMP/queries.tsv"
"$RASAI" search --index "$TMP/idx" --json -n 10 --queries "$TMP/queries.tsv" > "$TMP/batch.jsonl"
check "batch: one line per query, qids kept, empty result is a list" "python3 - '$TMP/batch.jsonl' <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [l['qid'] for l in lines] == ['q1', 'q2', 'q3'], lines
assert lines[0]['hits'][0]['id'] == 'n2'
assert lines[1]['hits'][0]['id'] == 'n3'
assert lines[2]['hits'] == [] and lines[2]['total'] == 0
PY"
"$RASAI" search --index "$TMP/idx" "مرکز" > "$TMP/html.out"
check "HTML page indexed without its script" "grep -q 'markaz.html' '$TMP/html.out' && ! grep -q 'var x' '$TMP/html.out'"

check "stats" "'$RASAI' stats --index '$TMP/idx' --json | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"documents\"] == 6'"
check "check passes" "'$RASAI' check --index '$TMP/idx' >/dev/null"
check "extract prints documents" "'$RASAI' extract --json '$TMP/pages/hours.md' | grep 'Opening hours' >/dev/null"

echo '{"id":"n1","title":"کراچی میں دھوپ","body":"بارش کے بعد دھوپ نکل آئی۔"}' > "$TMP/update.jsonl"
"$RASAI" index --index "$TMP/idx" "$TMP/update.jsonl" > "$TMP/update.out"
check "re-index replaces by id" "grep -q '0 added, 1 replaced' '$TMP/update.out'"
check "replacement is what search sees" "'$RASAI' search --index '$TMP/idx' --json 'دھوپ' | grep '\"n1\"' >/dev/null && ! '$RASAI' search --index '$TMP/idx' --json 'سڑکیں' | grep '\"n1\"' >/dev/null"

# Boilerplate openings: 25 pages of one source start with the same share text; it is dropped
# from their bodies (a word found only there no longer matches), and kept with --keep-openings.
python3 - "$TMP/boiler.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], 'w') as f:
    for i in range(25):
        body = f'Share this shareword page on email and chat\n\nArticle{i} reports rain in town {i}.'
        f.write(json.dumps({'id': f'b{i}', 'title': f'Rain {i}', 'body': body, 'source': 'site'}) + '\n')
    for i in range(25):  # another source: the same 3-word opening, too short to be boilerplate
        f.write(json.dumps({'id': f'c{i}', 'title': f'Wind {i}', 'body': f'Share this story{i} about wind', 'source': 'other'}) + '\n')
PY
"$RASAI" index --index "$TMP/boiler" "$TMP/boiler.jsonl" > "$TMP/boiler.out"
check "the repeated opening is reported" "grep -q \"removed a 8-word opening from 25 documents of source 'site': Share this shareword page on email and chat\" '$TMP/boiler.out' && [ \$(grep -c 'removed a' '$TMP/boiler.out') -eq 1 ]"
check "the repeated opening is not indexed, the article is" "'$RASAI' search --index '$TMP/boiler' --json shareword | grep '\"total\":0' >/dev/null && '$RASAI' search --index '$TMP/boiler' --json article7 | grep '\"b7\"' >/dev/null"
"$RASAI" index --keep-openings --index "$TMP/boiler-kept" "$TMP/boiler.jsonl" > "$TMP/boiler-kept.out"
check "--keep-openings keeps it" "! grep -q 'removed a' '$TMP/boiler-kept.out' && '$RASAI' search --index '$TMP/boiler-kept' --json shareword | grep '\"total\":25' >/dev/null"

# An edited copy of an article (the HTTP fixture's ur-fair / ur-fair-edited) says so.
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
"$RASAI" index --index "$TMP/copies" "$RASAI_SOURCE/tests/e2e/http_docs.jsonl" > /dev/null
"$RASAI" search --index "$TMP/copies" --json "سائنس میلہ" > "$TMP/copies.json"
check "an edited copy carries copy_of in --json" "python3 -c \"import json,sys; h=json.load(open(sys.argv[1]))['hits']; sys.exit(0 if 'copy_of' not in h[0] and h[1].get('copy_of') == h[0]['id'] and {h[0]['id'], h[1]['id']} == {'ur-fair', 'ur-fair-edited'} else 1)\" '$TMP/copies.json'"
check "and is marked in the text output" "'$RASAI' search --index '$TMP/copies' 'سائنس میلہ' | grep 'edited copy of \\[ur-fair' >/dev/null"

# A body longer than what is indexed (8 MiB) is named, stored whole, searchable in its start.
python3 -c "import json; b='opening ' + 'lafz ' * 1700000 + 'closingword'; print(json.dumps({'id': 'huge', 'title': 'a book', 'body': b}))" > "$TMP/huge.jsonl"
"$RASAI" index --index "$TMP/huge" "$TMP/huge.jsonl" > /dev/null 2> "$TMP/huge.err"
check "a field past 8 MiB is named" "grep -q '^huge: body longer than 8 MiB: stored whole, searchable in its first 8 MiB' '$TMP/huge.err'"
check "its start is searchable, its end is not" "'$RASAI' search --index '$TMP/huge' --json opening | grep '\"huge\"' >/dev/null && '$RASAI' search --index '$TMP/huge' --json closingword | grep '\"total\":0' >/dev/null"

# Damage: a flipped byte in the postings is reported by check, never a crash.
f=$(ls "$TMP"/idx/*.doc | head -1)
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=0xff; open(p,'wb').write(b)" "$f"
set +e
"$RASAI" check --index "$TMP/idx" > /dev/null 2> "$TMP/check.err"; rc=$?
set -e
check "check fails on damage and names the file" "[ $rc -eq 1 ] && grep -q '$(basename "$f")' '$TMP/check.err'"
check "missing index is a clear error" "! '$RASAI' search --index '$TMP/nope' x 2>&1 | grep Segmentation >/dev/null"

echo "$FAIL failed"
[ "$FAIL" -eq 0 ]
