using Microsoft.Extensions.Logging;
using Octokit;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Api;
using ReviewBot.Pipeline.Ports;
using CheckConclusion = ReviewBot.Core.Snapshot.CheckConclusion;
using CheckOrigin = ReviewBot.Core.Snapshot.CheckOrigin;
using CheckStatus = ReviewBot.Core.Snapshot.CheckStatus;
using Comment = ReviewBot.Core.Snapshot.Comment;
using Commit = ReviewBot.Core.Snapshot.Commit;

namespace ReviewBot.GitHub;

/// <summary>
/// Loads a pull request snapshot with few calls: the PR, its files (100 per page, up to 3000), commits, reviews,
/// check runs and combined status of the head, and the approval facts (<see cref="GitHubApprovalFacts"/>: issue
/// assignments, the latest push, commit author accounts and body history, patch ids of older approved heads); contents
/// lazily through batched GraphQL. The rules are found by the rules locator (<see cref="GitHubRevisionFiles"/>).
/// </summary>
public sealed class GitHubPullRequestSource(GitHubApi api, ILogger logger) : IPullRequestSource
{
    /// <summary>
    /// What GitHub vouches for: the author is an authenticated account, logins are unique accounts nobody else can
    /// take, account ids are GitHub's, and commit emails are matched to accounts (verified emails).
    /// </summary>
    public static IdentityFacts IdentityFacts { get; } = new()
    {
        AuthorIsAccount = true,
        LoginsVerified = true,
        AccountIdsAreGitHubIds = true,
        CommitIdentitiesMatched = true,
    };

    private GitHubOptions Options => api.Options;

    public async Task<PullRequestSnapshot> LoadAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubApi.Split(request.Repository);
        var number = checked((int)request.Number);
        var client = api.Client;
        var pr = await client.PullRequest.Get(owner, name, number);
        var headSha = pr.Head.Sha;
        cancellationToken.ThrowIfCancellationRequested();

        var pageCount = Math.Max(1, (Math.Min(Options.MaxFiles, 3000) + 99) / 100);
        var filesTask = client.PullRequest.Files(owner, name, number, new ApiOptions { PageSize = 100, PageCount = pageCount, StartPage = 1 });
        var commitsTask = client.PullRequest.Commits(owner, name, number);
        var reviewsTask = client.PullRequest.Review.GetAll(owner, name, number, new ApiOptions { PageSize = 100 });
        var runsTask = client.Check.Run.GetAllForReference(owner, name, headSha, new CheckRunRequest { Filter = CheckRunCompletedAtFilter.Latest }, new ApiOptions { PageSize = 100 });
        var statusTask = client.Repository.Status.GetCombined(owner, name, headSha);
        var facts = new GitHubApprovalFacts(api);
        var historyTask = facts.HistoryAsync(owner, name, number, pr.User?.Login, cancellationToken);
        var (headOwner, headName) = pr.Head.Repository?.FullName is { } headRepo ? GitHubApi.Split(headRepo) : (owner, name);
        var pushTask = facts.LastPushAsync(headOwner, headName, pr.Head.Ref, headSha);
        var commentsTask = client.Issue.Comment.GetAllForIssue(owner, name, number, new ApiOptions { PageSize = 100 });
        await Task.WhenAll(filesTask, commitsTask, reviewsTask, runsTask, statusTask, historyTask, pushTask, commentsTask);
        var lastPush = await pushTask;

        var reviews = (await reviewsTask).Where(r => r.User is not null).Select(ToReview).ToList();
        var olderApprovedHeads = reviews.Where(r => r.State == ReviewState.Approved && r.CommitSha is not null)
            .OrderByDescending(r => r.SubmittedAt).Select(r => r.CommitSha!);
        var patchIds = await facts.PatchIdsAsync(owner, name, pr.Base.Ref, headSha, olderApprovedHeads);
        var history = await historyTask;

        var files = (await filesTask).Select(ToChangedFile).ToList();
        var checks = (await runsTask).CheckRuns
            .Where(r => !string.Equals(r.Name, Options.CheckName, StringComparison.Ordinal))
            .Select(ToCheck)
            .Concat((await statusTask).Statuses
                .Where(s => !string.Equals(s.Context, Options.CheckName, StringComparison.OrdinalIgnoreCase))
                .Select(ToCheck))
            .ToList();

