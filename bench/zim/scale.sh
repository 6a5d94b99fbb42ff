#!/usr/bin/env bash
# Scale of ZIM indexing: rasai-synth documents written as HTML pages and packed into a ZIM (by
# rasai-jsonl-zim, libzim's writer; ZIM_WRITER=zimwriterfs packs them with zimwriterfs through
# bench/zim/jsonl_to_zim.py instead, no Xapian index, hours for 1M pages), then indexed by
# `rasai index`, next to the same documents indexed from JSONL in the same run (with
# --keep-openings: the ZIM's pages get no openings pass either). Prints one table row per size.
#
#   bench/zim/scale.sh BUILD_DIR WORK_DIR 10000 30000 100000 1000000
#
# WORK_DIR keeps synth-N.jsonl and synth-N_2026-12.zim between runs; the indexes are made again
# each run.
set -euo pipefail
BUILD=$(cd "$1" && pwd); WORK=$2; shift 2
DATA="${RASAI_SHARED_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}"
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
measure() {  # measure LABEL CMD...: prints "seconds peak_MB"
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || { cat "$WORK/err.txt" >&2; return 1; }
  awk '{printf "%.1f %.0f\n", $1, $2 / 1024}' "$WORK/time.txt"
}
mb() { du -sm "$1" | cut -f1; }
printf '%-9s | %-8s | %-22s | %-9s | %-22s | %-9s\n' documents "ZIM MB" "ZIM index s / peak MB" "index MB" "JSONL index s / peak MB" "index MB"
for n in "$@"; do
  jsonl="$WORK/synth-$n.jsonl"; zim="$WORK/synth-${n}_2026-12.zim"
  [ -f "$jsonl" ] || "$BUILD/bench/rasai-synth" --docs "$n" --out "$jsonl" --data "$DATA" >/dev/null
  if [ ! -f "$zim" ]; then
    if [ "${ZIM_WRITER:-}" = zimwriterfs ]; then
      "$HERE/jsonl_to_zim.py" --out "$zim" --name "synth-$n" --title "Synthetic $n" --without-ft-index "$jsonl" >/dev/null
    else
      "$BUILD/bench/rasai-jsonl-zim" --out "$zim" --name "synth-$n" "$jsonl" >/dev/null
    fi
  fi
  rm -rf "$WORK/idx-zim-$n" "$WORK/idx-jsonl-$n"
  read -r zs zm < <(measure "$BUILD/rasai" index --index "$WORK/idx-zim-$n" "$zim")
  docs=$(sed -n 's/^indexed \([0-9]*\) documents.*/\1/p' "$WORK/out.txt")
  read -r js jm < <(measure "$BUILD/rasai" index --index "$WORK/idx-jsonl-$n" --keep-openings "$jsonl")
  printf '%-9s | %-8s | %-22s | %-9s | %-22s | %-9s\n' "$docs" "$(mb "$zim")" "$zs / $zm" "$(mb "$WORK/idx-zim-$n")" "$js / $jm" "$(mb "$WORK/idx-jsonl-$n")"
done
