using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ReviewBot.GitLab.Tests;

/// <summary>POST /api/gitlab on the real host over real HTTP.</summary>
public sealed class WebhookEndpointTests
{
    private const string Secret = "webhook-secret-for-tests";
    private static readonly string SigningSecret = "whsec_" + Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Settings(string? secret = Secret, string? signing = null) => new()
    {
        ["ReviewBot:GitLab:BaseUrl"] = "http://127.0.0.1:9",
        ["ReviewBot:GitLab:Token"] = "glpat-unused",
        ["ReviewBot:GitLab:WebhookSecret"] = secret,
        ["ReviewBot:GitLab:SigningSecret"] = signing,
    };

    private static HttpRequestMessage Delivery(byte[] body, string evt = "Merge Request Hook", string? token = Secret, string? idempotencyKey = "idem-1")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Gitlab-Event", evt);
        if (token is not null)
        {
            request.Headers.Add("X-Gitlab-Token", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    /// <summary>A delivery signed with the signing token the way GitLab signs it (Standard Webhooks), its Idempotency-Key the id unless given.</summary>
    private static HttpRequestMessage Signed(byte[] body, DateTimeOffset at, string id, string? idempotencyKey = null)
    {
        var request = Delivery(body, token: null, idempotencyKey: idempotencyKey ?? id);
        var ts = at.ToUnixTimeSeconds();
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Webhooks.GitLabWebhookVerifier.Sign(SigningSecret, id, ts, body));
        return request;
    }

    private static async Task<(HttpStatusCode Status, string What, string Reason)> Send(GitLabHost host, HttpRequestMessage request)
    {
        using var response = await host.Http.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, json.GetProperty("status").GetString()!, json.GetProperty("reason").GetString()!);
    }

