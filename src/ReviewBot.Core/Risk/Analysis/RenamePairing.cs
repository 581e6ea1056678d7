namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Pairs members that neither identity nor name pairs: a renamed member (also a case-only rename, and a rename
/// combined with a move or a small edit) keeps its identity when its body is the same or nearly the same. Without
/// this, everything in a renamed member would count as new code, and a renamed test as a deleted one.
/// </summary>
internal static class RenamePairing
{
    /// <summary>Share of lines (Dice coefficient over the body's trimmed lines) two bodies must have in common.</summary>
    public const double MinimumSimilarity = 0.7;

    /// <summary>Past this many candidate pairs only identical bodies pair (each comparison costs a pass over both bodies).</summary>
    private const int MaxComparisons = 40_000;

    /// <summary>Best pairs of a removed and an added member of the same kind by body similarity, each member used once.</summary>
    public static List<(MemberVersion Before, MemberVersion After)> Pair(IReadOnlyList<MemberVersion> removed, IReadOnlyList<MemberVersion> added)
    {
        var pairs = new List<(MemberVersion, MemberVersion)>();
        var before = removed.Where(Pairable).ToList();
        var after = added.Where(m => Pairable(m) && !m.Unpairable).ToList();
        if (before.Count == 0 || after.Count == 0)
        {
            return pairs;
        }

        var bodies = new Dictionary<MemberVersion, string[]>();
        foreach (var m in before.Concat(after))
        {
            bodies[m] = BodyLines(m);
        }

        // Identical bodies first (the plain rename), then the most similar, greedily.
        var candidates = new List<(double Score, MemberVersion Before, MemberVersion After)>();
        var exhaustive = (long)before.Count * after.Count <= MaxComparisons;
        var byBody = before.GroupBy(m => (m.Kind, string.Join('\n', bodies[m]))).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var head in after)
        {
            if (byBody.TryGetValue((head.Kind, string.Join('\n', bodies[head])), out var same))
            {
                candidates.AddRange(same.Where(b => Substantial(bodies[head]) || NameDistance(b, head) == 0).Select(b => (2.0, b, head)));
            }

            if (!exhaustive)
            {
                continue;
            }

            foreach (var b in before)
            {
                if (b.Kind == head.Kind && Dice(bodies[b], bodies[head]) is var score && score >= MinimumSimilarity && score < 1
                    && (Substantial(bodies[head]) || NameDistance(b, head) == 0))
                {
                    candidates.Add((score, b, head));
                }
            }
        }

        var usedBefore = new HashSet<MemberVersion>();
        var usedAfter = new HashSet<MemberVersion>();
        foreach (var (_, b, a) in candidates.OrderByDescending(c => c.Score).ThenBy(c => NameDistance(c.Before, c.After)))
        {
            if (usedBefore.Add(b))
            {
                if (usedAfter.Add(a))
                {
                    pairs.Add((b, a));
                }
                else
                {
                    usedBefore.Remove(b);
                }
            }
        }

        return pairs;
    }

    /// <summary>Members whose body says who they are: not types (their members pair on their own), enum values or file parts.</summary>
    private static bool Pairable(MemberVersion m)
        => m.Kind is MemberKind.Method or MemberKind.Constructor or MemberKind.Property or MemberKind.Indexer or MemberKind.Operator
            or MemberKind.Event or MemberKind.Field or MemberKind.Delegate
            && m.OwnText.Length > 0;

    /// <summary>The member's trimmed non-empty lines after its name (attributes, modifiers and the name itself are what a rename changes).</summary>
    private static string[] BodyLines(MemberVersion m)
    {
        var lines = new List<string>();
        foreach (var span in m.OwnText)
        {
            var start = Math.Max(span.Start, m.Anchor.End);
            if (start >= span.End)
            {
                continue;
            }

            foreach (var range in m.Source.AsSpan(start, span.End - start).Split('\n'))
            {
                var line = m.Source.AsSpan(start + range.Start.Value, range.End.Value - range.Start.Value).Trim();
                if (!line.IsEmpty)
                {
                    lines.Add(line.ToString());
                }
            }
        }

        return [.. lines];
    }

    /// <summary>
    /// A body that says enough to be recognised (three lines, or 60 characters): two one-liners such as <c>=&gt; null;</c>
    /// are the same by chance, so short members pair only across a case-only rename.
    /// </summary>
    private static bool Substantial(string[] body) => body.Length >= 3 || body.Sum(l => l.Length) >= 60;

    private static double Dice(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in a)
        {
            counts[line] = counts.GetValueOrDefault(line) + 1;
        }

        var common = 0;
        foreach (var line in b)
        {
            if (counts.TryGetValue(line, out var left) && left > 0)
            {
                counts[line] = left - 1;
                common++;
            }
        }

        return 2.0 * common / (a.Length + b.Length);
    }

    /// <summary>0 for a case-only rename, 1 for the same containing type, 2 otherwise: ties go to the closest pair.</summary>
    private static int NameDistance(MemberVersion before, MemberVersion after)
        => string.Equals(before.LooseKey, after.LooseKey, StringComparison.OrdinalIgnoreCase) ? 0 : before.ParentKey == after.ParentKey ? 1 : 2;
}
