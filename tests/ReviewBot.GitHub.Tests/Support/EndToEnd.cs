using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests.Support;

/// <summary>The real host wired to a <see cref="FakeGitHub"/> as a GitHub App, with short retry delays.</summary>
public sealed class EndToEnd : IAsyncDisposable
{
    public const string Secret = "e2e-webhook-secret-5b1c9d";
    public const string Repo = "Codertocat/Hello-World";
    public const string BaseSha = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

    /// <summary>Placeholder in a setting's value for the fake GitHub's address.</summary>
    public const string FakeAddress = "{fake}";

    private EndToEnd(FakeGitHub github, RunningHost host, string privateKey)
    {
        GitHub = github;
        Host = host;
        PrivateKey = privateKey;
    }

    public FakeGitHub GitHub { get; }

    public RunningHost Host { get; }

    public string PrivateKey { get; }

    public IAuditStore Audit => Host.Services.GetRequiredService<IAuditStore>();

    public static async Task<EndToEnd> StartAsync(Action<FakeGitHub>? arrange = null, IDictionary<string, string?>? settings = null)
    {
        var github = await FakeGitHub.StartAsync();
        arrange?.Invoke(github);
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportRSAPrivateKeyPem();
        var config = new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:WebhookSecret"] = Secret,
            ["ReviewBot:GitHub:AppId"] = "4711",
            ["ReviewBot:GitHub:PrivateKey"] = pem,
            ["ReviewBot:GitHub:ApiBaseUrl"] = github.Address.ToString(),
            ["ReviewBot:GitHub:GraphQLUrl"] = new Uri(github.Address, "graphql").ToString(),
            ["ReviewBot:GitHub:Comment"] = "true",
            ["ReviewBot:GitHub:RetryBaseDelay"] = "00:00:00.05",
            ["ReviewBot:GitHub:MaxInlineRetryWait"] = "00:00:03",
            ["ReviewBot:Worker:RetryBaseDelay"] = "00:00:00.1",
            ["ReviewBot:Worker:RetryMaxDelay"] = "00:00:00.5",
            ["ReviewBot:Worker:MaxAttempts"] = "3",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            // "{fake}" in a value is the fake's address (e.g. a webhook receiver it serves).
            config[key] = value?.Replace(FakeAddress, github.Address.ToString().TrimEnd('/'), StringComparison.Ordinal);
        }

        var host = await RunningHost.StartAsync(config);
        return new EndToEnd(github, host, pem);
    }

    /// <summary>Waits until the audit log holds at least <paramref name="count"/> records for the repository.</summary>
    public async Task<IReadOnlyList<AuditRecord>> WaitForAuditAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var records = await Audit.ListAsync(new AuditQuery { Repository = Repo, Limit = 1000 });
            if (records.Count >= count)
            {
                return [.. records.OrderBy(r => r.Time)];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{records.Count} audit records after the timeout, expected {count}. Requests:\n"
                    + string.Join('\n', GitHub.Requests.Select(r => $"{r.Method} {r.Path}")) + "\nLogs:\n" + Host.Logs.All);
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Delivers the saved pull_request.opened payload (a fresh delivery id) and waits until the <paramref name="nth"/>
    /// evaluation is audited, which must have succeeded.
    /// </summary>
    public async Task<AuditRecord> EvaluateOpenedAsync(int nth)
    {
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");
        await Host.DeliverAsync(evt, body, $"opened-{nth}", Secret);
        var record = (await WaitForAuditAsync(nth))[nth - 1];
        Xunit.Assert.True(record.Error is null, record.Error);
        return record;
    }

    /// <summary>Fake state for the pull request of the saved pull_request fixtures (Codertocat/Hello-World#2).</summary>
    public static FakePullRequest FixturePullRequest(FakeGitHub github, string headSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821")
    {
        var pr = new FakePullRequest { Number = 2, Author = "Codertocat", HeadSha = headSha, BaseSha = BaseSha, HeadRef = "changes", BaseRef = "master" };
        pr.AddFile("README.md").AddCommit(headSha, "Update the README with new information.", "Codertocat", "Codertocat");
        github.PullRequests[2] = pr;
        return pr;
    }

    /// <summary>Replays every decision the test recorded (they must replay to the same decision), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReplayCheck.AssertEveryDecisionReplaysAsync(Host.Services);
        }
        finally
        {
            await Host.DisposeAsync();
            await GitHub.DisposeAsync();
        }
    }
}
