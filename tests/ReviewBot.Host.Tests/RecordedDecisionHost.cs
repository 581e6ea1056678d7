using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Details;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;

namespace ReviewBot.Host.Tests;

/// <summary>
/// The details page's fixture: the composed host on loopback over its own SQLite file, with decisions recorded by the
/// real pipeline and engine (rules, authorship, Roslyn risk analysis, audit log, recorded evaluation) for a GitHub pull
/// request evaluated twice (the timeline) and a GitLab merge request in nested groups. Only the platform is a double:
/// it serves the snapshots below and keeps the plans it was asked to apply.
/// </summary>
public sealed class RecordedDecisionHost : IAsyncLifetime
{
    public const string PublicBase = "https://reviewbot.example.com";
    public const string SigningKey = "details-page-signing-key-0123456789abcdef";
    public const string RetiredKey = "details-page-retired-key-0123456789abcdef";
    public const string Repository = "acme/payments";
    public const long Number = 12;
    public const string GitLabProject = "acme/backend/api";
    public const long GitLabNumber = 7;
    public const string Token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    public const string FirstHead = "1111111111111111111111111111111111111111";
    public const string Head = "2222222222222222222222222222222222222222";

    public const string Rules = """
        version: 1
        groups:
          seniors: { users: [alice, carol, erin] }
        rules:
          - name: AI-authored changes need two seniors <b>now</b>
            if: { authorship: ai-authored }
            require:
              approvals: [{ group: seniors, count: 2 }]
            labels: [ai-authored]
          - name: documentation changes are labelled
            if: { paths: ["docs/**"] }
            labels: [docs]
        """;

    public const string ControllerPath = "src/Api/RefundsController.cs";

    /// <summary>The changed file: an anonymous endpoint, a token in a comment and a very long line beside it.</summary>
    public static readonly string Controller = $$"""
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Mvc;

        namespace Payments.Api;

        [ApiController]
        [Route("refunds")]
        public sealed class RefundsController : ControllerBase
        {
            private const string Notice = "{{string.Join(" ", Enumerable.Repeat("refunds-are-final-after-settlement", 12))}}";
            // ledger token {{Token}}
            [AllowAnonymous]
            [HttpPost]
            public IActionResult Refund(string account) => Ok(account + "<script>alert(1)</script>");
        }
        """;

    private readonly LoopbackHost _loopback = new();
    private readonly FixturePlatform _github = new(Platform.GitHub);
    private readonly FixturePlatform _gitlab = new(Platform.GitLab);

    public WebApplication App { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    /// <summary>The latest recorded decision of the GitHub pull request: what the page must show.</summary>
    public AuditRecord Recorded { get; private set; } = null!;

    /// <summary>Every audit record of the GitHub pull request, newest first.</summary>
    public IReadOnlyList<AuditRecord> Timeline { get; private set; } = [];

    /// <summary>The plans the pipeline applied to the GitHub pull request, in order.</summary>
    public IReadOnlyList<EnforcementPlan> Plans => [.. _github.Plans];

    public static Dictionary<string, string?> Settings() => new()
    {
        ["ReviewBot:GitHub:WebhookSecret"] = "details-host-webhook-secret",
        ["ReviewBot:Details:BaseUrl"] = PublicBase,
        ["ReviewBot:Details:Keys:0"] = SigningKey,
        ["ReviewBot:Details:Keys:1"] = RetiredKey,
    };

    public async Task InitializeAsync()
    {
        App = _loopback.Build(Settings(), services =>
        {
            services.AddSingleton<IPlatformSessionFactory>(_github);
            services.AddSingleton<IPlatformSessionFactory>(_gitlab);
        });
        await App.StartAsync();
        Address = new Uri(App.Urls.First());

        var pipeline = App.Services.GetRequiredService<ReviewPipeline>();
        await EvaluateAsync(pipeline, Platform.GitHub, Repository, Number, FirstHead, "delivery-1", "pull_request.opened");
        await EvaluateAsync(pipeline, Platform.GitHub, Repository, Number, Head, "delivery-2", "pull_request_review.submitted");
        await EvaluateAsync(pipeline, Platform.GitLab, GitLabProject, GitLabNumber, Head, "delivery-3", "merge_request.open");

        var audit = App.Services.GetRequiredService<IAuditStore>();
        Timeline = await audit.ListAsync(new AuditQuery { Repository = Repository, Number = Number });
        Recorded = Timeline[0];
    }

    private static async Task EvaluateAsync(ReviewPipeline pipeline, Platform platform, string repository, long number, string head, string delivery, string evt)
    {
        var result = await pipeline.ProcessAsync(new ReviewRequest
        {
            Platform = platform,
            Repository = repository,
            Number = number,
            HeadSha = head,
            DeliveryId = delivery,
            Event = evt,
        }, attempt: 1);
        if (result.Status != ReviewStatus.Completed)
        {
            throw new InvalidOperationException($"the fixture's evaluation {delivery} did not complete: {result.Status} {result.Reason}");
        }
    }

    /// <summary>A link signed as the host signs it (its keys, the given clock), as a URL on this loopback host.</summary>
    public Uri Link(Platform platform, string repository, long number, TimeProvider? clock = null, string key = SigningKey)
    {
        var links = new DetailsLinks(new DetailsOptions { BaseUrl = PublicBase, Keys = [key] }, clock ?? TimeProvider.System);
        var link = new Uri(links.Create(platform, repository, number)!);
        return new Uri(Address, link.PathAndQuery);
    }

    public Uri Link() => Link(Platform.GitHub, Repository, Number);

    /// <summary>A genuinely signed link whose validity ended a day ago.</summary>
    public Uri ExpiredLink() => Link(Platform.GitHub, Repository, Number, new ManualClock(DateTimeOffset.UtcNow - TimeSpan.FromDays(32)));

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _loopback.Dispose();
    }

