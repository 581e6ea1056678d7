using System.Collections.Concurrent;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;

namespace ReviewBot.LoadGen;

/// <summary>
/// The platform side of the benchmark: a snapshot built from the request (no GitHub API), no rules, and an enforcer
/// that counts its calls per pull request — so the run measures the host (signature, parsing, de-duplication, queue,
/// worker, engine, SQLite audit) and can prove no loss and no duplicates.
/// </summary>
public sealed class RecordingPlatform : IPlatformSessionFactory, IPullRequestSource, IRevisionFiles, IGroupMembership, IEnforcer
{
    public ConcurrentDictionary<long, int> Applied { get; } = new();

    public Platform Platform => Platform.GitHub;

    public Task<PlatformSession> CreateAsync(ReviewRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(new PlatformSession(this, this, this, new RulesLocation { Repository = this, UseBuiltInDefault = false }));

    /// <summary>The repository has no files (and the built-in default is off): no rules.</summary>
    public Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
        => Task.FromResult<RevisionFile?>(null);

    public Task<PullRequestSnapshot> LoadAsync(ReviewRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(RequestSnapshots.For(request));


    public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyCollection<string>>([]);

    public Task<EnforcementResult> ApplyAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, CancellationToken cancellationToken = default)
    {
        Applied.AddOrUpdate(snapshot.Number, 1, (_, n) => n + 1);
        return Task.FromResult(new EnforcementResult([$"check {plan.Outcome}"]));
    }

    public Task MarkInProgressAsync(PullRequestSnapshot snapshot, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task ReportErrorAsync(PullRequestSnapshot snapshot, string message, CancellationToken cancellationToken = default)
        => Task.CompletedTask;
}
