using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Pairs member versions: first within each file by exact identity (unchanged pairs are dropped at once),
/// then the leftovers across all files (moves), then by loose identity (same name, new signature), then by body
/// similarity (renames, see <see cref="RenamePairing"/>).
/// Everything not dropped is marked for analysis.
/// </summary>
internal sealed class MemberPairing
{
    private readonly List<(MemberVersion? Before, MemberVersion? After)> changed = [];
    private readonly List<MemberVersion> leftBefore = [];
    private readonly List<MemberVersion> leftAfter = [];
    private readonly HashSet<string> pairedBefore = new(StringComparer.Ordinal);
    private readonly HashSet<string> pairedAfter = new(StringComparer.Ordinal);
    private HashSet<string>? leftKeys; // keys of the base leftovers, fixed once the first new file is marked
    private int leftBeforeWhenFixed;

    public void PairWithinFile(IReadOnlyList<MemberVersion> before, IReadOnlyList<MemberVersion> after)
    {
        var byKey = ByKey(before);
        var afterByKey = ByKey(after);
        foreach (var (key, head) in afterByKey)
        {
            if (byKey.Remove(key, out var b))
            {
                Pair(b, head, skipIfUnchanged: true);
            }
            else
            {
                head.Analysed = true;
                leftAfter.Add(head);
            }
        }

        foreach (var b in byKey.Values)
        {
            b.Analysed = true;
            b.ImplicitlyReplaced = b.ParentKey is { } parent && afterByKey.TryGetValue(parent, out var type) && ImplicitConstructorReplaces(b, type);
            leftBefore.Add(b);
        }
    }

