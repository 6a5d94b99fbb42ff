#!/usr/bin/env bash
# Builds the demo collection (scripts/build-demo.sh) into a temporary folder and checks that it is
# plausible: the UDHR in Urdu and the other languages of Pakistan, FOLDOC as valid JSONL with
# unique ids, the operator guide, and that a second run (from the npm cache) gives the same result.
# Env: RASAI_SOURCE (repository root; default: this script's repository). RASAI is not used yet.
# Exit 77 (skipped) when npm cannot reach the registry or dict-foldoc is not installed.
set -euo pipefail

SRC=${RASAI_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD="$SRC/scripts/build-demo.sh"
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v npm >/dev/null || { echo "SKIP: npm is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
[ -r /usr/share/dictd/foldoc.index ] || { echo "SKIP: dict-foldoc is not installed"; exit 77; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP/demo"

set +e
"$BUILD" >/dev/null 2>&1
usage_rc=$?
"$BUILD" "$OUT" >"$TMP/log1" 2>&1
rc=$?
set -e
cat "$TMP/log1"
[ "$rc" -ne 3 ] || { echo "SKIP: the npm registry is unreachable"; exit 77; }
[ "$rc" -eq 0 ] || fail "build-demo.sh exited with $rc"
[ "$usage_rc" -eq 2 ] || fail "build-demo.sh without OUTDIR should exit 2, got $usage_rc"

# UDHR: Urdu and the other languages of Pakistan that the package has.
urd="$OUT/udhr/udhr-urd.html"
[ -s "$urd" ] || fail "no Urdu UDHR at $urd"
grep -q 'lang="ur"' "$urd" || fail "Urdu UDHR has no lang=\"ur\""
grep -q '<title>انسانی حقوق کا عالمی منشور (Urdu)</title>' "$urd" || fail "Urdu UDHR title not rewritten"
grep -q 'ہر انسان' "$urd" || fail "Urdu UDHR has no Urdu text"
for code in urd pnb skr pbu eng hin pes_1 arb ben; do
  [ -s "$OUT/udhr/udhr-$code.html" ] || fail "UDHR $code missing"
done
n_udhr=$(find "$OUT/udhr" -name 'udhr-*.html' | wc -l)
[ "$n_udhr" -ge 15 ] || fail "only $n_udhr UDHR files"
grep -q "^udhr: $n_udhr languages, $n_udhr files" "$TMP/log1" || fail "build-demo did not report the UDHR count"

# FOLDOC: one definition a line (names of one definition merged: ~12,000 of 15,247 headwords).
lines=$(wc -l <"$OUT/foldoc.jsonl")
[ "$lines" -gt 11500 ] || fail "foldoc.jsonl has only $lines lines"
python3 - "$OUT/foldoc.jsonl" <<'PY' || fail "foldoc.jsonl content"
import json, sys
ids, by_id = set(), {}
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    d = json.loads(line)
    for k in ("id", "title", "body"):
        assert isinstance(d.get(k), str) and d[k].strip(), f"line {n}: empty {k}"
    assert d["id"].startswith("foldoc-"), f"line {n}: id {d['id']}"
    assert d["id"] not in ids, f"line {n}: duplicate id {d['id']}"
    assert d["lang"] == "en" and d["source"] == "FOLDOC" and d["category"] == "computing", f"line {n}"
    ids.add(d["id"])
    by_id[d["id"]] = d
c = by_id["foldoc-c"]
assert c["title"] == "C" and "Dennis Ritchie" in c["body"] and "{" not in c["body"], c
assert c["date"][:2] in ("19", "20") and c["topic"] == "language", c
assert "dollar" in by_id["foldoc-dollar"]["title"].lower() or "$" in by_id["foldoc-dollar"]["aliases"]
assert not any(i.startswith("foldoc-00-database") for i in ids)
print(f"foldoc.jsonl: {len(ids)} entries, ids unique")
PY

# The operator guide, both languages.
for f in operator-guide.en.md operator-guide.ur.md; do
  [ -s "$OUT/guide/$f" ] || fail "guide/$f missing"
  cmp -s "$OUT/guide/$f" "$SRC/docs/guide/$f" || fail "guide/$f differs from docs/guide/$f"
done
[ -s "$OUT/CREDITS" ] || fail "no CREDITS"

# Idempotent: a second run reuses the npm cache and produces the same files.
sum() { (cd "$OUT" && find udhr guide foldoc.jsonl -type f -print0 | sort -z | xargs -0 sha256sum); }
sum >"$TMP/sum1"
"$BUILD" "$OUT" >"$TMP/log2" 2>&1 || { cat "$TMP/log2"; fail "second run failed"; }
sum >"$TMP/sum2"
cmp -s "$TMP/sum1" "$TMP/sum2" || { diff "$TMP/sum1" "$TMP/sum2" || true; fail "second run changed the output"; }
[ ! -e "$OUT/udhr.tmp" ] && [ ! -e "$OUT/foldoc.jsonl.tmp" ] || fail "temporary files left behind"

echo "PASS: $n_udhr UDHR files, $lines FOLDOC entries"
