using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.GitHub.Tests.Support;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// The real host (Kestrel) receives signed real payloads and talks over HTTP to a local fake GitHub API: platform
/// failures are retried and never end in success; secrets never reach the logs.
/// </summary>
public sealed class EndToEndFailureTests
{
    private static string? Conclusion(JsonObject run) => (string?)run["conclusion"];

    [Fact]
    public async Task A_github_api_that_keeps_failing_is_retried_then_reported_as_failure_never_success()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            EndToEnd.FixturePullRequest(github);
            for (var i = 0; i < 20; i++)
            {
                github.Failures.Enqueue(("GET /repos/Codertocat/Hello-World/pulls/2", 502, []));
            }
        });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        var response = await e2e.Host.DeliverAsync(evt, body, "fail-1", EndToEnd.Secret);
        var records = await e2e.WaitForAuditAsync(2);

        // The last attempt's error, then the work item parked as poison (reviewbot queue list|retry).
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("poison.fail-1", records[1].Id);
        var record = records[0];
        Assert.NotNull(record.Error);
        Assert.True(record.Error.Contains("502", StringComparison.Ordinal), record.Error + "\n" + string.Join('\n', e2e.GitHub.Requests.Select(r => $"{r.Method} {r.Path}")));
        // 3 worker attempts x (1 + 2 inline retries) reads of the pull request.
        Assert.Equal(9, e2e.GitHub.Requests.Count(r => r.Method == "GET" && r.Path == "/repos/Codertocat/Hello-World/pulls/2"));
        var run = Assert.Single(e2e.GitHub.CheckRuns);
        Assert.Equal("failure", Conclusion(run));
        Assert.Equal("ec26c3e57ca3a959ca5aad62de7213c562f8c821", (string?)run["head_sha"]);
        Assert.DoesNotContain(e2e.GitHub.CheckRuns, r => Conclusion(r) == "success");
        Assert.DoesNotContain(e2e.GitHub.Statuses, s => (string?)s["state"] == "success");
    }

    [Fact]
    public async Task Rate_limits_are_honoured_with_retry_after_and_reset_then_the_evaluation_completes()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            EndToEnd.FixturePullRequest(github);
            github.Failures.Enqueue(("GET /repos/Codertocat/Hello-World/pulls/2", 429, new() { ["Retry-After"] = "1" }));
            github.Failures.Enqueue(("GET /repos/Codertocat/Hello-World/pulls/2", 403, new()
            {
                ["x-ratelimit-remaining"] = "0",
                ["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        await e2e.Host.DeliverAsync(evt, body, "limits-1", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(1);

        Assert.Equal(3, e2e.GitHub.Requests.Count(r => r.Method == "GET" && r.Path == "/repos/Codertocat/Hello-World/pulls/2"));
        Assert.Contains(e2e.Host.Logs.Lines, l => l.Contains("rate limit", StringComparison.OrdinalIgnoreCase));
        var run = Assert.Single(e2e.GitHub.CheckRuns);
        Assert.Equal("completed", (string?)run["status"]);
        Assert.Contains("in_progress", run["history"]!.AsArray().Select(h => (string?)h));
    }

    [Fact]
    public async Task A_rate_limit_longer_than_the_inline_wait_goes_back_to_the_worker_and_is_retried_later()
    {
        await using var e2e = await EndToEnd.StartAsync(
            github =>
            {
                EndToEnd.FixturePullRequest(github);
                github.Failures.Enqueue(("GET /repos/Codertocat/Hello-World/pulls/2", 403, new() { ["Retry-After"] = "2" }));
            },
            new Dictionary<string, string?> { ["ReviewBot:GitHub:MaxInlineRetryWait"] = "00:00:01", ["ReviewBot:Worker:RetryMaxDelay"] = "00:00:00.2" });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        var sent = DateTimeOffset.UtcNow;
        await e2e.Host.DeliverAsync(evt, body, "limits-2", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));

        Assert.Null(record.Error);
        Assert.Equal(2, e2e.GitHub.Requests.Count(r => r.Method == "GET" && r.Path == "/repos/Codertocat/Hello-World/pulls/2"));
        // GitHub's Retry-After wins over the shorter back-off cap: the retry waited the 2 s it asked for.
        Assert.True(record.Time - sent >= TimeSpan.FromSeconds(2), $"retried after {record.Time - sent}");
        Assert.Contains(e2e.Host.Logs.Lines, l => l.Contains("(attempt 1 of 3)", StringComparison.Ordinal) && l.Contains("retrying in 00:00:02", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_app_authenticates_once_per_installation_and_no_secret_reaches_the_logs()
    {
        await using var e2e = await EndToEnd.StartAsync(github => EndToEnd.FixturePullRequest(github));
        var (e1, b1) = Payloads.Fixture("pull_request.opened.json");
        var (e2, b2) = Payloads.Fixture("pull_request_review.submitted.json");

        await e2e.Host.DeliverAsync(e1, b1, "auth-1", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(1);
        await e2e.Host.DeliverAsync(e2, b2, "auth-2", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(2);

        Assert.Equal(1, e2e.GitHub.TokensIssued);
        var tokenRequest = e2e.GitHub.Requests.First(r => r.Path.StartsWith("/app/installations/1/access_tokens", StringComparison.Ordinal));
        Assert.StartsWith("Bearer ey", tokenRequest.Authorization, StringComparison.Ordinal);
        Assert.All(e2e.GitHub.Requests.Where(r => r.Path.StartsWith("/repos/", StringComparison.Ordinal)),
            r => Assert.Equal("token " + e2e.GitHub.InstallationToken, r.Authorization, ignoreCase: true));
        var logs = e2e.Host.Logs.All;
        Assert.DoesNotContain(EndToEnd.Secret, logs);
        Assert.DoesNotContain(e2e.GitHub.InstallationToken, logs);
        Assert.DoesNotContain(tokenRequest.Authorization["Bearer ".Length..], logs);
        Assert.DoesNotContain("PRIVATE KEY", logs);
        var audit = await e2e.WaitForAuditAsync(2);
        Assert.All(audit, r => Assert.DoesNotContain(e2e.GitHub.InstallationToken, System.Text.Json.JsonSerializer.Serialize(r)));
    }
}
