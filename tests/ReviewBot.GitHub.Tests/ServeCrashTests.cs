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
    private ServeProcess? _serve;

    private string Db => Path.Combine(_dir, "reviewbot.db");

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
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
        var acked = new ConcurrentDictionary<string, bool>();

        // Round 0 (opened): killed while acknowledging, after a seeded number of 202s; the rest is redelivered.
        _serve = await StartServeAsync();
        var unacked = await DeliverAsync(Round(0), acked, killAfterAcks: random.Next(10, 40));
        await AssertNothingAcknowledgedIsLostAsync(0, acked);
        _serve = await StartServeAsync();
        Assert.Empty(await DeliverAsync(unacked, acked));

        // Round 1 (push): killed while evaluating, on a seeded snapshot load.
        Push(1);
        KillOnce(r => r.Method == "GET" && r.Path.Contains("/files", StringComparison.Ordinal), random.Next(5, 30));
        var lost = await DeliverAsync(Round(1), acked);
        await WaitForKillAsync();
        await AssertNothingAcknowledgedIsLostAsync(1, acked);
        _serve = await StartServeAsync();
        Assert.Empty(await DeliverAsync(lost, acked));

        // Round 2 (push): killed while enforcing, on a seeded write of the plan (the check run's conclusion, the sticky comment).
        Push(2);
        KillOnce(r => r.Method == "PATCH", random.Next(3, 30));
        lost = await DeliverAsync(Round(2), acked);
        await WaitForKillAsync();
        await AssertNothingAcknowledgedIsLostAsync(2, acked);
        _serve = await StartServeAsync();
        Assert.Empty(await DeliverAsync(lost, acked));

        // Round 3 (push; bob approves the even pull requests' final heads): killed once more while evaluating.
        Push(3);
        KillOnce(r => r.Method == "POST" && r.Path.EndsWith("/check-runs", StringComparison.Ordinal), random.Next(5, 40));
        lost = await DeliverAsync(Round(3), acked);
        await WaitForKillAsync();
        await AssertNothingAcknowledgedIsLostAsync(3, acked);
        _serve = await StartServeAsync();
        Assert.Empty(await DeliverAsync(lost, acked));

        Assert.Equal(PullRequests * Rounds, acked.Count);
        await WaitUntilSettledAsync();

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
        Task? terminated = null;
        _github.OnRequest = request =>
        {
            if (request.Method == "GET" && request.Path.StartsWith($"/repos/{Repo}/pulls/1/files", StringComparison.Ordinal))
            {
                terminated ??= _serve!.TerminateAsync(TimeSpan.FromSeconds(30));
                Thread.Sleep(3000);
            }
        };
        _serve = await StartServeAsync(drainTimeout: "00:00:20");
        Assert.Empty(await DeliverAsync(Round(0).Take(1).ToList(), new()));
        await WaitUntilAsync(() => terminated is not null);
        Assert.Equal(0, await (Task<int>)terminated!);
        Assert.Equal("completed", (string?)Assert.Single(_github.CheckRuns)["status"]);
        Assert.Empty(Queued());

        // Now GitHub answers every call in 1.5 s (an evaluation needs ten or more) and the drain timeout is 1 s: the
        // process stops once the call in flight returns (the GitHub client cannot cancel a call), and the item waits
        // for the next start with its attempt given back.
        terminated = null;
        Push(1);
        _github.OnRequest = request =>
        {
            terminated ??= _serve!.TerminateAsync(TimeSpan.FromSeconds(30));
            Thread.Sleep(1500);
        };
        _serve = await StartServeAsync(drainTimeout: "00:00:01");
        Assert.Empty(await DeliverAsync(Round(1).Take(1).ToList(), new()));
        await WaitUntilAsync(() => terminated is not null);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await (Task<int>)terminated!);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"stopping took {stopping.Elapsed}");
        Assert.DoesNotContain(_github.CheckRuns, r => (string?)r["head_sha"] == Sha(1, 1) && (string?)r["status"] == "completed");
        var waiting = Assert.Single(Queued());
        Assert.Equal(("ready", 0), (waiting.State, waiting.Attempts));

        _github.OnRequest = null;
        _serve = await StartServeAsync();
        await WaitUntilSettledAsync(pullRequests: 1);
        Assert.Equal("completed", (string?)Assert.Single(_github.CheckRuns, r => (string?)r["head_sha"] == Sha(1, 1))["status"]);
    }

    private IReadOnlyList<QueuedWork> Queued()
    {
        using var database = SqliteDatabase.Open(Db);
        return new SqliteWorkQueue(database, TimeProvider.System, Options.Create(new StorageOptions())).List();
    }

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

    private TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>SIGKILLs the server from inside the fake, when the <paramref name="nth"/> matching request arrives.</summary>
    private void KillOnce(Func<RecordedRequest, bool> match, int nth)
    {
        var seen = 0;
        var serve = _serve!;
        _killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = _killed;
        _github.OnRequest = request =>
        {
            if (match(request) && Interlocked.Increment(ref seen) == nth)
            {
                serve.Kill();
                killed.TrySetResult();
            }
        };
    }

    private async Task WaitForKillAsync()
    {
        await _killed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        _github.OnRequest = null;
    }

    /// <summary>
    /// Posts signed deliveries over 8 connections, as GitHub does; returns those not acknowledged with 202 (the
    /// process died), which GitHub would redeliver. With <paramref name="killAfterAcks"/> the process is SIGKILLed
    /// as soon as that many were acknowledged, with other posts still in flight.
    /// </summary>
    private async Task<List<(string Delivery, byte[] Body)>> DeliverAsync(
        IReadOnlyList<(string Delivery, byte[] Body)> deliveries, ConcurrentDictionary<string, bool> acked, int killAfterAcks = 0)
    {
        var serve = _serve!;
        using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(30) };
        var failed = new ConcurrentBag<(string, byte[])>();
        var acks = 0;
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (delivery, _) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, GitHubEndpoints.Route) { Content = new ByteArrayContent(delivery.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-GitHub-Event", "pull_request");
            request.Headers.Add("X-GitHub-Delivery", delivery.Delivery);
            request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Compute(EndToEnd.Secret, delivery.Body));
            try
            {
                using var response = await http.SendAsync(request);
                // 200 "duplicate": stored before the process died, though its 202 never arrived.
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    acked[delivery.Delivery] = true;
                    if (Interlocked.Increment(ref acks) == killAfterAcks)
                    {
                        serve.Kill();
                    }

                    return;
                }

                failed.Add(delivery);
            }
            catch (HttpRequestException)
            {
                failed.Add(delivery);
            }
            catch (TaskCanceledException)
            {
                failed.Add(delivery);
            }
        });
        return [.. failed];
    }

    /// <summary>
    /// Right after a SIGKILL, from the database alone: every delivery of <paramref name="round"/> that was answered
    /// 202 is either still queued for its pull request or already evaluated at that head or a newer one.
    /// </summary>
    private async Task AssertNothingAcknowledgedIsLostAsync(int round, ConcurrentDictionary<string, bool> acked)
    {
        using var store = SqliteReviewStore.Open(Db);
        var queue = new SqliteWorkQueue(store.Database, TimeProvider.System, Options.Create(new StorageOptions()));
        var queued = queue.List().Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
        var evaluated = (await store.ListAsync(new Core.Ports.AuditQuery { Repository = Repo, Limit = 0 }))
            .Where(r => r.Error is null)
            .Select(r => (r.Number, r.HeadSha))
            .ToHashSet();
        for (var n = 1; n <= PullRequests; n++)
        {
            if (!acked.ContainsKey($"crash-{n}-{round}"))
            {
                continue;
            }

            var number = n;
            Assert.True(
                queued.Contains($"github:{Repo}#{n}") || Enumerable.Range(round, Rounds - round).Any(r => evaluated.Contains((number, Sha(number, r)))),
                $"round {round}: the acknowledged delivery for #{n} is neither queued nor evaluated");
        }
    }

    /// <summary>Waits until the queue in the database is empty and every final head has a completed check run.</summary>
    private async Task WaitUntilSettledAsync(int pullRequests = PullRequests)
    {
        using var database = SqliteDatabase.Open(Db);
        var queue = new SqliteWorkQueue(database, TimeProvider.System, Options.Create(new StorageOptions()));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var waiting = queue.List();
            var done = _github.PullRequests.Values.Where(pr => pr.Number <= pullRequests).All(pr => _github.CheckRuns.Any(r => (string?)r["head_sha"] == pr.HeadSha && (string?)r["status"] == "completed"));
            if (waiting.Count == 0 && done)
            {
                return;
            }

            Assert.False(_serve!.HasExited, "reviewbot serve exited: " + _serve.Output);
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not settled: {waiting.Count} item(s) queued ({string.Join(", ", waiting.Take(5).Select(w => $"{w.Key} {w.State} {w.LastError}"))}); "
                    + $"{_github.PullRequests.Values.Count(pr => !_github.CheckRuns.Any(r => (string?)r["head_sha"] == pr.HeadSha))} pull request(s) without a check\n{_serve.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Starts (again) on the same database; the previous process, killed or stopped, is released first.</summary>
    private async Task<ServeProcess> StartServeAsync(string drainTimeout = "00:00:30")
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        return await ServeProcess.StartAsync(Environment(drainTimeout));
    }

    private Dictionary<string, string> Environment(string drainTimeout) => new()
    {
        ["ReviewBot__Worker__DrainTimeout"] = drainTimeout,
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

    private static string RsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportRSAPrivateKeyPem();
    }

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        await _github.DisposeAsync();
        SqliteConnection.ClearAllPools();
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
