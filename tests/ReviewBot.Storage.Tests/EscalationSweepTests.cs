using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// <c>escalate: { after: 24h, to: seniors }</c> of rules/examples/agent-profiles.yml with an injected clock, on a real
/// SQLite file: the pure decision says which clocks run, the store keeps them, the sweeper fires each once.
/// </summary>
public sealed class EscalationSweepTests : IDisposable
{
    private static readonly string H1 = new('a', 40);
    private static readonly string H2 = new('b', 40);
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly RulesFile Rules = RulesParser.Parse(
        File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "rules", "examples", "agent-profiles.yml")), ".github/reviewbot.yml").Rules!;

    private static readonly ResolvedMembership Membership = new()
    {
        Teams = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["acme/engineers"] = new HashSet<string>(["carol"], StringComparer.OrdinalIgnoreCase),
            ["acme/senior-engineers"] = new HashSet<string>(["sam"], StringComparer.OrdinalIgnoreCase),
        },
    };

    private static readonly ReviewRequest Request = new()
    {
        Platform = Platform.GitHub,
        Repository = "acme/shop",
        Number = 42,
        DeliveryId = "d-1",
        Event = "pull_request.ready_for_review",
        InstallationId = 7,
    };

    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(T0);
    private readonly SqliteDatabase _database;
    private readonly SqliteReviewStore _audit;
    private readonly SqliteEscalationStore _store;
    private readonly RecordingQueue _queue = new();

    public EscalationSweepTests()
    {
        _database = SqliteDatabase.Open(_dir.File("reviewbot.db"));
        _audit = new SqliteReviewStore(_database, _clock, new StorageOptions());
        _store = new SqliteEscalationStore(_database);
    }

    public void Dispose()
    {
        _audit.Dispose();
        _database.Dispose();
        _dir.Dispose();
    }

    private EscalationSweeper Sweeper(IEscalationStore? store = null, IReviewQueue? queue = null)
        => new(store ?? _store, _audit, queue ?? _queue, _clock, NullLogger<EscalationSweeper>.Instance);

    private static PullRequestSnapshot Pr(string? head = null, bool draft = false, params string[] approvers) => new()
    {
        Platform = Platform.GitHub,
        IdentityFacts = PlatformIdentityFacts.GitHub,
        Repository = Request.Repository,
        Number = Request.Number,
        Author = new Person { Login = "chatgpt-codex-connector[bot]" },
        BaseRef = "main",
        BaseSha = "b1",
        HeadRef = "codex/fix",
        HeadSha = head ?? H1,
        Draft = draft,
        Files = [new ChangedFile { Path = "src/Shop/Cart.cs", Status = FileStatus.Modified, Additions = 4 }],
        Reviews = [.. approvers.Select((login, i) => new Review { Reviewer = new Person { Login = login }, State = ReviewState.Approved, CommitSha = head ?? H1, SubmittedAt = T0.AddMinutes(i) })],
    };

    /// <summary>What an evaluation of the pull request does to the clocks: the pure planner's waits, kept in the store.</summary>
    private async Task<ReviewBot.Core.Decisions.Decision> ObserveAsync(PullRequestSnapshot pr, IEscalationStore? store = null)
    {
        var authorship = new AuthorshipVerdict { Kind = AuthorshipKind.AiAuthored, Agents = ["codex"], Confidence = Confidence.High };
        var decision = new PolicyEvaluator().Evaluate(Rules, pr, authorship, new RiskReport { Level = RiskLevel.None }, Membership);
        var clocks = EscalationPlanner.Waiting(Rules, decision, pr)
            .Select(w => new EscalationClock { PullRequest = Request, Rule = w.Rule, HeadSha = pr.HeadSha, Group = w.Escalation.Group, After = w.Escalation.After })
            .ToList();
        await (store ?? _store).WatchAsync(Request, pr.HeadSha, clocks, _clock.GetUtcNow());
        return decision;
    }

    [Fact]
    public async Task Fires_once_after_its_time_on_a_pending_ready_pull_request()
    {
        await ObserveAsync(Pr());
        _clock.Advance(TimeSpan.FromHours(23));
        Assert.Empty(await Sweeper().SweepAsync());

        _clock.Advance(TimeSpan.FromHours(1));
        var fired = Assert.Single(await Sweeper().SweepAsync());
        Assert.Equal(("AI changes need an independent approval", "seniors", H1), (fired.Rule, fired.Group, fired.HeadSha));
        Assert.Empty(await Sweeper().SweepAsync());

        // A later evaluation of the same head keeps the clock fired: it never fires twice.
        await ObserveAsync(Pr());
        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Empty(await Sweeper().SweepAsync());

        var request = Assert.Single(_queue.Requests);
        Assert.Equal((Platform.GitHub, "acme/shop", 42L, H1, EscalationSweeper.Event, 7L), (request.Platform, request.Repository, request.Number, request.HeadSha, request.Event, request.InstallationId!.Value));
        var entry = Assert.Single(await _audit.ListAsync(new AuditQuery { Repository = "acme/shop", Number = 42 }));
        Assert.Equal(EscalationSweeper.Event, entry.Event);
        Assert.Equal("escalated: rule \"AI changes need an independent approval\" was unmet for 1d after the change was ready; review requested from group seniors", Assert.Single(entry.Actions));
        Assert.Equal(T0.AddHours(24), Assert.Single(await _store.FiredAsync(Request, H1)).FiredAt);
    }

    [Fact]
    public async Task Never_fires_on_a_draft_or_on_one_that_passed()
    {
        await ObserveAsync(Pr(draft: true));
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Empty(await Sweeper().SweepAsync());

        await ObserveAsync(Pr());                       // ready: the clock starts now
        _clock.Advance(TimeSpan.FromHours(12));
        var passed = await ObserveAsync(Pr(H1, false, "carol"));   // approved: the requirement is met, the clock stops
        Assert.True(passed.State == ReviewBot.Core.Decisions.DecisionState.Pass, passed.Summary);
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Empty(await Sweeper().SweepAsync());

        await ObserveAsync(Pr(draft: true));            // back to draft after a ready spell: no clock
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Empty(await Sweeper().SweepAsync());
        Assert.Empty(_queue.Requests);
    }

    [Fact]
    public async Task A_push_restarts_the_clock()
    {
        await ObserveAsync(Pr(H1));
        _clock.Advance(TimeSpan.FromHours(20));
        await ObserveAsync(Pr(H2));
        _clock.Advance(TimeSpan.FromHours(20));
        Assert.Empty(await Sweeper().SweepAsync());

        _clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal(H2, Assert.Single(await Sweeper().SweepAsync()).HeadSha);
    }

    [Fact]
    public async Task Two_sweepers_racing_on_one_store_fire_it_once()
    {
        // Two instances, each with its own connection to the same file.
        using var second = SqliteDatabase.Open(_dir.File("reviewbot.db"));
        var otherStore = new SqliteEscalationStore(second);
        for (var pr = 0; pr < 20; pr++)
        {
            await _store.WatchAsync(Request with { Number = 100 + pr }, H1, [new EscalationClock { PullRequest = Request with { Number = 100 + pr }, Rule = "r", HeadSha = H1, Group = "seniors", After = TimeSpan.FromHours(1) }], T0);
        }

        _clock.Advance(TimeSpan.FromHours(2));
        var queues = new[] { new RecordingQueue(), new RecordingQueue() };
        using var start = new ManualResetEventSlim();
        var sweeps = new[] { Sweeper(_store, queues[0]), Sweeper(otherStore, queues[1]) }
            .Select(s => Task.Run(async () => { start.Wait(); return await s.SweepAsync(); }))
            .ToArray();
        start.Set();
        var fired = (await Task.WhenAll(sweeps)).SelectMany(f => f).ToList();

        Assert.Equal(20, fired.Count);
        Assert.Equal(20, fired.Select(f => f.PullRequest.Number).Distinct().Count());
        Assert.Equal(20, queues.Sum(q => q.Requests.Count));
        Assert.Equal(20, (await _audit.ListAsync(new AuditQuery { Repository = "acme/shop", Limit = 100 })).Count);
    }

    private sealed class RecordingQueue : IReviewQueue
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<ReviewRequest> _requests = new();

        public IReadOnlyList<ReviewRequest> Requests => [.. _requests];

        public ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default)
        {
            _requests.Enqueue(request);
            return ValueTask.CompletedTask;
        }
    }
}
