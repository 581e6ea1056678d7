using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;

using ReviewBot.Storage.Processing;

namespace ReviewBot.Host;

/// <summary>Settings of the evaluation worker (section <c>ReviewBot:Worker</c>).</summary>
public sealed class ReviewWorkerOptions
{
    public const string SectionName = "ReviewBot:Worker";

    /// <summary>Run the in-process worker (false when another host drains the queue, e.g. Azure Functions).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts of one evaluation when the platform fails transiently (5xx, rate limits).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First retry delay; doubles per attempt (or the platform's Retry-After when longer).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most pull requests one head-SHA or installation event fans out to.</summary>
    public int MaxPullRequestsPerEvent { get; set; } = 50;
}

/// <summary>
/// One evaluation, platform-neutral: session → in progress → snapshot → <see cref="IReviewEvaluator"/> (rules of the base, and of the head
/// when the PR edits them, through the engine) → enforcement → audit. Any failure reports an error on the PR (never success)
/// and is audited; transient platform failures are retried with backoff first.
/// Used by <see cref="ReviewWorker"/> and by queue-triggered hosts (Azure Functions).
/// </summary>
public sealed class ReviewProcessor(
    IEnumerable<IPlatformSessionFactory> factories,
    IReviewEvaluator evaluator,
    IAuditStore audit,
    IOptions<ReviewWorkerOptions> options,
    TimeProvider time,
    ILogger<ReviewProcessor> logger)
{
    private readonly ReviewWorkerOptions _options = options.Value;

    /// <summary>Evaluates what the request names; returns the audit records written (one per pull request).</summary>
    public async Task<IReadOnlyList<AuditRecord>> ProcessAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var factory = factories.FirstOrDefault(f => f.Platform == request.Platform);
        if (factory is null)
        {
            var record = await AuditErrorAsync(request, null, $"no platform adapter is registered for {request.Platform}", cancellationToken);
            return [record];
        }

        if (request.Number > 0)
        {
            return [await EvaluateWithRetriesAsync(factory, request, cancellationToken)];
        }

        IReadOnlyList<long> numbers;
        try
        {
            numbers = factory is IPullRequestLocator locator
                ? await WithRetriesAsync(() => locator.FindOpenPullRequestsAsync(request, cancellationToken), request, cancellationToken)
                : [];
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not find the pull requests of {Event} for {Repository}: {Error}", request.Event, request.Repository, Describe(ex));
            return [await AuditErrorAsync(request, null, "could not find the pull requests of this event: " + Describe(ex), cancellationToken)];
        }

        logger.LogInformation("{Event} for {Repository} concerns {Count} open pull request(s)", request.Event, request.Repository, numbers.Count);
        var records = new List<AuditRecord>();
        foreach (var number in numbers.Take(_options.MaxPullRequestsPerEvent))
        {
            records.Add(await EvaluateWithRetriesAsync(factory, request with { Number = number }, cancellationToken));
        }

        return records;
    }

    private async Task<AuditRecord> EvaluateWithRetriesAsync(IPlatformSessionFactory factory, ReviewRequest request, CancellationToken cancellationToken)
    {
        PullRequestSnapshot? snapshot = null;
        PlatformSession? session = null;
        try
        {
            return await WithRetriesAsync(
                async () =>
                {
                    session = await factory.CreateAsync(request, cancellationToken);
                    snapshot = await session.Source.LoadAsync(request, cancellationToken);
                    return await EvaluateAsync(session, snapshot, request, cancellationToken);
                },
                request,
                cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var message = Describe(ex);
            logger.LogError("Evaluation of {PullRequest} failed: {Error}", request.PullRequestKey, message);
            var reported = await ReportErrorAsync(session, snapshot ?? MinimalSnapshot(request), message, cancellationToken);
            return await AuditErrorAsync(request, snapshot, reported ? message : message + " (the error could not be reported on the pull request)", cancellationToken);
        }
    }

    private async Task<AuditRecord> EvaluateAsync(PlatformSession session, PullRequestSnapshot snapshot, ReviewRequest request, CancellationToken cancellationToken)
    {
        await session.Enforcer.MarkInProgressAsync(snapshot, cancellationToken);
        var outcome = await evaluator.EvaluateAsync(session, snapshot, cancellationToken);
        var enforcement = await session.Enforcer.ApplyAsync(snapshot, outcome.Plan, cancellationToken);
        var record = new AuditRecord
        {
            Id = NewId(),
            Time = time.GetUtcNow(),
            Platform = PlatformName(request.Platform),
            Repository = snapshot.Repository,
            Number = snapshot.Number,
            HeadSha = snapshot.HeadSha,
            DeliveryId = request.DeliveryId,
            Event = request.Event,
            RulesRevision = outcome.Rules is { } r ? $"{r.Path}@{r.Revision}" : null,
            Authorship = outcome.Authorship,
            Risk = outcome.Risk,
            Decision = outcome.Decision,
            Actions = enforcement.Actions,
        };
        await audit.AppendAsync(record, cancellationToken);
        logger.LogInformation(
            "Evaluated {PullRequest} at {Head}: {Outcome} ({Title}); {Actions} action(s)",
            request.PullRequestKey, snapshot.ShortHeadSha, outcome.Plan.Outcome, outcome.Plan.Title, enforcement.Actions.Count);
        return record;
    }

    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> action, ReviewRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when (attempt < _options.MaxAttempts && IsTransient(ex, cancellationToken))
            {
                var backoff = TimeSpan.FromTicks(_options.RetryBaseDelay.Ticks * (1L << Math.Min(attempt - 1, 20)));
                var retryAfter = (ex as PlatformTransientException)?.RetryAfter ?? TimeSpan.Zero;
                var delay = TimeSpan.FromTicks(Math.Min(Math.Max(backoff.Ticks, retryAfter.Ticks), _options.RetryMaxDelay.Ticks));
                logger.LogWarning(
                    "Transient platform error for {PullRequest} (attempt {Attempt} of {Max}), retrying in {Delay}: {Error}",
                    request.PullRequestKey, attempt, _options.MaxAttempts, delay, Describe(ex));
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        PlatformTransientException or HttpRequestException or TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => ex.InnerException is { } inner && IsTransient(inner, cancellationToken),
    };

    private async Task<bool> ReportErrorAsync(PlatformSession? session, PullRequestSnapshot? snapshot, string message, CancellationToken cancellationToken)
    {
        if (session is null || snapshot is null)
        {
            return false;
        }

        try
        {
            await session.Enforcer.ReportErrorAsync(snapshot, message, cancellationToken);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Could not report the error on {PullRequest}: {Error}", snapshot.Repository + "#" + snapshot.Number, Describe(ex));
            return false;
        }
    }

    private async Task<AuditRecord> AuditErrorAsync(ReviewRequest request, PullRequestSnapshot? snapshot, string message, CancellationToken cancellationToken)
    {
        var record = new AuditRecord
        {
            Id = NewId(),
            Time = time.GetUtcNow(),
            Platform = PlatformName(request.Platform),
            Repository = request.Repository,
            Number = request.Number,
            HeadSha = snapshot?.HeadSha ?? request.HeadSha ?? "",
            DeliveryId = request.DeliveryId,
            Event = request.Event,
            Error = message,
        };
        try
        {
            await audit.AppendAsync(record, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Could not write the audit record of {PullRequest}: {Error}", request.PullRequestKey, Describe(ex));
        }

        return record;
    }

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
    internal static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ");
        return text.Length > 500 ? text[..500] + "…" : text;
    }

    private static string PlatformName(Platform platform) => platform.ToString().ToLowerInvariant();

    private static string NewId() => Guid.CreateVersion7().ToString("n");
}
