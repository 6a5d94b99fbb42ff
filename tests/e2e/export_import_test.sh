#!/usr/bin/env bash
# End-to-end test of sharing a collection between centers: `rasai export` of an index that a
# running server keeps changing (documents posted, segments merged) gives archives that are each
# one committed state; `rasai import` of one makes an index that another server serves with the
# same answers; import refuses to overwrite an index, or to replace one whose server runs.
# Env: RASAI (the rasai binary), RASAI_SOURCE (repo root). Exit 77 = skipped.
set -euo pipefail

: "${RASAI:?set RASAI to the rasai binary}"
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

. "$RASAI_SOURCE/tests/e2e/http_lib.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-export-e2e.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
FAIL=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAIL=$((FAIL + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# serve NAME INDEX: starts `rasai serve` on a free port; sets URL_<NAME> and PID_<NAME>.
serve() {
  "$RASAI" serve --index "$2" --listen 127.0.0.1:0 --token "$TOKEN" >"$TMP/$1.out" 2>"$TMP/$1.err" &
  local pid=$!
  PIDS+=("$pid")
  rasai_url "$TMP/$1.out" "$pid" || { cat "$TMP/$1.out" "$TMP/$1.err"; echo "FAIL serve $2"; exit 1; }
  printf -v "URL_$1" '%s' "$URL"
  printf -v "PID_$1" '%s' "$pid"
}
stop() {  # stop PID
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
# ids URL QUERY: the ids of the first 20 hits, one line.
ids() {
  curl -fsS -G "${1}api/search" --data-urlencode "q=$2" --data-urlencode "n=20" |
    python3 -c 'import json,sys; print(" ".join(h["id"] for h in json.load(sys.stdin)["hits"]))'
}
docs_of() { curl -fsS "${1}healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["docs"])'; }

TOKEN="export-$RANDOM$RANDOM"
BASE=$(grep -c . "$RASAI_SOURCE/tests/e2e/http_docs.jsonl")
"$RASAI" index --index "$TMP/a" "$RASAI_SOURCE/tests/e2e/http_docs.jsonl" >/dev/null
serve a "$TMP/a"

echo "# exports while documents are posted (20 per request, 30 requests)"
python3 - "$TMP/batches" <<'PY'
import json, os, sys
out = sys.argv[1]
os.makedirs(out)
words = ["بارش", "سیلاب", "کتاب", "کسان", "بجلی", "school", "river", "market"]
for b in range(30):
    with open(os.path.join(out, f"{b:02d}.jsonl"), "w", encoding="utf-8") as f:
        for i in range(20):
            n = b * 20 + i
            f.write(json.dumps({"id": f"post-{n}", "title": f"{words[n % 8]} {n}",
                                "body": " ".join(words[(n + k) % 8] for k in range(30)) + f" n{n}"},
                               ensure_ascii=False) + "\n")
PY
(
  for f in "$TMP"/batches/*.jsonl; do
    curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" --data-binary @"$f" "${URL_a}api/docs" || exit 1
  done
) &
POSTER=$!
PIDS+=("$POSTER")
n=0
while kill -0 "$POSTER" 2>/dev/null || [ $n -lt 3 ]; do
  ext=tar; [ $((n % 2)) = 1 ] && ext=tar.zst
  "$RASAI" export --index "$TMP/a" "$TMP/snap$n.$ext" >"$TMP/export$n.out" 2>&1 || { cat "$TMP/export$n.out"; bad "export $n"; }
  n=$((n + 1))
  [ $n -ge 15 ] && break
done
wait "$POSTER" && ok "30 POST requests answered" || bad "a POST failed"
check "$n exports ran while the server was writing" "[ $n -ge 3 ]"
consistent=0
counts=""
for i in $(seq 0 $((n - 1))); do
  f=$(ls "$TMP"/snap$i.tar* 2>/dev/null | head -n1)
  "$RASAI" import --index "$TMP/b$i" "$f" >"$TMP/import$i.out" 2>&1 || { cat "$TMP/import$i.out"; bad "import of $f"; continue; }
  "$RASAI" check --index "$TMP/b$i" >/dev/null 2>&1 || bad "rasai check of the import of $f"
  d=$("$RASAI" stats --index "$TMP/b$i" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
  counts="$counts $d"
  # Whole requests only: the documents of the file plus 20 per request.
  [ $(((d - BASE) % 20)) = 0 ] && consistent=$((consistent + 1))
  rm -rf "$TMP/b$i"
done
echo "     documents in the $n snapshots:$counts"
check "every snapshot holds whole commits (BASE + 20k documents): $consistent of $n" "[ $consistent = $n ]"

echo "# the last state, served by another server"
"$RASAI" export --index "$TMP/a" "$TMP/final.tar.gz" >"$TMP/final.out"
cat "$TMP/final.out"
check "export says how many documents" "grep -q '^exported $((BASE + 600)) documents' '$TMP/final.out'"
"$RASAI" import --index "$TMP/c" "$TMP/final.tar.gz" >"$TMP/import.out"
cat "$TMP/import.out"
serve c "$TMP/c"
check "the imported index serves $((BASE + 600)) documents" "[ \"\$(docs_of '$URL_c')\" = $((BASE + 600)) ]"
same=0
for q in "بارش" "کتاب سیلاب" "school river" "لاہور بارش" "n517" "monsoon"; do
  [ "$(ids "$URL_a" "$q")" = "$(ids "$URL_c" "$q")" ] && same=$((same + 1)) || echo "     differs: $q"
done
check "the two servers give the same hits for 6 queries" "[ $same = 6 ]"

echo "# what import refuses"
status=0
"$RASAI" import --index "$TMP/c" "$TMP/final.tar.gz" >"$TMP/r1.out" 2>&1 || status=$?
check "an index already there is not overwritten (exit 1)" "[ $status = 1 ] && grep -q 'holds an index already' '$TMP/r1.out'"
status=0
"$RASAI" import --index "$TMP/c" --replace "$TMP/snap0.tar" >"$TMP/r2.out" 2>&1 || status=$?
check "--replace while its server runs is refused" "[ $status = 1 ] && grep -q 'stop its server' '$TMP/r2.out'"
check "and the served index is unchanged" "[ \"\$(docs_of '$URL_c')\" = $((BASE + 600)) ]"
stop "$PID_c"
"$RASAI" import --index "$TMP/c" --replace "$TMP/snap0.tar" >"$TMP/r3.out" 2>&1 &&
  ok "--replace with the server stopped: $(cat "$TMP/r3.out")" || { cat "$TMP/r3.out"; bad "--replace"; }
check "the replaced index is the archive's" "cmp -s '$TMP/c/MANIFEST' <(tar -xOf '$TMP/snap0.tar' MANIFEST)"
check "nothing is left beside it" "[ -z \"\$(ls -A '$TMP' | grep import-)\" ]"
printf 'not an archive' >"$TMP/junk.tar"
status=0
"$RASAI" import --index "$TMP/d" "$TMP/junk.tar" >"$TMP/r4.out" 2>&1 || status=$?
check "a file that is not an archive is refused, nothing created" "[ $status = 1 ] && [ ! -e '$TMP/d' ]"
status=0
"$RASAI" export --index "$TMP/nothing" "$TMP/n.tar" >"$TMP/r5.out" 2>&1 || status=$?
check "export of a folder with no index fails" "[ $status = 1 ] && [ ! -e '$TMP/n.tar' ]"
stop "$PID_a"

[ "$FAIL" = 0 ] && echo "all passed" || echo "$FAIL failed"
exit $((FAIL > 0))
