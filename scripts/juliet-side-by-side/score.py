"""Scores analyzer diagnostics (SARIF 2.1) on the Juliet dev set like ../shared/eval/juliet-dev/score scores reviewbot:
a Bad() method is found when a diagnostic of one of the analyzer's security rules (those in cwe-map.tsv) falls in it, found CWE-matched when the diagnostic's rule is
mapped to the file's CWE in cwe-map.tsv; a Good*() method is flagged when a diagnostic falls in it."""
import collections, json, os, re, sys

sarif, cases, listing, cwe_map = sys.argv[1:5]
mapping = {}
for line in open(cwe_map):
    if line.strip() and not line.startswith('#'):
        rule, cwes = line.rstrip('\n').split('\t')[:2]
        mapping[rule] = {int(c) for c in cwes.split(',') if c.strip()}

def tool(rule):
    return 'SecurityCodeScan' if rule.startswith('SCS') else 'SonarAnalyzer' if re.fullmatch(r'S\d+', rule) else None

hits = collections.defaultdict(lambda: collections.defaultdict(list))   # tool -> file -> [(line, rule)]
rules_seen = collections.Counter()
for run in json.load(open(sarif))['runs']:
    for r in run.get('results', []):
        t = tool(r['ruleId'])
        if t is None or r['ruleId'] not in mapping:
            continue
        for loc in r.get('locations', []):
            phys = loc.get('physicalLocation', {})
            uri = phys.get('artifactLocation', {}).get('uri', '')
            line = phys.get('region', {}).get('startLine')
            if '/cases/' in uri and line:
                rel = uri.split('/cases/', 1)[1]
                hits[t][os.path.normpath(rel)].append((line, r['ruleId']))
                rules_seen[r['ruleId']] += 1

head = re.compile(r'^\s*(public|private|protected|internal)[^=;(]*\b(Bad\w*|Good\w*)\s*\(')
for t in ('SecurityCodeScan', 'SonarAnalyzer'):
    per = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])   # bad, found, good, flagged, found by CWE, good flagged by CWE
    for p in (l.strip() for l in open(listing) if l.strip()):
        cwe = os.path.basename(p).split('_')[0]
        lines = open(os.path.join(cases, p), encoding='utf-8', errors='replace').read().split('\n')
        starts = [(i + 1, m.group(2)) for i, l in enumerate(lines) if (m := head.match(l))]
        for k, (s, name) in enumerate(starts):
            e = starts[k + 1][0] - 1 if k + 1 < len(starts) else len(lines)
            if name == 'Good' or 'Source' in name or 'Sink' in name:
                continue
            mine = [rule for line, rule in hits[t].get(os.path.normpath(p), []) if s <= line <= e]
            by_cwe = any(int(cwe[3:]) in mapping.get(rule, set()) for rule in mine)
            c = per[cwe]
            if name.startswith('Bad'):
                c[0] += 1; c[1] += bool(mine); c[4] += by_cwe
            elif name.startswith('Good'):
                c[2] += 1; c[3] += bool(mine); c[5] += by_cwe
    tot = [sum(v[i] for v in per.values()) for i in range(6)]
    print(f"== {t}")
    print(f"{'CWE':8} {'recall':>12} {'good flagged':>14} {'recall, rule of the CWE':>24}")
    for cwe in sorted(per, key=lambda c: int(c[3:])):
        b, bf, g, gf, bc, gc = per[cwe]
        print(f"{cwe:8} {bf:>4}/{b:<4} {bf/max(b,1):4.2f} {gf:>5}/{g:<4} {gf/max(g,1):4.2f} {bc:>15}/{b:<4} {bc/max(b,1):4.2f}")
    print(f"overall: recall {tot[1]/max(tot[0],1):.2f} ({tot[1]}/{tot[0]}), good methods flagged {tot[3]/max(tot[2],1):.2f} ({tot[3]}/{tot[2]})")
    print(f"CWE-matched: recall {tot[4]/max(tot[0],1):.2f} ({tot[4]}/{tot[0]}), good methods flagged {tot[5]/max(tot[2],1):.2f} ({tot[5]}/{tot[2]})")
print("rules seen in the cases: " + ", ".join(f"{r} {n}" for r, n in sorted(rules_seen.items())), file=sys.stderr)
