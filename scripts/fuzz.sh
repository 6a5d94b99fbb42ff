#!/usr/bin/env bash
# Builds every libFuzzer target (src/*/*_fuzz.cc; -DRASAI_FUZZ=ON, clang, ASan + UBSan) in
# build-fuzz/ and runs each for FUZZ_SECONDS (default 8) on its seed corpus tests/fuzz/<target>/
# (copied: the seeds stay as committed). Fails on the first crash, leak, timeout or failed check;
# libFuzzer prints the input that did it (crash-* in the work folder, kept and named on failure).
#   FUZZ_SECONDS=60 scripts/fuzz.sh [TARGET...]   longer, or some targets only
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${FUZZ_SECONDS:-8}
# -O1 with line tables and without NDEBUG: assertions hold while fuzzing, and the build is quick.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DRASAI_FUZZ=ON -DRASAI_BUILD_TESTS=OFF -DRASAI_BUILD_BENCH=OFF \
  -DRASAI_WERROR="${RASAI_WERROR:-OFF}" >/dev/null
cmake --build build-fuzz --target fuzz
if [ $# -gt 0 ]; then TARGETS=("$@"); else
  mapfile -t TARGETS < <(ls src/*/*_fuzz.cc | xargs -n1 basename | sed 's/\.cc$//' | sort)
fi
[ ${#TARGETS[@]} -gt 0 ] || { echo "fuzz: no targets" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rasai-fuzz.XXXXXX")
export TMPDIR=$WORK  # the targets' fixtures (temporary_directory_path) go here
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
max_len() {  # what one input of the target can usefully hold (see each target's header)
  case $1 in
    damage_fuzz) echo 64 ;; query_fuzz) echo 512 ;; index_archive_fuzz) echo 200000 ;; zim_fuzz) echo 65536 ;;
    *) echo 8192 ;;
  esac
}
for t in "${TARGETS[@]}"; do
  bin=build-fuzz/$t
  [ -x "$bin" ] || { echo "fuzz: no target $t" >&2; exit 1; }
  corpus=$WORK/$t.corpus
  mkdir -p "$corpus" "$WORK/$t.out"
  [ -d "tests/fuzz/$t" ] && cp tests/fuzz/"$t"/* "$corpus"/
  if [ "$t" = index_archive_fuzz ]; then  # its fixture exports a real archive: the best seed
    "$ROOT/$bin" -runs=0 "$WORK/$t.out" >/dev/null 2>&1 || true
    [ -f "$WORK/rasai-archive-fuzz/seed.tar" ] && cp "$WORK/rasai-archive-fuzz/seed.tar" "$corpus"/
  fi
  echo "fuzz: $t for ${SECONDS_EACH}s on $(ls "$corpus" | wc -l) seeds" >&2
  # zim_fuzz: libzim sizes allocations from counts in the archive; a failed one must be what a
  # 1-2 GB machine sees (bad_alloc, the archive refused), not an ASan out-of-memory report.
  extra=() asan=$ASAN_OPTIONS
  [ "$t" = zim_fuzz ] && extra=(-malloc_limit_mb=100000) asan=$ASAN_OPTIONS:allocator_may_return_null=1
  if ! (cd "$WORK/$t.out" && ASAN_OPTIONS=$asan "$ROOT/$bin" -max_total_time="$SECONDS_EACH" \
        -max_len="$(max_len "$t")" -timeout=20 -rss_limit_mb=2048 "${extra[@]}" -print_final_stats=1 \
        "$corpus" > "$WORK/$t.log" 2>&1); then
    tail -60 "$WORK/$t.log" >&2
    echo "fuzz: $t FAILED; its log and inputs are in $WORK" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$WORK/$t.log" | tr '\n' ' ' >&2; echo >&2
done
rm -rf "$WORK"
echo "fuzz: ${#TARGETS[@]} targets passed (${SECONDS_EACH}s each)" >&2
