using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Telemetry;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Pipeline.Details;

namespace ReviewBot.Pipeline;

public enum ReviewStatus
{
    /// <summary>Evaluated and enforced (possibly in several passes when deliveries were folded in).</summary>
    Completed,

    /// <summary>
    /// Another worker holds the pull request's lease; the delivery was folded into it (the holder evaluates once
    /// more; if the holder died, its own work item comes back after the visibility timeout, when its lease has ended).
    /// </summary>
    Folded,

    /// <summary>The delivery was already evaluated to completion (duplicate or redelivered copy).</summary>
    Duplicate,

    /// <summary>A newer evaluation of the pull request was claimed meanwhile: this one did not act.</summary>
    Superseded,

    /// <summary>A transient platform failure (5xx, rate limit, timeout): try again after <see cref="ReviewResult.RetryAfter"/>.</summary>
    RetryLater,

    /// <summary>The evaluation failed for good (or on its last attempt): the error is reported on the pull request and audited.</summary>
    Failed,
}

/// <summary>What one work item led to, with the reason and the side effects performed.</summary>
public sealed record ReviewResult(ReviewStatus Status, string Reason, int Passes, IReadOnlyList<string> Actions, TimeSpan? RetryAfter = null)
{
    public bool IsFinished => Status is ReviewStatus.Completed or ReviewStatus.Folded or ReviewStatus.Duplicate or ReviewStatus.Superseded;
}

