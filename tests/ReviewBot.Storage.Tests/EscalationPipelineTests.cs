using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// Escalation end to end on a real SQLite file with an injected clock: the review pipeline with the real engine and
/// rules/examples/agent-profiles.yml keeps the clock of a pending, ready pull request; once <c>after</c> has passed, a
/// sweep fires it and the re-evaluation it queues requests the escalation group's review and says so in the check —
/// once (a second sweep fires nothing).
/// </summary>
public sealed class EscalationPipelineTests : IDisposable
{
    private static readonly string Head = new('a', 40);
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Seniors = "acme/senior-engineers";

    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(T0);
    private readonly SqliteDatabase _database;
    private readonly SqliteReviewStore _store;
    private readonly SqliteEscalationStore _escalations;
    private readonly RecordingPlatform _platform = new();
    private readonly RecordingReviewQueue _queue = new();
    private readonly ReviewPipeline _pipeline;

    public EscalationPipelineTests()
    {
        _database = SqliteDatabase.Open(_dir.File("reviewbot.db"));
        _store = new SqliteReviewStore(_database, _clock, new StorageOptions());
        _escalations = new SqliteEscalationStore(_database);
        ShowCodexReadyChange(_platform, Head);
        _pipeline = new ReviewPipeline(
            _store, _store, [_platform], new EngineReviewEvaluator(new ReviewEngine(new RoslynRiskAnalyzer(_clock))), _clock,
            Options.Create(new PipelineOptions()), NullLogger<ReviewPipeline>.Instance, Requests.Metrics, escalations: _escalations);
    }

    public void Dispose()
    {
        _store.Dispose();
        _database.Dispose();
        _dir.Dispose();
    }

    /// <summary>
    /// The repository's rules are rules/examples/agent-profiles.yml, and the pull request as the platform shows it is
    /// Codex's ready change on <paramref name="head"/>, with the teams whose review was requested so far.
    /// </summary>
    internal static void ShowCodexReadyChange(RecordingPlatform platform, string head)
    {
        platform.RulesText = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "rules", "examples", "agent-profiles.yml"));
        platform.Change = (_, snapshot) => snapshot with
        {
            Author = new Person { Login = "chatgpt-codex-connector[bot]" },
            HeadSha = head,
            Draft = false,
            Files = [new ChangedFile { Path = "src/Shop/Cart.cs", Status = FileStatus.Modified, Additions = 4 }],
            RequestedTeams = [.. platform.Plans.SelectMany(p => p.Plan.RequestTeams).Distinct()],
        };
    }

    private EscalationSweeper Sweeper() => new(_escalations, _store, _queue, _clock, NullLogger<EscalationSweeper>.Instance);

    [Fact]
    public async Task A_pending_ready_pull_request_is_escalated_to_its_group_once_after_its_time()
    {
        var ready = Requests.For("d-ready", number: 42, head: Head, repo: "acme/shop") with { Event = "pull_request.ready_for_review" };
        Assert.Equal(ReviewStatus.Completed, (await _pipeline.ProcessAsync(ready, 1)).Status);
        var first = Assert.Single(_platform.Plans).Plan;
        Assert.Equal(CheckOutcome.ActionRequired, first.Outcome);
        Assert.DoesNotContain(Seniors, first.RequestTeams);
        Assert.DoesNotContain("escalated", first.Summary);

        _clock.Advance(TimeSpan.FromHours(23));
        Assert.Empty(await Sweeper().SweepAsync());
        Assert.Empty(_queue.Requests);

        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Single(await Sweeper().SweepAsync());
        var escalation = Assert.Single(_queue.Requests);
        Assert.Equal(EscalationSweeper.Event, escalation.Event);

        // The sweep's queued request is what re-evaluates: the check says so and the seniors' review is requested.
        Assert.Equal(ReviewStatus.Completed, (await _pipeline.ProcessAsync(escalation, 1)).Status);
        var escalated = _platform.Plans.Last().Plan;
        Assert.Equal(CheckOutcome.ActionRequired, escalated.Outcome);
        Assert.Equal([Seniors], escalated.RequestTeams);
        Assert.Contains("escalated to seniors after 1d unmet (rule \"AI changes need an independent approval\"", escalated.Summary);

        // A second sweep fires nothing; a later evaluation of the head still notes it but does not request again.
        Assert.Empty(await Sweeper().SweepAsync());
        Assert.Single(_queue.Requests);
        Assert.Equal(ReviewStatus.Completed, (await _pipeline.ProcessAsync(ready with { DeliveryId = "d-comment", Event = "issue_comment.created" }, 1)).Status);
        var later = _platform.Plans.Last().Plan;
        Assert.Empty(later.RequestTeams);
        Assert.Contains("escalated to seniors", later.Summary);
        Assert.Equal(3, _platform.Plans.Count);

        // Audited: the sweep's escalation, and the re-evaluation it caused (a decision, under the same event).
        var audited = (await _store.ListAsync(new AuditQuery { Repository = "acme/shop", Number = 42 })).Where(e => e.Event == EscalationSweeper.Event).ToList();
        Assert.Equal(2, audited.Count);
        Assert.StartsWith("escalated: rule", Assert.Single(audited, e => e.Decision is null).Actions.Single());
        Assert.Contains("escalated to seniors after 1d unmet", Assert.Single(audited, e => e.Decision is not null).Decision!.Notes.Last());
    }

    [Fact]
    public async Task Serves_background_timer_sweeps_every_interval()
    {
        // A clock that ran out an hour ago, on the system clock the timer ticks on.
        var pr = Requests.For("d-timer", number: 43, head: Head, repo: "acme/shop");
        await _escalations.WatchAsync(pr, Head, [new EscalationClock { PullRequest = pr, Rule = "r", HeadSha = Head, Group = "seniors", After = TimeSpan.FromHours(1) }], DateTimeOffset.UtcNow.AddHours(-2));
        var sweeper = new EscalationSweeper(_escalations, _store, _queue, TimeProvider.System, NullLogger<EscalationSweeper>.Instance);
        using var timer = new EscalationSweepTimer(sweeper, Options.Create(new EscalationOptions { SweepInterval = TimeSpan.FromMilliseconds(50) }), TimeProvider.System, NullLogger<EscalationSweepTimer>.Instance);

        await timer.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_queue.Requests.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200);   // several more ticks: the fired clock is not fired again
        await timer.StopAsync(CancellationToken.None);
        Assert.Equal((43L, EscalationSweeper.Event), (Assert.Single(_queue.Requests).Number, _queue.Requests[0].Event));
    }

    [Fact]
    public void The_sweep_interval_defaults_to_one_minute()
        => Assert.Equal(TimeSpan.FromMinutes(1), new EscalationOptions().SweepInterval);
}
