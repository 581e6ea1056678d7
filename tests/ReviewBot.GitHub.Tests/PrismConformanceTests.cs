using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Every request the snapshot source, the enforcer and the App authentication send is validated by Prism against
/// GitHub's own OpenAPI description; a request Prism rejects fails the test.
/// </summary>
public sealed class PrismConformanceTests(PrismFixture prism) : IClassFixture<PrismFixture>
{
    private readonly PrismRecorder _recorder = new();

    private GitHubOptions Options(Action<GitHubOptions>? change = null)
    {
        var options = new GitHubOptions
        {
            ApiBaseUrl = prism.BaseAddress.ToString(),
            Token = "conformance-token",
            WebhookSecret = "unused",
            Comment = true,
            MaxCallRetries = 0,
        };
        change?.Invoke(options);
        return options;
    }

    private GitHubApi Api(GitHubOptions options)
        => new(new HttpMessageInvoker(_recorder), options, new Credentials("conformance-token"), TimeProvider.System, NullLogger.Instance);

    /// <summary>Runs the adapter against Prism; a failure shows what was sent and what Prism answered.</summary>
    private async Task Drive(Func<Task> adapterCalls)
    {
        try
        {
            await adapterCalls();
        }
        catch (Exception ex)
        {
            Assert.Fail($"{ex.GetType().Name}: {ex.Message}\nPrism violations:\n{string.Join('\n', _recorder.Violations)}\nRequests:\n{string.Join('\n', _recorder.Requests)}\n{ex}");
        }
    }

    private void AssertConformant()
    {
        Assert.NotEmpty(_recorder.Requests);
        Assert.True(_recorder.Violations.IsEmpty, "Prism rejected requests:\n" + string.Join('\n', _recorder.Violations) + "\nAll requests:\n" + string.Join('\n', _recorder.Requests));
    }

    private static ReviewRequest Request(long number = 7) => new()
    {
        Platform = Platform.GitHub,
        Repository = "acme/widgets",
        Number = number,
        DeliveryId = "prism",
        Event = "pull_request.opened",
        HeadSha = "0123456789abcdef0123456789abcdef01234567",
    };

    [Fact]
    public async Task Snapshot_source_requests_conform_to_githubs_openapi_description()
    {
        var api = Api(Options());
        var source = new GitHubPullRequestSource(api, NullLogger.Instance);

        await Drive(async () =>
        {
            // Rules and file contents travel through GraphQL, which the OpenAPI description does not cover.
            await source.LoadAsync(Request());
            await new GitHubGroupMembership(api, "acme/widgets").GetMembersAsync("acme/reviewers");
        });

        AssertConformant();
        Assert.Contains(_recorder.Requests, r => r.StartsWith("GET /repos/acme/widgets/pulls/7/files", StringComparison.Ordinal));
        Assert.Contains(_recorder.Requests, r => r.StartsWith("GET /orgs/acme/teams/reviewers/members", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_run_enforcement_requests_conform()
    {
        var api = Api(Options());
        var snapshot = Snapshot();
        var enforcer = new GitHubEnforcer(api, useCheckRuns: true, NullLogger.Instance);

        EnforcementResult result = new([]);
        await Drive(async () =>
        {
            await enforcer.MarkInProgressAsync(snapshot);
            result = await enforcer.ApplyAsync(snapshot, Plan(snapshot, annotations: 120));
            await new GitHubEnforcer(api, useCheckRuns: true, NullLogger.Instance).ReportErrorAsync(snapshot, "boom");
        });

        AssertConformant();
        Assert.Contains(_recorder.Requests, r => r.StartsWith("POST /repos/acme/widgets/pulls/7/requested_reviewers", StringComparison.Ordinal));
        Assert.Contains(_recorder.Requests, r => r.StartsWith("POST /repos/acme/widgets/issues/7/labels", StringComparison.Ordinal));
        Assert.True(_recorder.Requests.Count(r => r.StartsWith("PATCH /repos/acme/widgets/check-runs/", StringComparison.Ordinal)
            || r.StartsWith("POST /repos/acme/widgets/check-runs", StringComparison.Ordinal)) >= 3, string.Join('\n', _recorder.Requests));
        Assert.Contains(result.Actions, a => a.StartsWith("check run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commit_status_enforcement_requests_conform()
    {
        var api = Api(Options(o => o.Comment = false));
        var snapshot = Snapshot();
        var enforcer = new GitHubEnforcer(api, useCheckRuns: false, NullLogger.Instance);

        await Drive(async () =>
        {
            await enforcer.MarkInProgressAsync(snapshot);
            await enforcer.ApplyAsync(snapshot, Plan(snapshot, annotations: 0));
            await enforcer.ReportErrorAsync(snapshot, "boom");
        });

        AssertConformant();
        Assert.Equal(3, _recorder.Requests.Count(r => r.StartsWith("POST /repos/acme/widgets/statuses/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task App_authentication_and_pull_request_resolution_requests_conform()
    {
        using var rsa = RSA.Create(2048);
        var options = Options(o =>
        {
            o.Token = null;
            o.AppId = "12345";
            o.PrivateKey = rsa.ExportRSAPrivateKeyPem();
        });
        using var transport = new GitHubTransport(new HttpMessageInvoker(_recorder));
        using var credentials = new GitHubCredentialsProvider(Microsoft.Extensions.Options.Options.Create(options), transport, TimeProvider.System, NullLogger<GitHubCredentialsProvider>.Instance);
        var factory = new GitHubSessionFactory(Microsoft.Extensions.Options.Options.Create(options), credentials, transport, TimeProvider.System, NullLoggerFactory.Instance);

        await Drive(async () =>
        {
            await credentials.GetAsync("acme/widgets", installationId: null, CancellationToken.None);
            await factory.FindOpenPullRequestsAsync(Request(0));
            await factory.FindOpenPullRequestsAsync(Request(0) with { HeadSha = null });
        });

        AssertConformant();
        Assert.Contains(_recorder.Requests, r => r.StartsWith("GET /repos/acme/widgets/installation", StringComparison.Ordinal));
        Assert.Contains(_recorder.Requests, r => r.StartsWith("POST /app/installations/", StringComparison.Ordinal));
    }

    private static PullRequestSnapshot Snapshot() => new()
    {
        Platform = Platform.GitHub,
        Repository = "acme/widgets",
        Number = 7,
        Author = new Person { Login = "octo-agent[bot]", IsBot = true },
        BaseRef = "main",
        BaseSha = "89abcdef0123456789abcdef0123456789abcdef",
        HeadRef = "feature",
        HeadSha = "0123456789abcdef0123456789abcdef01234567",
        Labels = ["existing"],
    };

    private static EnforcementPlan Plan(PullRequestSnapshot snapshot, int annotations) => new()
    {
        HeadSha = snapshot.HeadSha,
        Outcome = CheckOutcome.ActionRequired,
        Title = "Needs 1 approval from seniors",
        Summary = "## Decision\nPending.",
        Annotations = [.. Enumerable.Range(1, annotations).Select(i => new Annotation("src/Auth.cs", i, i, Severity.High, "Risky", $"finding {i}", "RB1001"))],
        RequestUsers = ["alice", "octo-agent[bot]"],
        RequestTeams = ["acme/seniors"],
        AddLabels = ["ai-authored", "existing"],
        Comment = "ReviewBot summary",
    };
}