/// <summary>
/// The one review pipeline, used by every deployment (the SQLite queue worker of <c>reviewbot serve</c>, the Azure
/// queue poller, the Functions <c>review-worker</c> invocation): per pull request a lease, side effects only from
/// the newest claim (an older head never overwrites a newer one), deliveries folded into a running evaluation,
/// exactly one completion per delivery, an audit record per pass, retries of transient failures with back-off and
/// the platform's Retry-After, and fail-closed error reporting (never success) when it gives up. With an
/// <see cref="IEvaluationStore"/>, each audited decision is recorded with what it decided on, for replay. With an
/// <see cref="IEscalationStore"/>, each evaluation keeps the escalation clocks it leaves running, and one whose clock
/// ran out on this head (fired by <see cref="EscalationSweeper"/>) requests the escalation group's review.
/// </summary>
public sealed partial class ReviewPipeline(
    IReviewCoordinator coordinator,
    IAuditStore audit,
    IEnumerable<IPlatformSessionFactory> sessions,
    IReviewEvaluator evaluator,
    TimeProvider time,
    IOptions<PipelineOptions> options,
    ILogger<ReviewPipeline> log,
    ReviewBotMetrics metrics,
    IEvaluationStore? evaluations = null,
    DetailsLinks? details = null,
    IOverrideAnnouncer? announcer = null,
    IEscalationStore? escalations = null)
{
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}";
    private readonly PipelineOptions _options = options.Value;

    /// <param name="attempt">1 for the first try; the last allowed attempt (<see cref="PipelineOptions.MaxAttempts"/>) fails instead of retrying.</param>
    public async Task<ReviewResult> ProcessAsync(ReviewRequest request, int attempt, CancellationToken cancellationToken = default)
    {
        var factory = sessions.FirstOrDefault(f => f.Platform == request.Platform);
        if (factory is null)
        {
            var error = $"no platform adapter is registered for {request.Platform}";
            await AuditAsync(request, null, null, [], error, null, CancellationToken.None).ConfigureAwait(false);
            return new ReviewResult(ReviewStatus.Failed, error, 0, []);
        }

        var result = request.MergeGroup is not null
            ? await MergeGroupAsync(factory, request, attempt, evaluateMembers: true, cancellationToken).ConfigureAwait(false)
            : request.Number > 0
                ? await ProcessOneAsync(factory, request, attempt, cancellationToken).ConfigureAwait(false)
                : await FanOutAsync(factory, request, attempt, cancellationToken).ConfigureAwait(false);
        if (result.Status == ReviewStatus.RetryLater)
        {
            metrics.RecordRetry(request.Platform);
        }

        return result;
    }

    /// <summary>
    /// An event that names no pull request (commit status, check suite, installation): each open pull request it
    /// concerns is processed as its own request, with its own delivery id (<c>delivery#number</c>) so each completes
    /// once; a retried fan-out skips the pull requests already done.
    /// </summary>
    private async Task<ReviewResult> FanOutAsync(IPlatformSessionFactory factory, ReviewRequest request, int attempt, CancellationToken cancellationToken)
    {
        if (factory is not IPullRequestLocator locator)
        {
            return new ReviewResult(ReviewStatus.Completed, $"{request.Event} names no pull request and {request.Platform} cannot locate them", 0, []);
        }

        IReadOnlyList<long> numbers;
        try
        {
            numbers = await locator.FindOpenPullRequestsAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var error = "could not find the pull requests of this event: " + Describe(ex);
            if (Retryable(ex, attempt, cancellationToken) is { } delay)
            {
                log.LogWarning("{Key} delivery {Delivery} (attempt {Attempt}): {Error}; retrying in {Delay}", request.PullRequestKey, request.DeliveryId, attempt, error, delay);
                return new ReviewResult(ReviewStatus.RetryLater, error, 0, [], delay);
            }

            await AuditAsync(request, null, null, [], error, null, CancellationToken.None).ConfigureAwait(false);
            return new ReviewResult(ReviewStatus.Failed, error, 0, []);
        }

        var results = new List<ReviewResult>();
        foreach (var number in numbers.Take(_options.MaxPullRequestsPerEvent))
        {
            results.Add(await ProcessOneAsync(factory, request with { Number = number, DeliveryId = $"{request.DeliveryId}#{number}" }, attempt, cancellationToken)
                .ConfigureAwait(false));
        }

        // The most urgent outcome speaks for the whole event: a failure, then a retry, else done.
        var actions = results.SelectMany(r => r.Actions).ToList();
        var passes = results.Sum(r => r.Passes);
        var worst = results.OrderBy(r => r.Status switch
        {
            ReviewStatus.Failed => 0,
            ReviewStatus.RetryLater => 1,
            _ => 2,
        }).FirstOrDefault();
        return worst is null || worst.IsFinished
            ? new ReviewResult(ReviewStatus.Completed, $"{request.Event} concerns {numbers.Count} open pull request(s)", passes, actions)
            : worst with { Passes = passes, Actions = actions, RetryAfter = results.Max(r => r.RetryAfter) };
    }

    /// <summary>One pull request, evaluated under its lease; then the merge groups that hold it follow its decision.</summary>
    private async Task<ReviewResult> ProcessOneAsync(IPlatformSessionFactory factory, ReviewRequest request, int attempt, CancellationToken cancellationToken, bool followMergeGroups = true)
    {
        var result = await LeasedAsync(request, claim => MeasuredPassAsync(factory, request, claim, attempt, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (followMergeGroups && result.Status == ReviewStatus.Completed)
        {
            await FollowMergeGroupsAsync(factory, request, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Runs <paramref name="pass"/> under the lease of the request's key (a pull request, or a merge group): deliveries
    /// folded in meanwhile run it once more; a duplicate delivery does nothing.
    /// </summary>
    private async Task<ReviewResult> LeasedAsync(ReviewRequest request, Func<ReviewClaim, Task<ReviewResult>> pass, CancellationToken cancellationToken)
    {
        var owner = $"{_worker}/{Guid.NewGuid():N}";
        var claim = await coordinator.ClaimAsync(request.PullRequestKey, request.DeliveryId, owner, _options.LeaseDuration, cancellationToken)
            .ConfigureAwait(false);
        if (claim.Outcome != ClaimOutcome.Run)
        {
            log.LogInformation("{Key} delivery {Delivery}: {Reason}", request.PullRequestKey, request.DeliveryId, claim.Reason);
            return new ReviewResult(claim.Outcome == ClaimOutcome.Folded ? ReviewStatus.Folded : ReviewStatus.Duplicate, claim.Reason, 0, []);
        }

        var actions = new List<string>();
        var passes = 0;
        ReviewClaim? current = claim;

        // A long evaluation keeps its pull request: another worker takes over only when this one stopped renewing.
        await using var heartbeat = LeaseHeartbeat.Start(
            LeaseHeartbeat.IntervalFor(_options.LeaseDuration),
            async ct => current is not { } held || await coordinator.RenewAsync(held, ct).ConfigureAwait(false),
            log,
            request.PullRequestKey);
        while (current is not null)
        {
            passes++;
            var done = await pass(current).ConfigureAwait(false);
            if (done.Status != ReviewStatus.Completed)
            {
                return done with { Passes = passes, Actions = [.. actions, .. done.Actions] };
            }

            actions.AddRange(done.Actions);
            current = await coordinator.ReleaseAsync(current, completed: true, cancellationToken).ConfigureAwait(false);
        }

        return new ReviewResult(ReviewStatus.Completed, claim.Reason, passes, actions);
    }

    /// <summary>One pass in its <c>reviewbot.evaluation</c> span, its latency and platform API requests recorded.</summary>
    private async Task<ReviewResult> MeasuredPassAsync(IPlatformSessionFactory factory, ReviewRequest request, ReviewClaim claim, int attempt, CancellationToken cancellationToken)
    {
        using var span = ReviewTracing.Source.StartActivity("reviewbot.evaluation");
        span?.SetTag("reviewbot.platform", request.Platform.Id);
        span?.SetTag("reviewbot.repository", request.Repository);
        span?.SetTag("reviewbot.pull_request", request.Number);
        span?.SetTag("reviewbot.delivery", request.DeliveryId);
        span?.SetTag("reviewbot.attempt", attempt);
        var started = time.GetTimestamp();
        using var requests = PlatformRequests.Begin();
        ReviewResult? pass = null;
        try
        {
            pass = await PassAsync(factory, request, claim, attempt, cancellationToken).ConfigureAwait(false);
            return pass;
        }
        finally
        {
            var status = ReviewBotMetrics.StatusName(pass?.Status);
            span?.SetTag("reviewbot.status", status);
            span?.SetStatus(pass?.Status == ReviewStatus.Failed ? System.Diagnostics.ActivityStatusCode.Error : System.Diagnostics.ActivityStatusCode.Unset);
            metrics.RecordEvaluation(request.Platform, status, time.GetElapsedTime(started), requests.Count);
        }
    }

    /// <summary>Loads, evaluates, commits (compare-and-swap) and enforces once.</summary>
    private async Task<ReviewResult> PassAsync(IPlatformSessionFactory factory, ReviewRequest request, ReviewClaim claim, int attempt, CancellationToken cancellationToken)
    {
        PullRequestSnapshot? snapshot = null;
        PlatformSession? session = null;
        ReviewOutcome? outcome = null;
        try
        {
            using (ReviewTracing.Phase("reviewbot.load"))
            {
                session = await factory.CreateAsync(request, cancellationToken).ConfigureAwait(false);
                snapshot = await session.Source.LoadAsync(request, cancellationToken).ConfigureAwait(false);
            }

            await session.Enforcer.MarkInProgressAsync(snapshot, cancellationToken).ConfigureAwait(false);
            var recording = evaluations is null ? null : new EvaluationRecording(snapshot, session.Membership);
            IReadOnlyCollection<string> escalated = escalations is null
                ? []
                : (await escalations.FiredAsync(request, snapshot.HeadSha, cancellationToken).ConfigureAwait(false)).Select(c => c.Rule).ToList();
            outcome = recording is null
                ? await evaluator.EvaluateAsync(session, snapshot, escalated, cancellationToken).ConfigureAwait(false)
                : await evaluator.EvaluateAsync(session with { Membership = recording.Membership }, recording.Snapshot, escalated, cancellationToken).ConfigureAwait(false);

            if (!await coordinator.TryCommitAsync(claim, snapshot.HeadSha, cancellationToken).ConfigureAwait(false))
            {
                log.LogInformation("{Key} sequence {Sequence}: superseded by a newer evaluation; not acting", request.PullRequestKey, claim.Sequence);
                await coordinator.ReleaseAsync(claim, completed: true, cancellationToken).ConfigureAwait(false);
                return new ReviewResult(ReviewStatus.Superseded, "a newer evaluation of this pull request was claimed meanwhile; it acts instead", 0, []);
            }

            EnforcementResult result;
            using (ReviewTracing.Phase("reviewbot.enforce"))
            {
                // Each evaluation writes a freshly signed link to the details page into the check / status.
                var plan = outcome.Plan with { DetailsUrl = details?.Create(request.Platform, snapshot.Repository, snapshot.Number) };
                result = await session.Enforcer.ApplyAsync(snapshot, plan, cancellationToken).ConfigureAwait(false);
            }

            await WatchEscalationsAsync(request, outcome, cancellationToken).ConfigureAwait(false);
            if (recording is not null)
            {
                // Before the audit record, so every audited decision has what it decided on. Best effort: the decision is
                // already enforced, and a recording that cannot be stored (a full disk) must not turn it into an error
                // or a retry; the decision is then audited without a replayable snapshot, and the log says so.
                var (evaluation, contents) = recording.Finish(AuditId(request, claim, null), outcome);
                try
                {
                    await evaluations!.RecordAsync(evaluation, contents, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "{Key} head {Head}: the evaluation's snapshot could not be recorded; its decision cannot be replayed", request.PullRequestKey, snapshot.ShortHeadSha);
                }
            }

            var actions = await AnnounceOverrideAsync(request, outcome, result, cancellationToken).ConfigureAwait(false);
            await AuditAsync(request, claim, outcome, actions, null, snapshot, cancellationToken).ConfigureAwait(false);

            log.LogInformation(
                "{Key} head {Head}: {State} ({Actions} actions, sequence {Sequence})",
                request.PullRequestKey, snapshot.ShortHeadSha, outcome.Decision.State, result.Actions.Count, claim.Sequence);
            return new ReviewResult(ReviewStatus.Completed, claim.Reason, 1, result.Actions);
        }
        catch (Exception ex)
        {
            if (await GiveBackAsync(request, claim, ex, attempt, cancellationToken).ConfigureAwait(false) is { } retry)
            {
                return retry;
            }

            // Fail closed: the platform learns the evaluation failed (never success) and the audit log keeps the error.
            var error = Describe(ex);
            log.LogError("{Key} delivery {Delivery} (attempt {Attempt}): evaluation failed: {Error}", request.PullRequestKey, request.DeliveryId, attempt, error);
            var target = snapshot ?? MinimalSnapshot(request);
            var reported = session is not null && target is not null
                && await BestEffortAsync(() => session.Enforcer.ReportErrorAsync(target, "ReviewBot could not evaluate this change: " + error, CancellationToken.None))
                    .ConfigureAwait(false);
            var audited = error + (reported ? "" : " (the error could not be reported on the pull request)");
            await BestEffortAsync(() => AuditAsync(request, claim, outcome, [], audited, snapshot, CancellationToken.None)).ConfigureAwait(false);
            return new ReviewResult(ReviewStatus.Failed, audited, 0, []);
        }
    }

    /// <summary>
    /// After a pass that threw: the lease goes back without completing the delivery, so it runs again. Rethrows when the
    /// work was cancelled; returns the retry when the failure is transient and attempts remain; null when it is final.
    /// </summary>
    private async Task<ReviewResult?> GiveBackAsync(ReviewRequest request, ReviewClaim claim, Exception ex, int attempt, CancellationToken cancellationToken)
    {
        await BestEffortAsync(() => coordinator.ReleaseAsync(claim, completed: false, CancellationToken.None)).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex);
        }

        if (Retryable(ex, attempt, cancellationToken) is not { } delay)
        {
            return null;
        }

        var error = Describe(ex);
        log.LogWarning("{Key} delivery {Delivery} (attempt {Attempt} of {Max}): {Error}; retrying in {Delay}",
            request.PullRequestKey, request.DeliveryId, attempt, _options.MaxAttempts, error, delay);
        return new ReviewResult(ReviewStatus.RetryLater, error, 0, [], delay);
    }

    /// <summary>
    /// Keeps the escalation clocks this decision leaves running (none: the others stop). Best effort, like the recording:
    /// the decision is already enforced; a store that cannot be written is logged, and the next evaluation writes again.
    /// </summary>
    private async Task WatchEscalationsAsync(ReviewRequest request, ReviewOutcome outcome, CancellationToken cancellationToken)
    {
        if (escalations is null)
        {
            return;
        }

        var head = outcome.Snapshot.HeadSha;
        var clocks = outcome.Escalations
            .Select(w => new EscalationClock { PullRequest = request, Rule = w.Rule, HeadSha = head, Group = w.Escalation.Group, After = w.Escalation.After })
            .ToList();
        try
        {
            await escalations.WatchAsync(request, head, clocks, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "{Key} head {Head}: the escalation clocks could not be kept", request.PullRequestKey, outcome.Snapshot.ShortHeadSha);
        }
    }

    /// <summary>
    /// Announces an override the first time it is answered in the thread (so once, whichever pass answered it). Best
    /// effort: the decision is already enforced; a failed announcement is logged (without the URL) and audited as such.
    /// </summary>
    private async Task<IReadOnlyList<string>> AnnounceOverrideAsync(ReviewRequest request, ReviewOutcome outcome, EnforcementResult result, CancellationToken cancellationToken)
    {
        if (announcer is null || outcome.Decision.Override is not { } lift || !result.Replied.Contains(lift.CommentId))
        {
            return result.Actions;
        }

        try
        {
            await announcer.AnnounceAsync(new OverrideAnnouncement(request.Platform.Id, request.Repository, request.Number, lift), cancellationToken).ConfigureAwait(false);
            return [.. result.Actions, $"override by {lift.By} announced"];
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("{Key}: the override by {By} could not be announced: {Error}", request.PullRequestKey, lift.By, ex.GetType().Name);
            return [.. result.Actions, $"override by {lift.By} not announced ({ex.GetType().Name})"];
        }
    }

    /// <summary>The delay before the next attempt when <paramref name="ex"/> is transient and attempts remain; null otherwise.</summary>
    private TimeSpan? Retryable(Exception ex, int attempt, CancellationToken cancellationToken)
        => attempt < _options.MaxAttempts && IsTransient(ex, cancellationToken)
            ? _options.RetryDelay(attempt, RetryAfterOf(ex))
            : null;

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        PlatformTransientException or HttpRequestException or TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => ex.InnerException is { } inner && IsTransient(inner, cancellationToken),
    };

    private static TimeSpan? RetryAfterOf(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PlatformTransientException { RetryAfter: { } after })
            {
                return after;
            }
        }

        return null;
    }

    private Task AuditAsync(
        ReviewRequest request, ReviewClaim? claim, ReviewOutcome? outcome, IReadOnlyList<string> actions, string? error, PullRequestSnapshot? snapshot,
        CancellationToken cancellationToken, MergeGroupAudit? mergeGroup = null)
        => audit.AppendAsync(new AuditRecord
        {
            Id = AuditId(request, claim, error),
            Time = time.GetUtcNow(),
            Platform = request.Platform.Id,
            Repository = request.Repository,
            Number = request.Number,
            HeadSha = outcome?.Snapshot.HeadSha ?? snapshot?.HeadSha ?? request.HeadSha ?? "",
            DeliveryId = request.DeliveryId,
            Event = request.Event,
            RulesRevision = outcome?.RulesRevisions(),
            Authorship = outcome?.Authorship,
            Risk = outcome?.Risk,
            Decision = outcome?.Decision,
            Actions = actions,
            Error = error,
            MergeGroup = mergeGroup,
        }, cancellationToken);

    /// <summary>The id of the audit record of one pass: delivery and claim sequence, marked when the pass failed.</summary>
    private static string AuditId(ReviewRequest request, ReviewClaim? claim, string? error)
        => $"{request.DeliveryId}.{claim?.Sequence ?? 0}" + (error is null ? "" : ".error");

    /// <summary>Enough of a snapshot to report an error on the head the request named (the load itself failed).</summary>
    private static PullRequestSnapshot? MinimalSnapshot(ReviewRequest request)
        => string.IsNullOrEmpty(request.HeadSha) || request.Number <= 0
            ? null
            : new PullRequestSnapshot
            {
                Platform = request.Platform,
                Repository = request.Repository,
                Number = request.Number,
                Author = Person.Unknown,
                BaseRef = "",
                BaseSha = "",
                HeadRef = "",
                HeadSha = request.HeadSha,
            };

    /// <summary>Exception type and message, one line, bounded; platform adapters keep secrets out of messages.</summary>
    public static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ");
        return text.Length > 500 ? text[..500] + "…" : text;
    }

    private async Task<bool> BestEffortAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex)
        {
            log.LogWarning("while reporting an evaluation failure: {Error}", Describe(ex));
            return false;
        }
    }
}
