using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Serialization;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot simulate --pr URL --rules FILE [--format text|json]</c>: loads a live pull request (GitHub) or merge
/// request (GitLab) through the bot's own platform adapters — its reviews, team memberships and checks as the bot
/// would see them — and evaluates it twice: with today's rules (found by the rules locator, as the bot finds them)
/// and with FILE. Prints both decisions side by side and what differs. Read-only: it never reports, labels, requests
/// reviews or comments (the session's enforcer is never used). Exit 0: the same decision; 1: it differs; 2: usage,
/// configuration or platform error.
/// </summary>
public static class SimulateCommand
{
    public static Command Create() => Create(LivePullRequest.ProcessEnvironment);

    /// <param name="environment">The environment variables (tests pass their own, pointing the API bases at the fakes).</param>
    internal static Command Create(Func<IReadOnlyDictionary<string, string>> environment)
    {
        var pr = new Option<string>("--pr")
        {
            Description = "The pull request or merge request URL: https://github.com/OWNER/REPO/pull/N, https://HOST/GROUP/PROJECT/-/merge_requests/N.",
            HelpName = "URL",
            Required = true,
        };
        var rules = new Option<string>("--rules") { Description = "The proposed rules file to compare with today's rules.", HelpName = "FILE", Required = true };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command(
            "simulate",
            $"Evaluate a live pull request with today's rules and with a proposed rules file, side by side (read-only). Token from ${LivePullRequest.GitHubTokenVariable} / ${LivePullRequest.GitLabTokenVariable}; API bases from ${LivePullRequest.GitHubApiVariable} / ${LivePullRequest.GitLabUrlVariable}.")
        {
            pr, rules, format,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, parse.GetValue(pr)!, parse.GetValue(rules)!, parse.GetValue(format)!, environment(), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string url, string rulesFile, string format, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var target = PullRequestUrl.Parse(url);
        var proposedRules = LocalRules.ReadFile(rulesFile);
        await using var live = await LivePullRequest.LoadAsync(target, environment, "simulate", cancellationToken).ConfigureAwait(false);
        var (session, snapshot) = (live.Session, live.Snapshot);
        var engine = new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System));
        ReviewOutcome today;
        ReviewOutcome proposed;
        try
        {
            // Only the source, the membership and the rules location are used: the enforcer (the one writer) never is.
            // The new file takes the repository file's place; the organisation's file, when there is one, still applies.
            var rules = await RulesLocator.LocateAsync(snapshot, session.Rules, cancellationToken).ConfigureAwait(false);
            today = await engine.EvaluateAsync(snapshot, rules.RepositoryLayer, session.Membership, rules.Head, rules.Organisation, session.Rules.Repository, cancellationToken).ConfigureAwait(false);
            proposed = await engine.EvaluateAsync(snapshot, proposedRules, session.Membership, null, rules.Organisation, session.Rules.Repository, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or UsageException))
        {
            throw LivePullRequest.Failed(target, ex);
        }

