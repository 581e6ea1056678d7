using Microsoft.Extensions.Logging;
using ReviewBot.Core.Decisions;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Pipeline;

/// <summary>
/// Merge groups (GitHub merge queue): a group's check is decided from the decisions recorded for its pull requests
/// (<see cref="MergeGroupVerdict"/>), under the group's own lease, and audited as a record with number 0. A pull
/// request without a decision for its queued head is evaluated first; when a pull request's decision is recorded
/// later, the groups that hold it (their latest records, within <see cref="MergeGroupFollowWindow"/>, not ended) are
/// decided again.
/// </summary>
public sealed partial class ReviewPipeline
{
    /// <summary>How long after its last evaluation a queued merge group still follows its pull requests' decisions.</summary>
    public static readonly TimeSpan MergeGroupFollowWindow = TimeSpan.FromHours(6);

    /// <summary>How many of a pull request's latest audit records are searched for the decision on a group's queued head.</summary>
    private const int RecordsSearchedPerMember = 20;

    private async Task<ReviewResult> MergeGroupAsync(IPlatformSessionFactory factory, ReviewRequest request, int attempt, bool evaluateMembers, CancellationToken cancellationToken)
    {
        var group = request.MergeGroup!;
        if (factory is not IMergeGroupPlatform platform || string.IsNullOrEmpty(request.HeadSha))
        {
            var error = $"{request.Event}: {request.Platform} merge groups cannot be checked (no group platform or no head)";
            await AuditAsync(request, null, null, [], error, null, CancellationToken.None).ConfigureAwait(false);
            return new ReviewResult(ReviewStatus.Failed, error, 0, []);
        }

        return group.Ended is { } reason
            ? await EndMergeGroupAsync(request, reason, cancellationToken).ConfigureAwait(false)
            : await LeasedAsync(request, claim => MergeGroupPassAsync(factory, platform, request, claim, attempt, evaluateMembers, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
    }

    /// <summary>The platform ended the group (merged, dequeued, invalidated): audited, so the group is no longer followed.</summary>
    private async Task<ReviewResult> EndMergeGroupAsync(ReviewRequest request, string reason, CancellationToken cancellationToken)
    {
        var last = (await LatestGroupRecordsAsync(request, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(r => string.Equals(r.HeadSha, request.HeadSha, StringComparison.OrdinalIgnoreCase));
        var ended = (last?.MergeGroup ?? new MergeGroupAudit { Group = request.MergeGroup!, State = MergeGroupState.Pending, Title = "" }) with
        {
            Group = request.MergeGroup!,
            Title = $"Merge group ended: {reason}",
        };
        await AuditAsync(request, null, null, [$"merge group {reason}: no longer followed"], null, null, cancellationToken, ended).ConfigureAwait(false);
        return new ReviewResult(ReviewStatus.Completed, $"merge group {reason}", 0, []);
    }

    private async Task<ReviewResult> MergeGroupPassAsync(
        IPlatformSessionFactory factory, IMergeGroupPlatform platform, ReviewRequest request, ReviewClaim claim, int attempt, bool evaluateMembers, CancellationToken cancellationToken)
    {
        try
        {
            var contents = await platform.FindContentsAsync(request, cancellationToken).ConfigureAwait(false);
            var unknown = contents.Unknown.ToList();
            var limit = _options.MaxPullRequestsPerEvent;
            if (contents.Entries.Count > limit)
            {
                unknown.Add($"{contents.Entries.Count - limit} pull request(s) beyond the {limit} checked per event (ReviewBot:Worker:MaxPullRequestsPerEvent)");
            }

            var members = new List<MergeGroupMember>();
            foreach (var entry in contents.Entries.Take(limit))
            {
                var member = await RecordedMemberAsync(request, entry, cancellationToken).ConfigureAwait(false);
                if (member.Decision is null && member.Error is null && evaluateMembers)
                {
                    // Not evaluated for the queued head yet: evaluate it now (its own lease and delivery id, so a
                    // retried group does not evaluate it twice), then read what it recorded.
                    var memberRequest = request with { Number = entry.Number, HeadSha = entry.HeadSha, MergeGroup = null, DeliveryId = $"{request.DeliveryId}#{entry.Number}" };
                    var evaluated = await ProcessOneAsync(factory, memberRequest, attempt, cancellationToken, followMergeGroups: false).ConfigureAwait(false);
                    if (evaluated.Status == ReviewStatus.RetryLater)
                    {
                        await coordinator.ReleaseAsync(claim, completed: false, CancellationToken.None).ConfigureAwait(false);
                        return evaluated;
                    }

                    member = await RecordedMemberAsync(request, entry, cancellationToken).ConfigureAwait(false);
                }

                members.Add(member);
            }

            var verdict = MergeGroupVerdict.Decide(members, unknown);
            if (!await coordinator.TryCommitAsync(claim, request.HeadSha!, cancellationToken).ConfigureAwait(false))
            {
                await coordinator.ReleaseAsync(claim, completed: true, cancellationToken).ConfigureAwait(false);
                return new ReviewResult(ReviewStatus.Superseded, "a newer evaluation of this merge group was claimed meanwhile; it acts instead", 0, []);
            }

            var reported = await platform.ReportAsync(request, verdict, null, cancellationToken).ConfigureAwait(false);
            var record = new MergeGroupAudit { Group = request.MergeGroup!, State = verdict.State, Title = verdict.Title, Members = members, Unknown = unknown };
            await AuditAsync(request, claim, null, [reported], null, null, cancellationToken, record).ConfigureAwait(false);
            log.LogInformation("{Key}: {State}, {Title}", request.PullRequestKey, ReviewBot.Core.Serialization.ReviewBotJson.Name(verdict.State), verdict.Title);
            return new ReviewResult(ReviewStatus.Completed, verdict.Title, 1, [reported]);
        }
        catch (Exception ex)
        {
            if (await GiveBackAsync(request, claim, ex, attempt, cancellationToken).ConfigureAwait(false) is { } retry)
            {
                return retry;
            }

            // Fail closed: the group's check fails with the error, never passes.
            var error = Describe(ex);
            log.LogError("{Key} delivery {Delivery}: merge group evaluation failed: {Error}", request.PullRequestKey, request.DeliveryId, error);
            var failed = MergeGroupVerdict.Decide([], ["ReviewBot could not evaluate this merge group: " + error]);
            var reported = await BestEffortAsync(() => platform.ReportAsync(request, failed, null, CancellationToken.None)).ConfigureAwait(false);
            var audited = error + (reported ? "" : " (the error could not be reported on the merge group)");
            var record = new MergeGroupAudit { Group = request.MergeGroup!, State = MergeGroupState.Fail, Title = failed.Title };
            await BestEffortAsync(() => AuditAsync(request, claim, null, [], audited, null, CancellationToken.None, record)).ConfigureAwait(false);
            return new ReviewResult(ReviewStatus.Failed, audited, 0, []);
        }
    }

    /// <summary>The latest decision (or error) recorded for the pull request at the head the merge queue took.</summary>
    private async Task<MergeGroupMember> RecordedMemberAsync(ReviewRequest group, MergeGroupEntry entry, CancellationToken cancellationToken)
    {
        var records = await audit.ListAsync(new AuditQuery { Repository = group.Repository, Number = entry.Number, Limit = RecordsSearchedPerMember }, cancellationToken)
            .ConfigureAwait(false);
        var latest = records.FirstOrDefault(r => r.Platform == group.Platform.Id
                                                 && string.Equals(r.HeadSha, entry.HeadSha, StringComparison.OrdinalIgnoreCase)
                                                 && (r.Decision is not null || r.Error is not null));
        return new MergeGroupMember
        {
            Number = entry.Number,
            HeadSha = entry.HeadSha,
            Decision = latest?.Error is null ? latest?.Decision?.State : null,
            Title = latest?.Decision?.Title,
            Error = latest?.Error,
        };
    }

    /// <summary>
    /// After a pull request's decision is recorded: decides again every followed merge group that holds it. Its own
    /// attempt is the last one, so a failure fails the group closed rather than leaving an earlier pass standing.
    /// </summary>
    private async Task FollowMergeGroupsAsync(IPlatformSessionFactory factory, ReviewRequest request, CancellationToken cancellationToken)
    {
        if (factory is not IMergeGroupPlatform)
        {
            return;
        }

        try
        {
            var followed = (await LatestGroupRecordsAsync(request, cancellationToken).ConfigureAwait(false))
                .Where(r => r.MergeGroup!.Group.Ended is null && r.MergeGroup.Members.Any(m => m.Number == request.Number))
                .ToList();
            foreach (var record in followed)
            {
                var group = request with
                {
                    Number = 0,
                    HeadSha = record.HeadSha,
                    MergeGroup = record.MergeGroup!.Group,
                    DeliveryId = $"{request.DeliveryId}@merge-group:{record.HeadSha}",
                    Event = "merge_group.follow",
                };
                var result = await MergeGroupAsync(factory, group, _options.MaxAttempts, evaluateMembers: false, cancellationToken).ConfigureAwait(false);
                log.LogInformation("{Key} follows #{Number}: {Status}, {Reason}", group.PullRequestKey, request.Number, result.Status, result.Reason);
            }

            log.LogDebug("{Key}: decided again the {Count} followed merge group(s) holding it", request.PullRequestKey, followed.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning("{Key}: the merge groups holding it could not be decided again: {Error}", request.PullRequestKey, Describe(ex));
        }
    }

    /// <summary>The latest record of each merge group of the repository evaluated within <see cref="MergeGroupFollowWindow"/>.</summary>
    private async Task<IReadOnlyList<AuditRecord>> LatestGroupRecordsAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        var records = await audit.ListAsync(new AuditQuery { Repository = request.Repository, Number = 0, Since = time.GetUtcNow() - MergeGroupFollowWindow, Limit = 1000 }, cancellationToken)
            .ConfigureAwait(false);
        return [.. records
            .Where(r => r.Platform == request.Platform.Id && r.MergeGroup is not null)
            .GroupBy(r => r.HeadSha, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())];
    }
}
