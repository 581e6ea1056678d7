using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.Host;
using ReviewBot.Pipeline;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.GitHub.Tests;

/// <summary>POST /api/github on the real host (Kestrel, loopback) with the queue worker switched off to inspect the durable queue.</summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private const string Secret = "endpoint-test-webhook-secret-7f3a";
    private RunningHost _host = null!;

    /// <summary>What the durable queue holds (the worker is off, so nothing leaves it).</summary>
    private IReadOnlyList<QueuedWork> Queued => _host.Services.GetRequiredService<SqliteWorkQueue>().List();

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(new Dictionary<string, string?>
    {
        ["ReviewBot:GitHub:WebhookSecret"] = Secret,
        ["ReviewBot:GitHub:MaxPayloadBytes"] = "65536",
        ["ReviewBot:Worker:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<JsonElement> Answer(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task A_signed_pull_request_delivery_is_acknowledged_202_and_queued()
    {
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        var response = await _host.DeliverAsync(evt, body, "delivery-1", Secret);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await Answer(response);
        Assert.Equal("queued", answer.GetProperty("status").GetString());
        Assert.Equal("github:Codertocat/Hello-World#2", answer.GetProperty("requests")[0].GetString());
        var request = ReviewMessage.Deserialize(Assert.Single(Queued).Message);
        Assert.Equal(("Codertocat/Hello-World", 2L, "delivery-1", "pull_request.opened"), (request.Repository, request.Number, request.DeliveryId, request.Event));
    }

    [Fact]
    public async Task Missing_signature_is_401_and_nothing_is_queued()
    {
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        var response = await _host.DeliverAsync(evt, body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Queued);
    }

    [Fact]
    public async Task Wrong_signature_is_401()
    {
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        var wrongSecret = await _host.DeliverAsync(evt, body, secret: "not-the-secret");
        var otherBody = await _host.DeliverAsync(evt, body, signature: Webhooks.WebhookSignature.Compute(Secret, "{}"u8));
        var garbage = await _host.DeliverAsync(evt, body, signature: "sha256=nothex");

        Assert.All([wrongSecret, otherBody, garbage], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Empty(Queued);
    }

    [Fact]
    public async Task The_signature_is_checked_before_the_body_is_parsed()
    {
        var response = await _host.DeliverAsync("pull_request", "{ not json"u8.ToArray());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[]")]
    [InlineData("""{"action":"opened","pull_request":42}""")]
    public async Task Malformed_payloads_are_400_never_500(string body)
    {
        var response = await _host.DeliverAsync("pull_request", Encoding.UTF8.GetBytes(body), secret: Secret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("rejected", (await Answer(response)).GetProperty("status").GetString());
    }

    /// <summary>A hand-built delivery (for what <see cref="RunningHost.DeliverAsync"/> never sends), signed with the right secret.</summary>
    private Task<HttpResponseMessage> SendRaw(HttpContent content, string contentType, string? evt, bool chunked = false)
    {
        var body = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var request = new HttpRequestMessage(HttpMethod.Post, GitHubEndpoints.Route) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (evt is not null)
        {
            request.Headers.Add("X-GitHub-Event", evt);
        }

        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add(Webhooks.WebhookSignature.HeaderName, Webhooks.WebhookSignature.Compute(Secret, body));
        return _host.Http.SendAsync(request);
    }

    [Fact]
    public async Task Missing_event_header_is_400()
    {
        var response = await SendRaw(new ByteArrayContent("{}"u8.ToArray()), "application/json", evt: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Oversized_bodies_are_413()
    {
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 70_000) + "\"}");

        var response = await _host.DeliverAsync("pull_request", body, secret: Secret);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Oversized_chunked_bodies_without_content_length_are_413()
    {
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 70_000) + "\"}");

        var response = await SendRaw(new StreamContent(new MemoryStream(body)), "application/json", "pull_request", chunked: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Form_encoded_deliveries_are_415()
    {
        var response = await SendRaw(new ByteArrayContent("payload=%7B%7D"u8.ToArray()), "application/x-www-form-urlencoded", "pull_request");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_events_and_ping_are_acknowledged_200_and_ignored()
    {
        var unknown = await _host.DeliverAsync("made_up_event", """{"action":"x"}"""u8.ToArray(), secret: Secret);
        var ping = await _host.DeliverAsync("ping", """{"zen":"Design for failure.","hook_id":1}"""u8.ToArray(), secret: Secret);
        var closed = await _host.DeliverAsync("pull_request", Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Payloads.Fixture("pull_request.opened.json").Body).Replace("\"action\": \"opened\"", "\"action\": \"closed\"")), secret: Secret);

        Assert.All([unknown, ping, closed], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal("ignored", (await Answer(unknown)).GetProperty("status").GetString());
        Assert.Equal("ignored", (await Answer(closed)).GetProperty("status").GetString());
        Assert.Empty(Queued);
    }

    [Fact]
    public async Task A_delivery_seen_twice_is_queued_once()
    {
        var (evt, body) = Payloads.Fixture("pull_request.synchronize.json");

        var first = await _host.DeliverAsync(evt, body, "same-delivery", Secret);
        var second = await _host.DeliverAsync(evt, body, "same-delivery", Secret);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("duplicate", (await Answer(second)).GetProperty("status").GetString());
        Assert.Single(Queued);
    }

    [Fact]
    public async Task A_delivery_that_could_not_be_queued_is_503_and_its_redelivery_is_accepted()
    {
        FlakyInbox? inbox = null;
        await using var host = await RunningHost.StartAsync(
            new Dictionary<string, string?> { ["ReviewBot:GitHub:WebhookSecret"] = Secret, ["ReviewBot:Worker:Enabled"] = "false" },
            services => services.AddSingleton<IDeliveryInbox>(sp => inbox = new FlakyInbox(sp.GetRequiredService<SqliteWorkQueue>()) { Fail = true }));
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        var failed = await host.DeliverAsync(evt, body, "flaky-delivery", Secret);
        inbox!.Fail = false;
        var redelivered = await host.DeliverAsync(evt, body, "flaky-delivery", Secret);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        Assert.Equal(["flaky-delivery"], host.Services.GetRequiredService<SqliteWorkQueue>().List().Select(w => w.DeliveryId));
    }

    /// <summary>An inbox whose store is unavailable until told otherwise.</summary>
    private sealed class FlakyInbox(IDeliveryInbox inner) : IDeliveryInbox
    {
        public bool Fail { get; set; }

        public Task<InboxOutcome> AcceptAsync(string platform, string deliveryKey, IReadOnlyList<ReviewBot.Pipeline.Ports.ReviewRequest> requests, CancellationToken cancellationToken = default)
            => Fail ? throw new IOException("store unavailable (test double)") : inner.AcceptAsync(platform, deliveryKey, requests, cancellationToken);
    }

    [Fact]
    public async Task Deliveries_for_a_waiting_pull_request_are_coalesced_into_one_evaluation()
    {
        var (e1, b1) = Payloads.Fixture("pull_request.opened.json");
        var (e2, b2) = Payloads.Fixture("pull_request_review.submitted.json");
        var (e3, b3) = Payloads.Fixture("pull_request.labeled.json");

        foreach (var (e, b, d) in new[] { (e1, b1, "c-1"), (e2, b2, "c-2"), (e3, b3, "c-3") })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await _host.DeliverAsync(e, b, d, Secret)).StatusCode);
        }

        var waiting = Assert.Single(Queued);
        Assert.Equal(2, waiting.Folded);
        Assert.Equal("c-3", waiting.DeliveryId);
    }

    [Fact]
    public async Task The_webhook_secret_never_reaches_the_logs()
    {
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");
        await _host.DeliverAsync(evt, body, secret: Secret);
        await _host.DeliverAsync(evt, body, secret: "wrong");

        Assert.NotEmpty(_host.Logs.Lines);
        Assert.DoesNotContain(Secret, _host.Logs.All);
    }
}
