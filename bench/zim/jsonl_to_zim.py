#!/usr/bin/env python3
"""Writes JSONL documents as a ZIM archive: one HTML page per document, packed by zimwriterfs.

    bench/zim/jsonl_to_zim.py --out urdu-news_2026-12.zim --language urd --title "Urdu news" \
        ../shared/data/urdu/urdu-news.jsonl ../shared/data/urdu/urdu-headlines.jsonl

Each page is <title>, <h1> (the title) and one <p> per line of the body, as `<id>.html`; the
summary and the other fields are left out (the query files are scored with summaries not
indexed). The first document is the archive's main page, so every page is one of the documents
and libzim's article count is the number of documents. zimwriterfs (Debian zim-tools) also
writes the Xapian full-text index that kiwix-serve searches. The pages are written to a
temporary folder next to the output (--keep-html keeps it).
"""
import argparse
import html
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


def png_48x48():
    """A plain 48x48 PNG (zimwriterfs wants an illustration)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x2e\x7d\x32" * 48 for _ in range(48))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 48, 48, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def safe_name(doc_id):
    """The page's file name: the id with '/' and other awkward bytes replaced."""
    out = "".join(c if (c.isalnum() or c in "-_.") else "_" for c in doc_id)
    return (out or "doc") + ".html"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--language", default="urd", help="ISO 639-3")
    ap.add_argument("--title", default="Rasai test collection")
    ap.add_argument("--description", default="Documents written as HTML pages")
    ap.add_argument("--name", default="", help="the archive's Name metadata")
    ap.add_argument("--limit", type=int, default=0, help="at most this many documents")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--without-ft-index", action="store_true", help="no Xapian index (faster to build)")
    ap.add_argument("--keep-html", action="store_true")
    args = ap.parse_args()

    out = os.path.abspath(args.out)
    work = tempfile.mkdtemp(prefix="zimpages-", dir=os.path.dirname(out))
    names = set()
    first = None
    count = 0
    try:
        with open(os.path.join(work, "illustration.png"), "wb") as f:
            f.write(png_48x48())
        for path in args.inputs:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    d = json.loads(line)
                    name = safe_name(str(d["id"]))
                    if name in names:
                        sys.exit(f"two documents would share the page {name}")
                    names.add(name)
                    title = html.escape(d.get("title") or "")
                    paras = [p.strip() for p in (d.get("body") or "").split("\n") if p.strip()]
                    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
                    page = (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>\n'
                            f"<body><h1>{title}</h1>\n{body}</body></html>\n")
                    with open(os.path.join(work, name), "w", encoding="utf-8") as p:
                        p.write(page)
                    first = first or name
                    count += 1
                    if args.limit and count >= args.limit:
                        break
            if args.limit and count >= args.limit:
                break
        if not first:
            sys.exit("no documents")
        cmd = ["zimwriterfs", f"--welcome={first}", "--illustration=illustration.png", f"--language={args.language}",
               f"--title={args.title}", f"--description={args.description}", "--creator=Rasai",
               "--publisher=Rasai", f"--threads={args.threads}"]
        if args.name:
            cmd.append(f"--name={args.name}")
        if args.without_ft_index:
            cmd.append("--withoutFTIndex")
        if os.path.exists(out):
            os.remove(out)
        subprocess.run(cmd + [work, out], check=True, stdout=subprocess.DEVNULL)
        print(f"{out}: {count} pages")
    finally:
        if args.keep_html:
            print(f"pages kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
