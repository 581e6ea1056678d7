using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ReviewBot.Host.Tests;

/// <summary>
/// What the host exports and to whom (docs/telemetry.md): nothing unless configured; the Prometheus scrape path to
/// loopback callers only unless <c>AllowRemote</c>. The exported values after an evaluation are read by the GitHub
/// end-to-end test (TelemetryEndToEndTests).
/// </summary>
public sealed class TelemetryExportTests : IDisposable
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"reviewbot-telemetry-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_db + suffix);
        }
    }

    private WebApplication Build(IDictionary<string, string?> settings) => HostApp.Build([], builder =>
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReviewBot:Storage:SqlitePath"] = _db,
            ["ReviewBot:Worker:Enabled"] = "false",
            ["ReviewBot:GitHub:WebhookSecret"] = "telemetry-test-secret",
        });
        builder.Configuration.AddInMemoryCollection(settings);
    });

    [Fact]
    public async Task Unconfigured_the_host_registers_no_exporter_and_serves_no_metrics()
    {
        await using var app = Build(new Dictionary<string, string?>());
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_Prometheus_path_answers_loopback_callers_and_is_404_to_others_unless_remote_scrapes_are_allowed()
    {
        await using var app = Build(new Dictionary<string, string?>
        {
            ["ReviewBot:Telemetry:Prometheus:Enabled"] = "true",
            ["ReviewBot:Telemetry:Prometheus:Path"] = "/internal/metrics",
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var scrape = await http.GetAsync("/internal/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("target_info", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(app.Services.GetService<TracerProvider>()); // no OTLP endpoint: no traces are kept
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(StatusCodes.Status404NotFound, await StatusFromAsync(app, IPAddress.Parse("10.1.2.3"), "/internal/metrics"));
        Assert.Equal(StatusCodes.Status200OK, await StatusFromAsync(app, IPAddress.IPv6Loopback, "/internal/metrics"));
        await app.StopAsync();

        await using var open = Build(new Dictionary<string, string?>
        {
            ["ReviewBot:Telemetry:Prometheus:Enabled"] = "true",
            ["ReviewBot:Telemetry:Prometheus:AllowRemote"] = "true",
        });
        await open.StartAsync();
        Assert.Equal(StatusCodes.Status200OK, await StatusFromAsync(open, IPAddress.Parse("10.1.2.3"), "/metrics"));
        await open.StopAsync();
    }

    /// <summary>Runs the host's request pipeline for a GET from <paramref name="remote"/> (a peer no test socket can be).</summary>
    private static async Task<int> StatusFromAsync(WebApplication app, IPAddress remote, string path)
    {
        var pipeline = ((IApplicationBuilder)app).Build();
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = remote;
        context.Response.Body = new MemoryStream();
        await pipeline(context);
        return context.Response.StatusCode;
    }
}
