using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Storage.Processing;

public enum ProcessStatus
{
    /// <summary>Evaluated and enforced (possibly in several passes when deliveries were folded in).</summary>
    Completed,

    /// <summary>Folded into the evaluation another worker is running for the same pull request.</summary>
    Folded,

    /// <summary>The delivery was already evaluated to completion (duplicate or redelivered copy).</summary>
    Duplicate,

    /// <summary>A newer evaluation of the pull request was claimed meanwhile: this one did not act.</summary>
    Superseded,
}

/// <summary>What one dequeued request led to, with the reason and the side effects performed.</summary>
public sealed record ProcessResult(ProcessStatus Status, string Reason, int Passes, IReadOnlyList<string> Actions);

/// <summary>
/// One queue message → at most one evaluation at a time per pull request, side effects only from the newest,
/// exactly once per delivery, and an audit record per pass. Used by the in-process worker, the Azure queue poller
/// and the Functions <c>review-worker</c> invocation alike. Throws when the evaluation fails, so the queue retries.
/// </summary>
public sealed class DurableReviewProcessor(
    IReviewCoordinator coordinator,
    IAuditStore audit,
    IEnumerable<IPlatformSessionFactory> sessions,
    IReviewEvaluator evaluator,
    TimeProvider time,
    IOptions<StorageOptions> options,
    ILogger<DurableReviewProcessor> log)
{
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task<ProcessResult> ProcessAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var factory = sessions.FirstOrDefault(f => f.Platform == request.Platform)
                      ?? throw new InvalidOperationException($"no platform session factory is registered for {request.Platform}");
        return request.Number > 0
            ? await ProcessOneAsync(factory, request, cancellationToken).ConfigureAwait(false)
            : await FanOutAsync(factory, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An event that names no pull request (commit status, check suite, installation): each open pull request it
    /// concerns is processed as its own request, with its own delivery id (<c>delivery#number</c>) so each completes once.
    /// </summary>
    private async Task<ProcessResult> FanOutAsync(IPlatformSessionFactory factory, ReviewRequest request, CancellationToken cancellationToken)
    {
        if (factory is not IPullRequestLocator locator)
        {
            return new ProcessResult(ProcessStatus.Completed, $"{request.Event} names no pull request and {request.Platform} cannot locate them", 0, []);
        }

        var numbers = await locator.FindOpenPullRequestsAsync(request, cancellationToken).ConfigureAwait(false);
        var actions = new List<string>();
        var passes = 0;
        foreach (var number in numbers.Take(options.Value.MaxPullRequestsPerEvent))
        {
            var one = await ProcessOneAsync(factory, request with { Number = number, DeliveryId = $"{request.DeliveryId}#{number}" }, cancellationToken)
                .ConfigureAwait(false);
            passes += one.Passes;
            actions.AddRange(one.Actions);
        }

        return new ProcessResult(ProcessStatus.Completed, $"{request.Event} concerns {numbers.Count} open pull request(s)", passes, actions);
    }

    private async Task<ProcessResult> ProcessOneAsync(IPlatformSessionFactory factory, ReviewRequest request, CancellationToken cancellationToken)
    {
        var owner = $"{_worker}/{Guid.NewGuid():N}";
        var claim = await coordinator.ClaimAsync(request.PullRequestKey, request.DeliveryId, owner, options.Value.LeaseDuration, cancellationToken)
            .ConfigureAwait(false);
        if (claim.Outcome != ClaimOutcome.Run)
        {
            log.LogInformation("{Key} delivery {Delivery}: {Reason}", request.PullRequestKey, request.DeliveryId, claim.Reason);
            return new ProcessResult(claim.Outcome == ClaimOutcome.Folded ? ProcessStatus.Folded : ProcessStatus.Duplicate, claim.Reason, 0, []);
        }

        var actions = new List<string>();
        var passes = 0;
        ReviewClaim? current = claim;
        while (current is not null)
        {
            passes++;
            var applied = await PassAsync(factory, request, current, passes, cancellationToken).ConfigureAwait(false);
            if (applied is null)
            {
                await coordinator.ReleaseAsync(current, completed: true, cancellationToken).ConfigureAwait(false);
                return new ProcessResult(ProcessStatus.Superseded, "a newer evaluation of this pull request was claimed meanwhile; it acts instead", passes, actions);
            }

            actions.AddRange(applied);
            current = await coordinator.ReleaseAsync(current, completed: true, cancellationToken).ConfigureAwait(false);
        }

        return new ProcessResult(ProcessStatus.Completed, claim.Reason, passes, actions);
    }

    /// <summary>Loads, evaluates, commits (compare-and-swap) and enforces once. Null when superseded.</summary>
    private async Task<IReadOnlyList<string>?> PassAsync(IPlatformSessionFactory factory, ReviewRequest request, ReviewClaim claim, int pass, CancellationToken cancellationToken)
    {
        PullRequestSnapshot? snapshot = null;
        PlatformSession? session = null;
        ReviewOutcome? outcome = null;
        try
        {
            session = await factory.CreateAsync(request, cancellationToken).ConfigureAwait(false);
            snapshot = await session.Source.LoadAsync(request, cancellationToken).ConfigureAwait(false);
            await session.Enforcer.MarkInProgressAsync(snapshot, cancellationToken).ConfigureAwait(false);
            outcome = await evaluator.EvaluateAsync(session, snapshot, cancellationToken).ConfigureAwait(false);

            if (!await coordinator.TryCommitAsync(claim, snapshot.HeadSha, cancellationToken).ConfigureAwait(false))
            {
                log.LogInformation("{Key} sequence {Sequence}: superseded by a newer evaluation; not acting", request.PullRequestKey, claim.Sequence);
                return null;
            }

            var result = await session.Enforcer.ApplyAsync(snapshot, outcome.Plan, cancellationToken).ConfigureAwait(false);
            await audit.AppendAsync(Record(request, claim, outcome, result.Actions, error: null), cancellationToken).ConfigureAwait(false);
            log.LogInformation(
                "{Key} head {Head}: {State} ({Actions} actions, pass {Pass})",
                request.PullRequestKey, snapshot.ShortHeadSha, outcome.Decision.State, result.Actions.Count, pass);
            return result.Actions;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Fail closed: the platform learns the evaluation failed (never success), the audit log keeps the error,
            // the lease is released without completing, and the exception makes the queue retry the message.
            log.LogWarning(ex, "{Key} delivery {Delivery}: evaluation failed", request.PullRequestKey, request.DeliveryId);
            await BestEffortAsync(() => session is not null && snapshot is not null
                ? session.Enforcer.ReportErrorAsync(snapshot, "ReviewBot could not evaluate this change: " + ex.Message, CancellationToken.None)
                : Task.CompletedTask).ConfigureAwait(false);
            await BestEffortAsync(() => audit.AppendAsync(Record(request, claim, outcome, [], ex.GetType().Name + ": " + ex.Message, snapshot), CancellationToken.None))
                .ConfigureAwait(false);
            await BestEffortAsync(() => coordinator.ReleaseAsync(claim, completed: false, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }
    }

    private AuditRecord Record(ReviewRequest request, ReviewClaim claim, ReviewOutcome? outcome, IReadOnlyList<string> actions, string? error, PullRequestSnapshot? snapshot = null)
        => new()
        {
            Id = $"{request.DeliveryId}.{claim.Sequence}" + (error is null ? "" : ".error"),
            Time = time.GetUtcNow(),
            Platform = request.Platform.ToString().ToLowerInvariant(),
            Repository = request.Repository,
            Number = request.Number,
            HeadSha = outcome?.Snapshot.HeadSha ?? snapshot?.HeadSha ?? request.HeadSha ?? "",
            DeliveryId = request.DeliveryId,
            Event = request.Event,
            RulesRevision = outcome?.Rules is { } rules ? $"{rules.Path}@{rules.Revision}" : null,
            Authorship = outcome?.Authorship,
            Risk = outcome?.Risk,
            Decision = outcome?.Decision,
            Actions = actions,
            Error = error,
        };

    private async Task BestEffortAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "while reporting an evaluation failure");
        }
    }
}
