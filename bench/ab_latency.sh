#!/usr/bin/env bash
# A/B query latency of two builds of Rasai, interleaved in one run, so that the ratio holds on a
# noisy shared machine: each round runs rasai-query-kinds (on one index, built once by build A's
# `rasai index`) and `rasai-index-bench --engines rasai --queries` the four Urdu dev files, for
# build A and build B, in the order A B, B A, A B, ... Prints per row the median over rounds of
# each build's p50 and p95 and the ratios B / A (below 1: B faster), and the index build time.
#
#   bench/ab_latency.sh A_BUILD_DIR B_BUILD_DIR [ROUNDS=3] [DATA_DIR=../shared/data]
#   AB_LIMIT=N bench/ab_latency.sh ...   the first N queries of each set only (a quick check)
#
# A build folder holds rasai, bench/rasai-query-kinds and bench/rasai-index-bench (a CMake build
# of the repository with benchmarks on). Work files go to a temporary folder, removed at the end.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,12p' "$0"; exit 2; }
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd); ROUNDS=${3:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(cd "${4:-$HERE/../../shared/data}" && pwd)
for d in "$A" "$B"; do
  for t in rasai bench/rasai-query-kinds bench/rasai-index-bench; do
    [ -x "$d/$t" ] || { echo "missing $d/$t" >&2; exit 2; }
  done
done
[ -f "$DATA/urdu/urdu-news.jsonl" ] || { echo "no Urdu data under $DATA" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-ab.XXXXXX")
mkdir -p "$TMP/ib"
trap 'rm -rf "$TMP"' EXIT
echo "index: $A/rasai index --fields title,body (urdu-news + urdu-headlines)" >&2
"$A/rasai" index --index "$TMP/idx" --fields title,body "$DATA/urdu/urdu-news.jsonl" \
  "$DATA/urdu/urdu-headlines.jsonl" > /dev/null
run() {  # run BUILD LABEL ROUND
  echo "round $3: $2 ($(date +%H:%M:%S))" >&2
  "$1/bench/rasai-query-kinds" --data "$DATA" --index "$TMP/idx" --typo "$HERE/queries-dev-typo.tsv" ${AB_LIMIT:+--limit $AB_LIMIT} \
    > "$TMP/kinds.$2.$3.md" 2> "$TMP/kinds.$2.$3.err" || { cat "$TMP/kinds.$2.$3.err" >&2; exit 1; }
  "$1/bench/rasai-index-bench" --data "$DATA" --engines rasai ${AB_LIMIT:+--limit $AB_LIMIT} --queries queries-dev.tsv \
    --queries queries-dev-variant.tsv --queries queries-dev-mid.tsv --queries queries-dev-summary.tsv \
    --workdir "$TMP/ib" --json "$TMP/ib.$2.$3.json" > /dev/null 2> "$TMP/ib.$2.$3.err" || { cat "$TMP/ib.$2.$3.err" >&2; exit 1; }
}
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then run "$A" A "$r"; run "$B" B "$r"; else run "$B" B "$r"; run "$A" A "$r"; fi
done
python3 - "$TMP" "$ROUNDS" "$A" "$B" <<'PY'
import json, statistics, sys
tmp, rounds, a_dir, b_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = {}  # (tool, row) -> {"A": {round: (p50, p95)}, "B": {...}}
def add(key, label, r, p50, p95):
    rows.setdefault(key, {"A": {}, "B": {}})[label][r] = (p50, p95)
for label in "AB":
    for r in range(1, rounds + 1):
        for line in open(f"{tmp}/kinds.{label}.{r}.md"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 7 and cells[0] not in ("kind", "---") and not cells[0].startswith("-"):
                add(("query-kinds", cells[0]), label, r, float(cells[2]), float(cells[3]))
        e = json.load(open(f"{tmp}/ib.{label}.{r}.json"))["engines"][0]
        add(("index-bench", "build s"), label, r, e["build_s"], e["build_s"])
        for per in e["latency_ms"].values():
            for name, v in per.items():
                add(("index-bench", name), label, r, v["p50"], v["p95"])
print(f"A = {a_dir}\nB = {b_dir}\n{rounds} rounds, interleaved. Medians over rounds, ms (build: s); B/A is the")
print("median of the rounds' ratios (A and B of one round ran back to back), with their range.\n")
print("| tool | row | A p50 | B p50 | B/A p50 (range) | A p95 | B p95 | B/A p95 (range) |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for (tool, row), v in rows.items():
    cells = []
    for i in (0, 1):
        a = [v["A"][r][i] for r in sorted(v["A"])]
        b = [v["B"][r][i] for r in sorted(v["B"])]
        ratios = [y / x for x, y in zip(a, b) if x > 0]
        ratio = f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})" if ratios else "n/a"
        digits = 2 if row == "build s" else 3
        cells.append(f"{statistics.median(a):.{digits}f} | {statistics.median(b):.{digits}f} | {ratio}")
    print(f"| {tool} | {row} | {cells[0]} | " + ("| | |" if row == "build s" else f"{cells[1]} |"))
PY
