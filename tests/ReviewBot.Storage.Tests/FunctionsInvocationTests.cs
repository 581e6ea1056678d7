using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReviewBot.Host;
using Microsoft.AspNetCore.Http;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// The queue-trigger half of the custom-handler contract on real Kestrel over HTTP: wrapped invocations in
/// (<c>{Data, Metadata}</c>), <c>{Outputs, Logs, ReturnValue}</c> out, 2xx on success, non-2xx on failure, and the
/// poison function writing the audit log. (The published binary is exercised by PublishedHostTests.)
/// </summary>
public sealed class FunctionsInvocationTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly RecordingPlatform _platform = new();
    private readonly HttpClient _http = new();
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        _app = Build("--FUNCTIONS_CUSTOMHANDLER_PORT", "0");
        await _app.StartAsync();
        _http.BaseAddress = new Uri(_app.Urls.First());
    }

    /// <summary>The host on 127.0.0.1 with the recording platform; <paramref name="args"/> add settings (e.g. the custom-handler port).</summary>
    private WebApplication Build(params string[] args) => Build(null, args);

    private WebApplication Build(Action<IServiceCollection>? services, params string[] args)
        => HostApp.Build(
            [
                "--urls", "http://127.0.0.1:0", "--ReviewBot:Storage:SqlitePath", _dir.File("reviewbot.db"), "--ReviewBot:GitHub:WebhookSecret", "bench-secret",
                "--ReviewBot:Worker:RetryBaseDelay", "00:00:00.05", .. args,
            ],
            b =>
            {
                b.Services.AddSingleton<IPlatformSessionFactory>(_platform);
                b.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressOverride>();
                b.Services.Replace(ServiceDescriptor.Singleton<IReviewEvaluator, NeedsApprovalEvaluator>());
                services?.Invoke(b.Services);
            });

    [Fact]
    public async Task Under_reviewbot_serve_the_queue_functions_are_not_found()
    {
        await using var serve = Build("--ReviewBot:Storage:SqlitePath", _dir.File("serve.db"));
        await serve.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(serve.Urls.First()) };

        using var worker = await http.PostAsync("/review-worker", JsonContent.Create(FunctionsPayloads.Wrapped(ReviewMessage.Serialize(Requests.For("forged")), 1)));
        using var poison = await http.PostAsync("/review-worker-poison", JsonContent.Create(FunctionsPayloads.Wrapped(ReviewMessage.Serialize(Requests.For("forged")), 1)));

        Assert.Equal(HttpStatusCode.NotFound, worker.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, poison.StatusCode);
        Assert.Empty(_platform.Applied);
        Assert.Equal(0, _platform.InProgress);
        await serve.StopAsync();
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("192.168.1.20")]
    [InlineData("::ffff:10.0.0.9")]
    public async Task A_forged_invocation_from_outside_loopback_is_refused_before_the_pipeline(string address)
    {
        // Kestrel listens on 127.0.0.1 only, so a remote caller cannot connect at all. To pin the second wall, a
        // test-only first middleware presents this loopback connection as coming from elsewhere; routing, the
        // filter and the endpoint are the host's own.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/review-worker")
        {
            Content = JsonContent.Create(FunctionsPayloads.Wrapped(ReviewMessage.Serialize(Requests.For("forged", repo: "victim/secret-repo")), 1), options: new JsonSerializerOptions { PropertyNamingPolicy = null }),
        };
        request.Headers.Add(RemoteAddressOverride.Header, address);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_platform.Applied);
        Assert.Equal(0, _platform.InProgress);
        Assert.Empty(await _app!.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery()));
    }

    [Fact]
    public async Task A_wrapped_queue_invocation_is_evaluated_once_and_answered_in_the_handler_shape()
    {
        var message = ReviewMessage.Serialize(Requests.For("d-1"));

        using var first = await _http.InvokeAsync("review-worker", FunctionsPayloads.Wrapped(JsonSerializer.Serialize(message), dequeueCount: 1));
        using var again = await _http.InvokeAsync("review-worker", FunctionsPayloads.Wrapped(message, dequeueCount: 2));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await FunctionsPayloads.Body(first);
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
        Assert.Contains("Completed", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Duplicate", (await FunctionsPayloads.Body(again)).GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Single(_platform.Applied);
    }

    [Fact]
    public async Task A_failing_evaluation_answers_non_2xx_so_the_Functions_host_retries()
    {
        _platform.FailingRepository = "acme/broken";
        using var response = await _http.InvokeAsync("review-worker", FunctionsPayloads.Wrapped(ReviewMessage.Serialize(Requests.For("d-2", repo: "acme/broken")), 1));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var log = (await FunctionsPayloads.Body(response)).GetProperty("Logs")[0].GetString();
        Assert.Contains("502", log, StringComparison.Ordinal);
        Assert.DoesNotContain("ghs_ZZZZ", log, StringComparison.Ordinal);
        Assert.Empty(_platform.Applied);
    }

    [Theory]
    [InlineData("{\"Data\":{\"message\":\"not json\"},\"Metadata\":{}}")]
    [InlineData("{\"Data\":{\"message\":\"{\\\"platform\\\":1}\"},\"Metadata\":{}}")]
    [InlineData("{\"Data\":{\"message\":\"{}\"}}")]
    [InlineData("{\"Metadata\":{}}")]
    [InlineData("[1,2]")]
    [InlineData("garbage")]
    public async Task An_unreadable_invocation_is_a_4xx_never_a_500(string payload)
    {
        using var response = await _http.PostAsync("/review-worker", new StringContent(payload, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await FunctionsPayloads.Body(response)).GetProperty("Logs")[0].GetString()!);
    }

    [Fact]
    public async Task The_poison_function_records_the_message_in_the_audit_log()
    {
        using var response = await _http.InvokeAsync("review-worker-poison", FunctionsPayloads.Wrapped(ReviewMessage.Serialize(Requests.For("d-9", number: 12)), 1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var audit = _app!.Services.GetRequiredService<IAuditStore>();
        var record = Assert.Single(await audit.ListAsync(new AuditQuery { Repository = "acme/api", Number = 12 }));
        Assert.Equal("poison.d-9", record.Id);
        Assert.Contains("failed on every attempt", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_escalation_sweep_timer_function_sweeps_the_sqlite_store_from_loopback_only()
    {
        using var swept = await _http.InvokeAsync("escalation-sweep", new { Data = new { timer = new { IsPastDue = false } }, Metadata = new { } });
        Assert.Equal(HttpStatusCode.OK, swept.StatusCode);
        Assert.Equal("escalation-sweep: 0 escalation(s) fired", (await FunctionsPayloads.Body(swept)).GetProperty("Logs")[0].GetString());

        using var forged = new HttpRequestMessage(HttpMethod.Post, "/escalation-sweep") { Content = JsonContent.Create(new { Data = new { } }) };
        forged.Headers.Add(RemoteAddressOverride.Header, "203.0.113.7");
        using var refused = await _http.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>Test-only: the connection's remote address taken from a header, before anything else runs.</summary>
    private sealed class RemoteAddressOverride : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public const string Header = "X-Test-Remote-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
