#!/usr/bin/env python3
"""Precision study of `reviewbot analyze` on public C# repositories (docs/risk-accuracy.md). Not part of CI.

  study.py run    --set tuning|heldout|fresh --mirrors DIR --out DIR [--cli DLL] [--jobs 2]
  study.py sample --set tuning|heldout|fresh --out DIR [--n 100]        -> DIR/<set>-sample.tsv (judge it)
  study.py show   --set tuning|heldout|fresh --mirrors DIR --out DIR    code around each sampled finding
  study.py report --set tuning|heldout|fresh --out DIR [--judgments TSV] per-rule tables in Markdown

The repository list, pinned heads, commit count and seed are fixed here and in docs/risk-accuracy.md.
"""
import argparse, json, os, random, subprocess, sys
from collections import Counter, defaultdict

SEED = 16016
COMMITS_PER_REPO = 60
REPOS = {
    "tuning": [
        ("dotnet/eShop", "5624ad564d1602a927879df32a79b94522eb6101"),
        ("bitwarden/server", "ac309aa19ed351406a56032d5f26a7a9a99f4abd"),
        ("serilog/serilog", "60935b4d7abad71cf6157b45a10f5c3c65ead527"),
        ("App-vNext/Polly", "173d6d1d2e28a4697f1ac1d22da68f77ff19a0c9"),
        ("modelcontextprotocol/csharp-sdk", "609499b2988e3f4a4c732552290bc9241fb90db9"),
    ],
    "heldout": [
        ("PiranhaCMS/piranha.core", "e095c504a63e75fcc5f7972aa356f85590b54bd8"),
        ("FluentValidation/FluentValidation", "ea299fe59719950018fa240dab86da414190d7f4"),
    ],
    # A repository not seen before, added after the held-out repositories were looked at once (round 2).
    "fresh": [
        ("jbogard/MediatR", "8a64581e2570e7410c5f44835d9ea112beccbe6b"),
        # Added in round 5 (2026-12-07) before any of its results were looked at: a web application (ASP.NET Core API
        # controllers, authentication and authorization), so that the judged fresh sample is not libraries only.
        ("jellyfin/jellyfin", "c3ed1407ca698b0905de99da87b67415e6a62dbd"),
    ],
}
WEIGHT = {"info": 0, "low": 1, "medium": 4, "high": 10, "critical": 25}
ORDER = ["none", "low", "medium", "high", "critical"]
API_OR_SIZE = {"RB5001", "RB5002", "RB8002"}


def git(mirror, *args):
    return subprocess.run(["git", "--git-dir", mirror, *args], check=True, capture_output=True, text=True).stdout


def mirror_of(mirrors, repo):
    return os.path.join(mirrors, repo.replace("/", "+"), "repo")


def commits(mirror, head):
    """The newest COMMITS_PER_REPO first-parent commits (with a parent) whose diff to the first parent touches .cs."""
    picked = []
    for sha in git(mirror, "rev-list", "--first-parent", head).split():
        parents = git(mirror, "rev-list", "--parents", "-n", "1", sha).split()[1:]
        if not parents:
            break
        if git(mirror, "diff", "--name-only", parents[0], sha, "--", "*.cs").strip():
            picked.append((sha, parents[0]))
            if len(picked) == COMMITS_PER_REPO:
                break
    return picked


def analyze(args, repo, mirror, target, sha, parent):
    path = os.path.join(target, sha + ".json")
    if os.path.exists(path) and not args.force:
        return
    result = subprocess.run(["dotnet", args.cli, "analyze", "--repo", mirror, "--base", parent, "--head", sha,
                             "--format", "json"], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"{repo} {sha}: exit {result.returncode}: {result.stderr.strip()[:300]}", file=sys.stderr)
        return
    with open(path, "w") as f:
        f.write(result.stdout)


def run(args):
    from concurrent.futures import ThreadPoolExecutor
    for repo, head in REPOS[args.set]:
        mirror = mirror_of(args.mirrors, repo)
        target = os.path.join(args.out, args.set, repo.replace("/", "+"))
        os.makedirs(target, exist_ok=True)
        with ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(lambda c: analyze(args, repo, mirror, target, *c), commits(mirror, head)))
        print(f"{repo}: done", file=sys.stderr)


def load(args):
    reports = []
    for repo, _ in REPOS[args.set]:
        folder = os.path.join(args.out, args.set, repo.replace("/", "+"))
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name)) as f:
                report = json.load(f)
            reports.append((repo, name[:-5], report))
    return reports


def findings(reports):
    rows = []
    for repo, sha, report in reports:
        for f in report["findings"]:
            rows.append((repo, sha, f))
    rows.sort(key=lambda r: (r[0], r[1], r[2]["path"], r[2]["line"], r[2]["ruleId"], r[2]["message"]))
    return rows


def level(fs):
    score = sum(WEIGHT[f["severity"]] for f in fs)
    band = "critical" if score >= 60 else "high" if score >= 30 else "medium" if score >= 8 else "low" if score >= 1 else "none"
    worst = max((f["severity"] for f in fs if f["severity"] != "info"), key=ORDER.index, default="none")
    return max(band, worst, key=ORDER.index)


