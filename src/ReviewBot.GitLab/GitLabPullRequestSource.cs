using System.Text.RegularExpressions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab;

/// <summary>
/// Loads a merge request as a <see cref="PullRequestSnapshot"/>: metadata, commits (oldest first), diffs,
/// approvals (as approved reviews, each tied to the head SHA of the diff version it was given on), the
/// pipeline and commit statuses of the head SHA (as checks; ReviewBot's own status excluded), and the approval
/// facts (<see cref="GitLabApprovalFacts"/>: pusher and assignments from system notes, users behind commit
/// emails, patch ids of older approved versions). File contents
/// come from the raw files API on demand. The rules are found by the rules locator (<see cref="GitLabRevisionFiles"/>).
/// </summary>
public sealed partial class GitLabPullRequestSource(GitLabClient client, GitLabOptions options) : IPullRequestSource
{
    /// <summary>
    /// What GitLab vouches for: the author is an authenticated account and commit emails are matched to users (public
    /// emails). Usernames are free to pick, so logins are not verified: only bot users and logins the organisation
    /// listed match a catalog identity. Account ids are GitLab's, never compared with GitHub ids.
    /// </summary>
    public static IdentityFacts IdentityFacts { get; } = new()
    {
        AuthorIsAccount = true,
        CommitIdentitiesMatched = true,
    };

    public async Task<PullRequestSnapshot> LoadAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var project = GitLabClient.ProjectRef(request.ProjectId, request.Repository);

        var ct = cancellationToken;
        var mr = await client.GetMergeRequestAsync(project, request.Number, ct).ConfigureAwait(false);
        var headSha = mr.Sha ?? mr.DiffRefs?.HeadSha
            ?? throw new GitLabApiException("GET", $"merge request !{request.Number}", null, "merge request has no head SHA");
        var baseSha = mr.DiffRefs?.BaseSha ?? mr.DiffRefs?.StartSha ?? "";

        var commitsTask = client.ListMergeRequestCommitsAsync(project, mr.Iid, ct);
        var diffsTask = client.ListMergeRequestDiffsAsync(project, mr.Iid, ct);
        var versionsTask = client.ListMergeRequestVersionsAsync(project, mr.Iid, ct);
        var approvalsTask = client.GetApprovalsAsync(project, mr.Iid, ct);
        var pipelinesTask = client.ListPipelinesAsync(project, headSha, ct);
        var statusesTask = client.ListCommitStatusesAsync(project, headSha, ct);
        var notesTask = client.ListNotesAsync(project, mr.Iid, ct);
        var jobsTask = HeadPipelineJobIdsAsync(project, mr, ct);
        await Task.WhenAll(commitsTask, diffsTask, versionsTask, approvalsTask, pipelinesTask, statusesTask, notesTask, jobsTask).ConfigureAwait(false);

        var commits = commitsTask.Result.Items.Reverse().Select(ToCommit).ToList();
        var diffs = diffsTask.Result;
        var author = ToPerson(mr.Author);
        var reviews = ToReviews(approvalsTask.Result, versionsTask.Result.Items, headSha);
        var facts = new GitLabApprovalFacts(client);
        var notes = GitLabApprovalFacts.FromNotes(notesTask.Result.Items, author, headSha);
        var emails = Identities.GitIdentities(commits).Select(p => p.Email).OfType<string>();
        var identities = await facts.ResolveAsync(emails, ct).ConfigureAwait(false);
        var olderHeads = reviews.Where(r => r.CommitSha is not null).OrderByDescending(r => r.SubmittedAt).Select(r => r.CommitSha!);
        var patchIds = await facts.PatchIdsAsync(project, mr.Iid, versionsTask.Result.Items, headSha, olderHeads, ct).ConfigureAwait(false);

