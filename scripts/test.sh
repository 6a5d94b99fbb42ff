#!/usr/bin/env bash
# Installs what Rasai needs, builds everything (tests and benchmarks included) and runs the test
# suite with CTest; fails when the build fails, a test fails or no test ran (whatever configured
# build/ before, e.g. scripts/demo.sh with tests off). Tests that need ../shared/data skip with a
# message when it is absent.
#   RASAI_SANITIZE=1       the whole suite under AddressSanitizer + UBSan (build-asan/)
#   RASAI_SANITIZE=thread  the concurrency tests (layers util, ingest, batch, index, server) under
#                          ThreadSanitizer (build-tsan/)
#   RASAI_WERROR=ON        warnings are errors (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
RASAI_WITH_BROWSER=1 ./scripts/install-deps.sh
if [ -f web/package-lock.json ] && [ ! -d web/node_modules/playwright-core ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error) || echo "test: npm unavailable; browser tests will skip" >&2
fi
COMMON=(-G Ninja -DRASAI_BUILD_TESTS=ON -DRASAI_WERROR="${RASAI_WERROR:-OFF}")
# Sanitizer builds: -O1 with line tables only (-g1) compiles about twice as fast as -O2 -g and
# still gives file:line in every report; the Release pass covers -O2.
SANITIZED=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DRASAI_BUILD_BENCH=OFF
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
TARGETS=() LABELS=()
case "${RASAI_SANITIZE:-0}" in
  1)
    BUILD=build-asan
    cmake -S . -B "$BUILD" "${COMMON[@]}" "${SANITIZED[@]}" -DRASAI_SANITIZE=ON >/dev/null
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ;;
  thread)
    BUILD=build-tsan
    cmake -S . -B "$BUILD" "${COMMON[@]}" "${SANITIZED[@]}" -DRASAI_TSAN=ON >/dev/null
    TARGETS=(--target util_test ingest_test batch_test index_test server_test) LABELS=(-L '^(util|ingest|batch|index|server)$')
    # Not under TSan: the exhaustive one-thread loops (every fault point, every damaged byte, the
    # HTML pages), which the Release and ASan passes run; here they took 35 of its 47 test minutes.
    LABELS+=(-E '^(FaultInjection[.]Every|IndexDamage[.]|DocumentFromHtml[.])')
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizers/tsan.supp ;;
  0)
    BUILD=build
    cmake -S . -B "$BUILD" "${COMMON[@]}" -DCMAKE_BUILD_TYPE=Release -DRASAI_SANITIZE=OFF -DRASAI_BUILD_BENCH=ON >/dev/null ;;
  *) echo "test: RASAI_SANITIZE is 1, thread or unset" >&2; exit 2 ;;
esac
cmake --build "$BUILD" "${TARGETS[@]}"
cd "$BUILD" && ctest --output-on-failure --no-tests=error --timeout 900 -j2 "${LABELS[@]}"
