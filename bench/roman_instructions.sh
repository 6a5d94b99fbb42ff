#!/usr/bin/env bash
# The Roman Urdu cost goal (issue 21: p95 of Roman queries at most 3 x the p95 of the distinctive
# Urdu-script queries) in instructions instead of time: callgrind counts the instructions of each
# `Searcher::Search` of `rasai search --json -n 10 --queries`, one count per query, for the Roman
# file, its Urdu-script twins (what each Roman query was searched as) and queries-dev.tsv. The
# counts do not move with the machine's load, so two builds compare in one run of each, where the
# wall-clock ratio of rasai-roman-bench moves by 10% from run to run on a shared host. Instructions
# are not time (cache misses are not in them): the time goal is still rasai-roman-bench's.
#
#   bench/roman_instructions.sh BUILD_DIR INDEX [ROMAN_FILE] [DATA_DIR=../shared/data]
#
# INDEX: urdu-news.jsonl + urdu-headlines.jsonl indexed with `rasai index --fields title,body`.
# Needs valgrind. Prints per set the queries, p50, p95 and mean (thousands of instructions) and
# the p95 ratios. Takes a few minutes (valgrind runs about 50 times slower). KEEP=1 keeps the
# callgrind files (printed: their folder) for callgrind_annotate.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,15p' "$0"; exit 2; }
RASAI=$(cd "$1" && pwd)/rasai
INDEX=$2
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(cd "${4:-$HERE/../../shared/data}" && pwd)
ROMAN=${3:-$DATA/urdu/queries-dev-roman.tsv}
[ -x "$RASAI" ] || { echo "no rasai in $1" >&2; exit 2; }
command -v valgrind > /dev/null || { echo "valgrind is not installed" >&2; exit 2; }
[ -f "$DATA/urdu/queries-dev.tsv" ] || { echo "no Urdu query files under $DATA" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-instr.XXXXXX")
if [ -n "${KEEP:-}" ]; then echo "callgrind files: $TMP" >&2; else trap 'rm -rf "$TMP"' EXIT; fi

# The twins: each Roman query as the search read it (its transliteration), in the same order.
"$RASAI" search --index "$INDEX" --json -n 10 --queries "$ROMAN" > "$TMP/roman.jsonl"
python3 - "$TMP/roman.jsonl" "$ROMAN" > "$TMP/twin.tsv" <<'EOF'
import json, sys
said = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        o = json.loads(line)
        said[str(o.get("qid"))] = o.get("transliteration") or ""
for line in open(sys.argv[2], encoding="utf-8"):
    p = line.rstrip("\n").split("\t")
    if len(p) >= 2 and not line.startswith("#"):
        print(f"{p[0]}\t{said.get(p[0]) or p[1]}")
EOF

SEARCH='rasai::Searcher::Search(rasai::SearchRequest const&) const'
count() {  # count SET FILE: one callgrind dump per search, inside Search only. The file is
  # searched twice in one process and the second pass counted: what the first searches build
  # once (the Roman lexicons, a field's terms by length for typos) is not a query's cost.
  mkdir -p "$TMP/$1"
  cat "$2" "$2" > "$TMP/$1.in.tsv"
  valgrind --tool=callgrind --callgrind-out-file="$TMP/$1/cg.out" --collect-atstart=no \
    --toggle-collect="$SEARCH" --dump-after="$SEARCH" \
    "$RASAI" search --index "$INDEX" --json -n 10 --queries "$TMP/$1.in.tsv" > /dev/null 2> "$TMP/$1.log" ||
    { cat "$TMP/$1.log" >&2; exit 1; }
}
count urdu "$DATA/urdu/queries-dev.tsv"
count roman "$ROMAN"
count twin "$TMP/twin.tsv"

python3 - "$TMP" <<'EOF'
import glob, sys
def counts(d):
    dumps = []
    for f in glob.glob(f"{d}/cg.out.*"):
        for line in open(f):
            if line.startswith(("summary:", "totals:")):
                dumps.append((int(f.rsplit(".", 1)[1]), int(line.split()[1])))
                break
    dumps.sort()
    return sorted(v for _, v in dumps[len(dumps) // 2:])  # the second pass
sets = {name: counts(f"{sys.argv[1]}/{name}") for name in ("urdu", "roman", "twin")}
p = lambda v, q: v[min(len(v) - 1, int(q * len(v)))]
print("set      queries   p50 (K)   p95 (K)  mean (K)")
for name, v in sets.items():
    print(f"{name:8} {len(v):7} {p(v, .5) / 1e3:9.0f} {p(v, .95) / 1e3:9.0f} {sum(v) / len(v) / 1e3:9.0f}")
r, u, t = (p(sets[n], .95) for n in ("roman", "urdu", "twin"))
print(f"instructions: roman p95 / urdu p95 {r / u:.2f}; roman p95 / twin p95 {r / t:.2f}")
EOF
