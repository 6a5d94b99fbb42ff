#!/usr/bin/env python3
"""Peak memory of `rasai index` as the input grows: one row per (input, binary), interleaved.

    bench/ingest_memory.py [--rounds R] [--ram-mb MB] [--keep-openings] [--workdir DIR]
                           --rasai build/rasai [--rasai OTHER/rasai ...] FILE.jsonl ...

Each run indexes one input into a new folder. The child's /proc/PID/status is read every 20 ms:
peak RSS is the kernel's own high-water mark (VmHWM, exact); peak anon (RssAnon: heap, stacks)
and peak file (RssFile: mapped files, the binary included) are the largest values sampled, so
each is a lower bound of its true peak. Mapped file pages are page cache the kernel can take back
under pressure; anonymous pages are what the process needs. Prints the median of the rounds per
row, then the peak RSS of each input against the first one, per binary.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "RssAnon", "RssFile"):
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def run(cmd):
    start = time.monotonic()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"VmHWM": 0, "RssAnon": 0, "RssFile": 0}
    while child.poll() is None:
        for key, value in status(child.pid).items():
            peak[key] = max(peak[key], value)
        time.sleep(0.02)
    err = child.stderr.read()
    if child.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({child.returncode}): {err[-2000:]}")
    return time.monotonic() - start, peak


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rasai", action="append", required=True, help="a rasai binary (repeat to compare)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--ram-mb", type=int, default=0, help="--ram-mb for rasai index (0: its default)")
    ap.add_argument("--keep-openings", action="store_true", help="pass --keep-openings (no learning passes)")
    ap.add_argument("--workdir", default="")
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    work = a.workdir or tempfile.mkdtemp(prefix="rasai-ingest-memory-")
    os.makedirs(work, exist_ok=True)
    docs = {p: count_lines(p) for p in a.inputs}
    results = {}  # (input, binary) -> list of (seconds, peak)
    for r in range(a.rounds):
        for p in a.inputs:
            for b in a.rasai:
                idx = os.path.join(work, "idx")
                shutil.rmtree(idx, ignore_errors=True)
                cmd = [b, "index", "--index", idx]
                if a.ram_mb:
                    cmd += ["--ram-mb", str(a.ram_mb)]
                if a.keep_openings:
                    cmd.append("--keep-openings")
                cmd.append(p)
                results.setdefault((p, b), []).append(run(cmd))
    shutil.rmtree(os.path.join(work, "idx"), ignore_errors=True)
    load = open("/proc/loadavg").read().strip()
    print(f"{a.rounds} round(s), rows interleaved; buffer {a.ram_mb or 'default'} MB; "
          f"{'--keep-openings; ' if a.keep_openings else ''}load average at the end: {load}\n")
    print("| binary | input | documents | wall s | peak RSS MB | peak anon MB | peak file MB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    med = {}
    for p in a.inputs:
        for b in a.rasai:
            rows = results[(p, b)]
            m = {k: statistics.median(x[1][k] for x in rows) / 1024 for k in ("VmHWM", "RssAnon", "RssFile")}
            s = statistics.median(x[0] for x in rows)
            med[(p, b)] = m
            print(f"| {b} | {os.path.basename(p)} | {docs[p]} | {s:.1f} | {m['VmHWM']:.1f} | "
                  f"{m['RssAnon']:.1f} | {m['RssFile']:.1f} |")
    print()
    for b in a.rasai:
        first = med[(a.inputs[0], b)]
        growth = ", ".join(f"{os.path.basename(p)} {med[(p, b)]['VmHWM'] / first['VmHWM']:.2f}x "
                           f"(anon {med[(p, b)]['RssAnon'] / first['RssAnon']:.2f}x)" for p in a.inputs[1:])
        print(f"{b}: peak RSS against {os.path.basename(a.inputs[0])}: {growth}")


if __name__ == "__main__":
    main()
