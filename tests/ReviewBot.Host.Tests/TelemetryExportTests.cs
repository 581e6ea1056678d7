using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReviewBot.Core.Pipeline;
using ReviewBot.Pipeline.Telemetry;
using ReviewBot.TestSupport;

namespace ReviewBot.Host.Tests;

/// <summary>
/// What the host exports and to whom (docs/telemetry.md): nothing unless configured; the Prometheus scrape path to
/// loopback callers only unless <c>AllowRemote</c>. The exported values after an evaluation are read by the GitHub
/// end-to-end test (TelemetryEndToEndTests).
/// </summary>
public sealed class TelemetryExportTests : IDisposable
{
    private readonly LoopbackHost _host = new();

    public void Dispose() => _host.Dispose();

    private WebApplication Build(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(settings);
        all.TryAdd("ReviewBot:GitHub:WebhookSecret", "telemetry-test-secret");
        return _host.Build(all);
    }

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

    [Fact]
    public void Every_instrument_of_the_meter_is_documented_with_its_unit_and_every_documented_one_exists()
    {
        // Only the instruments of this provider's meter factory (other tests' hosts publish theirs in this process).
        using var services = new ServiceCollection().AddReviewBotMetrics().AddSingleton<IQueueStatistics, EmptyQueue>().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var published = new List<(string Name, string Unit)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == ReviewTracing.Name)
                {
                    published.Add((instrument.Name, instrument.Unit ?? ""));
                }
            },
        };
        listener.Start();
        services.GetRequiredService<ReviewBotMetrics>();

        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "telemetry.md"));
        var documented = lines.SkipWhile(l => !l.StartsWith("| Metric |", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|'))
            .Select(c => (Name: c[1].Trim().Trim('`'), Unit: c[3].Trim().Trim('`')))
            .ToList();
        Assert.Equal(published.Order(), documented.Order());
    }

    [Fact]
    public void Every_Prometheus_setting_is_documented_with_its_default()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "telemetry.md"));
        var documented = lines.SkipWhile(l => !l.StartsWith($"| Setting (`{TelemetryOptions.SectionName}:Prometheus:`)", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|'))
            .ToDictionary(c => c[1].Trim().Trim('`'), c => c[2].Trim().Trim('`'), StringComparer.Ordinal);
        var defaults = new TelemetryOptions.PrometheusOptions();
        var properties = typeof(TelemetryOptions.PrometheusOptions).GetProperties().Where(p => p.CanWrite).ToList();
        Assert.Equal(properties.Select(p => p.Name).Order(), documented.Keys.Order());
        foreach (var property in properties)
        {
            var value = property.GetValue(defaults) switch
            {
                bool b => b ? "true" : "false",
                var other => Convert.ToString(other, CultureInfo.InvariantCulture),
            };
            Assert.True(documented[property.Name] == value, $"{property.Name}: documented {documented[property.Name]}, code {value}");
        }
    }

    private sealed class EmptyQueue : IQueueStatistics
    {
        public QueueStatistics Read() => default;
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
