#!/usr/bin/env python3
"""Timing helper for benches/run.sh (Python 3.11, standard library only).

    measure.py run --runs 3 --files N --bytes B --results FILE \\
        --parse-only "wabalint parse-only DIR" --check "wabalint check … DIR"
    measure.py header
    measure.py summary --results FILE

`run` alternates the two commands (parse-only, check, parse-only, check, …) so that background
load hits both alike, and takes for each the median of the runs: wall time (from just before the
fork to the child's exit), CPU time (the child's user + system time from wait4) and peak RSS (the
child's ru_maxrss). stdout goes to /dev/null; a command that exits with anything but 0 or 1 stops
the benchmark with its stderr. It prints one Markdown table row and appends the samples to
--results (JSON lines); `summary` compares the results with the targets.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time


def once(argv: list[str]) -> tuple[float, float, int]:
    with tempfile.TemporaryFile() as err, open(os.devnull, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace")[-4000:])
            raise SystemExit(f"error: `{shlex.join(argv)}` exited with {proc.returncode} (expected 0 or 1)")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def fmt_time(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_mb(b: float) -> str:
    return f"{b / 1e3:.1f} kB" if b < 1e6 else f"{b / 1e6:.1f} MB"


HEADER = ("| files | corpus | parse-only wall | check wall | check / parse-only (wall) | parse-only CPU | "
          "check CPU | check / parse-only (CPU) | check CPU / wall | parse-only peak RSS | check peak RSS |\n"
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")


def run(args) -> None:
    cmds = {"parse": shlex.split(args.parse_only), "check": shlex.split(args.check)}
    samples: dict[str, list[tuple[float, float, int]]] = {"parse": [], "check": []}
    for _ in range(args.runs):
        for name, argv in cmds.items():
            samples[name].append(once(argv))
    med = {name: tuple(statistics.median(s[i] for s in runs) for i in range(3)) for name, runs in samples.items()}
    p, c = med["parse"], med["check"]
    print(f"| {args.files:,} | {fmt_mb(args.bytes)} | {fmt_time(p[0])} | {fmt_time(c[0])} | {c[0] / p[0]:.2f}× | "
          f"{fmt_time(p[1])} | {fmt_time(c[1])} | {c[1] / p[1]:.2f}× | {c[1] / c[0]:.2f} | "
          f"{fmt_mb(p[2])} | {fmt_mb(c[2])} |", flush=True)
    if args.results:
        with open(args.results, "a", encoding="utf-8") as f:
            f.write(json.dumps({"files": args.files, "bytes": args.bytes, "runs": args.runs,
                                "median": med, "samples": samples, "commands": cmds}) + "\n")


def summary(args) -> None:
    res = {}
    with open(args.results, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            res[r["files"]] = r
    out = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    if 1 in res:
        w = res[1]["median"]["check"][0]
        out.append(f"- one file, whole process: {fmt_time(w)} wall (target < 10 ms): {verdict(w < 0.010)}")
    if 10000 in res:
        p, c = res[10000]["median"]["parse"], res[10000]["median"]["check"]
        out.append(f"- 10,000 files: {fmt_time(c[0])} wall (target < 0.5 s): {verdict(c[0] < 0.5)}; "
                   f"{c[0] / p[0]:.2f}× parse-only (target ≤ 2×): {verdict(c[0] / p[0] <= 2)}")
    if 100000 in res:
        c = res[100000]["median"]["check"]
        out.append(f"- 100,000 files: peak RSS {fmt_mb(c[2])} (target < 100 MB): {verdict(c[2] < 100e6)}")
        if 10000 in res:
            c10 = res[10000]["median"]["check"]
            out.append(f"- linear: 100,000 files take {c[0] / c10[0]:.1f}× the wall time of 10,000 "
                       f"(per file {c10[0] / 10000 * 1e6:.0f} µs → {c[0] / 100000 * 1e6:.0f} µs)")
    for n in sorted(res):
        if n >= 1000:
            c = res[n]["median"]["check"]
            out.append(f"- cores used by check at {n:,} files: CPU / wall = {c[1] / c[0]:.2f} (2 cores = 2.00)")
    print("\n".join(out))


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--runs", type=int, default=3)
    r.add_argument("--files", type=int, required=True)
    r.add_argument("--bytes", type=int, required=True)
    r.add_argument("--parse-only", required=True)
    r.add_argument("--check", required=True)
    r.add_argument("--results")
    sub.add_parser("header")
    s = sub.add_parser("summary")
    s.add_argument("--results", required=True)
    args = ap.parse_args()
    if args.cmd == "run":
        run(args)
    elif args.cmd == "header":
        print(HEADER)
    else:
        summary(args)


if __name__ == "__main__":
    main()
