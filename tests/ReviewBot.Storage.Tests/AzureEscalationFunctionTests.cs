using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Decisions;
using ReviewBot.Host;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Azure;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// Escalation on an Azure Functions deployment on the Azure store, through the host over real HTTP with real Azurite
/// and an injected clock: the queue function's evaluation keeps the clock in Table storage, the <c>escalation-sweep</c>
/// timer function fires it once after its time and puts the re-evaluation on the Storage queue, and that message,
/// handed to the queue function, requests the group's review.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureEscalationFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string Head = new('a', 40);
    private const string Seniors = "acme/senior-engineers";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingPlatform _platform = new();
    private readonly HttpClient _http = new();
    private readonly StorageOptions _options = azurite.FreshOptions();

    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        EscalationPipelineTests.ShowCodexReadyChange(_platform, Head);
        _app = HostApp.Build(
            [
                "--urls", "http://127.0.0.1:0", "--FUNCTIONS_CUSTOMHANDLER_PORT", "0", "--ReviewBot:GitHub:WebhookSecret", "bench-secret",
                "--ReviewBot:Storage:Provider", "azure", "--AzureWebJobsStorage", azurite.ConnectionString,
                "--ReviewBot:Storage:TablePrefix", _options.TablePrefix, "--ReviewBot:Storage:QueueName", _options.QueueName,
            ],
            b =>
            {
                b.Services.AddSingleton<IPlatformSessionFactory>(_platform);
                b.Services.AddSingleton<TimeProvider>(_clock);
            });
        await _app.StartAsync();
        _http.BaseAddress = new Uri(_app.Urls.First());
        await new AzureStorageClients(_options).Queue().CreateIfNotExistsAsync();
    }

    [Fact]
    public async Task A_pending_ready_pull_request_is_escalated_once_by_the_timer_function()
    {
        var ready = Requests.For("d-ready", number: 42, head: Head, repo: "acme/shop") with { Event = "pull_request.ready_for_review" };
        using (var first = await _http.InvokeAsync("review-worker", FunctionsPayloads.Wrapped(ReviewMessage.Serialize(ready), 1)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Assert.Equal(CheckOutcome.ActionRequired, Assert.Single(_platform.Plans).Plan.Outcome);

        _clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal("escalation-sweep: 0 escalation(s) fired", await SweepAsync());
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.Equal("escalation-sweep: 1 escalation(s) fired", await SweepAsync());
        Assert.Equal("escalation-sweep: 0 escalation(s) fired", await SweepAsync());

        // The sweep queued the re-evaluation on the Storage queue; the queue trigger hands it to the worker function.
        var queue = new AzureStorageClients(_options).Queue();
        var message = (await queue.ReceiveMessageAsync()).Value;
        Assert.NotNull(message);
        using (var escalated = await _http.InvokeAsync("review-worker", FunctionsPayloads.Wrapped(message.Body.ToString(), 1)))
        {
            Assert.Equal(HttpStatusCode.OK, escalated.StatusCode);
        }

        var plan = _platform.Plans.Last().Plan;
        Assert.Equal([Seniors], plan.RequestTeams);
        Assert.Contains("escalated to seniors after 1d unmet (rule \"AI changes need an independent approval\"", plan.Summary);
        Assert.Null((await queue.ReceiveMessageAsync()).Value);

        var audited = (await _app!.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { Repository = "acme/shop", Number = 42 }))
            .Where(e => e.Event == EscalationSweeper.Event).ToList();
        Assert.Equal(2, audited.Count);
        Assert.StartsWith("escalated: rule", Assert.Single(audited, e => e.Decision is null).Actions.Single());
    }

    private async Task<string?> SweepAsync()
    {
        using var swept = await _http.InvokeAsync("escalation-sweep", new { Data = new { timer = new { IsPastDue = false } }, Metadata = new { } });
        Assert.Equal(HttpStatusCode.OK, swept.StatusCode);
        return (await FunctionsPayloads.Body(swept)).GetProperty("Logs")[0].GetString();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _http.Dispose();
    }
}

/// <summary>The custom-handler invocation contract's shapes, as the Functions host sends and reads them.</summary>
internal static class FunctionsPayloads
{
    /// <summary>A queue-trigger invocation: <c>{Data: {message}, Metadata: {DequeueCount, Id, sys}}</c>.</summary>
    public static object Wrapped(string message, int dequeueCount) => new
    {
        Data = new Dictionary<string, object> { ["message"] = message },
        Metadata = new Dictionary<string, object>
        {
            ["DequeueCount"] = dequeueCount,
            ["Id"] = Guid.NewGuid().ToString(),
            ["sys"] = new { MethodName = "review-worker", UtcNow = "2026-11-26T12:00:00Z" },
        },
    };

    /// <summary>Invokes a function the way the Functions host does: POST /&lt;function&gt; with the payload's property names as they are.</summary>
    public static Task<HttpResponseMessage> InvokeAsync(this HttpClient http, string function, object payload)
        => http.PostAsync("/" + function, JsonContent.Create(payload, options: new JsonSerializerOptions { PropertyNamingPolicy = null }));

    public static async Task<JsonElement> Body(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
