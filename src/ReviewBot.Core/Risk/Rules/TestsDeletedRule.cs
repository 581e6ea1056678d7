using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB6005: test methods or test files deleted in a change that also changes product code.</summary>
public sealed class TestsDeletedRule : IChangeRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB6005", RiskCategories.Tests, Severity.Medium, "Tests deleted while product code changed",
        "Deleting test methods or test files in the same change that modifies product code removes the evidence that the modified behaviour still works. (Tests moved or renamed keep their identity and do not count.)");

    public void Inspect(ChangeContext context)
    {
        var productChanged = context.Files.Any(f => PathRules.IsCSharp(f.Path) && !PathRules.IsTestPath(f.Path) && !PathRules.IsGeneratedPath(f.Path));
        if (!productChanged)
        {
            return;
        }

        var lost = context.ChangedMembers.Where(p => p.Before is { IsTestMethod: true } && p.After is null).Select(p => p.Before!).ToList();
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
}
