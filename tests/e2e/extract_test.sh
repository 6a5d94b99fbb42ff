#!/usr/bin/env bash
# End-to-end test of rasai extract on news pages: the article without the page around it,
# metadata as fields, --explain (what was removed and why), a small site mirror (listing, tag
# and pagination pages skipped and named; a print copy indexed once), and hostile pages.
# Env: RASAI (the rasai binary). Exit 77 = skipped.
set -euo pipefail
: "${RASAI:?set RASAI to the rasai binary}"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-extract-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAIL=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAIL=$((FAIL + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

mkdir -p "$TMP/site/news" "$TMP/site/tag/karachi" "$TMP/site/page/2"
python3 - "$TMP/site" <<'PY'
import sys
root = sys.argv[1]
body = "".join(f"<p>کراچی میں مسلسل بارش کا {i} واں دن، شہر کی سڑکیں پانی میں ڈوبی رہیں اور بجلی کئی علاقوں میں غائب رہی۔ محکمہ موسمیات نے مزید بارش کی پیش گوئی کی ہے۔</p>" for i in range(1, 7))
article = f"""<!doctype html><html lang="ur" dir="rtl"><head><meta charset="utf-8">
<title>کراچی میں بارش کا سلسلہ جاری - خبریں</title><meta property="og:site_name" content="خبریں">
<meta property="article:published_time" content="2024-07-14T08:00:00+05:00"><link rel="canonical" href="https://news.example.pk/news/karachi-rain.html"></head>
<body><header class="site-header"><nav><a href="/">صفحہ اول</a> <a href="/pakistan/">پاکستان</a> <a href="/sports/">کھیل</a></nav></header>
<main><article><h1>کراچی میں بارش کا سلسلہ جاری</h1><div class="byline">رپورٹ: نمائندہ خصوصی</div>
<figure><img src="rain.jpg"><figcaption>کراچی: شارع فیصل پر کھڑا بارش کا پانی</figcaption></figure>
{body}<p><strong>مزید پڑھیں:</strong></p><p><a href="/news/lahore-heat.html">لاہور میں گرمی کی شدت برقرار، پارہ 45 تک جا پہنچا</a></p>
<div class="share-buttons"><a href="#">فیس بک</a> <a href="#">ٹوئٹر</a> <a href="#">واٹس ایپ</a></div></article>
<section class="comments"><h3>تبصرے</h3><form><textarea></textarea><input type="submit" value="تبصرہ بھیجیں"></form></section></main>
<footer class="site-footer">جملہ حقوق محفوظ ہیں</footer></body></html>"""
open(f"{root}/news/karachi-rain.html", "w").write(article)
open(f"{root}/news/karachi-rain.html?print=1", "w").write(article)
listing = "<html><head><title>کراچی</title></head><body>" + "".join(
    f"<div class=item><h2><a href='/news/{i}.html'>کراچی کی خبر نمبر {i}، شہر میں آج کیا ہوا</a></h2></div>" for i in range(30)) + "</body></html>"
open(f"{root}/tag/karachi/index.html", "w").write(listing)
open(f"{root}/page/2/index.html", "w").write(listing)
open(f"{root}/index.html", "w").write(listing)
PY

"$RASAI" extract --json "$TMP/site" > "$TMP/out.jsonl" 2> "$TMP/out.err" || bad "extract exit code"
python3 - "$TMP/out.jsonl" <<'PY' && ok "the article, its metadata, nothing around it" || bad "the article, its metadata, nothing around it"
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert [d["id"] for d in docs] == ["news/karachi-rain.html"], [d["id"] for d in docs]
d = docs[0]
assert d["title"] == "کراچی میں بارش کا سلسلہ جاری", d["title"]
assert d["url"] == "https://news.example.pk/news/karachi-rain.html" and d["date"] == "2024-07-14T08:00:00+05:00", d
assert d["lang"] == "ur" and d["dir"] == "rtl" and d["site_name"] == "خبریں", d
body = d["body"]
assert "شارع فیصل" in body and body.count("محکمہ موسمیات") == 6, body
for junk in ["صفحہ اول", "رپورٹ:", "مزید پڑھیں", "لاہور میں گرمی", "فیس بک", "تبصرے", "تبصرہ بھیجیں", "جملہ حقوق"]:
    assert junk not in body, junk
PY
check "skipped pages are named with the reason" "grep -q 'tag/karachi/index.html: not an article: tag page' '$TMP/out.err' && grep -q 'page/2/index.html: not an article: page 2 of a listing' '$TMP/out.err' && grep -q 'site/index.html: not an article: listing' '$TMP/out.err' && grep -q 'print=1: not an article: a copy of news/karachi-rain.html' '$TMP/out.err'"

"$RASAI" extract --json --explain "$TMP/site" > "$TMP/explain.jsonl" 2> "$TMP/explain.err" || bad "extract --explain exit code"
python3 - "$TMP/explain.jsonl" <<'PY' && ok "--explain says what was removed and why" || bad "--explain says what was removed and why"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
docs = [l for l in lines if "id" in l]
skipped = [l for l in lines if "skipped" in l]
assert len(docs) == 1 and len(skipped) == 4, lines
e = docs[0]["explain"]
assert e["page"] == "article" and e["article"], e
reasons = {r["reason"] for r in e["removed"]}
texts = " ".join(r["text"] for r in e["removed"])
assert "'also read' block" in reasons and "لاہور میں گرمی" in texts and "جملہ حقوق" in texts, e["removed"]
assert any("byline" in r for r in reasons), reasons
PY

# Hostile pages: deep nesting, broken bytes, a huge attribute; extract answers for each.
python3 - "$TMP/hostile" <<'PY'
import os, sys
d = sys.argv[1]; os.makedirs(d)
open(f"{d}/deep.html", "w").write("<div>" * 100000 + "گہرا" + "</div>" * 100000)
open(f"{d}/bytes.html", "wb").write(b"<title>\xff\xfe</title><p>" + bytes(range(256)) * 50 + b"</p>")
open(f"{d}/attr.html", "w").write("<p class='" + "x" * 2000000 + "'>متن</p>")
open(f"{d}/script.html", "w").write("<script>" + "<div>" * 100000 + "</script><p>ok</p>")
PY
if timeout 60 "$RASAI" extract --json --explain "$TMP/hostile" > "$TMP/hostile.jsonl" 2> "$TMP/hostile.err"; then
  check "hostile pages give documents" "[ \$(grep -c '\"id\"' '$TMP/hostile.jsonl') -ge 3 ]"
else
  bad "extract on hostile pages (exit or time)"
fi

[ "$FAIL" -eq 0 ] || { echo "$FAIL failed"; exit 1; }
echo "all passed"
