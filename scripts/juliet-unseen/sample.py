#!/usr/bin/env python3
"""Draws a seeded sample of Juliet C# cases the dev set does not hold, to score the analysis on cases it was not tuned on.

For each CWE of the dev set, `--per-cwe` single-file cases (flow variants `_01` to `_45`, no split `a/b` files) are
drawn with `random.Random(seed)` from the Juliet repository's sorted file list, leaving out the dev set's files and any
listed in `--exclude` files (earlier samples). The output folder gets the cases, their `files.txt` and a copy of the dev
set's `score`, so that `bash OUT/score <reviewbot command>` scores the sample exactly as the dev set is scored.
Not part of CI; docs/risk-accuracy.md gives the seeds used and the figures.

    python3 scripts/juliet-unseen/sample.py --juliet /work/.mirror/Benthediver99+juliet_test_suite_1.3-csharp/repo \
        --dev ../shared/eval/juliet-dev --seed 17017 --out /tmp/juliet-17017
    bash /tmp/juliet-17017/score dotnet src/ReviewBot.Cli/bin/Release/net10.0/reviewbot.dll
"""
import argparse
import collections
import os
import random
import re
import shutil
import subprocess

SINGLE_FILE = re.compile(r"__.*_[0-9]{2}\.cs$")


def git(juliet, *args):
    return subprocess.run(["git", "-C", juliet, *args], check=True, capture_output=True).stdout


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--juliet", required=True, help="a checkout or git directory of Benthediver99/juliet_test_suite_1.3-csharp")
    p.add_argument("--dev", required=True, help="the dev set folder (files.txt, score)")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--per-cwe", type=int, default=12)
    p.add_argument("--exclude", action="append", default=[], help="a files.txt of cases to leave out (repeatable)")
    p.add_argument("--out", required=True)
    a = p.parse_args()

    def listing(path):
        return {line.strip() for line in open(path) if line.strip()}

    dev = listing(os.path.join(a.dev, "files.txt"))
    excluded = set().union(dev, *(listing(e) for e in a.exclude))
    cwes = sorted({os.path.basename(f).split("_")[0] for f in dev}, key=lambda c: int(c[3:]))
    pool = collections.defaultdict(list)
    for f in git(a.juliet, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines():
        cwe = os.path.basename(f).split("_")[0]
        if f.startswith("src/testcases/") and SINGLE_FILE.search(f) and cwe in cwes and f not in excluded:
            pool[cwe].append(f)

    rng = random.Random(a.seed)
    chosen = []
    for cwe in cwes:
        files = sorted(pool[cwe])
        chosen += rng.sample(files, min(a.per_cwe, len(files)))

    os.makedirs(a.out, exist_ok=True)
    for f in chosen:
        target = os.path.join(a.out, f)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(git(a.juliet, "show", "HEAD:" + f))  # the bytes as committed
    with open(os.path.join(a.out, "files.txt"), "w") as out:
        out.write("\n".join(chosen) + "\n")
    shutil.copy(os.path.join(a.dev, "score"), os.path.join(a.out, "score"))
    print(f"{len(chosen)} cases over {len(cwes)} CWEs in {a.out}")


if __name__ == "__main__":
    main()