        var report = SimulateReport.From(target, today, proposed);
        await CliApp.Out(parse).WriteAsync(format == "json"
            ? JsonSerializer.Serialize(report, ReviewBotJson.Options) + Environment.NewLine
            : RenderText(report, today, proposed)).ConfigureAwait(false);
        return report.Same ? ExitCodes.Success : ExitCodes.NotMet;
    }

    internal static string RenderText(SimulateReport report, ReviewOutcome today, ReviewOutcome proposed)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var pr = report.PullRequest;
        sb.Append(inv, $"Pull request: {pr.Platform} {pr.Repository}#{pr.Number} @ {pr.HeadSha[..Math.Min(7, pr.HeadSha.Length)]}: {pr.Title}\n\n");
        var rows = new List<(string Label, string Today, string Proposed)>
        {
            ("", "today", "proposed"),
            ("rules", Where(report.Today.RulesSource), Where(report.Proposed.RulesSource)),
            ("decision", $"{report.Today.Decision.State}: {report.Today.Decision.Title}", $"{report.Proposed.Decision.State}: {report.Proposed.Decision.Title}"),
        };
        var left = EvaluationReplayer.RequirementLines(today.Decision).Select(r => r.Text).ToList();
        var right = EvaluationReplayer.RequirementLines(proposed.Decision).Select(r => r.Text).ToList();
        for (var i = 0; i < Math.Max(Math.Max(left.Count, right.Count), 1); i++)
        {
            rows.Add((i == 0 ? "requires" : "", i < left.Count ? left[i] : i == 0 ? "(nothing)" : "", i < right.Count ? right[i] : i == 0 ? "(nothing)" : ""));
        }

        var width = Math.Min(60, rows.Max(r => r.Today.Length));
        foreach (var (label, now, then) in rows)
        {
            sb.Append(inv, $"{label,-10}{Fit(now, width).PadRight(width)} | {then}\n");
        }

        if (report.Same)
        {
            sb.Append("\nThe same decision under both rule sets.\n");
            return sb.ToString();
        }

        sb.Append(inv, $"\nDiffers in {string.Join(", ", report.Differences.Select(d => d.Aspect))}:\n");
        foreach (var d in report.Differences)
        {
            sb.Append(inv, $"{d.Aspect}:\n");
            AppendLines(sb, "  - today:    ", d.Recorded, "  + proposed: ", d.Replayed);
        }

        return sb.ToString();
    }

    /// <summary>What only one side has, line by line: the old side's lines first, each after its prefix.</summary>
    internal static void AppendLines(StringBuilder sb, string beforePrefix, IEnumerable<string> before, string afterPrefix, IEnumerable<string> after)
    {
        foreach (var line in before)
        {
            sb.Append(beforePrefix).Append(line).Append('\n');
        }

        foreach (var line in after)
        {
            sb.Append(afterPrefix).Append(line).Append('\n');
        }
    }

    private static string Where(CheckRulesSource? rules) => rules is null ? "(no rules)" : $"{rules.Path} ({rules.Origin})";

    private static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}

/// <summary>A pull request named by its web URL: GitHub <c>/OWNER/REPO/pull/N</c>, GitLab <c>/GROUP/…/PROJECT/-/merge_requests/N</c>.</summary>
internal sealed record PullRequestUrl(Platform Platform, string Repository, long Number, string Url, string DefaultApiBase)
{
    public static PullRequestUrl Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            throw new UsageException($"--pr '{url}' is not an http(s) URL of a pull request or merge request");
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        var origin = uri.GetLeftPart(UriPartial.Authority);
        var dash = Array.IndexOf(segments, "-");
        if (dash >= 2 && segments.Length > dash + 2 && segments[dash + 1] == "merge_requests" && long.TryParse(segments[dash + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var iid))
        {
            return new PullRequestUrl(Platform.GitLab, string.Join('/', segments[..dash]), iid, url, origin);
        }

        if (segments.Length >= 4 && segments[2] == "pull" && long.TryParse(segments[3], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            var api = string.Equals(uri.Host, "github.com", StringComparison.OrdinalIgnoreCase) ? "https://api.github.com/" : origin + "/api/v3/";
            return new PullRequestUrl(Platform.GitHub, $"{segments[0]}/{segments[1]}", number, url, api);
        }

        throw new UsageException($"--pr '{url}' names no pull request: expected https://github.com/OWNER/REPO/pull/N (or GitHub Enterprise) or https://HOST/GROUP/PROJECT/-/merge_requests/N (GitLab)");
    }
}

/// <summary>
/// The documented JSON of <c>reviewbot simulate --format json</c>: the pull request, both decisions in the shape of
/// <c>reviewbot check --format json</c> (<see cref="CheckReport"/>), and the differences, aspect by aspect
/// (<c>recorded</c>: only today's side has it; <c>replayed</c>: only the proposed side).
/// </summary>
public sealed record SimulateReport(
    int SchemaVersion,
    SimulatedPullRequest PullRequest,
    CheckReport Today,
    CheckReport Proposed,
    bool Same,
    IReadOnlyList<ReplayDifference> Differences)
{
    public const int CurrentSchemaVersion = 1;

    internal static SimulateReport From(PullRequestUrl target, ReviewOutcome today, ReviewOutcome proposed)
    {
        var differences = EvaluationReplayer.Compare(today, proposed);
        var s = today.Snapshot;
        return new SimulateReport(
            CurrentSchemaVersion,
            new SimulatedPullRequest(target.Platform.Id, s.Repository, s.Number, target.Url, s.Title, s.HeadSha),
            CheckReport.From(today, []),
            CheckReport.From(proposed, []),
            differences.Count == 0,
            differences);
    }
}

public sealed record SimulatedPullRequest(string Platform, string Repository, long Number, string Url, string Title, string HeadSha);
