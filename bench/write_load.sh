#!/usr/bin/env bash
# Visitors' search latency while the operator writes, against idle, in the same run.
#
# One index of the shared Urdu news (urdu-news + urdu-headlines, 74,673 documents) is copied for
# each writer priority compared (RASAI_WRITE_PRIORITY: normal = the visitors' own priority, low =
# nice 10, the default; lowest = nice 19; idle = SCHED_IDLE); one `rasai serve` runs on each copy. wrk keeps C connections searching
# (the dev queries, the first page as the search page asks it) for D seconds per phase; in an
# "upload" phase a client posts B-document batches of new articles (POST /api/docs, each committed
# before the next is sent) for the whole phase. Phases alternate idle / upload for every priority,
# R rounds, so that the noise of a shared machine falls on every column alike. The table gives
# p50/p99 and requests/s per phase, the p99 ratio upload/idle, and the batches written.
#
#   bench/write_load.sh [BUILD_DIR]      env: C=100 D=10 R=3 B=200 PRIORITIES="normal low idle"
#                                            PORT=18810 (ports PORT, PORT+1, ...)
#                                            BEFORE=/path/to/an/older/rasai adds its column ("before")
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$SRC/build}"
RASAI="$BUILD/rasai"
DATA="${RASAI_SHARED_DATA:-$SRC/../shared/data}"
C="${C:-100}" D="${D:-10}" R="${R:-3}" B="${B:-200}" PORT="${PORT:-18810}"
PRIORITIES="${PRIORITIES:-normal low idle}"
if [ -n "${BEFORE:-}" ]; then PRIORITIES="before $PRIORITIES"; fi
TOKEN=bench-token
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
[ -x "$RASAI" ] || { echo "no $RASAI (build first)"; exit 1; }
[ -f "$DATA/urdu/urdu-news.jsonl" ] || { echo "no $DATA/urdu/urdu-news.jsonl"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-write-load.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

echo "indexing the shared Urdu news…" >&2
"$RASAI" index --index "$TMP/base" --fields title,body "$DATA/urdu/urdu-news.jsonl" "$DATA/urdu/urdu-headlines.jsonl" \
  >"$TMP/index.log" 2>&1

# The search requests: /api/search?q=... for each dev query (first page, as the page asks it).
python3 - "$DATA/urdu/queries-dev.tsv" "$DATA/urdu/queries-dev-mid.tsv" >"$TMP/paths.txt" <<'EOF'
import sys, urllib.parse
for name in sys.argv[1:]:
    for line in open(name, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 2 and parts[1].strip():
            print("/api/search?n=10&q=" + urllib.parse.quote(parts[1]))
EOF
cat >"$TMP/search.lua" <<EOF
local paths = {}
for line in io.lines("$TMP/paths.txt") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
EOF

# The upload batches: the news articles under new ids (B per batch), a new set each phase.
python3 - "$DATA/urdu/urdu-news.jsonl" "$B" "$TMP/batch" <<'EOF'
import json, sys
src, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
docs = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
n = 0
for start in range(0, len(docs) - size + 1, size):
    with open(f"{out}.{n}", "w", encoding="utf-8") as f:
        for d in docs[start:start + size]:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    n += 1
print(n, file=sys.stderr)
EOF
NBATCH=$(ls "$TMP"/batch.* | wc -l)

declare -A URLS
port=$PORT
for pr in $PRIORITIES; do
  cp -r "$TMP/base" "$TMP/idx-$pr"
  bin="$RASAI"; [ "$pr" = before ] && bin="$BEFORE"
  RASAI_WRITE_PRIORITY=$pr "$bin" serve --index "$TMP/idx-$pr" --listen "127.0.0.1:$port" --token "$TOKEN" \
    >"$TMP/serve-$pr.log" 2>&1 &
  PIDS+=($!)
  URLS[$pr]="http://127.0.0.1:$port"
  port=$((port + 1))
done
for pr in $PRIORITIES; do
  for _ in $(seq 1 100); do curl -sf "${URLS[$pr]}/healthz" >/dev/null && break; sleep 0.2; done
done

# Posts batches until the file $1 disappears; prints how many were acknowledged.
uploader() {
  local url="$1" stopfile="$2" tag="$3" k=0 ok=0
  while [ -f "$stopfile" ]; do
    local f="$TMP/batch.$((k % NBATCH))"
    sed "s/\"id\": \"/\"id\": \"$tag-$k-/" "$f" >"$TMP/post-$tag.jsonl"
    if curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" --data-binary "@$TMP/post-$tag.jsonl" \
         "$url/api/docs"; then ok=$((ok + 1)); fi
    k=$((k + 1))
  done
  echo "$ok"
}

# wrk's --latency output -> "p50_ms p99_ms req_per_s".
summarize() {
  python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v = float(m.group(1)); u = m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{ms('50%'):.1f} {ms('99%'):.1f} {rps:.0f}")
EOF
}

echo "round priority phase p50_ms p99_ms req_s batches" >"$TMP/rows.txt"
for round in $(seq 1 "$R"); do
  for pr in $PRIORITIES; do
    for phase in idle upload; do
      batches=0
      if [ "$phase" = upload ]; then
        touch "$TMP/uploading"
        uploader "${URLS[$pr]}" "$TMP/uploading" "r$round$pr" >"$TMP/uploaded" &
        UP=$!
        sleep 1  # the first batch is on its way
      fi
      wrk -t2 -c"$C" -d"${D}s" --timeout 10s --latency -s "$TMP/search.lua" "${URLS[$pr]}" >"$TMP/wrk.out" 2>&1
      if [ "$phase" = upload ]; then
        rm -f "$TMP/uploading"
        wait "$UP"
        batches=$(cat "$TMP/uploaded")
      fi
      echo "$round $pr $phase $(summarize "$TMP/wrk.out") $batches" >>"$TMP/rows.txt"
      echo "round $round $pr $phase: $(tail -n1 "$TMP/rows.txt")" >&2
    done
  done
done

python3 - "$TMP/rows.txt" "$C" "$D" "$B" <<'EOF'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])][1:]
C, D, B = sys.argv[2:5]
print(f"Visitors' /api/search latency, {C} connections (wrk), {D} s phases; upload = {B}-document POST /api/docs batches back to back")
print()
print("| writer priority | round | idle p50 ms | idle p99 ms | idle req/s | upload p50 ms | upload p99 ms | upload req/s | p99 upload/idle | batches written |")
print("|---|---|---|---|---|---|---|---|---|---|")
by = {}
for r, pr, phase, p50, p99, rps, batches in rows:
    by.setdefault((pr, r), {})[phase] = (float(p50), float(p99), float(rps), int(batches))
ratios, p50s, rates, written = {}, {}, {}, {}
for (pr, r), v in sorted(by.items(), key=lambda kv: (kv[0][0], int(kv[0][1]))):
    i, u = v["idle"], v["upload"]
    ratio = u[1] / i[1]
    ratios.setdefault(pr, []).append(ratio)
    p50s.setdefault(pr, []).append(u[0] / i[0])
    rates.setdefault(pr, []).append(u[2] / i[2])
    written.setdefault(pr, []).append(u[3])
    print(f"| {pr} | {r} | {i[0]:.1f} | {i[1]:.1f} | {i[2]:.0f} | {u[0]:.1f} | {u[1]:.1f} | {u[2]:.0f} | {ratio:.2f} | {u[3]} |")
print()
print("| writer priority | rounds | median p99 upload/idle | median p50 upload/idle | median req/s upload/idle | batches per phase |")
print("|---|---|---|---|---|---|")
for pr, rs in ratios.items():
    print(f"| {pr} | {len(rs)} | {statistics.median(rs):.2f} | {statistics.median(p50s[pr]):.2f} | "
          f"{statistics.median(rates[pr]):.2f} | {statistics.median(written[pr]):.0f} |")
EOF