def sample(args):
    rows = findings(load(args))
    chosen = sorted(random.Random(SEED).sample(range(len(rows)), min(args.n, len(rows))))
    path = os.path.join(args.out, f"{args.set}-sample.tsv")
    with open(path, "w") as out:
        out.write("id\trepository\tcommit\trule\tseverity\tlocation\tworth\treason\n")
        for i in chosen:
            repo, sha, f = rows[i]
            out.write(f"{i}\t{repo}\t{sha[:10]}\t{f['ruleId']}\t{f['severity']}\t{f['path']}:{f['line']}\t\t\n")
    print(f"{len(chosen)} of {len(rows)} findings -> {path}")


def show(args):
    rows = findings(load(args))
    mirrors = dict((repo, mirror_of(args.mirrors, repo)) for repo, _ in REPOS[args.set])
    with open(os.path.join(args.out, f"{args.set}-sample.tsv")) as f:
        next(f)
        for line in f:
            i = int(line.split("\t")[0])
            repo, sha, finding = rows[i]
            print(f"=== #{i} {repo} {sha[:10]} {finding['ruleId']} {finding['severity']} {finding['path']}:{finding['line']} ({finding['side']})")
            print("    " + finding["message"])
            if not finding["path"]:
                continue
            rev = sha if finding["side"] == "head" else sha + "^1"
            try:
                text = git(mirrors[repo], "show", f"{rev}:{finding['path']}").splitlines()
            except subprocess.CalledProcessError:
                print("    (file not readable at that side)")
                continue
            lo, hi = max(0, finding["line"] - args.context - 1), min(len(text), finding["endLine"] + args.context)
            for n in range(lo, hi):
                mark = ">" if finding["line"] - 1 <= n < finding["endLine"] else " "
                print(f"{mark}{n + 1:5} {text[n][:160]}")


def report(args):
    reports = load(args)
    rows = findings(reports)
    lines = sum(r["metrics"]["linesAdded"] + r["metrics"]["linesDeleted"] for _, _, r in reports)
    seen = Counter(f["ruleId"] for _, _, f in rows)
    high = sum(1 for _, _, r in reports if r["level"] in ("high", "critical"))
    alone = sum(1 for _, _, r in reports if r["level"] in ("high", "critical")
                and level([f for f in r["findings"] if f["ruleId"] not in API_OR_SIZE]) not in ("high", "critical"))
    # A judgment counts while its finding (repository, commit, rule, place) is still reported, at the finding's
    # current severity: judgments made on an earlier run carry over to the findings that remain.
    current = {(repo, sha[:10], f["ruleId"], f"{f['path']}:{f['line']}"): f["severity"] for repo, sha, f in rows}
    judged = defaultdict(list)
    gone = Counter()
    with open(args.judgments or os.path.join(args.out, f"{args.set}-sample.tsv")) as f:
        next(f)
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if cells[6] not in ("y", "n"):
                continue
            severity = current.get((cells[1], cells[2], cells[3], cells[5]))
            if severity is None:
                gone[cells[6]] += 1
                continue
            judged[cells[3]].append((severity, cells[6] == "y"))
    all_j = [v for js in judged.values() for v in js]
    hc = [w for s, w in all_j if s in ("high", "critical")]
    pct = lambda xs: f"{100 * sum(xs) / len(xs):.0f}% ({sum(xs)}/{len(xs)})" if xs else "–"
    print(f"commits {len(reports)}, changed lines {lines}, findings {len(rows)} ({1000 * len(rows) / max(lines, 1):.1f} per 1,000 lines)")
    print(f"commits raised to high/critical: {high} ({100 * high / len(reports):.0f}%); by API-change or size rules alone: {alone} ({100 * alone / len(reports):.0f}%)")
    print(f"judged {len(all_j)}: worth a reviewer's attention {pct([w for _, w in all_j])}; of high/critical {pct(hc)}")
    if gone:
        print(f"judged findings no longer reported: {sum(gone.values())} ({gone['y']} judged worth attention, {gone['n']} not)")
    print()
    print("| Rule | Findings seen | per 1,000 lines | Judged | Worth attention | Precision |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for rule in sorted(set(seen) | set(judged)):
        js = [w for _, w in judged.get(rule, [])]
        print(f"| {rule} | {seen[rule]} | {1000 * seen[rule] / max(lines, 1):.2f} | {len(js)} | {sum(js)} | {pct(js) if js else '–'} |")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("verb", choices=["run", "sample", "show", "report"])
    p.add_argument("--set", choices=list(REPOS), required=True)
    p.add_argument("--mirrors", default="/work/.mirror")
    p.add_argument("--out", default="/tmp/risk-study")
    p.add_argument("--cli", default=os.path.join(os.path.dirname(__file__), "../../src/ReviewBot.Cli/bin/Release/net10.0/reviewbot.dll"))
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--context", type=int, default=6)
    p.add_argument("--force", action="store_true")
    p.add_argument("--jobs", type=int, default=2, help="analyses run at once")
    p.add_argument("--judgments", help="judged sample (default OUT/<set>-sample.tsv); the published ones are in scripts/risk-study/judgments/")
    args = p.parse_args()
    {"run": run, "sample": sample, "show": show, "report": report}[args.verb](args)


if __name__ == "__main__":
    main()