        var snapshot = new PullRequestSnapshot
        {
            Platform = Platform.GitHub,
            IdentityFacts = IdentityFacts,
            Repository = request.Repository,
            Number = pr.Number,
            Title = pr.Title ?? "",
            Body = pr.Body ?? "",
            Author = ToPerson(pr.User),
            Assignees = [.. (pr.Assignees ?? []).Select(ToPerson)],
            EarlierBodies = history.EarlierBodies,
            EverAssigned = history.EverAssigned,
            Dispatchers = history.Dispatchers,
            ResolvedIdentities = history.Identities,
            LastPush = lastPush,
            HeadPushedAt = lastPush is { At: { } pushedAt } && string.Equals(lastPush.Head, headSha, StringComparison.OrdinalIgnoreCase) ? pushedAt : null,
            Comments = [.. (await commentsTask).Where(c => c.User is not null).Select(c => new Comment { Id = c.Id, Author = ToPerson(c.User), Body = c.Body ?? "", CreatedAt = c.CreatedAt, Edited = c.UpdatedAt > c.CreatedAt })],
            PatchIds = patchIds,
            Labels = [.. (pr.Labels ?? []).Select(l => l.Name)],
            Draft = pr.Draft,
            BaseRef = pr.Base.Ref,
            BaseSha = pr.Base.Sha,
            HeadRef = pr.Head.Ref,
            HeadSha = headSha,
            Commits = [.. (await commitsTask).Select(ToCommit)],
            Files = files,
            FilesTruncated = files.Count < pr.ChangedFiles,
            Reviews = reviews,
            Checks = checks,
            RequestedReviewers = [.. (pr.RequestedReviewers ?? []).Select(u => u.Login)],
            RequestedTeams = [.. (pr.RequestedTeams ?? []).Select(t => $"{owner}/{t.Slug}")],
            Contents = new GitHubFileContents(api, request.Repository, pr.Base.Sha, headSha),
        };
        logger.LogInformation(
            "Loaded {Repository}#{Number} at {Head}: {Files} files, {Commits} commits, {Reviews} reviews, {Checks} checks ({Requests} API requests so far)",
            request.Repository, snapshot.Number, snapshot.ShortHeadSha, files.Count, snapshot.Commits.Count, snapshot.Reviews.Count, checks.Count, api.Counter.Total);
        return snapshot;
    }

    private static ChangedFile ToChangedFile(PullRequestFile f)
    {
        var status = f.Status switch
        {
            "added" => FileStatus.Added,
            "removed" => FileStatus.Removed,
            "renamed" => FileStatus.Renamed,
            "copied" => FileStatus.Copied,
            "changed" => FileStatus.TypeChanged,
            _ => FileStatus.Modified,
        };
        return new ChangedFile
        {
            Path = f.FileName,
            PreviousPath = string.IsNullOrEmpty(f.PreviousFileName) ? null : f.PreviousFileName,
            Status = status,
            Additions = f.Additions,
            Deletions = f.Deletions,
            Patch = f.Patch,
            // GitHub sends no patch for binary files; a text file with changes always has one unless it is too large.
            IsBinary = f.Patch is null && f.Changes == 0 && status is FileStatus.Added or FileStatus.Modified or FileStatus.Removed,
        };
    }

    internal static Person ToPerson(User? user) => user is null
        ? Person.Unknown
        : new Person { Login = user.Login, Name = user.Name, Email = user.Email, Id = user.Id, IsBot = user.Type == AccountType.Bot || user.Login.EndsWith("[bot]", StringComparison.Ordinal) };

    private static Person ToPerson(Committer? git, User? account) => new()
    {
        Login = account?.Login,
        Name = git?.Name,
        Email = git?.Email,
        Id = account?.Id,
        IsBot = account is not null && (account.Type == AccountType.Bot || account.Login.EndsWith("[bot]", StringComparison.Ordinal)),
    };

    private static Commit ToCommit(PullRequestCommit c) => new()
    {
        Sha = c.Sha,
        Author = ToPerson(c.Commit?.Author, c.Author),
        Committer = ToPerson(c.Commit?.Committer, c.Committer),
        Message = c.Commit?.Message ?? "",
        Trailers = TrailerParser.Parse(c.Commit?.Message),
        Parents = [.. (c.Parents ?? []).Select(p => p.Sha)],
        AuthoredAt = c.Commit?.Author?.Date,
        SignatureVerified = c.Commit?.Verification?.Verified,
    };

    private static Review ToReview(PullRequestReview r) => new()
    {
        Reviewer = ToPerson(r.User),
        State = r.State.StringValue.ToUpperInvariant() switch
        {
            "APPROVED" => ReviewState.Approved,
            "CHANGES_REQUESTED" => ReviewState.ChangesRequested,
            "DISMISSED" => ReviewState.Dismissed,
            "PENDING" => ReviewState.Pending,
            _ => ReviewState.Commented,
        },
        CommitSha = r.CommitId,
        SubmittedAt = r.SubmittedAt == default ? null : r.SubmittedAt,
        Id = r.Id,
    };

    private static CheckResult ToCheck(CheckRun run) => new()
    {
        Name = run.Name,
        Status = run.Status.StringValue switch
        {
            "completed" => CheckStatus.Completed,
            "in_progress" => CheckStatus.InProgress,
            _ => CheckStatus.Queued,
        },
        Conclusion = run.Conclusion?.StringValue switch
        {
            null => null,
            "success" => CheckConclusion.Success,
            "neutral" => CheckConclusion.Neutral,
            "skipped" => CheckConclusion.Skipped,
            "cancelled" => CheckConclusion.Cancelled,
            "timed_out" => CheckConclusion.TimedOut,
            "action_required" => CheckConclusion.ActionRequired,
            "stale" => CheckConclusion.Stale,
            _ => CheckConclusion.Failure,
        },
        Source = run.App?.Slug,
        Origin = CheckOrigin.CheckRun,
        DetailsUrl = run.DetailsUrl,
    };

    private static CheckResult ToCheck(CommitStatus status)
    {
        var state = status.State.StringValue;
        return new CheckResult
        {
            Name = status.Context,
            Status = state == "pending" ? CheckStatus.InProgress : CheckStatus.Completed,
            Conclusion = state switch
            {
                "pending" => null,
                "success" => CheckConclusion.Success,
                _ => CheckConclusion.Failure,
            },
            Source = "status",
            Origin = CheckOrigin.CommitStatus,
            DetailsUrl = status.TargetUrl,
        };
    }
}
