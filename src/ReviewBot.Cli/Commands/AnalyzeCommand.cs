using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Serialization;
using ReviewBot.Core.Snapshot;
using ReviewBot.Git;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot analyze --repo DIR --base REF --head REF [--format text|json] [--timings]</c>: the Roslyn risk
/// analysis of a local change (head against its merge base with base), as text or JSON (docs/risk-rules.md).
/// </summary>
public static class AnalyzeCommand
{
    public static Command Create()
    {
        var repo = new Option<string>("--repo")
        {
            Description = "The git repository (work tree or bare); default: the current directory.",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".",
        };
        var baseRef = new Option<string>("--base")
        {
            Description = "The base revision (branch, tag or commit) the change is compared with (through the merge base).",
            HelpName = "REF",
            Required = true,
        };
        var headRef = new Option<string>("--head")
        {
            Description = "The head revision whose change is analysed; default: HEAD.",
            HelpName = "REF",
            DefaultValueFactory = _ => "HEAD",
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var timings = new Option<bool>("--timings") { Description = "Also report how long loading, reading contents and analysing took." };

        var command = new Command("analyze", "Risk analysis (Roslyn, syntax only) of the C# and build files a local change touches: findings by rule, score and level.")
        {
            repo,
            baseRef,
            headRef,
            format,
            timings,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse,
            parse.GetValue(repo)!,
            parse.GetValue(baseRef)!,
            parse.GetValue(headRef)!,
            parse.GetValue(format)!,
            parse.GetValue(timings),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parse,
        string repoPath,
        string baseRevision,
        string headRevision,
        string format,
        bool withTimings,
        CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        PullRequestSnapshot snapshot;
        RiskReport risk;
        TimedContents contents;
        RulesSource? rules;
        long loadMs;
        try
        {
            var repository = await GitRepository.OpenAsync(repoPath, cancellationToken).ConfigureAwait(false);
            snapshot = await repository.LoadRangeAsync(baseRevision, headRevision, null, cancellationToken).ConfigureAwait(false);
            rules = (await LocalRules.LocateAsync(repository, snapshot, null, cancellationToken).ConfigureAwait(false)).File;
            loadMs = total.ElapsedMilliseconds;
            contents = new TimedContents(snapshot.Contents);
            risk = await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(snapshot with { Contents = contents }, RiskOptionsOf(rules), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (GitSourceException ex)
        {
            throw new UsageException(ex.Message);
        }

        var elapsed = total.ElapsedMilliseconds;
        var report = AnalyzeReport.From(snapshot, rules?.Path, risk, withTimings
            ? new AnalyzeTimings(loadMs, contents.Milliseconds, elapsed - loadMs - contents.Milliseconds, elapsed)
            : null);
        var output = CliApp.Out(parse);
        await output.WriteAsync(format == "json"
            ? JsonSerializer.Serialize(report, ReviewBotJson.Options) + Environment.NewLine
            : RenderText(report)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The <c>risk:</c> section of the base's rules file (the gate), or the defaults; a broken file is a usage error.</summary>
    private static RiskOptions RiskOptionsOf(RulesSource? rules)
    {
        if (rules is null)
        {
            return RiskOptions.Default;
        }

        var parsed = RulesParser.Parse(rules.Text, rules.Path);
        if (!parsed.IsValid)
        {
            throw new UsageException($"{parsed.Errors.Count} error(s) in the rules ({rules.Path}), first: {parsed.Errors[0]}; run 'reviewbot validate'");
        }

        return parsed.Rules!.Risk;
    }

    internal static string RenderText(AnalyzeReport report)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"Risk of {report.Base.Ref}..{report.Head.Ref} ({Short(report.Base.Sha)}..{Short(report.Head.Sha)}): {report.Level.ToString().ToUpperInvariant()} (score {report.Score})\n");
        if (report.Findings.Count == 0)
        {
            sb.Append("\nNo findings.\n");
        }
        else
        {
            sb.Append(inv, $"\nFindings ({report.Findings.Count}):\n");
            foreach (var f in report.Findings)
            {
                var where = f.Path.Length == 0 ? "(whole change)" : f.Line > 0 ? $"{f.Path}:{f.Line}" : f.Path;
                var side = f.Side == "base" ? " (base)" : "";
                sb.Append(inv, $"  [{f.Severity.ToString().ToLowerInvariant()}] {f.RuleId} {f.Category}: {where}{side}\n      {f.Message}\n");
                if (!string.IsNullOrEmpty(f.Code))
                {
                    foreach (var line in f.Code.Split('\n'))
                    {
                        sb.Append("      | ").Append(line).Append('\n');
                    }
                }
            }
        }

        sb.Append(inv, $"\nRisk options: {(report.Rules is null ? "defaults (no rules file in base)" : "risk: section of " + report.Rules + " (base)")}\n");
        var m = report.Metrics;
        sb.Append(inv, $"\nChange: {m.Files} file(s) in {m.Directories} director(ies), +{m.LinesAdded} −{m.LinesDeleted}, entropy {m.Entropy:0.###}, {m.CSharpFilesAnalysed} C# file(s) analysed\n");
        if (report.Notes.Count > 0)
        {
            sb.Append("\nNotes:\n");
            foreach (var n in report.Notes)
            {
                sb.Append("  ").Append(n.Path.Length == 0 ? "" : n.Path + ": ").Append(n.Note).Append('\n');
            }
        }

        sb.Append("\nWhy:\n");
        foreach (var line in report.Explanation)
        {
            sb.Append("  - ").Append(line).Append('\n');
        }

        if (report.Timings is { } t)
        {
            sb.Append(inv, $"\nTimings: load {t.LoadMs} ms, contents {t.ContentsMs} ms, analysis {t.AnalysisMs} ms, total {t.TotalMs} ms\n");
        }

        return sb.ToString();
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    /// <summary>Measures the content provider's time (the one batched read) separately from the analysis.</summary>
    private sealed class TimedContents(IFileContentProvider inner) : IFileContentProvider
    {
        public long Milliseconds { get; private set; }

        public async Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken = default)
        {
            var sw = Stopwatch.StartNew();
            var result = await inner.GetAsync(files, cancellationToken).ConfigureAwait(false);
            Milliseconds += sw.ElapsedMilliseconds;
            return result;
        }
    }
}

/// <summary>The documented JSON output of <c>reviewbot analyze --format json</c> (docs/risk-rules.md).</summary>
public sealed record AnalyzeReport
{
    public required string Repository { get; init; }
    public required AnalyzeRef Base { get; init; }
    public required AnalyzeRef Head { get; init; }

    /// <summary>The base's rules file whose <c>risk:</c> section was applied; null: defaults.</summary>
    public string? Rules { get; init; }

    public required RiskLevel Level { get; init; }
    public required double Score { get; init; }
    public required IReadOnlyList<AnalyzeFinding> Findings { get; init; }
    public required ChangeMetrics Metrics { get; init; }
    public required IReadOnlyList<AnalysisNote> Notes { get; init; }
    public required IReadOnlyList<string> Explanation { get; init; }

    /// <summary>Present only with --timings.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AnalyzeTimings? Timings { get; init; }

    public static AnalyzeReport From(PullRequestSnapshot snapshot, string? rules, RiskReport risk, AnalyzeTimings? timings) => new()
    {
        Repository = snapshot.Repository,
        Rules = rules,
        Base = new AnalyzeRef(snapshot.BaseRef, snapshot.BaseSha),
        Head = new AnalyzeRef(snapshot.HeadRef, snapshot.HeadSha),
        Level = risk.Level,
        Score = risk.Score,
        Findings = [.. risk.Findings.Select(AnalyzeFinding.From)],
        Metrics = risk.Metrics,
        Notes = risk.Notes,
        Explanation = risk.Explanation,
        Timings = timings,
    };
}

public sealed record AnalyzeRef(string Ref, string Sha);

public sealed record AnalyzeTimings(long LoadMs, long ContentsMs, long AnalysisMs, long TotalMs);

/// <summary>One finding: line/endLine are 1-based in head, or in base when side is "base" (removals); 0 for the whole change.</summary>
public sealed record AnalyzeFinding
{
    public required string RuleId { get; init; }
    public required string Category { get; init; }
    public required Severity Severity { get; init; }
    public required string Title { get; init; }
    public required string Path { get; init; }
    public required int Line { get; init; }
    public required int EndLine { get; init; }

    /// <summary>"head", or "base" for removals.</summary>
    public required string Side { get; init; }

    public required string Message { get; init; }
    public string? Code { get; init; }

    /// <summary>CWE ids of the rule ([] when the rule is not about a weakness).</summary>
    public required IReadOnlyList<int> Cwes { get; init; }

    public static AnalyzeFinding From(Finding f) => new()
    {
        RuleId = f.RuleId,
        Category = f.Category,
        Severity = f.Severity,
        Title = f.Title,
        Path = f.Path,
        Line = f.StartLine,
        EndLine = f.EndLine,
        Side = f.Side == Core.Snapshot.Side.Base ? "base" : "head",
        Message = f.Message,
        Code = f.Code,
        Cwes = f.Cwes,
    };
}
