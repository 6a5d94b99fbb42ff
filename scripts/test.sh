#!/usr/bin/env bash
# Installs what Rasai needs, builds everything (tests and benchmarks included) and runs the test
# suite with CTest. RASAI_SANITIZE=1 builds and tests under AddressSanitizer + UBSan instead.
# Tests that need ../shared/data skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
RASAI_WITH_BROWSER=1 ./scripts/install-deps.sh
if [ -f web/package-lock.json ] && [ ! -d web/node_modules/playwright-core ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error) || echo "test: npm unavailable; browser tests will skip" >&2
fi
if [ "${RASAI_SANITIZE:-0}" = 1 ]; then
  BUILD=build-asan
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRASAI_SANITIZE=ON -DRASAI_BUILD_BENCH=OFF >/dev/null
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  BUILD=build
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD"
cd "$BUILD" && ctest --output-on-failure --timeout 900 -j2
