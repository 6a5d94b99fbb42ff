#!/usr/bin/env bash
# Browser test of ZIM archives served from the archive: headless Debian Chromium (playwright-core)
# on a 360 px phone searches «Ray Charles» over wikipedia_en_ray_charles_maxi_2019-08.zim, follows
# the hit to the article served at /zim/..., checks that its images load, that it fits the
# screen, that the archive's scripts do not run, that links stay in the archive and that a
# missing page is a 404 page; saves screenshots.
# Env: RASAI, RASAI_SOURCE, RASAI_SHARED_DATA (needed), RASAI_SCREENSHOTS (optional folder).
# Exit 77 = skipped (no shared data, chromium, node or web/node_modules).
set -euo pipefail

: "${RASAI:?set RASAI to the rasai binary}"
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
ZIM="${RASAI_SHARED_DATA:-}/zim/kiwix-js/wikipedia_en_ray_charles_maxi_2019-08.zim"
[ -n "${RASAI_SHARED_DATA:-}" ] && [ -f "$ZIM" ] || { echo "SKIP: $ZIM is absent"; exit 77; }
. "$RASAI_SOURCE/tests/e2e/browser_lib.sh"
browser_requirements
browser_workspace zim-browser

"$RASAI" index --index "$TMP/idx" "$ZIM" >"$TMP/index.out" 2>&1 || { cat "$TMP/index.out"; echo "FAIL rasai index"; exit 1; }
rasai_start "$TMP/idx"
echo "server at $URL; screenshots in $SHOTS"
status=0
RASAI_URL="$URL" SHOTS="$SHOTS" PLAYWRIGHT_CORE="$PW" CHROMIUM="$CHROMIUM" \
  node "$RASAI_SOURCE/tests/e2e/zim_browser.js" || status=$?
rasai_stop || status=1
exit "$status"