    /// <summary>The platform side: serves the fixture's snapshot for each head and the rules, keeps the plans it applies.</summary>
    private sealed class FixturePlatform(Platform platform) : IPlatformSessionFactory, IPullRequestSource, IRevisionFiles, IGroupMembership, IEnforcer
    {
        public ConcurrentQueue<EnforcementPlan> Plans { get; } = new();

        public Platform Platform => platform;

        public Task<PlatformSession> CreateAsync(ReviewRequest request, CancellationToken cancellationToken = default)
            => Task.FromResult(new PlatformSession(this, this, this, new RulesLocation { Repository = this }));

        public Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
            => Task.FromResult<RevisionFile?>(new RevisionFile(paths[0], Rules, "89abcdef"));

        public Task<PullRequestSnapshot> LoadAsync(ReviewRequest request, CancellationToken cancellationToken = default)
        {
            var copilot = new Person { Login = "Copilot", Id = 198982749, IsBot = true };
            var reviews = request.HeadSha == Head
                ? new[]
                {
                    Approval("alice", Head, 1),
                    Approval("dave", Head, 2),
                    Approval("carol", FirstHead, 3),
                }
                : [];
            return Task.FromResult(new PullRequestSnapshot
            {
                Platform = platform,
                IdentityFacts = PlatformIdentityFacts.For(platform),
                Repository = request.Repository,
                Number = request.Number,
                Title = "Open the refunds endpoint <i>today</i>",
                Author = copilot,
                BaseRef = "main",
                BaseSha = new string('b', 40),
                HeadRef = "copilot/refunds",
                HeadSha = request.HeadSha!,
                Commits = [new Commit { Sha = request.HeadSha!, Author = copilot, Committer = copilot, Message = "Open the refunds endpoint" }],
                Files = [new ChangedFile { Path = ControllerPath, Status = FileStatus.Added, Additions = Controller.Split('\n').Length }],
                Reviews = reviews,
                Contents = new InMemoryFileContents(new Dictionary<FileRequest, byte[]>
                {
                    [new FileRequest(ControllerPath, Side.Head)] = Encoding.UTF8.GetBytes(Controller),
                }),
            });
        }

        private static Review Approval(string login, string sha, long id)
            => new() { Reviewer = new Person { Login = login, Id = 1000 + id }, State = ReviewState.Approved, CommitSha = sha, Id = id };

        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyCollection<string>>([]);

        public Task<EnforcementResult> ApplyAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, CancellationToken cancellationToken = default)
        {
            Plans.Enqueue(plan);
            return Task.FromResult(new EnforcementResult([$"applied {plan.Outcome}"]));
        }

        public Task MarkInProgressAsync(PullRequestSnapshot snapshot, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task ReportErrorAsync(PullRequestSnapshot snapshot, string message, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("the fixture's evaluation failed: " + message);
    }
}
