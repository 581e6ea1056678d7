using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.GitHub.Webhooks;
using ReviewBot.Host;
using ReviewBot.Storage;
using ReviewBot.Storage.Sqlite;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// "Done when" of the durable queue: the built CLI runs <c>reviewbot serve</c> as a separate process on a real
/// SQLite file against the fake GitHub over HTTP; 200 signed deliveries for 50 pull requests are posted while the
/// process is SIGKILLed at seeded points — while acknowledging, while evaluating, while enforcing — and restarted on
/// the same database each time. Every acknowledged delivery must be evaluated, and the fake's final state must hold
/// exactly one completed check run per final head with the final conclusion, and nothing twice.
/// </summary>
public sealed class ServeCrashTests : IAsyncLifetime
{
    private const int PullRequests = 50;
    private const int Rounds = 4;
    private const string Repo = "Codertocat/Hello-World";
    private const string Rules = EndToEndEnforcementTests.Rules; // an AI-authored change needs a senior; label ai-authored

    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-crash-").FullName;
    private readonly string _pem = RsaPem();
    private FakeGitHub _github = null!;
    private ServeCrashHarness _serve = null!;
    private string _drainTimeout = "00:00:30";

    private string Db => Path.Combine(_dir, "reviewbot.db");

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        _serve = new ServeCrashHarness(Db, Environment, Signed);
        _github.Teams["Codertocat/seniors"] = ["bob"];
        _github.Blobs[$"{EndToEnd.BaseSha}:.github/reviewbot.yml"] = Rules;
        for (var n = 1; n <= PullRequests; n++)
        {
            var pr = new FakePullRequest
            {
                Number = n,
                Author = "copilot-swe-agent[bot]",
                AuthorType = "Bot",
                HeadSha = Sha(n, 0),
                BaseSha = EndToEnd.BaseSha,
                HeadRef = $"copilot/change-{n}",
                BaseRef = "master",
                Title = $"Change {n}",
                Body = "Copilot made this change as asked.",
            };
            pr.AddFile($"docs/change-{n}.md", status: "added").AddCommit(Sha(n, 0), $"Change {n}\n\nCo-authored-by: Codertocat <codertocat@example.com>", "copilot-swe-agent[bot]", "Copilot");
            _github.PullRequests[n] = pr;
        }
    }

    [Fact]
    public async Task Killed_while_acknowledging_evaluating_and_enforcing_it_still_ends_with_one_check_per_head_and_nothing_twice()
    {
        var random = new Random(1212);

        // Round 0 (opened): killed while acknowledging, after a seeded number of 202s; the rest is redelivered.
        await _serve.StartAsync();
        var lost = await _serve.DeliverAsync(Round(0), killAfterAcks: random.Next(10, 40));
        await AssertNothingAcknowledgedIsLostAsync(0);
        await _serve.StartAsync();
        await _serve.RedeliverAsync(lost);

        // Round 1 (push): killed while evaluating, on a seeded snapshot load.
        await KilledDuringAsync(1, r => r.Method == "GET" && r.Path.Contains("/files", StringComparison.Ordinal), random.Next(5, 30));

        // Round 2 (push): killed while enforcing, on a seeded write of the plan (the check run's conclusion, the sticky comment).
        await KilledDuringAsync(2, r => r.Method == "PATCH", random.Next(3, 30));

        // Round 3 (push; bob approves the even pull requests' final heads): killed once more, marking a head in progress.
        await KilledDuringAsync(3, r => r.Method == "POST" && r.Path.EndsWith("/check-runs", StringComparison.Ordinal), random.Next(5, 40));

        Assert.Equal(PullRequests * Rounds, _serve.Acked.Count);
        await WaitUntilSettledAsync(PullRequests);

        for (var n = 1; n <= PullRequests; n++)
        {
            var pr = _github.PullRequests[n];
            var runs = _github.CheckRuns.Where(r => (string?)r["head_sha"] == pr.HeadSha).ToList();
            var run = Assert.Single(runs);
            Assert.Equal("completed", (string?)run["status"]);
            Assert.Equal(n % 2 == 0 ? "success" : "action_required", (string?)run["conclusion"]);
            Assert.All(_github.CheckRuns.GroupBy(r => (string?)r["head_sha"]), g => Assert.Single(g));
            Assert.Single(_github.Comments, c => (long)c["issue"]! == n);
            Assert.Equal(pr.Labels.Distinct().Count(), pr.Labels.Count);
            Assert.Contains("ai-authored", pr.Labels);
            Assert.Equal(pr.RequestedReviewers.Distinct().Count(), pr.RequestedReviewers.Count);
            Assert.Equal(pr.RequestedTeams.Distinct().Count(), pr.RequestedTeams.Count);
        }

        Assert.DoesNotContain(_github.CheckRuns, r => (string?)r["conclusion"] == "success" && _github.PullRequests.Values.First(p => p.Commits.Any(c => (string?)c["sha"] == (string?)r["head_sha"])).Number % 2 == 1);
    }

    [Fact]
    public async Task SIGTERM_lets_the_evaluation_in_flight_finish_and_what_outlasts_the_drain_timeout_stays_queued()
    {
        // A slow GitHub: the snapshot load of #1 takes 3 s; SIGTERM arrives while it is in flight.
        Task<int>? terminated = null;
        _github.OnRequest = request =>
        {
            if (request.Method == "GET" && request.Path.StartsWith($"/repos/{Repo}/pulls/1/files", StringComparison.Ordinal))
            {
                terminated ??= _serve.Serve.TerminateAsync(TimeSpan.FromSeconds(30));
                Thread.Sleep(3000);
            }
        };
        _drainTimeout = "00:00:20";
        await _serve.StartAsync();
        Assert.Empty(await _serve.DeliverAsync(Round(0).Take(1).ToList()));
        await WaitUntilAsync(() => terminated is not null);
        Assert.Equal(0, await terminated!);
        Assert.Equal("completed", (string?)Assert.Single(_github.CheckRuns)["status"]);
        Assert.Empty(_serve.Queued());

        // Now GitHub answers every call in 1.5 s (an evaluation needs ten or more) and the drain timeout is 1 s: the
        // process stops once the call in flight returns (the GitHub client cannot cancel a call), and the item waits
        // for the next start with its attempt given back.
        terminated = null;
        Push(1);
        _github.OnRequest = request =>
        {
            terminated ??= _serve.Serve.TerminateAsync(TimeSpan.FromSeconds(30));
            Thread.Sleep(1500);
        };
        _drainTimeout = "00:00:01";
        await _serve.StartAsync();
        Assert.Empty(await _serve.DeliverAsync(Round(1).Take(1).ToList()));
        await WaitUntilAsync(() => terminated is not null);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await terminated!);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"stopping took {stopping.Elapsed}");
        Assert.DoesNotContain(_github.CheckRuns, r => (string?)r["head_sha"] == Sha(1, 1) && (string?)r["status"] == "completed");
        var waiting = Assert.Single(_serve.Queued());
        Assert.Equal(("ready", 0), (waiting.State, waiting.Attempts));

        _github.OnRequest = null;
        await _serve.StartAsync();
        await WaitUntilSettledAsync(pullRequests: 1);
        Assert.Equal("completed", (string?)Assert.Single(_github.CheckRuns, r => (string?)r["head_sha"] == Sha(1, 1))["status"]);
    }

    /// <summary>A push, its deliveries, a SIGKILL on the <paramref name="nth"/> matching GitHub call, a restart, the redeliveries.</summary>
    private Task KilledDuringAsync(int round, Func<RecordedRequest, bool> match, int nth)
    {
        Push(round);
        return _serve.KilledDuringAsync(kill => _github.OnRequest = kill is null ? null : r => kill(match(r)), nth, Round(round), () => AssertNothingAcknowledgedIsLostAsync(round));
    }

    /// <summary>Every acknowledged delivery of the round is queued, or evaluated at that round's head or a newer one.</summary>
    private Task AssertNothingAcknowledgedIsLostAsync(int round)
        => _serve.AssertNothingAcknowledgedIsLostAsync(Repo, Enumerable.Range(1, PullRequests).Select(n =>
            ($"crash-{n}-{round}", $"github:{Repo}#{n}", (long)n, Enumerable.Range(round, Rounds - round).Select(r => Sha(n, r)).ToArray())));

    private Task WaitUntilSettledAsync(int pullRequests)
        => _serve.WaitUntilSettledAsync(
            () => _github.PullRequests.Values.Where(pr => pr.Number <= pullRequests)
                .All(pr => _github.CheckRuns.Any(r => (string?)r["head_sha"] == pr.HeadSha && (string?)r["status"] == "completed")),
            () => $"{_github.PullRequests.Values.Count(pr => pr.Number <= pullRequests && !_github.CheckRuns.Any(r => (string?)r["head_sha"] == pr.HeadSha))} pull request(s) without a check");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }

    private static string Sha(int number, int round) => $"{number:x4}{round:x4}".PadRight(40, 'c');

    /// <summary>A push: the pull request's head moves (GitHub's state changes before the delivery is sent).</summary>
    private void Push(int round)
    {
        _github.Update(github =>
        {
            foreach (var (n, pr) in github.PullRequests)
            {
                pr.AddCommit(Sha((int)n, round), $"Change {n}, round {round}", "copilot-swe-agent[bot]", "Copilot");
                pr.HeadSha = Sha((int)n, round);
                if (round == Rounds - 1 && n % 2 == 0)
                {
                    pr.AddReview(10_000 + n, "bob", "APPROVED", pr.HeadSha);
                }
            }
        });
    }

    private static List<(string Delivery, byte[] Body)> Round(int round)
    {
        var template = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Payloads.FixturesDir, "pull_request.synchronize.json")))!.AsObject();
        var deliveries = new List<(string, byte[])>();
        for (var n = 1; n <= PullRequests; n++)
        {
            var body = template.DeepClone().AsObject();
            body["action"] = round == 0 ? "opened" : "synchronize";
            body["number"] = n;
            body["pull_request"]!["number"] = n;
            body["pull_request"]!["head"]!["sha"] = Sha(n, round);
            body["after"] = Sha(n, round);
            deliveries.Add(($"crash-{n}-{round}", System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())));
        }

        return deliveries;
    }

    /// <summary>A delivery as GitHub posts it: event and delivery headers, HMAC signature.</summary>
    internal static HttpRequestMessage Signed(string delivery, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, GitHubEndpoints.Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Compute(EndToEnd.Secret, body));
        return request;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["ReviewBot__Worker__DrainTimeout"] = _drainTimeout,
        ["ReviewBot__GitHub__WebhookSecret"] = EndToEnd.Secret,
        ["ReviewBot__GitHub__AppId"] = "4711",
        ["ReviewBot__GitHub__PrivateKey"] = _pem,
        ["ReviewBot__GitHub__ApiBaseUrl"] = _github.Address.ToString(),
        ["ReviewBot__GitHub__GraphQLUrl"] = new Uri(_github.Address, "graphql").ToString(),
        ["ReviewBot__GitHub__Comment"] = "true",
        ["ReviewBot__GitHub__RetryBaseDelay"] = "00:00:00.05",
        ["ReviewBot__Storage__SqlitePath"] = Db,
        ["ReviewBot__Storage__VisibilityTimeout"] = "00:00:03",
        ["ReviewBot__Worker__LeaseDuration"] = "00:00:02",
        ["ReviewBot__Worker__RetryBaseDelay"] = "00:00:00.2",
        ["ReviewBot__Worker__Concurrency"] = "4",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    internal static string RsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportRSAPrivateKeyPem();
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _github.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a pooled handle may still be closing; it is a temp directory
        }
    }
}
