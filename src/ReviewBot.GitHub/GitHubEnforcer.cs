using Microsoft.Extensions.Logging;
using Octokit;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Api;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub;

/// <summary>
/// Executes an enforcement plan on GitHub, idempotently: review requests (only users / teams not yet requested, never
/// the author), labels (only missing ones), the sticky comment (updated in place, found by its hidden marker) and —
/// last, so a failure before it never leaves success behind — one check run per head SHA (found by name + head and
/// updated; annotations 50 per request; a "Re-evaluate" button). Token mode reports a commit status instead, because
/// GitHub lets only Apps create check runs.
/// </summary>
public sealed class GitHubEnforcer(GitHubApi api, bool useCheckRuns, ILogger logger) : IEnforcer
{
    public const int AnnotationsPerRequest = 50;
    public const int MaxOutputLength = 65_535;

    private CheckRun? _run;
    private bool _runLoaded;
    private long _previousAnnotations;

    private GitHubOptions Options => api.Options;

    public async Task MarkInProgressAsync(PullRequestSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubApi.Split(snapshot.Repository);
        if (!useCheckRuns)
        {
            await PostStatusAsync(owner, name, snapshot.HeadSha, CommitState.Pending, "Evaluating…");
            return;
        }

        var run = await FindRunAsync(owner, name, snapshot.HeadSha);
        _previousAnnotations = run?.Output?.AnnotationsCount ?? 0;
        if (run is null)
        {
            _run = await api.Client.Check.Run.Create(owner, name, new NewCheckRun(Options.CheckName, snapshot.HeadSha)
            {
                Status = Octokit.CheckStatus.InProgress,
                ExternalId = ExternalId(snapshot),
            });
        }
        else if (run.Status.StringValue != "in_progress")
        {
            _run = await api.Client.Check.Run.Update(owner, name, run.Id, new CheckRunUpdate { Status = Octokit.CheckStatus.InProgress });
        }
    }

    public async Task<EnforcementResult> ApplyAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubApi.Split(snapshot.Repository);
        var actions = new List<string>();
        if (Options.RequestReviews)
        {
            actions.Add(await RequestReviewsAsync(owner, name, snapshot, plan));
        }

        if (Options.Labels)
        {
            actions.Add(await AddLabelsAsync(owner, name, snapshot, plan));
        }

        if (Options.Comment && plan.Comment is { } comment)
        {
            actions.Add(await UpsertCommentAsync(owner, name, snapshot.Number, comment));
        }

