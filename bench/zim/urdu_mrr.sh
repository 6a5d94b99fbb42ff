#!/usr/bin/env bash
# MRR@10 (Recall@10) of the Urdu news indexed from a ZIM archive against the same documents
# indexed from JSONL, and (when kiwix-serve is installed) kiwix-serve searching the same archive,
# over the four dev query files; one line per query file and engine, as score-queries prints it
# (MRR@10, Recall@10, then latency figures). Also the time and peak memory of both index runs.
#
#   bench/zim/jsonl_to_zim.py --out WORK/urdu-news_2026-12.zim --name urdu-news --title "Urdu news" \
#       ../shared/data/urdu/urdu-news.jsonl ../shared/data/urdu/urdu-headlines.jsonl
#   bench/zim/urdu_mrr.sh BUILD_DIR WORK/urdu-news_2026-12.zim [KIWIX_PORT]
#
# The ZIM's ids are "urdu-news/<JSONL id>.html"; they are mapped back to the JSONL ids to score.
set -euo pipefail
BUILD=$(cd "$1" && pwd); ZIM=$(realpath "$2"); PORT=${3:-18402}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA="${RASAI_SHARED_DATA:-$HERE/../../../shared/data}"
D="$DATA/urdu"; SCORE="$DATA/../tools/score-queries"
W=$(mktemp -d "${TMPDIR:-/tmp}/rasai-urdu-mrr.XXXXXX")
KIWIX_PID=""
cleanup() { [ -n "$KIWIX_PID" ] && kill "$KIWIX_PID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
/usr/bin/time -f "ZIM index: %e s, peak %M KB" "$BUILD/rasai" index --index "$W/zim" --fields title,body "$ZIM" >/dev/null
/usr/bin/time -f "JSONL index: %e s, peak %M KB" "$BUILD/rasai" index --index "$W/jsonl" --fields title,body \
  "$D/urdu-news.jsonl" "$D/urdu-headlines.jsonl" >/dev/null
engines="zim jsonl"
book=$(basename "$ZIM" .zim)
if command -v kiwix-serve >/dev/null; then
  kiwix-serve --port="$PORT" --address=127.0.0.1 "$ZIM" >"$W/kiwix.log" 2>&1 &
  KIWIX_PID=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break; sleep 0.2; done
  engines="zim jsonl kiwix"
else
  echo "kiwix-serve is not installed (Debian kiwix-tools): its column is left out" >&2
fi
echo "query file | engine | MRR@10 Recall@10 ..."
for q in queries-dev queries-dev-variant queries-dev-mid queries-dev-summary; do
  "$BUILD/rasai" search --index "$W/zim" --json -n 10 --queries "$D/$q.tsv" |
    sed -E 's#"id":"urdu-news/([^"]*)\.html"#"id":"\1"#g' >"$W/zim-$q.jsonl"
  "$BUILD/rasai" search --index "$W/jsonl" --json -n 10 --queries "$D/$q.tsv" >"$W/jsonl-$q.jsonl"
  [ -n "$KIWIX_PID" ] && "$HERE/kiwix_queries.py" --url "http://127.0.0.1:$PORT" --book "$book" "$D/$q.tsv" >"$W/kiwix-$q.jsonl"
  for e in $engines; do echo "$q | $e | $("$SCORE" "$D/$q.tsv" "$W/$e-$q.jsonl")"; done
done
