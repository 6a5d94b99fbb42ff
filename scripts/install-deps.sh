#!/usr/bin/env bash
# Installs the Debian packages Rasai needs to build, test and benchmark. Non-interactive and idempotent.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config git
  libicu-dev libstemmer-dev libzstd-dev liblzma-dev libgumbo-dev libzim-dev
  libssl-dev libcli11-dev libmicrohttpd-dev zlib1g-dev libzip-dev libcpp-httplib-dev nlohmann-json3-dev libarchive-dev libsimdjson-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format  # scripts/fuzz.sh (libFuzzer), .clang-format
  libxapian-dev libsqlite3-dev
  dict-foldoc python3 curl
  zim-tools  # zimwriterfs: ZIM archives for the benchmarks (bench/zim)
)
# Node.js and npm (web font, browser tests): Debian's packages unless a node with npm is already
# there (e.g. from another source, whose nodejs package conflicts with Debian's npm).
command -v node >/dev/null && command -v npm >/dev/null || PKGS+=(nodejs npm)
if [ "${RASAI_WITH_BROWSER:-0}" = 1 ]; then PKGS+=(chromium); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "rasai: dependencies installed"