    /// <summary>
    /// The head type declares no instance constructor (no primary constructor, not partial, so no other file could),
    /// and <paramref name="removed"/> was an explicit parameterless instance constructor: the compiler's implicit
    /// constructor is the same to callers (public, or protected in an abstract class where a public one is no more).
    /// A constructor with attributes is not (<c>[SetsRequiredMembers]</c>: without it, <c>new T()</c> must set every
    /// required member).
    /// </summary>
    private static bool ImplicitConstructorReplaces(MemberVersion removed, MemberVersion type)
        => removed.Node is ConstructorDeclarationSyntax { ParameterList.Parameters.Count: 0, AttributeLists.Count: 0 } constructor
            && !constructor.Modifiers.Any(SyntaxKind.StaticKeyword) && !constructor.Modifiers.Any(SyntaxKind.PrivateKeyword)
            && type.Node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax
            && type.Node is TypeDeclarationSyntax { ParameterList: null } declaration
            && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword) && !declaration.Modifiers.Any(SyntaxKind.StaticKeyword)
            && !declaration.Members.OfType<ConstructorDeclarationSyntax>().Any(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword));

    /// <summary>
    /// Marks the head members of a new file that the cross-file pairing can never pair: neither their key nor their
    /// loose key is among the base members left so far. (A file git reports as renamed is not new: members moved with it
    /// into a renamed type or namespace still pair by body.) Call once every file with a base side was paired.
    /// </summary>
    public void MarkUnpairable(IReadOnlyList<MemberVersion> after)
    {
        if (leftKeys is null)
        {
            leftKeys = new HashSet<string>(leftBefore.SelectMany(b => new[] { b.Key, b.LooseKey }), StringComparer.Ordinal);
            leftBeforeWhenFixed = leftBefore.Count;
        }
        else if (leftBefore.Count != leftBeforeWhenFixed)
        {
            throw new InvalidOperationException("a file with a base side was paired after new files were marked");
        }

        foreach (var head in after)
        {
            head.Unpairable = !leftKeys.Contains(head.Key) && !leftKeys.Contains(head.LooseKey);
        }
    }

    /// <summary>Pairs the leftovers across files and returns every pair (or single) the change touched.</summary>
    public List<(MemberVersion? Before, MemberVersion? After)> Finish()
    {
        var before = ByKey(leftBefore);
        var unmatchedAfter = new List<MemberVersion>();
        foreach (var (key, head) in ByKey(leftAfter))
        {
            if (before.Remove(key, out var b))
            {
                Pair(b, head, skipIfUnchanged: false);
            }
            else
            {
                unmatchedAfter.Add(head);
            }
        }

        var looseBefore = before.Values.GroupBy(m => m.LooseKey).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
        var looselyPaired = new HashSet<MemberVersion>();
        if (looseBefore.Count == 0)
        {
            // Nothing left to pair loosely (e.g. a change that only adds files): every leftover head is single.
            PairRenamed([.. before.Values], looselyPaired, unmatchedAfter);
            AddUnpaired(before.Values, looselyPaired, unmatchedAfter);
            return changed;
        }

        var looseAfterCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var head in unmatchedAfter)
        {
            looseAfterCounts[head.LooseKey] = looseAfterCounts.GetValueOrDefault(head.LooseKey) + 1;
        }

        var singlesAfter = new List<MemberVersion>();
        foreach (var head in unmatchedAfter)
        {
            if (looseAfterCounts[head.LooseKey] == 1 && looseBefore.TryGetValue(head.LooseKey, out var b))
            {
                Pair(b, head, skipIfUnchanged: false);
                looselyPaired.Add(b);
            }
            else
            {
                singlesAfter.Add(head);
            }
        }

        PairRenamed(before.Values.Where(b => !looselyPaired.Contains(b)).ToList(), looselyPaired, singlesAfter);
        AddUnpaired(before.Values, looselyPaired, singlesAfter);
        return changed;
    }

    /// <summary>Renamed members (same or nearly the same body under another name) keep their identity.</summary>
    private void PairRenamed(List<MemberVersion> removed, HashSet<MemberVersion> paired, List<MemberVersion> singlesAfter)
    {
        foreach (var (b, head) in RenamePairing.Pair(removed, singlesAfter))
        {
            Pair(b, head, skipIfUnchanged: false);
            paired.Add(b);
            singlesAfter.Remove(head);
        }
    }

    /// <summary>Base members left unpaired (removed) first, then head members (added), in their order.</summary>
    private void AddUnpaired(IEnumerable<MemberVersion> before, HashSet<MemberVersion> looselyPaired, List<MemberVersion> singlesAfter)
    {
        foreach (var b in before)
        {
            if (!looselyPaired.Contains(b))
            {
                b.ContainerRemoved = b.ParentKey is { } parent && !pairedBefore.Contains(parent);
                changed.Add((b, null));
            }
        }

        foreach (var head in singlesAfter)
        {
            head.ContainerAdded = head.ParentKey is { } parent && !pairedAfter.Contains(parent);
            changed.Add((null, head));
        }
    }

    private void Pair(MemberVersion before, MemberVersion after, bool skipIfUnchanged)
    {
        pairedBefore.Add(before.Key);
        pairedAfter.Add(after.Key);
        if (skipIfUnchanged && before.Kind != MemberKind.File && before.SameTextAs(after))
        {
            return;
        }

        before.Analysed = true;
        after.Analysed = true;
        before.HeadVersion = after;
        changed.Add((before, after));
    }

    private static Dictionary<string, MemberVersion> ByKey(IEnumerable<MemberVersion> members)
    {
        // Same-key members (overloads a broken parse repeats thousands of times) are numbered in order: #2, #3, …
        // The next number per key is kept, so k duplicates cost k steps, not k².
        var result = new Dictionary<string, MemberVersion>(StringComparer.Ordinal);
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var key = member.Key;
            for (var n = next.GetValueOrDefault(member.Key, 2); result.ContainsKey(key); n++)
            {
                key = member.Key + "#" + n;
                next[member.Key] = n + 1;
            }

            result[key] = member;
        }

        return result;
    }
}
