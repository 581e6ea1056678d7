using System.Text.Json.Nodes;
using ReviewBot.TestSupport;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// "Done when" of the durable queue, for GitLab: the built CLI runs <c>reviewbot serve</c> as a separate process on a
/// real SQLite file against the fake GitLab over HTTP; 200 deliveries for 50 merge requests are posted while the process
/// is SIGKILLed at seeded points — while acknowledging, while evaluating, while enforcing — and restarted on the same
/// database each time. At the end every merge request's final head carries exactly one live <c>reviewbot</c> status
/// with the final state, and there is one note, one approval rule and no label or reviewer twice.
/// </summary>
public sealed class ServeCrashTests : IAsyncLifetime
{
    private const int MergeRequests = 50;
    private const int Rounds = 4;
    private const string Secret = "gitlab-crash-webhook-secret";

    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-gitlab-crash-").FullName;
    private FakeGitLabServer _gitlab = null!;
    private ServeCrashHarness _serve = null!;

    private static long Iid(int n) => 100 + n;

    public async Task InitializeAsync()
    {
        _gitlab = await FakeGitLabServer.StartAsync();
        _serve = new ServeCrashHarness(Path.Combine(_dir, "reviewbot.db"), Environment, Tokened);
        _gitlab.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = WorkerEndToEndTests.Rules; // 2 approvals from seniors, label needs-seniors
        _gitlab.Users["grace"] = 17;
        _gitlab.Groups["acme/seniors"].Members.Add(FakeGitLabServer.Obj("""{ "id": 17, "username": "grace", "name": "Grace", "state": "active", "access_level": 40 }"""));
        for (var n = 1; n <= MergeRequests; n++)
        {
            var mr = _gitlab.MergeRequest.DeepClone().AsObject();
            mr["id"] = 9000 + n;
            mr["iid"] = Iid(n);
            mr["title"] = $"Change {n}";
            mr["labels"] = new JsonArray();
            mr["reviewers"] = new JsonArray();
            var state = new FakeGitLabServer.FakeMergeRequest(mr);
            state.Diffs.Add(FakeGitLabServer.Obj($$"""
                { "old_path": "docs/change-{{n}}.md", "new_path": "docs/change-{{n}}.md", "a_mode": "0", "b_mode": "100644",
                  "diff": "@@ -0,0 +1 @@\n+change {{n}}\n", "new_file": true, "renamed_file": false, "deleted_file": false }
                """));
            _gitlab.MoreMergeRequests[Iid(n)] = state;
        }

        Push(0);
    }

