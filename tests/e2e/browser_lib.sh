# Shared by the browser tests' drivers (browser_ui_test.sh, operator_ui_test.sh,
# zim_browser_test.sh). Source it after setting RASAI_SOURCE.

# browser_requirements [fonts]: sets CHROMIUM and PW (playwright-core), and FONTS with "fonts";
# exits 77 (skipped) naming what is missing.
browser_requirements() {
  CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
  [ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM not found (apt-get install chromium)"; exit 77; }
  command -v node >/dev/null || { echo "SKIP: node is not installed"; exit 77; }
  PW="$RASAI_SOURCE/web/node_modules/playwright-core"
  [ -d "$PW" ] || { echo "SKIP: $PW missing (run: cd web && npm ci)"; exit 77; }
  if [ "${1:-}" = fonts ]; then
    FONTS="$RASAI_SOURCE/web/node_modules/@fontsource/noto-nastaliq-urdu/files"
    [ -d "$FONTS" ] || { echo "SKIP: $FONTS missing (run: cd web && npm ci)"; exit 77; }
  fi
}

# browser_workspace NAME: the server helpers of http_lib.sh, its workspace $TMP (rasai_workspace),
# and $SHOTS (RASAI_SCREENSHOTS or a folder in $TMP).
browser_workspace() {
  . "$RASAI_SOURCE/tests/e2e/http_lib.sh"
  rasai_workspace "$1"
  SHOTS="${RASAI_SCREENSHOTS:-$TMP/screenshots}"
  mkdir -p "$SHOTS"
}

# browser_add_news: the array `inputs` gets 300 real Urdu news documents when
# RASAI_SHARED_DATA has them (pages look as they will), after what the caller put in it.
browser_add_news() {
  local news="${RASAI_SHARED_DATA:-}/urdu/urdu-news.jsonl"
  if [ -n "${RASAI_SHARED_DATA:-}" ] && [ -f "$news" ]; then
    head -n 300 "$news" >"$TMP/news.jsonl"
    inputs+=("$TMP/news.jsonl")
  fi
}
