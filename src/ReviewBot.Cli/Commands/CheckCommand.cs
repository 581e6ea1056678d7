using System.CommandLine;
using System.Text.Json;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Serialization;
using ReviewBot.Core.Snapshot;
using ReviewBot.Git;
using ReviewBot.GitHub;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot check --repo DIR --base REF --head REF [--rules FILE | --org-rules FILE] [--format text|json|markdown]</c>:
/// what the rules demand of a local change, and whether it has it (docs/check-output.md). In GitHub Actions
/// (<c>action.yml</c>) <c>--github-event</c> names the pull request, and the decision also goes to the job's summary and
/// outputs; with <c>--github-api</c> the pull request itself (reviews, checks, teams, rules at its base commit) is read
/// from the GitHub API as the App reads it, instead of the local range (docs/github-action.md).
/// Exit 0 pass; 1 pending or fail; 2 usage, configuration or platform error (unknown ref, bad rules, unreadable API).
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (work tree or bare).", DefaultValueFactory = _ => "." };
        var baseRef = new Option<string?>("--base") { Description = "The target ref: the rules are read from here (required unless --github-event gives it)." };
        var headRef = new Option<string?>("--head") { Description = "The change's ref (default: HEAD, or the head SHA of --github-event)." };
        var rules = LocalRules.RulesOption("A rules file to use instead of the rules found at the base ref (.github/reviewbot.yml, .gitlab/reviewbot.yml, .reviewbot.yml; else --org-rules; else the built-in default).");
        var orgRules = LocalRules.OrgRulesOption();
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "markdown");
        var githubEvent = new Option<string?>("--github-event")
        {
            Description = "GitHub Actions: the event payload ($GITHUB_EVENT_PATH) of a pull_request_target / pull_request / pull_request_review event; --base and --head default to its SHAs, and the pull request's title, body, author, labels and branch are used.",
            HelpName = "FILE",
        };
        var stepSummary = new Option<string?>("--github-step-summary") { Description = "GitHub Actions: append the decision as markdown to this file ($GITHUB_STEP_SUMMARY).", HelpName = "FILE" };
        var githubOutput = new Option<string?>("--github-output") { Description = "GitHub Actions: append state, outcome, title, authorship, risk and labels as name=value lines to this file ($GITHUB_OUTPUT).", HelpName = "FILE" };
        var githubApi = new Option<bool>("--github-api")
        {
            Description = $"GitHub Actions: read the pull request of --github-event from the GitHub API (token ${LivePullRequest.GitHubTokenVariable} or ${LivePullRequest.GitHubTokenFallbackVariable}, base ${LivePullRequest.GitHubApiVariable}) as the App does: its reviews, checks and team membership count, and the rules are read at its base commit; --repo, --base and --head are not used.",
        };

        var command = new Command("check", "Evaluate the rules against a local git range (base..head) and explain the decision.")
        {
            repo, baseRef, headRef, rules, orgRules, format, githubEvent, stepSummary, githubOutput, githubApi,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse,
            new CheckOptions(
                parse.GetValue(repo)!, parse.GetValue(baseRef), parse.GetValue(headRef), parse.GetValue(rules), parse.GetValue(orgRules), parse.GetValue(format)!,
                parse.GetValue(githubEvent), parse.GetValue(stepSummary), parse.GetValue(githubOutput), parse.GetValue(githubApi)),
            cancellationToken));
        return command;
    }

    private sealed record CheckOptions(
        string Repo, string? Base, string? Head, string? RulesFile, string? OrgRulesFile, string Format,
        string? GitHubEvent, string? StepSummary, string? GitHubOutput, bool GitHubApi);

    private static async Task<int> RunAsync(ParseResult parse, CheckOptions options, CancellationToken cancellationToken)
    {
        var pullRequest = options.GitHubEvent is { } eventFile ? GitHubActionsRun.Read(eventFile) : null;
        var rulesOverride = options.RulesFile is { } file ? LocalRules.ReadFile(file) : null;
        var (outcome, _, notes) = options.GitHubApi
            ? await FromApiAsync(pullRequest ?? throw new UsageException("--github-api needs --github-event (the pull request to read)"), options, rulesOverride, cancellationToken)
            : await FromLocalRangeAsync(pullRequest, options, rulesOverride, cancellationToken);
        if (options.StepSummary is { } summary)
        {
            GitHubActionsRun.WriteSummary(summary, Render(outcome, notes, "markdown"));
        }

        if (options.GitHubOutput is { } outputFile)
        {
            GitHubActionsRun.WriteOutputs(outputFile, outcome);
        }

        if (outcome.Decision.Errors.Count > 0)
        {
            var error = CliApp.Error(parse);
            foreach (var e in outcome.Decision.Errors)
            {
                error.WriteLine(e.ToString());
            }

            error.WriteLine($"reviewbot: {outcome.Decision.Errors.Count} error(s) in the rules ({outcome.Decision.RulesPath}); nothing evaluated");
            if (options.Format == "json")
            {
                CliApp.Out(parse).Write(Render(outcome, notes, options.Format));
            }

            return ExitCodes.Usage;
        }

        CliApp.Out(parse).Write(Render(outcome, notes, options.Format));
        return outcome.Decision.State == DecisionState.Pass ? ExitCodes.Success : ExitCodes.NotMet;
    }

    private static async Task<LocalCheckResult> FromLocalRangeAsync(GitHubActionsRun? pullRequest, CheckOptions options, RulesSource? rulesOverride, CancellationToken cancellationToken)
    {
        var baseRef = options.Base ?? pullRequest?.BaseSha ?? throw new UsageException("--base is required (or --github-event, which gives the pull request's base)");
        var headRef = options.Head ?? pullRequest?.HeadSha ?? "HEAD";
        LocalCheckResult result;
        try
        {
            var repository = await GitRepository.OpenAsync(options.Repo, cancellationToken);
            var snapshot = await repository.LoadRangeAsync(baseRef, headRef, pullRequest?.RangeOptions, cancellationToken);
            snapshot = pullRequest is null ? snapshot : snapshot with { Number = pullRequest.Number };
            result = await LocalCheck.RunAsync(snapshot, LocalRules.Location(repository, options.OrgRulesFile), rulesOverride, cancellationToken);
        }
        catch (GitSourceException ex)
        {
            throw new UsageException(ex.Message);
        }

        return pullRequest is null ? result : result with { Notes = [.. result.Notes, GitHubActionsRun.TokenNote] };
    }

    /// <summary>
    /// The Action's pull request as the App sees it (<see cref="LivePullRequest"/>): rules located through the API at the
    /// base commit (an <c>--org-rules</c> file takes the organisation's place), reviews, checks and teams from the API.
    /// </summary>
    private static async Task<LocalCheckResult> FromApiAsync(GitHubActionsRun pullRequest, CheckOptions options, RulesSource? rulesOverride, CancellationToken cancellationToken)
    {
        var target = pullRequest.Target;
        await using var live = await LivePullRequest.LoadAsync(target, LivePullRequest.ProcessEnvironment(), "github-action", cancellationToken);
        if (!string.Equals(live.Snapshot.HeadSha, pullRequest.HeadSha, StringComparison.OrdinalIgnoreCase))
        {
            // The run's result belongs to the event's commit: a decision about a newer head must not stand for it.
            throw new UsageException($"{target}: the pull request's head moved from {pullRequest.HeadSha} (this event) to {live.Snapshot.HeadSha}; "
                + "nothing evaluated: the run for the new head decides");
        }

        var location = options.OrgRulesFile is null ? live.Session.Rules : live.Session.Rules with { Organisation = LocalRules.Location(live.Session.Rules.Repository, options.OrgRulesFile).Organisation };
        LocalCheckResult result;
        try
        {
            result = await LocalCheck.RunAsync(live.Snapshot, location, rulesOverride, cancellationToken, live.Session.Membership);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or UsageException))
        {
            throw LivePullRequest.Failed(target, ex);
        }

        var unreadable = live.Session.Membership is GitHubGroupMembership teams ? teams.Unreadable : [];
        return result with { Notes = [.. result.Notes, .. unreadable.Select(GitHubActionsRun.UnreadableTeamNote)] };
    }

    internal static string Render(ReviewOutcome outcome, IReadOnlyList<string> notes, string format)
    {
        var extra = new[] { DecisionRenderer.Authorship(outcome.Authorship), DecisionRenderer.Risk(outcome.Risk) };
        switch (format)
        {
            case "json":
                return JsonSerializer.Serialize(CheckReport.From(outcome, notes), ReviewBotJson.Options) + Environment.NewLine;
            case "markdown":
                var noteLines = notes.Select(n => "> " + DecisionRenderer.Escape(n) + "\n");
                return DecisionRenderer.Markdown(outcome.Decision, extra) + "\n" + string.Join(">\n", noteLines);
            default:
                var s = outcome.Snapshot;
                var header = $"Range: {s.BaseRef} ({s.BaseSha[..Math.Min(7, s.BaseSha.Length)]})..{s.HeadRef} ({s.ShortHeadSha}) in {s.Repository}\n"
                    + string.Concat(new[] { outcome.OrganisationRules, outcome.Rules }.OfType<RulesSource>().Select(r => $"Rules: {r.Path} ({r.Origin})\n"))
                    + (outcome.Rules is null && outcome.OrganisationRules is null ? "Rules: none\n" : "")
                    + string.Concat(notes.Select(n => "Note: " + n + "\n"));
                return header + "\n" + DecisionRenderer.Text(outcome.Decision, extra);
        }
    }
}
