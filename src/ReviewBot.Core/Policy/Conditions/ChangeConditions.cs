using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary><c>paths: ["src/**", "!src/generated/**"]</c>: some changed file (either path of a rename) matches; a truncated file list counts as a match.</summary>
public sealed record PathsCondition(PatternSet Paths) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var files = context.Snapshot.Files;
        foreach (var file in files)
        {
            foreach (var path in ChangedPaths.Of(file))
            {
                if (Paths.IsMatch(path))
                {
                    var renamed = path == file.Path ? "" : $" (renamed to {file.Path})";
                    return new ConditionResult(true, $"{path}{renamed} matches {Paths.Describe()}");
                }
            }
        }

        // Fail closed: with a truncated file list, a file we cannot see may match.
        return context.Snapshot.FilesTruncated
            ? new ConditionResult(true, $"none of the {Plural.Files(files.Count)} shown matches {Paths.Describe()}, but the file list is truncated, so a hidden file may")
            : new ConditionResult(false, $"none of the {Plural.Files(files.Count)} matches {Paths.Describe()}");
    }
}

/// <summary><c>only_paths: ["docs/**"]</c>: every changed file (both paths of a rename) matches; no files, or a truncated file list, means no match.</summary>
public sealed record OnlyPathsCondition(PatternSet Paths) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var files = context.Snapshot.Files;
        if (files.Count == 0)
        {
            return new ConditionResult(false, "no files changed");
        }

        foreach (var file in files)
        {
            foreach (var path in ChangedPaths.Of(file))
            {
                if (!Paths.IsMatch(path))
                {
                    return new ConditionResult(false, $"{path} does not match {Paths.Describe()}");
                }
            }
        }

        return context.Snapshot.FilesTruncated
            ? new ConditionResult(false, $"all {Plural.Files(files.Count)} shown match {Paths.Describe()}, but the file list is truncated, so not every file can be checked")
            : new ConditionResult(true, $"all {Plural.Files(files.Count)} match {Paths.Describe()}");
    }
}

/// <summary><c>changed_lines: "&gt; 500"</c>: added plus deleted lines over all files.</summary>
public sealed record ChangedLinesCondition(ValueComparison<int> Comparison) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var lines = context.Snapshot.Files.Sum(f => f.ChangedLines);
        return Outcome.Of(Comparison.Test(lines), $"{lines} changed lines (wanted {Comparison})", $"{lines} changed lines, not {Comparison}");
    }
}

/// <summary><c>files: "&gt;= 20"</c>: number of changed files.</summary>
public sealed record FilesCondition(ValueComparison<int> Comparison) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var count = context.Snapshot.Files.Count;
        return Outcome.Of(Comparison.Test(count), $"{Plural.Files(count)} (wanted {Comparison})", $"{Plural.Files(count)}, not {Comparison}");
    }
}

/// <summary><c>risk: "&gt;= high"</c>: the risk report's level.</summary>
public sealed record RiskCondition(ValueComparison<RiskLevel> Comparison) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var level = context.Risk.Level;
        var wanted = $"{Comparison.Symbol} {Names.Of(Comparison.Value)}";
        return Outcome.Of(Comparison.Test(level), $"risk is {Names.Of(level)} (wanted {wanted})", $"risk is {Names.Of(level)}, not {wanted}");
    }
}

/// <summary><c>findings: [RB1001, crypto]</c>: some risk finding's rule id or category matches (globs, case-insensitive).</summary>
public sealed record FindingsCondition(PatternSet Findings) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var findings = context.Risk.Findings;
        var hit = findings.FirstOrDefault(f => Findings.IsMatch(f.RuleId) || Findings.IsMatch(f.Category));
        if (hit is not null)
        {
            return new ConditionResult(true, $"finding {hit.RuleId} ({hit.Category}) in {hit.Path}:{hit.StartLine} matches {Findings.Describe()}");
        }

        return findings.Count == 0
            ? new ConditionResult(false, $"no risk findings (wanted {Findings.Describe()})")
            : new ConditionResult(false, $"none of the {findings.Count} risk findings matches {Findings.Describe()}");
    }
}

internal static class ChangedPaths
{
    /// <summary>The path, and the previous path of a rename or copy.</summary>
    public static IEnumerable<string> Of(ChangedFile file)
    {
        yield return file.Path;
        if (file.PreviousPath is { } previous && previous != file.Path)
        {
            yield return previous;
        }
    }
}

internal static class Plural
{
    public static string Files(int count) => count == 1 ? "1 changed file" : $"{count} changed files";
}
