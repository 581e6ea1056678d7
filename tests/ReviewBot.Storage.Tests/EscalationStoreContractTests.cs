using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Azure;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// <c>escalate: { after: 24h, to: seniors }</c> of rules/examples/agent-profiles.yml with an injected clock: the pure
/// decision says which clocks run, the store keeps them, the sweeper fires each once. The behaviour both escalation
/// stores must share; each subclass runs it against a real backend (SQLite file, Azure Tables on Azurite).
/// </summary>
public abstract class EscalationStoreContractTests : IAsyncLifetime
{
    protected static readonly string H1 = new('a', 40);
    protected static readonly string H2 = new('b', 40);
    protected static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

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

    private readonly ManualClock _clock = new(T0);
    private readonly RecordingReviewQueue _queue = new();
    private IEscalationStore _store = null!;
    private IAuditStore _audit = null!;

    protected TimeProvider Clock => _clock;

    /// <summary>
    /// A new instance over the test's backend (its own connection or client, as another host would have): every
    /// instance opened in one test sees the same clocks and audit log.
    /// </summary>
    protected abstract Task<(IEscalationStore Store, IAuditStore Audit)> OpenAsync();

    public async Task InitializeAsync() => (_store, _audit) = await OpenAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private EscalationSweeper Sweeper(IEscalationStore? store = null, IReviewQueue? queue = null)
        => new(store ?? _store, _audit, queue ?? _queue, _clock, NullLogger<EscalationSweeper>.Instance);

    private static EscalationClock Clock1h(ReviewRequest pr, string rule = "r", string head = "")
        => new() { PullRequest = pr, Rule = rule, HeadSha = head.Length == 0 ? H1 : head, Group = "seniors", After = TimeSpan.FromHours(1) };

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
    public async Task Two_instances_racing_fire_each_due_clock_exactly_once_round_after_round()
    {
        // Two instances (two connections or clients, as two hosts), two sweepers on each, racing on the same due clocks.
        var (other, _) = await OpenAsync();
        var stores = new[] { _store, other };
        var fired = new System.Collections.Concurrent.ConcurrentBag<EscalationClock>();
        var queues = new[] { new RecordingReviewQueue(), new RecordingReviewQueue() };
        const int Rounds = 8, PerRound = 6;
        for (var round = 0; round < Rounds; round++)
        {
            for (var pr = 0; pr < PerRound; pr++)
            {
                var request = Request with { Number = 1000 + (round * PerRound) + pr };
                await stores[pr % 2].WatchAsync(request, H1, [Clock1h(request)], _clock.GetUtcNow());
            }

            _clock.Advance(TimeSpan.FromHours(2));
            using var start = new ManualResetEventSlim();
            var sweeps = Enumerable.Range(0, 4)
                .Select(i => Sweeper(stores[i % 2], queues[i % 2]))
                .Select(s => Task.Run(async () => { start.Wait(); return await s.SweepAsync(); }))
                .ToArray();
            start.Set();
            foreach (var clock in (await Task.WhenAll(sweeps)).SelectMany(f => f))
            {
                fired.Add(clock);
            }

            Assert.Equal((round + 1) * PerRound, fired.Count);
        }

        Assert.Equal(Rounds * PerRound, fired.Select(f => f.PullRequest.Number).Distinct().Count());
        Assert.Equal(Rounds * PerRound, queues.Sum(q => q.Requests.Count));
        Assert.Equal(Rounds * PerRound, (await _audit.ListAsync(new AuditQuery { Repository = "acme/shop", Limit = 1000 })).Count);
        Assert.Empty(await Sweeper(other).SweepAsync());
    }

