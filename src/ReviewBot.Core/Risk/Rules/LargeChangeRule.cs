using System.Globalization;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB8002: a change too large or too spread out to review well (one finding per change).</summary>
public sealed class LargeChangeRule : IChangeRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB8002", RiskCategories.Size, Severity.Medium, "Large or diffuse change",
        "Review effectiveness drops sharply past a few hundred changed lines; changes spread over many files and directories with high entropy are the strongest predictors of defects (Kamei et al.). Thresholds: change_lines (400; high at change_lines_huge, 1000), change_files (20); change_directories (5) only adds to a change already past one of them. Counts hand-written product code and configuration: tests, samples and benchmarks (by path), documentation (Markdown, reStructuredText, AsciiDoc), generated code, files only renamed, lock files, snapshot/approval files, localisation files, public-API listings, coverage reports, built or vendored web assets (`dist/` folders, minified files, source maps; never C# sources) and C# files in which no member changed (only a header comment, usings or layout did) are left out, and a C# file counts no more lines than the members that changed hold (layout changed around them is not reviewed). One finding per change, naming every threshold passed.");

    public void Inspect(ChangeContext context)
    {
        var m = context.Metrics;
        var t = context.Thresholds;
        // Generated code is already out of the metrics' line counts; the rest of what tools write, tests, prose and C#
        // files in which no member changed come out here.
        // Lines are counted only in the files whose count can matter (see LayoutOnlyLines); elsewhere an entry says a member changed.
        var measured = context.AnalysedFiles.Where(f => IsCounted(f.Path) || PathRules.IsGeneratedPath(f.Path))
            .SelectMany(f => new[] { f.HeadPath, f.BasePath }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var members = MemberLines.Of(context.ChangedMembers, measured);
        var codeUnchanged = context.AnalysedFiles.Where(f => !members.Touched(f)).ToHashSet();
        var notCounted = context.Files.Where(f => (!IsCounted(f.Path) || codeUnchanged.Contains(f)) && !PathRules.IsGeneratedPath(f.Path)).ToHashSet();
        var (layoutAdded, layoutDeleted) = LayoutOnlyLines(context, members, notCounted);
        var added = m.LinesAdded - notCounted.Sum(f => f.Additions) - layoutAdded;
        var deleted = m.LinesDeleted - notCounted.Sum(f => f.Deletions) - layoutDeleted;
        var reviewed = context.Files.Where(f => f.ChangedLines > 0 && IsCounted(f.Path) && !codeUnchanged.Contains(f)).ToList();
        var lines = added + deleted;
        var reasons = new List<string>();
        var huge = lines >= t["change_lines_huge"];
        if (lines >= t["change_lines"])
        {
            reasons.Add($"{lines} changed lines (+{added} −{deleted}) ≥ {(huge ? "change_lines_huge" : "change_lines")} {F(t[huge ? "change_lines_huge" : "change_lines"])}");
        }

        if (reviewed.Count >= t["change_files"])
        {
            reasons.Add($"{reviewed.Count} files changed ≥ change_files {F(t["change_files"])}");
        }

        // Spread alone is not reported: it qualifies a change already large in lines or files.
        var directories = reviewed.Select(f => PathRules.Directory(f.Path)).Distinct(StringComparer.Ordinal).Count();
        if (reasons.Count > 0 && directories >= t["change_directories"])
        {
            reasons.Add($"{directories} directories touched ≥ change_directories {F(t["change_directories"])} (entropy {F(m.Entropy)})");
        }

        if (reasons.Count > 0)
        {
            context.Sink.Add(Descriptor, "", Side.Head, 0, 0, string.Join("; ", reasons), null, huge ? Severity.High : null);
        }
    }

    /// <summary>
    /// Lines git counts as changed in analysed C# files beyond what the members that changed hold: a file whose line
    /// endings, indentation or layout changed throughout while a few members really changed (seen on jbogard/MediatR:
    /// 935 lines counted for a file converted to LF, 25 of them new code) counts no more lines than those members'
    /// own text on each side (an upper bound of their real change; the file's usings and header are left out).
    /// </summary>
    private static (int Added, int Deleted) LayoutOnlyLines(ChangeContext context, MemberLines members, HashSet<ChangedFile> notCounted)
    {
        var excess = (Added: 0, Deleted: 0);
        foreach (var file in context.AnalysedFiles.Where(f => !notCounted.Contains(f) && PathRules.IsCSharp(f.Path)))
        {
            excess.Added += Math.Max(0, file.Additions - (file.HeadPath is { } head ? members.Added.GetValueOrDefault(head) : 0));
            excess.Deleted += Math.Max(0, file.Deletions - (file.BasePath is { } path ? members.Deleted.GetValueOrDefault(path) : 0));
        }

        return excess;
    }

    /// <summary>
    /// The own-text lines of the members (type, method, property, …, top-level statements) that changed, per path on
    /// each side; the file's pseudo-member (header, usings, namespace form) is left out. A path with no entry had no
    /// member change beyond whitespace: only its header comment, usings or layout changed — a licence header fixed in
    /// every file reads at a glance whatever its line count (a file the analysis refused is not analysed, so it counts).
    /// Lines are counted only for the paths in <c>measured</c>; for others the entry just says a member changed.
    /// </summary>
    private sealed record MemberLines(Dictionary<string, int> Added, Dictionary<string, int> Deleted)
    {
        public static MemberLines Of(IReadOnlyList<(MemberVersion? Before, MemberVersion? After)> changed, HashSet<string> measured)
        {
            var lines = new MemberLines(new(StringComparer.Ordinal), new(StringComparer.Ordinal));
            foreach (var (before, after) in changed)
            {
                Count(before, lines.Deleted, measured);
                Count(after, lines.Added, measured);
            }

            return lines;
        }

        public bool Touched(ChangedFile file)
            => (file.HeadPath is { } head && Added.ContainsKey(head)) || (file.BasePath is { } path && Deleted.ContainsKey(path));

        private static void Count(MemberVersion? member, Dictionary<string, int> lines, HashSet<string> measured)
        {
            if (member is null or { Kind: MemberKind.File })
            {
                return;
            }

            var total = lines.GetValueOrDefault(member.Path);
            if (!measured.Contains(member.Path))
            {
                lines[member.Path] = total;
                return;
            }

            foreach (var span in member.OwnText)
            {
                total += member.LineCount(span);
            }

            lines[member.Path] = total;
        }
    }

    /// <summary>
    /// Whether a file counts towards the size of a change: hand-written product code and configuration. Tests, samples
    /// and benchmarks (by path), documentation (Markdown, reStructuredText, AsciiDoc) and what tools write are read differently, and a
    /// change is not harder to review for carrying them.
    /// </summary>
    private static bool IsCounted(string path)
        => !IsMachineWritten(path) && !PathRules.IsTestPath(path) && !PathRules.IsSampleOrBenchmarkPath(path)
            && !path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".rst", StringComparison.OrdinalIgnoreCase)
            && !path.EndsWith(".adoc", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Files tools write and reviewers skim: lock files, snapshot/approval files, localisation (XLIFF), public-API
    /// listings, coverage reports, and built or vendored web assets (<c>dist/</c> folders, minified files, source maps).
    /// </summary>
    internal static bool IsMachineWritten(string path)
    {
        var name = PathRules.FileName(path);
        return IsBuiltOrCoverage(path) || name.EndsWith(".lock.json", StringComparison.OrdinalIgnoreCase) || name.Equals("packages.lock.json", StringComparison.OrdinalIgnoreCase)
            || name.Contains(".verified.", StringComparison.OrdinalIgnoreCase) || name.Contains(".approved.", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".xlf", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".snap", StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("PublicAPI.", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            || PathRules.IsGeneratedPath(path);
    }

    private static bool IsBuiltOrCoverage(string path)
    {
        // A C# source is hand-written wherever it sits (src/Coverage/CoverageCalculator.cs is product code).
        if (PathRules.IsCSharp(path))
        {
            return false;
        }

        foreach (var segment in path.Split('/')[..^1])
        {
            if (segment.Equals("dist", StringComparison.OrdinalIgnoreCase) || segment.Equals("coverage", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        var name = PathRules.FileName(path);
        return name.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".min.css", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".js.map", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".css.map", StringComparison.OrdinalIgnoreCase)
            || name.Equals("lcov.info", StringComparison.OrdinalIgnoreCase) || name.StartsWith("coverage.", StringComparison.OrdinalIgnoreCase);
    }

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
}