        var replied = plan.Replies.Count == 0 ? [] : await ReplyAsync(owner, name, snapshot.Number, plan.Replies, actions);
        cancellationToken.ThrowIfCancellationRequested();
        actions.Add(useCheckRuns
            ? await CompleteRunAsync(owner, name, snapshot, plan)
            : await PostStatusAsync(owner, name, plan.HeadSha, StatusState(plan.Outcome), plan.Title, plan.DetailsUrl));
        actions.Add($"github api: {api.Counter}");
        logger.LogInformation("GitHub API requests for {Repository}#{Number}: {Counts}", snapshot.Repository, snapshot.Number, api.Counter);
        return new EnforcementResult(actions) { Replied = replied };
    }

    /// <summary>
    /// Answers each command once: a reply counts as given when a bot account (the App) posted a comment with its marker,
    /// so a person cannot pre-empt the answer by writing the marker themselves.
    /// </summary>
    private async Task<IReadOnlyList<long>> ReplyAsync(string owner, string name, long number, IReadOnlyList<CommandReply> replies, List<string> actions)
    {
        var comments = await api.Client.Issue.Comment.GetAllForIssue(owner, name, checked((int)number), new ApiOptions { PageSize = 100 });
        var answered = comments.Where(c => c.User is { } user && GitHubPullRequestSource.ToPerson(user).IsBot).Select(c => c.Body ?? "").ToList();
        var replied = new List<long>();
        foreach (var reply in replies)
        {
            if (answered.Any(b => b.Contains(EnforcementPlanner.ReplyMarker(reply.CommentId), StringComparison.Ordinal)))
            {
                continue;
            }

            var created = await api.Client.Issue.Comment.Create(owner, name, checked((int)number), reply.Body);
            replied.Add(reply.CommentId);
            actions.Add($"reply: answered comment {reply.CommentId} in {created.Id}");
        }

        return replied;
    }

    public async Task ReportErrorAsync(PullRequestSnapshot snapshot, string message, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubApi.Split(snapshot.Repository);
        const string title = "ReviewBot could not evaluate this pull request";
        if (!useCheckRuns)
        {
            await PostStatusAsync(owner, name, snapshot.HeadSha, CommitState.Error, title);
            return;
        }

        var summary = $"""
            ## {title}

            The evaluation failed, so this check does not pass. Re-run it with **Re-evaluate** once the cause is fixed.

            ```
            {message}
            ```
            """;
        await UpsertRunAsync(owner, name, snapshot, Octokit.CheckConclusion.Failure, title, summary, []);
        logger.LogInformation("GitHub API requests for {Repository}#{Number}: {Counts}", snapshot.Repository, snapshot.Number, api.Counter);
    }

    /// <summary>
    /// Reports a merge group's verdict on its head commit: the check run completes with <c>success</c> or <c>failure</c>
    /// and stays <c>in_progress</c> (with the summary of what it waits for) while pending, so the merge queue waits; a
    /// completed run is never reopened: a pending verdict after it starts a new run. Token mode posts the commit status.
    /// </summary>
    public async Task<string> ReportMergeGroupAsync(string repository, string headSha, MergeGroupVerdict verdict, string? detailsUrl)
    {
        var (owner, name) = GitHubApi.Split(repository);
        if (!useCheckRuns)
        {
            var state = verdict.State switch
            {
                MergeGroupState.Pass => CommitState.Success,
                MergeGroupState.Pending => CommitState.Pending,
                _ => CommitState.Failure,
            };
            return await PostStatusAsync(owner, name, headSha, state, verdict.Title, detailsUrl);
        }

        var output = new NewCheckRunOutput(Bound(verdict.Title, 255), Bound(verdict.Summary, MaxOutputLength));
        var conclusion = verdict.State switch
        {
            MergeGroupState.Pass => Octokit.CheckConclusion.Success,
            MergeGroupState.Pending => (Octokit.CheckConclusion?)null,
            _ => Octokit.CheckConclusion.Failure,
        };
        var run = await FindRunAsync(owner, name, headSha);
        long id;
        if (run is null || (conclusion is null && run.Status.StringValue == "completed"))
        {
            var created = await api.Client.Check.Run.Create(owner, name, new NewCheckRun(Options.CheckName, headSha)
            {
                Status = conclusion is null ? Octokit.CheckStatus.InProgress : null,
                Conclusion = conclusion,
                Output = output,
                ExternalId = $"{repository}@merge-group",
                DetailsUrl = detailsUrl,
            });
            id = created.Id;
        }
        else
        {
            await api.Client.Check.Run.Update(owner, name, run.Id, new CheckRunUpdate
            {
                Status = conclusion is null ? Octokit.CheckStatus.InProgress : null,
                Conclusion = conclusion,
                Output = output,
                DetailsUrl = detailsUrl,
            });
            id = run.Id;
        }

        return $"check run {id}: {(conclusion is { } c ? c.ToString().ToLowerInvariant() : "in_progress")} \"{verdict.Title}\" (merge group)";
    }

    private async Task<string> RequestReviewsAsync(string owner, string name, PullRequestSnapshot snapshot, EnforcementPlan plan)
    {
        var excluded = new HashSet<string>(snapshot.RequestedReviewers, StringComparer.OrdinalIgnoreCase);
        if (snapshot.Author.Login is { } author)
        {
            excluded.Add(author);
        }

        var users = plan.RequestUsers.Where(u => !excluded.Contains(u)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var requestedTeams = snapshot.RequestedTeams.Select(t => GitHubGroupMembership.Parse(t, snapshot.Repository).Slug).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var teams = plan.RequestTeams
            .Select(t => GitHubGroupMembership.Parse(t, snapshot.Repository))
            .Where(t => string.Equals(t.Org, owner, StringComparison.OrdinalIgnoreCase) && !requestedTeams.Contains(t.Slug))
            .Select(t => t.Slug)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (users.Count == 0 && teams.Count == 0)
        {
            return "reviews: nothing new to request";
        }

        try
        {
            await api.Client.PullRequest.ReviewRequest.Create(owner, name, checked((int)snapshot.Number), new PullRequestReviewRequest(users, teams));
            return $"reviews: requested {Describe(users, teams)}";
        }
        catch (ApiValidationException ex)
        {
            // 422: e.g. a user without access to the repository. Not retryable; the check still tells who must approve.
            logger.LogWarning("GitHub refused to request reviews from {Reviewers}: {Error}", Describe(users, teams), ex.Message);
            return $"reviews: GitHub refused {Describe(users, teams)} ({ex.Message})";
        }
    }

    private static string Describe(IEnumerable<string> users, IEnumerable<string> teams)
        => string.Join(", ", users.Select(u => "@" + u).Concat(teams.Select(t => "team " + t)));

    private async Task<string> AddLabelsAsync(string owner, string name, PullRequestSnapshot snapshot, EnforcementPlan plan)
    {
        var present = new HashSet<string>(snapshot.Labels, StringComparer.OrdinalIgnoreCase);
        var missing = plan.AddLabels.Where(l => !present.Contains(l)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (missing.Length == 0)
        {
            return "labels: nothing to add";
        }

        // The documented body shape is {"labels": [...]} (Octokit would send a bare array).
        await api.ApiConnection.Post<IReadOnlyList<Label>>(
            new Uri($"repos/{owner}/{name}/issues/{snapshot.Number}/labels", UriKind.Relative), new { labels = missing });
        return "labels: added " + string.Join(", ", missing);
    }

    private async Task<string> UpsertCommentAsync(string owner, string name, long number, string markdown)
    {
        var body = markdown.StartsWith(EnforcementPlanner.CommentMarker, StringComparison.Ordinal) ? markdown : EnforcementPlanner.CommentMarker + "\n" + markdown;
        var comments = await api.Client.Issue.Comment.GetAllForIssue(owner, name, number, new ApiOptions { PageSize = 100 });
        var existing = comments.FirstOrDefault(c => c.Body?.Contains(EnforcementPlanner.CommentMarker, StringComparison.Ordinal) == true);
        if (existing is null)
        {
            var created = await api.Client.Issue.Comment.Create(owner, name, number, body);
            return $"comment: created {created.Id}";
        }

        if (existing.Body == body)
        {
            return $"comment: {existing.Id} unchanged";
        }

        await api.Client.Issue.Comment.Update(owner, name, existing.Id, body);
        return $"comment: updated {existing.Id}";
    }

    private Task<string> CompleteRunAsync(string owner, string name, PullRequestSnapshot snapshot, EnforcementPlan plan)
    {
        var conclusion = plan.Outcome switch
        {
            CheckOutcome.Success => Octokit.CheckConclusion.Success,
            CheckOutcome.ActionRequired => Octokit.CheckConclusion.ActionRequired,
            CheckOutcome.Neutral => Octokit.CheckConclusion.Neutral,
            _ => Octokit.CheckConclusion.Failure,
        };
        return UpsertRunAsync(owner, name, snapshot, conclusion, plan.Title, plan.Summary, plan.Annotations, plan.DetailsUrl);
    }

    private async Task<string> UpsertRunAsync(
        string owner, string name, PullRequestSnapshot snapshot, Octokit.CheckConclusion conclusion, string title, string summary, IReadOnlyList<Annotation> annotations,
        string? detailsUrl = null)
    {
        var run = _run ?? await FindRunAsync(owner, name, snapshot.HeadSha);
        var all = annotations.Select(ToAnnotation).ToList();

        // GitHub appends annotations on every update: send them once. A replay of the same head finds them already
        // there; a different set (new rules on the same head) gets a fresh run so stale notes do not linger.
        var previous = run is null ? 0 : Math.Max(_previousAnnotations, run.Output?.AnnotationsCount ?? 0);
        var fresh = run is null || (previous > 0 && previous != all.Count);
        var toSend = fresh || previous == 0 ? all : [];
        var output = new NewCheckRunOutput(Bound(title, 255), Bound(summary, MaxOutputLength)) { Annotations = toSend.Take(AnnotationsPerRequest).ToList() };
        var buttons = new[] { new NewCheckRunAction("Re-evaluate", "Evaluate this pull request again", Webhooks.GitHubWebhookMapper.ReevaluateAction) };
        long id;
        if (fresh)
        {
            var created = await api.Client.Check.Run.Create(owner, name, new NewCheckRun(Options.CheckName, snapshot.HeadSha)
            {
                Conclusion = conclusion,
                Output = output,
                Actions = buttons,
                ExternalId = ExternalId(snapshot),
                DetailsUrl = detailsUrl,
            });
            id = created.Id;
        }
        else
        {
            await api.Client.Check.Run.Update(owner, name, run!.Id, new CheckRunUpdate { Conclusion = conclusion, Output = output, Actions = buttons, DetailsUrl = detailsUrl });
            id = run.Id;
        }

        foreach (var chunk in toSend.Skip(AnnotationsPerRequest).Chunk(AnnotationsPerRequest))
        {
            await api.Client.Check.Run.Update(owner, name, id, new CheckRunUpdate
            {
                Output = new NewCheckRunOutput(Bound(title, 255), Bound(summary, MaxOutputLength)) { Annotations = chunk },
            });
        }

        return $"check run {id}: {conclusion.ToString().ToLowerInvariant()} \"{title}\" ({toSend.Count} annotations sent{(fresh && run is not null ? ", new run: annotations changed" : "")})";
    }

    private async Task<CheckRun?> FindRunAsync(string owner, string name, string headSha)
    {
        if (_runLoaded)
        {
            return _run;
        }

        var runs = await api.Client.Check.Run.GetAllForReference(owner, name, headSha, new CheckRunRequest { CheckName = Options.CheckName, Filter = CheckRunCompletedAtFilter.Latest });
        _run = runs.CheckRuns.Where(r => r.HeadSha == headSha && r.Name == Options.CheckName).OrderByDescending(r => r.Id).FirstOrDefault();
        _runLoaded = true;
        return _run;
    }

    private async Task<string> PostStatusAsync(string owner, string name, string sha, CommitState state, string description, string? detailsUrl = null)
    {
        await api.Client.Repository.Status.Create(owner, name, sha, new NewCommitStatus
        {
            State = state,
            Context = Options.CheckName,
            Description = Bound(description, 140),
            TargetUrl = detailsUrl,
        });
        return $"status {Options.CheckName}: {state.ToString().ToLowerInvariant()} \"{Bound(description, 140)}\"";
    }

    private static CommitState StatusState(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Success or CheckOutcome.Neutral => CommitState.Success,
        CheckOutcome.ActionRequired => CommitState.Pending,
        _ => CommitState.Failure,
    };

    private static NewCheckRunAnnotation ToAnnotation(Annotation a)
        => new(a.Path, Math.Max(1, a.StartLine), Math.Max(Math.Max(1, a.StartLine), a.EndLine), a.Severity switch
        {
            Severity.High or Severity.Critical => CheckAnnotationLevel.Failure,
            Severity.Medium => CheckAnnotationLevel.Warning,
            _ => CheckAnnotationLevel.Notice,
        }, Bound(a.Message, 60_000))
        {
            Title = Bound($"{a.RuleId}: {a.Title}", 255),
        };

    private static string ExternalId(PullRequestSnapshot snapshot) => $"{snapshot.Repository}#{snapshot.Number}";

    private static string Bound(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