    [Fact]
    public async Task A_verified_opened_merge_request_is_queued_once()
    {
        await using var host = await GitLabHost.StartAsync(Settings());
        var body = Fixtures.GitLab("woodpecker.HookPullRequestOpened.json");

        var first = await Send(host, Delivery(body));
        var again = await Send(host, Delivery(body));

        Assert.Equal((HttpStatusCode.Accepted, "queued"), (first.Status, first.What));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), (again.Status, again.What));
        var queued = Assert.Single(host.Queue.Items);
        Assert.Equal("idem-1", queued.DeliveryId);
        Assert.Equal("demoaccount2-commits-group/test_ci_tmp", queued.Repository);
        Assert.Equal(3, queued.Number);
        Assert.Equal(["gitlab:idem-1"], host.Audit.Seen);
    }

    [Fact]
    public async Task Token_only_deliveries_are_keyed_by_idempotency_key_and_refused_without_it()
    {
        await using var host = await GitLabHost.StartAsync(Settings());
        var body = Fixtures.GitLab("woodpecker.HookPullRequestUpdated.json");
        var withoutKey = Delivery(body, idempotencyKey: null);
        withoutKey.Headers.Add("X-Gitlab-Event-UUID", "uuid-77");

        var refused = await Send(host, withoutKey);
        var tooLong = await Send(host, Delivery(body, idempotencyKey: new string('k', 201)));

        Assert.Equal((HttpStatusCode.BadRequest, "rejected", "missing Idempotency-Key header"), refused);
        Assert.Equal((HttpStatusCode.BadRequest, "Idempotency-Key header longer than 200 characters"), (tooLong.Status, tooLong.Reason));
        Assert.Empty(host.Queue.Items);
        Assert.Empty(host.Audit.Seen);
    }

    [Fact]
    public async Task Signed_deliveries_are_keyed_by_the_signed_webhook_id_not_the_unsigned_idempotency_key()
    {
        var clock = new ManualClock(Now);
        await using var host = await GitLabHost.StartAsync(Settings(secret: null, signing: SigningSecret), clock);
        var body = Fixtures.GitLab("woodpecker.HookPullRequestApproved.json");
        var first = await Send(host, Signed(body, Now, "msg_signed"));
        var replayed = await Send(host, Signed(body, Now, "msg_signed", idempotencyKey: "changed-by-the-replayer"));

        Assert.Equal((HttpStatusCode.Accepted, "queued"), (first.Status, first.What));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), (replayed.Status, replayed.What));
        Assert.Equal(["gitlab:msg_signed"], host.Audit.Seen);
    }

    [Fact]
    public async Task Duplicates_are_caught_by_the_sqlite_store_across_restarts()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reviewbot-gitlab-{Guid.NewGuid():N}.db");
        try
        {
            var body = Fixtures.GitLab("woodpecker.HookPullRequestOpened.json");
            using (var store = ReviewBot.Storage.Sqlite.SqliteReviewStore.Open(path))
            {
                await using var host = await GitLabHost.StartAsync(Settings(), audit: store);
                Assert.Equal(HttpStatusCode.Accepted, (await Send(host, Delivery(body, idempotencyKey: "retry-1"))).Status);
            }

            using (var store = ReviewBot.Storage.Sqlite.SqliteReviewStore.Open(path))
            {
                await using var host = await GitLabHost.StartAsync(Settings(), audit: store);
                var resent = await Send(host, Delivery(body, idempotencyKey: "retry-1"));
                Assert.Equal((HttpStatusCode.OK, "duplicate"), (resent.Status, resent.What));
                Assert.Empty(host.Queue.Items);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(null, "missing X-Gitlab-Token")]
    [InlineData("wrong", "X-Gitlab-Token does not match")]
    public async Task Bad_tokens_get_401_and_nothing_is_queued(string? token, string reason)
    {
        await using var host = await GitLabHost.StartAsync(Settings());

        var result = await Send(host, Delivery(Fixtures.GitLab("woodpecker.HookPullRequestOpened.json"), token: token));

        Assert.Equal((HttpStatusCode.Unauthorized, "rejected", reason), result);
        Assert.Empty(host.Queue.Items);
        Assert.Empty(host.Audit.Seen);
    }

    [Fact]
    public async Task Signed_deliveries_are_verified_and_stale_ones_refused()
    {
        var clock = new ManualClock(Now);
        await using var host = await GitLabHost.StartAsync(Settings(secret: null, signing: SigningSecret), clock);
        var body = Fixtures.GitLab("woodpecker.HookPullRequestApproved.json");

        var fresh = await Send(host, Signed(body, Now.AddMinutes(-1), "msg_a"));
        var stale = await Send(host, Signed(body, Now.AddMinutes(-6), "msg_b"));
        var unsigned = await Send(host, Delivery(body, token: null, idempotencyKey: "msg_c"));

        Assert.Equal(HttpStatusCode.Accepted, fresh.Status);
        Assert.Equal((HttpStatusCode.Unauthorized, "webhook-timestamp is outside the accepted 5 minutes"), (stale.Status, stale.Reason));
        Assert.Equal((HttpStatusCode.Unauthorized, "missing webhook-id, webhook-timestamp or webhook-signature"), (unsigned.Status, unsigned.Reason));
        Assert.Equal("merge_request.approved", Assert.Single(host.Queue.Items).Event);
    }

    [Theory]
    [InlineData("Merge Request Hook", "{not json")]
    [InlineData("Merge Request Hook", """{"object_kind":"merge_request","object_attributes":{"action":"open"}}""")]
    [InlineData("Pipeline Hook", """{"object_kind":"pipeline","object_attributes":[1,2]}""")]
    public async Task Malformed_bodies_get_400(string evt, string body)
    {
        await using var host = await GitLabHost.StartAsync(Settings());

        var result = await Send(host, Delivery(System.Text.Encoding.UTF8.GetBytes(body), evt));

        Assert.Equal((HttpStatusCode.BadRequest, "rejected"), (result.Status, result.What));
        Assert.Empty(host.Queue.Items);
    }

    [Fact]
    public async Task Merged_requests_and_other_events_are_acknowledged_and_ignored()
    {
        await using var host = await GitLabHost.StartAsync(Settings());

        var merged = await Send(host, Delivery(Fixtures.GitLab("woodpecker.HookPullRequestMerged.json"), idempotencyKey: "m"));
        var push = await Send(host, Delivery("""{"object_kind":"push"}"""u8.ToArray(), "Push Hook", idempotencyKey: "p"));

        Assert.Equal((HttpStatusCode.OK, "ignored"), (merged.Status, merged.What));
        Assert.Equal((HttpStatusCode.OK, "ignored"), (push.Status, push.What));
        Assert.Empty(host.Queue.Items);
    }

    [Fact]
    public async Task A_failing_queue_answers_503_not_500()
    {
        await using var host = await GitLabHost.StartAsync(Settings());
        host.Queue.Fail = true;

        var result = await Send(host, Delivery(Fixtures.GitLab("woodpecker.HookPullRequestOpened.json")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, result.Status);

        // GitLab retries the same delivery: it must be queued now, not dropped as a duplicate.
        host.Queue.Fail = false;
        var retry = await Send(host, Delivery(Fixtures.GitLab("woodpecker.HookPullRequestOpened.json")));
        Assert.Equal(HttpStatusCode.Accepted, retry.Status);
        Assert.Single(host.Queue.Items);
    }

    [Fact]
    public async Task Oversized_bodies_get_413()
    {
        var settings = Settings();
        settings["ReviewBot:GitLab:MaxBodyBytes"] = "1000";
        await using var host = await GitLabHost.StartAsync(settings);

        var result = await Send(host, Delivery(Fixtures.GitLab("woodpecker.HookPullRequestOpened.json")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
    }

    [Fact]
    public async Task The_host_refuses_to_start_without_a_webhook_secret()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => GitLabHost.StartAsync(Settings(secret: null)));

        Assert.Contains("ReviewBot:GitLab:WebhookSecret or ReviewBot:GitLab:SigningSecret is not set", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReviewBot:GitLab:AllowUnauthenticatedWebhooks=true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_development_switch_accepts_unauthenticated_deliveries()
    {
        var settings = Settings(secret: null);
        settings["ReviewBot:GitLab:AllowUnauthenticatedWebhooks"] = "true";
        await using var host = await GitLabHost.StartAsync(settings);

        var result = await Send(host, Delivery(Fixtures.GitLab("woodpecker.HookPullRequestOpened.json"), token: null));

        Assert.Equal(HttpStatusCode.Accepted, result.Status);
    }

    [Fact]
    public async Task Without_a_gitlab_section_the_endpoint_does_not_exist()
    {
        await using var host = await GitLabHost.StartAsync(new Dictionary<string, string?>());

        using var response = await host.Http.SendAsync(Delivery(Fixtures.GitLab("woodpecker.HookPullRequestOpened.json")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
