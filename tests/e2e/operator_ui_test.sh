#!/usr/bin/env bash
# Browser test of the operator's pages: headless Debian Chromium driven by playwright-core logs in
# (a wrong token, then the right one: an HttpOnly, SameSite=Strict cookie), sees the collection and
# its sources, uploads a JSONL file and follows its progress to the end, finds the new documents,
# removes a source, uploads a Kiwix ZIM archive (desktop, with shared data) and removes it, reads
# the usage page (day/week/all), checks that a change without the page's CSRF token is refused,
# and logs out; on a desktop and on a 360 px phone, saving screenshots.
# Env: RASAI (the rasai binary), RASAI_SOURCE (repo root), RASAI_SHARED_DATA (optional: real Urdu
# news in the index), RASAI_SCREENSHOTS (optional folder to keep the PNGs).
# Exit 77 = skipped (no chromium, node or web/node_modules).
set -euo pipefail

: "${RASAI:?set RASAI to the rasai binary}"
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
. "$RASAI_SOURCE/tests/e2e/browser_lib.sh"
browser_requirements fonts
browser_workspace operator-e2e

inputs=("$RASAI_SOURCE/tests/e2e/http_docs.jsonl")
browser_add_news
"$RASAI" index --index "$TMP/idx" "${inputs[@]}" >"$TMP/index.out" 2>&1 || {
  cat "$TMP/index.out"; echo "FAIL rasai index"; exit 1; }

# The file the operator uploads: 3,000 short Urdu articles, none with a source (the file's name
# becomes theirs), one with a broken line.
python3 - "$TMP/kitab-ghar.jsonl" <<'PY'
import json, sys
words = "کتاب گھر میں بچوں کے لیے نئی کہانیاں اور سائنس کی کتابیں آئی ہیں جنہیں سب پڑھ سکتے ہیں".split()
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(3000):
        body = " ".join(words[(i + k) % len(words)] for k in range(60))
        f.write(json.dumps({"id": f"kitab-{i}", "title": f"کتاب گھر کی خبر {i}", "body": body, "lang": "ur",
                            "date": f"2024-05-{1 + i % 28:02d}"}, ensure_ascii=False) + "\n")
        if i == 1500:
            f.write("{this line is broken\n")
PY

# A Kiwix archive the operator uploads too, when the shared data has it.
ZIM_UPLOAD="${RASAI_SHARED_DATA:-}/zim/kiwix-js/wikipedia_en_ray_charles_2015-06.zim"
[ -n "${RASAI_SHARED_DATA:-}" ] && [ -f "$ZIM_UPLOAD" ] || ZIM_UPLOAD=""

TOKEN="operator-e2e-$RANDOM$RANDOM"
rasai_start "$TMP/idx" RASAI_WEB_FONTS="$FONTS" RASAI_OPERATOR_TOKEN="$TOKEN"
echo "server at $URL; screenshots in $SHOTS"

status=0
RASAI_URL="$URL" SHOTS="$SHOTS" PLAYWRIGHT_CORE="$PW" CHROMIUM="$CHROMIUM" TOKEN="$TOKEN" \
  UPLOAD="$TMP/kitab-ghar.jsonl" ZIM_UPLOAD="$ZIM_UPLOAD" node "$RASAI_SOURCE/tests/e2e/operator_ui.js" || status=$?
rasai_stop || status=1
exit "$status"