        return new PullRequestSnapshot
        {
            Platform = Platform.GitLab,
            CodeOwnersLocations = CodeOwnersFile.GitLabLocations,
            IdentityFacts = IdentityFacts,
            Repository = request.Repository,
            Number = mr.Iid,
            Title = mr.Title ?? "",
            Body = mr.Description ?? "",
            Author = author,
            Assignees = (mr.Assignees ?? []).Select(ToPerson).ToList(),
            EverAssigned = notes.EverAssigned,
            Dispatchers = notes.Dispatchers,
            LastPush = notes.LastPush,
            // The merge request version of the current head is GitLab's record of when that head arrived; the newest one,
            // so a force-push back to an earlier head starts it again (an override given in between does not carry over).
            HeadPushedAt = versionsTask.Result.Items.Where(v => string.Equals(v.HeadCommitSha, headSha, StringComparison.OrdinalIgnoreCase) && v.CreatedAt is not null)
                .Max(v => v.CreatedAt),
            Comments = [.. notesTask.Result.Items.Where(n => !n.System && n.Author is not null && n.CreatedAt is not null)
                .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id)
                .Select(n => new Comment { Id = n.Id, Author = ToPerson(n.Author), Body = n.Body ?? "", CreatedAt = n.CreatedAt!.Value, Edited = n.UpdatedAt > n.CreatedAt })],
            ResolvedIdentities = identities,
            PatchIds = patchIds,
            Labels = mr.Labels ?? [],
            Draft = mr.Draft,
            BaseRef = mr.TargetBranch ?? "",
            BaseSha = baseSha,
            HeadRef = mr.SourceBranch ?? "",
            HeadSha = headSha,
            Commits = commits,
            Files = diffs.Items.Select(DiffStats.ToChangedFile).ToList(),
            FilesTruncated = diffs.Truncated,
            Reviews = reviews,
            Checks = ToChecks(pipelinesTask.Result.Items, statusesTask.Result.Items, jobsTask.Result, options.StatusName),
            RequestedReviewers = (mr.Reviewers ?? []).Select(r => r.Username).OfType<string>().ToList(),
            Contents = new GitLabFileContents(client, project, baseSha, headSha),
        };
    }

    internal static Commit ToCommit(GlCommit c) => new()
    {
        Sha = c.Id,
        Author = new Person { Name = c.AuthorName, Email = c.AuthorEmail },
        Committer = new Person { Name = c.CommitterName, Email = c.CommitterEmail },
        Message = c.Message ?? c.Title ?? "",
        Trailers = TrailerParser.Parse(c.Message),
        Parents = c.ParentIds ?? [],
        AuthoredAt = c.AuthoredDate,
    };

    internal static Person ToPerson(GlUser? user) => user is null
        ? Person.Unknown
        : new Person { Login = user.Username, Name = user.Name, Id = user.Id, IsBot = user.Bot ?? IsBotUsername(user.Username) };

    /// <summary>Project / group access token users ("project_42_bot_…", "group_7_bot_…"), service accounts ("service_account_…") and GitLab's own bots.</summary>
    internal static bool IsBotUsername(string? username) => username is not null && BotUsername().IsMatch(username);

    /// <summary>
    /// Approvals as approved reviews. GitLab does not say which commit an approval was given on; the diff
    /// version that was current at <c>approved_at</c> does. Without <c>approved_at</c> (or without versions) the
    /// commit is unknown and left null: such an approval counts only when given after the latest push.
    /// </summary>
    internal static IReadOnlyList<Review> ToReviews(GlApprovals approvals, IReadOnlyList<GlMergeRequestVersion> versions, string headSha)
    {
        var ordered = versions.Where(v => v.CreatedAt is not null && v.HeadCommitSha is not null).OrderBy(v => v.CreatedAt).ToList();
        var reviews = new List<Review>();
        foreach (var approval in approvals.ApprovedBy ?? [])
        {
            if (approval.User is null)
            {
                continue;
            }

            string? sha = null;
            if (approval.ApprovedAt is { } at && ordered.Count > 0)
            {
                var version = ordered.LastOrDefault(v => v.CreatedAt <= at);
                sha = version?.HeadCommitSha ?? ordered[0].HeadCommitSha!;
            }

            reviews.Add(new Review
            {
                Reviewer = ToPerson(approval.User),
                State = ReviewState.Approved,
                CommitSha = sha,
                SubmittedAt = approval.ApprovedAt,
            });
        }

        return reviews;
    }

    /// <summary>
    /// The ids of the jobs of the merge request's own (head) pipeline, retried attempts included; none without a head
    /// pipeline. The commit's statuses list CI jobs and external statuses alike, with nothing to tell them apart but this.
    /// </summary>
    private async Task<IReadOnlySet<long>> HeadPipelineJobIdsAsync(string project, GlMergeRequest mr, CancellationToken ct)
    {
        if (mr.HeadPipeline is not { } head)
        {
            return new HashSet<long>();
        }

        var inProject = head.ProjectId is { } id && id != mr.ProjectId ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : project;
        var jobs = await client.ListPipelineJobsAsync(inProject, head.Id, ct).ConfigureAwait(false);
        return jobs.Items.Select(j => j.Id).ToHashSet();
    }

    /// <summary>
    /// The newest pipeline of the head SHA as the check "pipeline" (<see cref="PipelineCheck"/>), and each commit status by
    /// name, ReviewBot's own left out: a job of the merge request's own pipeline (its id among <paramref name="headPipelineJobIds"/>)
    /// as a <see cref="CheckOrigin.PipelineJob"/>, anything else (an external status posted through the API, a job of another
    /// pipeline) as a <see cref="CheckOrigin.CommitStatus"/>. Jobs and statuses of one name stay apart, so a later
    /// look-alike status cannot hide the job from a pinned requirement; they are listed oldest first, so for an unpinned
    /// one the latest of the name still wins.
    /// </summary>
    internal static IReadOnlyList<CheckResult> ToChecks(IReadOnlyList<GlPipeline> pipelines, IReadOnlyList<GlCommitStatus> statuses, IReadOnlySet<long> headPipelineJobIds, string ownStatusName)
    {
        var checks = new List<CheckResult>();
        if (PipelineCheck(pipelines, statuses, ownStatusName) is { } pipeline)
        {
            checks.Add(pipeline with { Origin = CheckOrigin.Pipeline });
        }

        var latestOfEach = statuses.Where(s => !string.IsNullOrEmpty(s.Name) && !string.Equals(s.Name, ownStatusName, StringComparison.Ordinal))
            .GroupBy(s => (s.Name!, Job: headPipelineJobIds.Contains(s.Id)))
            .Select(g => (g.Key.Job, Latest: g.MaxBy(s => s.Id)!))
            .OrderBy(x => x.Latest.Id);
        foreach (var (job, latest) in latestOfEach)
        {
            var check = ToCheck(latest.Name!, latest.Status, job ? "gitlab-ci" : "status", latest.TargetUrl) with
            {
                Origin = job ? CheckOrigin.PipelineJob : CheckOrigin.CommitStatus,
            };
            if (latest.AllowFailure == true && check.IsFailed)
            {
                check = check with { Conclusion = CheckConclusion.Neutral };
            }

            checks.Add(check);
        }

        return checks;
    }

    /// <summary>
    /// The newest pipeline of the head SHA, judged without ReviewBot's own status. GitLab puts a commit status in the
    /// newest pipeline of its ref and SHA, or in a new pipeline of source <c>external</c> when there is none (a merge
    /// request without CI; merge request pipelines run on another ref), and counts it in that pipeline's status. So a
    /// pipeline holding nothing but ReviewBot's status is not a pipeline (the next older one is read, if any), and one that
    /// also holds other jobs is judged on those jobs alone. Without pipeline ids on the statuses (older GitLab), an
    /// <c>external</c> pipeline on a commit that carries ReviewBot's status is taken for ReviewBot's own.
    /// </summary>
    internal static CheckResult? PipelineCheck(IReadOnlyList<GlPipeline> pipelines, IReadOnlyList<GlCommitStatus> statuses, string ownStatusName)
    {
        bool Own(GlCommitStatus s) => string.Equals(s.Name, ownStatusName, StringComparison.Ordinal);
        var linked = statuses.Any(s => s.PipelineId is not null);
        var ownExists = statuses.Any(Own);
        foreach (var pipeline in pipelines.OrderByDescending(p => p.Id))
        {
            if (!linked)
            {
                if (ownExists && pipeline.Source == "external")
                {
                    continue;
                }

                return ToCheck("pipeline", pipeline.Status, "gitlab-ci", pipeline.WebUrl);
            }

            var jobs = statuses.Where(s => s.PipelineId == pipeline.Id).GroupBy(s => s.Name, StringComparer.Ordinal).Select(g => g.MaxBy(s => s.Id)!).ToList();
            if (!jobs.Any(Own))
            {
                return ToCheck("pipeline", pipeline.Status, "gitlab-ci", pipeline.WebUrl);
            }

            var others = jobs.Where(s => !Own(s)).ToList();
            if (others.Count > 0)
            {
                return ToCheck("pipeline", CompositeStatus(others), "gitlab-ci", pipeline.WebUrl);
            }
        }

        return null;
    }

    /// <summary>
    /// A pipeline's status from its jobs, in the order GitLab composes it: an allowed failure counts as a pass; all
    /// skipped is skipped; passes (and skips) are success; only queued jobs are pending; anything running or queued
    /// beside finished jobs is running; a manual job waits as manual; otherwise a failure.
    /// </summary>
    internal static string CompositeStatus(IEnumerable<GlCommitStatus> jobs)
    {
        var states = jobs.Select(j => j.AllowFailure == true && j.Status is "failed" or "canceled" ? "success" : j.Status ?? "created").ToHashSet(StringComparer.Ordinal);
        bool Only(params string[] allowed) => states.All(allowed.Contains);
        bool Any(params string[] wanted) => wanted.Any(states.Contains);
        return states.Count == 0 || Only("skipped") ? "skipped"
            : Only("success", "skipped") ? "success"
            : Only("created") ? "created"
            : Only("canceled", "success", "skipped") ? "canceled"
            : Only("pending", "created", "skipped") ? "pending"
            : Any("running", "pending") ? "running"
            : Any("manual") ? "manual"
            : Any("created", "preparing", "scheduled", "waiting_for_resource") ? "running"
            : "failed";
    }

    internal static CheckResult ToCheck(string name, string? status, string source, string? url)
    {
        var (state, conclusion) = status switch
        {
            "success" or "passed" => (CheckStatus.Completed, (CheckConclusion?)CheckConclusion.Success),
            "failed" => (CheckStatus.Completed, CheckConclusion.Failure),
            "canceled" or "canceling" => (CheckStatus.Completed, CheckConclusion.Cancelled),
            "skipped" => (CheckStatus.Completed, CheckConclusion.Skipped),
            "manual" => (CheckStatus.Completed, CheckConclusion.ActionRequired),
            "running" => (CheckStatus.InProgress, null),
            _ => (CheckStatus.Queued, null), // created, pending, preparing, scheduled, waiting_for_resource, …
        };
        return new CheckResult { Name = name, Status = state, Conclusion = conclusion, Source = source, DetailsUrl = url };
    }

    [GeneratedRegex("^(project|group)_[0-9]+_bot(_[0-9a-f]+)?$|^service_account_(group_[0-9]+_)?[0-9a-z]+$|^(ghost|alert-bot|support-bot|gitlab-bot)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotUsername();
}

/// <summary>File bytes at base and head through the raw files API, a few at a time; absent files are left out.</summary>
public sealed class GitLabFileContents(GitLabClient client, string project, string baseSha, string headSha) : IFileContentProvider
{
    private const int Parallelism = 4;

    public async Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken = default)
    {
        var results = new FileContent?[files.Count];
        await Parallel.ForAsync(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var file = files[i];
            var gitRef = file.Side == Side.Base ? baseSha : headSha;
            if (string.IsNullOrEmpty(gitRef))
            {
                return;
            }

            var bytes = await client.GetRawFileAsync(project, file.Path, gitRef, ct).ConfigureAwait(false);
            if (bytes is not null)
            {
                results[i] = new FileContent(file.Path, file.Side, bytes);
            }
        }).ConfigureAwait(false);
        return results.OfType<FileContent>().ToList();
    }
}
