using System.Text.Json.Serialization;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("info")] Info = 0,
    [JsonStringEnumMemberName("low")] Low = 1,
    [JsonStringEnumMemberName("medium")] Medium = 2,
    [JsonStringEnumMemberName("high")] High = 3,
    [JsonStringEnumMemberName("critical")] Critical = 4,
}

[JsonConverter(typeof(JsonStringEnumConverter<RiskLevel>))]
public enum RiskLevel
{
    [JsonStringEnumMemberName("none")] None = 0,
    [JsonStringEnumMemberName("low")] Low = 1,
    [JsonStringEnumMemberName("medium")] Medium = 2,
    [JsonStringEnumMemberName("high")] High = 3,
    [JsonStringEnumMemberName("critical")] Critical = 4,
}

/// <summary>One thing the change introduces (or removes) that deserves attention.</summary>
public sealed record Finding
{
    /// <summary>
    /// The finding's id within the change, short enough to type in <c>/reviewbot dismiss &lt;id&gt;</c>: the rule id and
    /// a fingerprint of the path and the code it points at (<see cref="FindingIds"/>), so it survives unrelated line
    /// shifts. Assigned by the analyzer; empty on a finding built elsewhere.
    /// </summary>
    public string Id { get; init; } = "";

    /// <summary>Stable rule id, <c>RB</c> + number (e.g. RB1001).</summary>
    public required string RuleId { get; init; }

    /// <summary>Category, e.g. <c>authorization</c>, <c>crypto</c>, <c>tests</c>, <c>supply-chain</c>.</summary>
    public required string Category { get; init; }

    public required Severity Severity { get; init; }
    public required string Title { get; init; }
    public required string Message { get; init; }
    public required string Path { get; init; }

    /// <summary>1-based line span; in head, or in base when <see cref="Side"/> is Base (removals).</summary>
    public int StartLine { get; init; }

    public int EndLine { get; init; }
    public Side Side { get; init; } = Side.Head;

    /// <summary>The code the finding points at (trimmed, at most a few lines).</summary>
    public string? Code { get; init; }

    /// <summary>The rule's CWE ids (<see cref="RuleDescriptor.Cwes"/>).</summary>
    public IReadOnlyList<int> Cwes { get; init; } = [];
}

/// <summary>
/// A finding an eligible reviewer took responsibility for with <c>/reviewbot dismiss &lt;id&gt; &lt;reason&gt;</c>: who, why,
/// when, in which comment, and the head it holds for (the next push ends it).
/// </summary>
public sealed record DismissedFinding
{
    public required Finding Finding { get; init; }
    public required string By { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset At { get; init; }
    public required long CommentId { get; init; }
    public required string HeadSha { get; init; }
}

/// <summary>Size and diffusion of the change.</summary>
public sealed record ChangeMetrics
{
    public int Files { get; init; }
    public int Directories { get; init; }
    public int LinesAdded { get; init; }
    public int LinesDeleted { get; init; }

    /// <summary>Shannon entropy of changed lines over files (Kamei et al.), normalised to 0..1.</summary>
    public double Entropy { get; init; }

    public int CSharpFilesAnalysed { get; init; }
}

/// <summary>Files the analyzer looked at but could not (fully) judge, with the reason.</summary>
public sealed record AnalysisNote(string Path, string Note);

public sealed record RiskReport
{
    public required RiskLevel Level { get; init; }
    public double Score { get; init; }
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    public ChangeMetrics Metrics { get; init; } = new();
    public IReadOnlyList<AnalysisNote> Notes { get; init; } = [];

    /// <summary>How the score and level came about, one line each.</summary>
    public IReadOnlyList<string> Explanation { get; init; } = [];

    /// <summary>
    /// Findings an eligible reviewer dismissed for this head (<c>/reviewbot dismiss</c>): shown with who and why, and no
    /// longer in <see cref="Findings"/>, the score or the level (<see cref="RiskScorer.Dismiss"/>).
    /// </summary>
    public IReadOnlyList<DismissedFinding> Dismissed { get; init; } = [];

    public static RiskReport Empty { get; } = new() { Level = RiskLevel.None };
}

/// <summary>One <c>risk.ignore</c> entry: findings of <paramref name="RuleId"/> in files matching <paramref name="Paths"/> are not counted.</summary>
public sealed record RiskIgnore(string RuleId, IReadOnlyList<string> Paths, string Reason);

/// <summary>The rules file's <c>risk:</c> section, as the analyzer sees it.</summary>
public sealed record RiskOptions
{
    /// <summary>Rule ids switched off.</summary>
    public IReadOnlyList<string> Disabled { get; init; } = [];

    /// <summary>Per-rule-id severity overrides.</summary>
    public IReadOnlyDictionary<string, Severity> Severities { get; init; } = new Dictionary<string, Severity>();

    /// <summary>Path globs whose change raises the level (e.g. "src/Auth/**").</summary>
    public IReadOnlyList<string> SensitivePaths { get; init; } = [];

    /// <summary>Named thresholds (e.g. "complexity": 10, "max_file_bytes": 1000000).</summary>
    public IReadOnlyDictionary<string, double> Thresholds { get; init; } = new Dictionary<string, double>();

    /// <summary>Analyse generated code too (default: skip).</summary>
    public bool IncludeGenerated { get; init; }

    /// <summary>Rules not applied to some paths (<c>risk.ignore</c>), each with the maintainers' reason; read from the base branch only.</summary>
    public IReadOnlyList<RiskIgnore> Ignore { get; init; } = [];

    public static RiskOptions Default { get; } = new();
}

public interface IRiskAnalyzer
{
    Task<RiskReport> AnalyzeAsync(PullRequestSnapshot snapshot, RiskOptions options, CancellationToken cancellationToken = default);
}