    [Fact]
    public async Task Killed_while_acknowledging_evaluating_and_enforcing_it_still_ends_with_one_status_per_head_and_one_note()
    {
        var random = new Random(2424);

        // Round 0: killed while acknowledging, after a seeded number of 202s; the rest is redelivered.
        await _serve.StartAsync();
        var lost = await _serve.DeliverAsync(Round(0), killAfterAcks: random.Next(10, 40));
        await AssertNothingAcknowledgedIsLostAsync(0);
        await _serve.StartAsync();
        await _serve.RedeliverAsync(lost);

        // Round 1 (push): killed while evaluating, on a seeded diff load.
        await KilledDuringAsync(1, r => r.Method == "GET" && r.Path.EndsWith("/diffs", StringComparison.Ordinal), random.Next(5, 30));

        // Round 2 (push): killed while enforcing, on a seeded note, label/reviewer or approval-rule write.
        await KilledDuringAsync(2, r => r.Method is "PUT" or "POST" && !r.Path.Contains("/statuses/", StringComparison.Ordinal), random.Next(3, 30));

        // Round 3 (push; bob and grace approve the even merge requests): killed once more, posting a status.
        await KilledDuringAsync(3, r => r.Method == "POST" && r.Path.Contains("/statuses/", StringComparison.Ordinal), random.Next(5, 40));

        Assert.Equal(MergeRequests * Rounds, _serve.Acked.Count);
        await _serve.WaitUntilSettledAsync(
            () => Enumerable.Range(1, MergeRequests).All(n => Final(n) is { } s && s["status"]!.GetValue<string>() is "pending" or "success"),
            () => $"{Enumerable.Range(1, MergeRequests).Count(n => Final(n) is null)} merge request(s) without a final status");

        for (var n = 1; n <= MergeRequests; n++)
        {
            var mr = _gitlab.MoreMergeRequests[Iid(n)];
            var live = Live(Sha(n, Rounds - 1));
            Assert.Equal(n % 2 == 0 ? "success" : "pending", Assert.Single(live)["status"]!.GetValue<string>());
            Assert.Single(mr.Notes);
            Assert.Single(mr.ApprovalRules);
            var labels = mr.MergeRequest["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
            Assert.Equal(labels.Distinct().Count(), labels.Count);
            Assert.Contains("needs-seniors", labels);
            var reviewers = mr.MergeRequest["reviewers"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()).ToList();
            Assert.Equal(reviewers.Distinct().Count(), reviewers.Count);
        }

        // Every head that got a status has at most one that is not superseded (canceled).
        Assert.All(_gitlab.StatusesNamed("reviewbot").GroupBy(s => s["sha"]!.GetValue<string>()), g => Assert.True(g.Count(s => s["status"]!.GetValue<string>() != "canceled") <= 1, g.Key));
    }

    private static string Sha(int n, int round) => $"{n:x4}{round:x4}".PadRight(40, 'e');

    /// <summary>The reviewbot statuses of a head that are not superseded.</summary>
    private List<JsonObject> Live(string sha)
    {
        lock (_gitlab)
        {
            return [.. _gitlab.StatusesNamed("reviewbot").Where(s => s["sha"]!.GetValue<string>() == sha && s["status"]!.GetValue<string>() != "canceled")];
        }
    }

    private JsonObject? Final(int n) => Live(Sha(n, Rounds - 1)).LastOrDefault();

    /// <summary>A push: each merge request's head moves (GitLab's state changes before the hook is sent).</summary>
    private void Push(int round) => _gitlab.Update(gitlab =>
    {
        for (var n = 1; n <= MergeRequests; n++)
        {
            var mr = gitlab.MoreMergeRequests[Iid(n)];
            var sha = Sha(n, round);
            mr.MergeRequest["sha"] = sha;
            mr.MergeRequest["diff_refs"]!["head_sha"] = sha;
            mr.Commits.Insert(0, FakeGitLabServer.Obj($$"""
                { "id": "{{sha}}", "title": "Change {{n}}, round {{round}}", "message": "Change {{n}}, round {{round}}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
                  "author_name": "Alice", "author_email": "alice@example.com", "authored_date": "2026-11-20T10:00:00.000+00:00",
                  "committer_name": "Alice", "committer_email": "alice@example.com", "committed_date": "2026-11-20T10:00:00.000+00:00",
                  "parent_ids": [ "{{FakeGitLabServer.BaseSha}}" ] }
                """));
            mr.Versions.Add(FakeGitLabServer.Obj($$"""{ "id": {{round + 1}}, "head_commit_sha": "{{sha}}", "base_commit_sha": "{{FakeGitLabServer.BaseSha}}", "start_commit_sha": "{{FakeGitLabServer.BaseSha}}", "created_at": "2026-11-20T10:05:00.000Z", "state": "collected" }"""));
            if (round == Rounds - 1 && n % 2 == 0)
            {
                mr.ApprovedBy.Add(FakeGitLabServer.Obj("""{ "user": { "id": 12, "username": "bob", "name": "Bob" }, "approved_at": "2026-11-20T12:00:00.000Z" }"""));
                mr.ApprovedBy.Add(FakeGitLabServer.Obj("""{ "user": { "id": 17, "username": "grace", "name": "Grace" }, "approved_at": "2026-11-20T12:01:00.000Z" }"""));
            }
        }
    });

    private static List<(string Delivery, byte[] Body)> Round(int round)
    {
        var template = JsonNode.Parse(Fixtures.GitLab("woodpecker.HookPullRequestUpdated.json"))!.AsObject();
        var deliveries = new List<(string, byte[])>();
        for (var n = 1; n <= MergeRequests; n++)
        {
            var body = template.DeepClone().AsObject();
            body["project"]!["path_with_namespace"] = FakeGitLabServer.ProjectPath;
            body["project"]!["id"] = FakeGitLabServer.ProjectId;
            body["object_attributes"]!["iid"] = Iid(n);
            body["object_attributes"]!["last_commit"]!["id"] = Sha(n, round);
            deliveries.Add(($"gl-crash-{n}-{round}", System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())));
        }

        return deliveries;
    }

    /// <summary>A push, its hooks, a SIGKILL on the <paramref name="nth"/> matching GitLab call, a restart, the redeliveries.</summary>
    private Task KilledDuringAsync(int round, Func<FakeRequest, bool> match, int nth)
    {
        Push(round);
        return _serve.KilledDuringAsync(kill => _gitlab.OnRequest = kill is null ? null : r => kill(match(r)), nth, Round(round), () => AssertNothingAcknowledgedIsLostAsync(round));
    }

    private Task AssertNothingAcknowledgedIsLostAsync(int round)
        => _serve.AssertNothingAcknowledgedIsLostAsync(FakeGitLabServer.ProjectPath, Enumerable.Range(1, MergeRequests).Select(n =>
            ($"gl-crash-{n}-{round}", $"gitlab:{FakeGitLabServer.ProjectPath}#{Iid(n)}", Iid(n), Enumerable.Range(round, Rounds - round).Select(r => Sha(n, r)).ToArray())));

    /// <summary>A hook as GitLab posts it: event header, secret token, idempotency key.</summary>
    private static HttpRequestMessage Tokened(string delivery, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        request.Headers.Add("X-Gitlab-Token", Secret);
        request.Headers.Add("Idempotency-Key", delivery);
        return request;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["ReviewBot__GitHub__Enabled"] = "false",
        ["ReviewBot__GitLab__BaseUrl"] = _gitlab.BaseUri.ToString(),
        ["ReviewBot__GitLab__Token"] = FakeGitLabServer.Token,
        ["ReviewBot__GitLab__WebhookSecret"] = Secret,
        ["ReviewBot__GitLab__RetryBaseDelay"] = "00:00:00.010",
        ["ReviewBot__Storage__SqlitePath"] = Path.Combine(_dir, "reviewbot.db"),
        ["ReviewBot__Storage__VisibilityTimeout"] = "00:00:03",
        ["ReviewBot__Worker__LeaseDuration"] = "00:00:02",
        ["ReviewBot__Worker__RetryBaseDelay"] = "00:00:00.2",
        ["ReviewBot__Worker__Concurrency"] = "4",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _gitlab.DisposeAsync();
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
