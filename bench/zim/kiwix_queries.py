#!/usr/bin/env python3
"""Runs a query file against kiwix-serve's full-text search (the Xapian index inside a ZIM) and
writes the results as `rasai search --json` does, for ../shared/tools/score-queries.

    kiwix-serve --port=18402 --address=127.0.0.1 urdu-news_2026-12.zim &
    bench/zim/kiwix_queries.py --url http://127.0.0.1:18402 --book urdu-news_2026-12 \
        ../shared/data/urdu/queries-dev.tsv > kiwix-dev.jsonl
    ../shared/tools/score-queries ../shared/data/urdu/queries-dev.tsv kiwix-dev.jsonl

A hit's id is its entry path without ".html" (the page name jsonl_to_zim.py gave the document),
so that it compares with the JSONL ids of the query files. took_ms is the HTTP round trip.
"""
import argparse
import json
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("queries")
    ap.add_argument("--url", required=True)
    ap.add_argument("--book", required=True, help="the book's name in kiwix-serve (the file name without .zim)")
    ap.add_argument("-n", type=int, default=10)
    args = ap.parse_args()
    prefix = "/" + args.book + "/"
    for line in open(args.queries, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 2:
            continue
        qid, query = parts[0], parts[1]
        params = urllib.parse.urlencode({"content": args.book, "pattern": query, "format": "xml",
                                         "pageLength": args.n, "start": 1})
        t0 = time.monotonic()
        hits, total = [], 0
        try:
            with urllib.request.urlopen(args.url + "/search?" + params, timeout=60) as r:
                body = r.read()
            root = ET.fromstring(body)
            ns = {"opensearch": "http://a9.com/-/spec/opensearch/1.1/"}
            t = root.find(".//opensearch:totalResults", ns)
            total = int(t.text.replace(",", "")) if t is not None and t.text else 0
            for item in root.iter("item"):
                link = urllib.parse.unquote(item.findtext("link") or "")
                path = link[len(prefix):] if link.startswith(prefix) else link
                doc_id = path[:-5] if path.endswith(".html") else path
                hits.append({"id": doc_id, "title": item.findtext("title") or ""})
        except Exception as e:  # a query kiwix-serve refuses counts as no hit
            print(f"{qid}: {e}", file=sys.stderr)
        took = (time.monotonic() - t0) * 1000
        print(json.dumps({"qid": qid, "query": query, "total": total, "took_ms": took, "hits": hits[:args.n]},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
