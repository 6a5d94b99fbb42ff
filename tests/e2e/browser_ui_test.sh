#!/usr/bin/env bash
# Browser test of the web UI: headless Debian Chromium driven by playwright-core (from npm, in
# web/node_modules) loads /, searches in Urdu and English, checks right-to-left layout, the
# Nastaliq web font, autocomplete, paging and the reader page on phones 320, 360 and 390 px wide
# and a desktop (every page must fit the screen's width), and saves screenshots.
# Env: RASAI (the rasai binary), RASAI_SOURCE (repo root), RASAI_SHARED_DATA (optional: adds real
# Urdu news so the pages look as they will), RASAI_SCREENSHOTS (optional folder to keep the PNGs),
# RASAI_TEST_FONT_DIR (optional: a folder of fonts the browser sees as installed, e.g. Debian's
# NotoNastaliqUrdu-*.ttf, to check that the test passes whatever fonts the machine has).
# Exit 77 = skipped (no chromium, node or web/node_modules).
set -euo pipefail

: "${RASAI:?set RASAI to the rasai binary}"
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RASAI_SOURCE/tests/e2e/browser_lib.sh"
browser_requirements fonts
browser_workspace browser-e2e

inputs=("$RASAI_SOURCE/tests/e2e/http_docs.jsonl" "$RASAI_SOURCE/tests/e2e/browser_docs.jsonl")
browser_add_news
"$RASAI" index --index "$TMP/idx" "${inputs[@]}" >"$TMP/index.out" 2>&1 || {
  cat "$TMP/index.out"; echo "FAIL rasai index"; exit 1; }

rasai_start "$TMP/idx" RASAI_WEB_FONTS="$FONTS"
echo "server at $URL; screenshots in $SHOTS"

if [ -n "${RASAI_TEST_FONT_DIR:-}" ]; then
  [ -d "$RASAI_TEST_FONT_DIR" ] || { echo "FAIL RASAI_TEST_FONT_DIR=$RASAI_TEST_FONT_DIR is not a folder"; exit 1; }
  cat >"$TMP/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>$RASAI_TEST_FONT_DIR</dir><cachedir>$TMP/fontcache</cachedir></fontconfig>
EOF
  export FONTCONFIG_FILE="$TMP/fonts.conf"
  echo "fonts: the browser also sees $RASAI_TEST_FONT_DIR: $(fc-list : family 2>/dev/null | grep -i nastaliq | sort -u | tr '\n' ' ')"
fi

status=0
RASAI_URL="$URL" SHOTS="$SHOTS" PLAYWRIGHT_CORE="$PW" CHROMIUM="$CHROMIUM" \
  node "$RASAI_SOURCE/tests/e2e/browser_ui.js" || status=$?
rasai_stop || status=1
exit "$status"
