#!/usr/bin/env python3
"""Checks a generated corpus against wabalint (Python 3.11, standard library only).

    python3 benches/verify_corpus.py DIR [--bin target/release/wabalint] [--profile meta]

Runs `wabalint check --no-config --profile meta --format json DIR` and compares the findings
with DIR/.corpus.tsv written by generate.py: clean files should have no diagnostic, a file with
a violation exactly one, of that rule (and above 6,000 templates each account one
`account/too-many-templates`, since all files of a run form one WABA). Prints the clean share and every mismatch (the first 20),
and exits 1 when there is a mismatch.
"""

import argparse
import collections
import json
import os
import subprocess
import sys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--bin", default="target/release/wabalint")
    ap.add_argument("--profile", default="meta")
    ap.add_argument("--as-of", default="2026-11-26")
    args = ap.parse_args()

    expected = {}
    with open(os.path.join(args.dir, ".corpus.tsv"), encoding="utf-8") as f:
        for line in f:
            rel, kind, violation = line.rstrip("\n").split("\t")
            expected[os.path.normpath(os.path.join(args.dir, rel))] = (kind, None if violation == "-" else violation)

    run = subprocess.run([args.bin, "check", "--no-config", "--profile", args.profile, "--as-of", args.as_of,
                          "--format", "json", args.dir], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        print(run.stderr, file=sys.stderr)
        raise SystemExit(f"wabalint exited with {run.returncode}")
    report = json.loads(run.stdout)
    found = collections.defaultdict(list)
    for d in report["diagnostics"]:
        found[os.path.normpath(d["file"])].append(d["rule"])

    # All files of a run form one WhatsApp Business Account: above 6,000 templates every
    # (verified) account of the corpus is over Meta's template cap, as it should be.
    templates = sum(1 for kind, _ in expected.values() if kind == "template")
    mismatches = []
    by_rule = collections.Counter()
    for path, (kind, violation) in expected.items():
        rules = found.get(path, [])
        by_rule.update(rules)
        want = [f"template/{violation}"] if violation else []
        if kind == "account" and templates > 6000:
            want = ["account/too-many-templates"]
        if sorted(rules) != want:
            mismatches.append((path, kind, violation, rules))
    unknown = set(found) - set(expected)

    n = len(expected)
    clean = sum(1 for p in expected if not found.get(p))
    print(f"{n} files, {report['summary']['files']} checked by wabalint; {clean} without diagnostics "
          f"({100 * clean / n:.1f} %), {n - clean} with diagnostics; {len(report['diagnostics'])} diagnostics")
    for rule, count in by_rule.most_common():
        print(f"  {count:6d}  {rule}")
    for path, kind, violation, rules in mismatches[:20]:
        print(f"MISMATCH {path} ({kind}, expected {violation or 'clean'}): {rules}")
    for path in sorted(unknown)[:20]:
        print(f"UNEXPECTED FILE {path}: {found[path]}")
    if report["summary"]["files"] != n:
        print(f"MISMATCH: wabalint checked {report['summary']['files']} files, the corpus has {n}")
        return 1
    return 1 if mismatches or unknown else 0


if __name__ == "__main__":
    sys.exit(main())
