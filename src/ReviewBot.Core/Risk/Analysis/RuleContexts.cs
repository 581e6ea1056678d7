using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

/// <summary>One changed file for a path rule: status, paths, and the decoded text of each side when asked for.</summary>
public sealed class FileChangeContext(ChangedFile file, string? baseText, string? headText, FindingSink sink)
{
    public ChangedFile File { get; } = file;
    public string? BaseText { get; } = baseText;
    public string? HeadText { get; } = headText;
    public FindingSink Sink { get; } = sink;

    /// <summary>A finding on the whole file (line 1 of head, or of base for a removed file).</summary>
    public void ReportFile(IRiskRule rule, string message, Severity? severity = null)
    {
        var side = File.Status == FileStatus.Removed ? Side.Base : Side.Head;
        Sink.Add(rule.Descriptor, File.Path, side, 1, 1, message, null, severity);
    }

    public void ReportLine(IRiskRule rule, Side side, int line, string message, string? code, Severity? severity = null)
        => Sink.Add(rule.Descriptor, side == Side.Base ? File.BasePath ?? File.Path : File.Path, side, line, line, message, code, severity);
}

/// <summary>The change as a whole for change rules: files, metrics, thresholds and the members it touched.</summary>
public sealed class ChangeContext
{
    public required IReadOnlyList<ChangedFile> Files { get; init; }
    public required ChangeMetrics Metrics { get; init; }
    public required RiskThresholds Thresholds { get; init; }
    public required FindingSink Sink { get; init; }

    /// <summary>Pairs of (base, head) members the change touched; null on the side where the member does not exist.</summary>
    public required IReadOnlyList<(MemberVersion? Before, MemberVersion? After)> ChangedMembers { get; init; }

    /// <summary>The C# files whose sides were parsed and indexed (not refused by a budget or a failure).</summary>
    public IReadOnlySet<ChangedFile> AnalysedFiles { get; init; } = new HashSet<ChangedFile>();
}

/// <summary>Named thresholds from <see cref="RiskOptions.Thresholds"/> with their defaults.</summary>
public sealed class RiskThresholds(IReadOnlyDictionary<string, double> values)
{
    /// <summary>Every threshold the analyzer reads, with its default (documented in docs/risk-rules.md).</summary>
    public static IReadOnlyDictionary<string, double> Defaults { get; } = new Dictionary<string, double>
    {
        ["complexity"] = 25,
        ["max_file_bytes"] = 1_000_000,
        ["max_nesting"] = 128,
        ["max_file_nodes"] = 1_000_000,
        ["max_change_nodes"] = 5_000_000,
        ["max_symbol_sets"] = 8,
        ["max_analysis_seconds"] = 120,
        ["change_lines"] = 400,
        ["change_lines_huge"] = 1000,
        ["change_files"] = 20,
        ["change_directories"] = 5,
        ["score_low"] = 1,
        ["score_medium"] = 8,
        ["score_high"] = 30,
        ["score_critical"] = 60,
    };

    public double this[string name]
        => values.TryGetValue(name, out var v) ? v
            : Defaults.TryGetValue(name, out var d) ? d
            : throw new ArgumentException($"unknown risk threshold '{name}'", nameof(name));
}
