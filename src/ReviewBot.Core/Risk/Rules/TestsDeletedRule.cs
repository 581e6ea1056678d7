using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB6005: test methods or test files deleted in a change that also changes product code.</summary>
public sealed class TestsDeletedRule : IChangeRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB6005", RiskCategories.Tests, Severity.Medium, "Tests deleted while product code changed",
        "Deleting test methods or test files in the same change that modifies product code removes the evidence that the modified behaviour still works. (Tests moved or renamed keep their identity and do not count, nor do tests of a feature the change deletes: a test naming a removed product type or member, or in a class named after one.)");

    public void Inspect(ChangeContext context)
    {
        var productChanged = context.Files.Any(f => PathRules.IsCSharp(f.Path) && !PathRules.IsTestPath(f.Path) && !PathRules.IsGeneratedPath(f.Path));
        if (!productChanged)
        {
            return;
        }

        // A test of a feature the change deletes goes with it: it names a product type or member that is gone.
        var removedNames = context.ChangedMembers
            .Where(p => p.After is null && p.Before is { IsTestFile: false } b && b.Kind is not (MemberKind.File or MemberKind.TopLevel or MemberKind.AssemblyAttributes))
            .Select(p => SimpleName(p.Before!.DisplayName)).Where(n => n.Length > 3).ToHashSet(StringComparer.Ordinal);
        var lost = context.ChangedMembers.Where(p => p.Before is { IsTestMethod: true } && p.After is null).Select(p => p.Before!)
            .Where(test => !TestsRemovedFeature(test, removedNames)).ToList();
        var deletedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in context.Files)
        {
            // A deleted test file counts when tests of it are gone (not merely moved to another file).
            if (file.Status == FileStatus.Removed && PathRules.IsTestPath(file.Path) && lost.Any(m => m.Path == file.Path))
            {
                deletedFiles.Add(file.Path);
                context.Sink.Add(Descriptor, file.Path, Side.Base, 1, 1,
                    $"test file {file.Path} deleted ({lost.Count(m => m.Path == file.Path)} test(s)) while product code changed");
            }
        }

        foreach (var before in lost)
        {
            if (!deletedFiles.Contains(before.Path))
            {
                context.Sink.Report(this, before, $"test {before.DisplayName} deleted while product code changed");
            }
        }
    }

    /// <summary>The test's text, or its class name without a Tests/Test suffix, names a product member or type the change removed.</summary>
    private static bool TestsRemovedFeature(MemberVersion test, HashSet<string> removedNames)
    {
        if (removedNames.Count == 0)
        {
            return false;
        }

        var container = test.DisplayName[..Math.Max(0, test.DisplayName.LastIndexOf('.', test.DisplayName.IndexOf('(') is var p and >= 0 ? p : test.DisplayName.Length - 1))];
        var subject = SimpleName(container);
        foreach (var suffix in new[] { "Tests", "Test", "Specs", "Facts" })
        {
            if (subject.EndsWith(suffix, StringComparison.Ordinal) && removedNames.Contains(subject[..^suffix.Length]))
            {
                return true;
            }
        }

        foreach (var word in Words(test.OwnTextString))
        {
            if (removedNames.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Acme.Orders.Ledger.Add(int)</c> → <c>Add</c>; <c>Acme.Orders.Ledger</c> → <c>Ledger</c>; generic arity dropped.</summary>
    private static string SimpleName(string displayName)
    {
        var paren = displayName.IndexOf('(');
        var name = paren >= 0 ? displayName[..paren] : displayName;
        name = name[(name.LastIndexOf('.') + 1)..];
        var tick = name.IndexOfAny(['`', '<']);
        return tick >= 0 ? name[..tick] : name;
    }

    private static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var part = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_');
            if (part && start < 0)
            {
                start = i;
            }
            else if (!part && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }
}