    [Fact]
    public async Task A_rule_no_longer_listed_loses_its_clock()
    {
        await _store.WatchAsync(Request, H1, [Clock1h(Request, "kept"), Clock1h(Request, "met")], T0);
        _clock.Advance(TimeSpan.FromMinutes(30));
        await _store.WatchAsync(Request, H1, [Clock1h(Request, "kept")], _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(["kept"], (await Sweeper().SweepAsync()).Select(c => c.Rule));
        Assert.Equal(["kept"], (await _store.FiredAsync(Request, H1)).Select(c => c.Rule));

        // None listed (the change passed, or went back to draft): the fired clock goes too.
        await _store.WatchAsync(Request, H1, [], _clock.GetUtcNow());
        Assert.Empty(await _store.FiredAsync(Request, H1));
        Assert.Empty(await Sweeper().SweepAsync());
    }

    [Fact]
    public async Task A_push_restarts_a_fired_clock_and_the_old_head_reports_nothing()
    {
        await _store.WatchAsync(Request, H1, [Clock1h(Request)], T0);
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Single(await Sweeper().SweepAsync());

        await _store.WatchAsync(Request, H2, [Clock1h(Request, head: H2)], _clock.GetUtcNow());
        Assert.Empty(await _store.FiredAsync(Request, H1));
        Assert.Empty(await _store.FiredAsync(Request, H2));
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(await Sweeper().SweepAsync());
        _clock.Advance(TimeSpan.FromMinutes(1));
        var again = Assert.Single(await Sweeper().SweepAsync());
        Assert.Equal((H2, T0.AddHours(2), T0.AddHours(3)), (again.HeadSha, again.StartedAt, again.FiredAt!.Value));
    }

    [Fact]
    public async Task A_longer_wait_on_the_same_head_keeps_the_start_and_moves_the_due_time()
    {
        await _store.WatchAsync(Request, H1, [Clock1h(Request)], T0);
        _clock.Advance(TimeSpan.FromMinutes(30));
        await _store.WatchAsync(Request, H1, [Clock1h(Request) with { After = TimeSpan.FromHours(3) }], _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Empty(await Sweeper().SweepAsync());

        _clock.Advance(TimeSpan.FromMinutes(30));
        var fired = Assert.Single(await Sweeper().SweepAsync());
        Assert.Equal((T0, TimeSpan.FromHours(3)), (fired.StartedAt, fired.After));
    }

    [Fact]
    public async Task Repository_and_rule_names_with_characters_keys_refuse_round_trip()
    {
        var odd = new ReviewRequest
        {
            Platform = Platform.GitLab,
            Repository = "group/sub_group/pro#ject?x\\y%2F",
            Number = 9,
            ProjectId = 314,
            DeliveryId = "d-odd",
            Event = "merge_request.update",
        };
        var neighbour = odd with { Repository = "group/sub_group/pro#ject?x\\y/" };   // escapes to what the other holds literally
        const string Rule = "payments/* need #2 reviewers? 100%_\\ sure\t";
        await _store.WatchAsync(odd, H1, [Clock1h(odd, Rule)], T0);
        await _store.WatchAsync(neighbour, H1, [Clock1h(neighbour, Rule)], T0.AddHours(5));
        _clock.Advance(TimeSpan.FromHours(2));

        var fired = Assert.Single(await Sweeper().SweepAsync());
        Assert.Equal(
            (Platform.GitLab, odd.Repository, 9L, (long?)314, (long?)null, Rule, H1, "seniors", T0, T0.AddHours(2)),
            (fired.PullRequest.Platform, fired.PullRequest.Repository, fired.PullRequest.Number, fired.PullRequest.ProjectId, fired.PullRequest.InstallationId,
                fired.Rule, fired.HeadSha, fired.Group, fired.StartedAt, fired.FiredAt!.Value));
        Assert.Equal(Rule, Assert.Single(await _store.FiredAsync(odd, H1)).Rule);
        Assert.Empty(await _store.FiredAsync(neighbour, H1));
    }
}

/// <summary>The escalation contract on a real SQLite file, each instance with its own connection.</summary>
public sealed class SqliteEscalationStoreTests : EscalationStoreContractTests
{
    private readonly TempDir _dir = new();
    private readonly List<IDisposable> _open = [];

    protected override Task<(IEscalationStore Store, IAuditStore Audit)> OpenAsync()
    {
        var database = SqliteDatabase.Open(_dir.File("reviewbot.db"));
        var audit = new SqliteReviewStore(database, Clock, new StorageOptions());
        _open.Add(audit);
        _open.Add(database);
        return Task.FromResult<(IEscalationStore, IAuditStore)>((new SqliteEscalationStore(database), audit));
    }

    public override Task DisposeAsync()
    {
        _open.ForEach(d => d.Dispose());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The escalation contract on Azure Tables served by a real Azurite, each instance with its own clients.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableEscalationStoreTests(AzuriteFixture azurite) : EscalationStoreContractTests
{
    private readonly StorageOptions _options = azurite.FreshOptions();

    protected override async Task<(IEscalationStore Store, IAuditStore Audit)> OpenAsync()
    {
        var clients = new AzureStorageClients(_options);
        var audit = new AzureTableReviewStore(clients, Clock, _options);
        var store = new AzureTableEscalationStore(clients);
        await audit.EnsureCreatedAsync();
        await store.EnsureCreatedAsync();
        return (store, audit);
    }
}
