#!/usr/bin/env bash
# Builds the Debian package dist/rasai_<version>_<arch>.deb: /usr/bin/rasai, the Nastaliq web fonts
# (from npm, web/package-lock.json) in /usr/share/rasai/fonts, the operator guide in
# /usr/share/doc/rasai/guide, and the service rasai.service with its settings (/etc/default/rasai)
# and maintainer scripts (packaging/). Dependencies are computed from the libraries the binary
# links (dpkg-shlibdeps).
#
# Usage: scripts/package.sh [--binary PATH] [--out DIR]
#   --binary PATH  package this rasai binary instead of building one (the test of the package
#                  build packages the binary under test); default: a Release build in
#                  build-package/ configured for /usr
#   --out DIR      where the .deb goes (default dist/)
# Env: RASAI_PACKAGE_VERSION overrides the version (default: project(VERSION) of CMakeLists.txt).
# Needs dpkg-dev (dpkg-shlibdeps), cmake, ninja and npm (scripts/install-deps.sh). Prints the
# path of the package on its last line. Exit codes: 0 built, 1 failure, 2 usage.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$SRC/dist"
BINARY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) BINARY=${2:?--binary needs a path}; shift 2 ;;
    --out) OUT=${2:?--out needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "package: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "package: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture; do
  command -v "$tool" >/dev/null || die "$tool is missing: apt-get install dpkg-dev (scripts/install-deps.sh)"
done

VERSION=${RASAI_PACKAGE_VERSION:-$(sed -n 's/^project(rasai VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")}
[ -n "$VERSION" ] || die "no version in CMakeLists.txt"
ARCH=$(dpkg --print-architecture)

# --- 1. the web fonts, from npm -------------------------------------------------------------------
FONTS="$SRC/web/node_modules/@fontsource/noto-nastaliq-urdu"
if [ ! -d "$FONTS/files" ]; then
  command -v npm >/dev/null || die "npm is missing (scripts/install-deps.sh): the web fonts come from npm"
  (cd "$SRC/web" && npm ci --omit=dev --no-audit --no-fund --loglevel=error) || die "npm ci in web/ failed"
fi
# The files the pages' style sheets name (url(/fonts/NAME)), each of which must be there.
font_files=()
for name in $(cat "$SRC"/web/static/*.css | grep -o 'url(/fonts/[^)]*)' | sed 's|url(/fonts/||; s|)$||' | sort -u); do
  [ -f "$FONTS/files/$name" ] || die "web/static names /fonts/$name, which $FONTS/files lacks"
  font_files+=("$FONTS/files/$name")
done
[ ${#font_files[@]} -gt 0 ] || die "web/static/*.css names no font under /fonts/"

# --- 2. the binary ----------------------------------------------------------------------------------
if [ -z "$BINARY" ]; then
  BUILD="$SRC/build-package"
  cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRASAI_BUILD_TESTS=OFF \
    -DRASAI_BUILD_BENCH=OFF -DRASAI_SANITIZE=OFF -DCMAKE_INSTALL_PREFIX=/usr \
    -DRASAI_WEB_FONTS_DEFAULT=/usr/share/rasai/fonts >/dev/null
  cmake --build "$BUILD" --target rasai
  BINARY="$BUILD/rasai"
fi
[ -x "$BINARY" ] || die "$BINARY is not an executable"

# --- 3. the file tree -------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rasai-package.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
install -d "$ROOT/DEBIAN" "$ROOT/usr/bin" "$ROOT/usr/share/rasai/fonts" "$ROOT/usr/share/doc/rasai/guide" \
  "$ROOT/lib/systemd/system" "$ROOT/etc/default"
install -m 0755 "$BINARY" "$ROOT/usr/bin/rasai"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$ROOT/usr/bin/rasai"
install -m 0644 "${font_files[@]}" "$ROOT/usr/share/rasai/fonts/"
install -m 0644 "$SRC"/docs/guide/*.md "$ROOT/usr/share/doc/rasai/guide/"
install -m 0644 "$SRC/packaging/rasai.service" "$ROOT/lib/systemd/system/rasai.service"
install -m 0644 "$SRC/packaging/rasai.default" "$ROOT/etc/default/rasai"
font_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$FONTS/package.json" | head -n1)
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: rasai"
  echo
  echo "Files: *"
  echo "Copyright: the Rasai developers"
  echo "License: none chosen yet (see the Rasai repository)"
  echo
  echo "Files: usr/share/rasai/fonts/*"
  echo "Copyright: The Noto Project Authors (Noto Nastaliq Urdu), from the npm package"
  echo " @fontsource/noto-nastaliq-urdu $font_version"
  echo "License: OFL-1.1"
  sed 's/^$/./; s/^/ /' "$FONTS/LICENSE"
} >"$ROOT/usr/share/doc/rasai/copyright"
for f in postinst prerm postrm conffiles; do
  install -m "$([ "$f" = conffiles ] && echo 0644 || echo 0755)" "$SRC/packaging/debian/$f" "$ROOT/DEBIAN/$f"
done

# --- 4. control: dependencies from the libraries the binary links ----------------------------------
mkdir -p "$WORK/src/debian"
printf 'Source: rasai\n\nPackage: rasai\nArchitecture: any\n' >"$WORK/src/debian/control"
SHLIBS=$(cd "$WORK/src" && dpkg-shlibdeps -O "$ROOT/usr/bin/rasai" | sed -n 's/^shlibs:Depends=//p')
[ -n "$SHLIBS" ] || die "dpkg-shlibdeps found no dependencies for $ROOT/usr/bin/rasai"
case "$SHLIBS" in *libasan*|*libubsan*) die "$BINARY is a sanitizer build: package a Release build" ;; esac
SIZE=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" -e "s/@SHLIBS@/$SHLIBS/" \
  "$SRC/packaging/debian/control.in" >"$ROOT/DEBIAN/control"
(cd "$ROOT" && find usr lib etc -type f ! -path 'etc/*' -print0 | sort -z | xargs -0 md5sum) >"$ROOT/DEBIAN/md5sums"

# --- 5. the package ---------------------------------------------------------------------------------
mkdir -p "$OUT"
DEB="$OUT/rasai_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB.tmp" >/dev/null
mv "$DEB.tmp" "$DEB"
echo "package: $(du -h "$DEB" | cut -f1) Depends: $(sed -n 's/^Depends: //p' "$ROOT/DEBIAN/control")"
echo "$DEB"
