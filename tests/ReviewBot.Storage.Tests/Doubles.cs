using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Telemetry;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// The platform side of the worker tests, in memory: a snapshot per request, no groups, and an enforcer that
/// records every side effect so tests can count them. The stores and queues under test are real.
/// </summary>
public sealed class RecordingPlatform : IPlatformSessionFactory, IPullRequestLocator, IPullRequestSource, IRevisionFiles, IGroupMembership, IEnforcer
{
    /// <summary>Open pull requests an event without a number concerns.</summary>
    public IReadOnlyList<long> OpenPullRequests { get; set; } = [];

    public Task<IReadOnlyList<long>> FindOpenPullRequestsAsync(ReviewRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(OpenPullRequests);

    public ConcurrentQueue<string> Applied { get; } = new();
    public ConcurrentQueue<string> Errors { get; } = new();
    public int InProgress => _inProgress;

    /// <summary>Makes session creation fail for this repository (a broken platform).</summary>
    public string? FailingRepository { get; set; }

    /// <summary>Awaited inside each snapshot load, so a test can hold an evaluation open (or fail it).</summary>
    public Func<ReviewRequest, CancellationToken, Task>? OnLoad { get; set; }

    /// <summary>Gives the loaded snapshot its change (files and contents); by default a snapshot has no files.</summary>
    public Func<ReviewRequest, PullRequestSnapshot, PullRequestSnapshot>? Change { get; set; }

    /// <summary>The repository has no rules file; this says whether the built-in default applies (off: nothing is enforced).</summary>
    public bool UseBuiltInDefault { get; set; }

    /// <summary>Every plan applied, with the <see cref="System.Diagnostics.Stopwatch"/> timestamp it was applied at.</summary>
    public ConcurrentQueue<(PullRequestSnapshot Snapshot, EnforcementPlan Plan, long AppliedAt)> Plans { get; } = new();

    private int _inProgress;

    public Platform Platform => Platform.GitHub;

    public Task<PlatformSession> CreateAsync(ReviewRequest request, CancellationToken cancellationToken = default)
        => request.Repository == FailingRepository
            ? throw new HttpRequestException("GitHub answered 502 Bad Gateway for token ghs_" + new string('Z', 36))
            : Task.FromResult(new PlatformSession(this, this, this, new RulesLocation { Repository = this, UseBuiltInDefault = UseBuiltInDefault }));

    /// <summary>The repository's rules file (at every revision, under the first path asked for); null: none.</summary>
    public string? RulesText { get; set; }

    public Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
        => Task.FromResult(RulesText is null ? null : new RevisionFile(paths[0], RulesText, revision));

    public async Task<PullRequestSnapshot> LoadAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        if (OnLoad is { } hook)
        {
            await hook(request, cancellationToken);
        }

        var snapshot = RequestSnapshots.For(request);
        return Change is { } change ? change(request, snapshot) : snapshot;
    }


    public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyCollection<string>>([]);

    public Task<EnforcementResult> ApplyAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, CancellationToken cancellationToken = default)
    {
        var action = $"{snapshot.Repository}#{snapshot.Number}@{snapshot.HeadSha[..7]}: {plan.Outcome}";
        Plans.Enqueue((snapshot, plan, System.Diagnostics.Stopwatch.GetTimestamp()));
        Applied.Enqueue(action);
        return Task.FromResult(new EnforcementResult([action]));
    }

    /// <summary>Makes marking the head in progress fail (a platform 5xx after the snapshot loaded).</summary>
    public bool FailMarkInProgress { get; set; }

    public Task MarkInProgressAsync(PullRequestSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        if (FailMarkInProgress)
        {
            throw new HttpRequestException("503 Service Unavailable");
        }

        Interlocked.Increment(ref _inProgress);
        return Task.CompletedTask;
    }

    public Task ReportErrorAsync(PullRequestSnapshot snapshot, string message, CancellationToken cancellationToken = default)
    {
        Errors.Enqueue(message);
        return Task.CompletedTask;
    }
}

/// <summary>Stands in for the policy engine (tested in Core): every snapshot needs one approval.</summary>
public sealed class NeedsApprovalEvaluator : IReviewEvaluator
{
    public Task<ReviewOutcome> EvaluateAsync(PlatformSession session, PullRequestSnapshot snapshot, IReadOnlyCollection<string> escalated, CancellationToken cancellationToken = default)
        => Task.FromResult(new ReviewOutcome
        {
            Snapshot = snapshot,
            Authorship = new AuthorshipVerdict { Kind = AuthorshipKind.Human, Confidence = Confidence.Medium, Reason = "no AI signal" },
            Risk = RiskReport.Empty,
            Decision = new Decision { State = DecisionState.Pending, Title = "Needs 1 approval", Summary = "Needs 1 approval from maintainers." },
            Plan = new EnforcementPlan { HeadSha = snapshot.HeadSha, Outcome = CheckOutcome.ActionRequired, Title = "Needs 1 approval", Summary = "" },
        });
}

public static class Requests
{
    public static ReviewRequest For(string delivery, long number = 7, string head = "1111111111111111111111111111111111111111", string repo = "acme/api") => new()
    {
        Platform = Platform.GitHub,
        Repository = repo,
        Number = number,
        HeadSha = head,
        DeliveryId = delivery,
        Event = "pull_request.synchronize",
        InstallationId = 42,
        ReceivedAt = AuditSamples.T0,
    };

    /// <param name="evaluator">The evaluator (default: <see cref="NeedsApprovalEvaluator"/>; the real engine is <c>new EngineReviewEvaluator(new ReviewEngine(new RoslynRiskAnalyzer(time)))</c>).</param>
    public static ReviewPipeline Pipeline(
        IReviewCoordinator coordinator, IAuditStore audit, RecordingPlatform platform, TimeProvider time, PipelineOptions? options = null, IReviewEvaluator? evaluator = null)
        => new(coordinator, audit, [platform], evaluator ?? new NeedsApprovalEvaluator(), time, Options.Create(options ?? new PipelineOptions()), NullLogger<ReviewPipeline>.Instance, Metrics);

    /// <summary>The instruments on a meter factory of their own (nothing listens unless a test does).</summary>
    public static ReviewBotMetrics Metrics { get; } = new(
        new ServiceCollection().AddMetrics().BuildServiceProvider()
            .GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
        []);
}

/// <summary>A review queue that keeps what was queued (safe for concurrent sweepers).</summary>
public sealed class RecordingReviewQueue : IReviewQueue
{
    private readonly ConcurrentQueue<ReviewRequest> _requests = new();

    public IReadOnlyList<ReviewRequest> Requests => [.. _requests];

    public ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        _requests.Enqueue(request);
        return ValueTask.CompletedTask;
    }
}
