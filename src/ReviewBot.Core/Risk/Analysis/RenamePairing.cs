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

    /// <summary>At most this many comparisons (each a pass over both bodies) in one change.</summary>
    private const int MaxComparisons = 20_000;

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

        // Candidates are close by: the same containing type, the same file (a type renamed in place), the same name but
        // for case, or the same member name in another type (moved to a renamed class or namespace). Bodies are read only
        // for members with a candidate.
        var byParent = before.Where(b => b.ParentKey is not null).ToLookup(b => b.ParentKey!, StringComparer.Ordinal);
        var byPath = before.ToLookup(b => b.Path, StringComparer.Ordinal);
        var byName = before.ToLookup(b => b.LooseKey, StringComparer.OrdinalIgnoreCase);
        var byMemberName = before.ToLookup(NameKey, StringComparer.Ordinal);
        var bodies = new Dictionary<MemberVersion, Body>();
        Body BodyOf(MemberVersion m) => bodies.TryGetValue(m, out var known) ? known : bodies[m] = new Body(BodyLines(m));

        // Identical bodies score above any similarity (the plain rename); then the most similar, greedily.
        var candidates = new List<(double Score, MemberVersion Before, MemberVersion After)>();
        var comparisons = 0;
        foreach (var head in after)
        {
            var near = (head.ParentKey is { } parent ? byParent[parent] : []).Concat(byPath[head.Path]).Concat(byName[head.LooseKey]).Concat(byMemberName[NameKey(head)])
                .Where(b => b.Kind == head.Kind).Distinct();
            foreach (var b in near)
            {
                if (++comparisons > MaxComparisons)
                {
                    break;
                }

                var (body, other) = (BodyOf(head), BodyOf(b));
                if (!body.Substantial && NameDistance(b, head) != 0)
                {
                    continue;
                }

                var score = other.Text == body.Text ? 2.0 : body.Dice(other);
                if (score >= MinimumSimilarity)
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

    /// <summary>Kind and member name without containing type or parameters: a member moved to a renamed type keeps it.</summary>
    public static string NameKey(MemberVersion m)
    {
        var name = m.DisplayName;
        var paren = name.IndexOf('(');
        var head = paren >= 0 ? name[..paren] : name;
        return "N:" + m.Kind + ":" + head[(head.LastIndexOf('.') + 1)..];
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

    /// <summary>A member's body lines: their text (for identical bodies) and sorted hashes (for similarity).</summary>
    private sealed class Body
    {
        private readonly int[] hashes;

        public Body(string[] lines)
        {
            Text = string.Join('\n', lines);
            hashes = lines.Select(l => string.GetHashCode(l, StringComparison.Ordinal)).Order().ToArray();

            // Enough to be recognised (three lines, or 60 characters): two one-liners such as "=> null;" are the same by
            // chance, so short members pair only across a case-only rename.
            Substantial = lines.Length >= 3 || Text.Length >= 60;
        }

        public string Text { get; }

        public bool Substantial { get; }

        /// <summary>Dice coefficient over the lines (as multisets), by one merge of the sorted hashes.</summary>
        public double Dice(Body other)
        {
            var (a, b) = (hashes, other.hashes);
            if (a.Length == 0 || b.Length == 0 || 2.0 * Math.Min(a.Length, b.Length) / (a.Length + b.Length) < MinimumSimilarity)
            {
                return 0;
            }

            int i = 0, j = 0, common = 0;
            while (i < a.Length && j < b.Length)
            {
                if (a[i] == b[j])
                {
                    common++;
                    i++;
                    j++;
                }
                else if (a[i] < b[j])
                {
                    i++;
                }
                else
                {
                    j++;
                }
            }

            return 2.0 * common / (a.Length + b.Length);
        }
    }

    /// <summary>
    /// 0 for the same name (but for case, or in a renamed or moved type), 1 for the same containing type, 2 otherwise:
    /// ties go to the closest pair, and short bodies pair only at 0.
    /// </summary>
    private static int NameDistance(MemberVersion before, MemberVersion after)
        => string.Equals(before.LooseKey, after.LooseKey, StringComparison.OrdinalIgnoreCase) || NameKey(before) == NameKey(after) ? 0
            : before.ParentKey == after.ParentKey ? 1 : 2;
}
