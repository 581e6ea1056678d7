using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReviewBot.Core.Pipeline;

namespace ReviewBot.Host;

/// <summary>Settings under <c>ReviewBot:Telemetry</c> (docs/telemetry.md). OTLP is configured by the standard <c>OTEL_*</c> settings.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "ReviewBot:Telemetry";

    public PrometheusOptions Prometheus { get; set; } = new();

    public sealed class PrometheusOptions
    {
        /// <summary>Serve the metrics for a Prometheus scrape (default off).</summary>
        public bool Enabled { get; set; }

        /// <summary>The scrape path on the host's listener (default <c>/metrics</c>).</summary>
        public string Path { get; set; } = "/metrics";

        /// <summary>
        /// Answer scrapes from other machines too (default off: loopback callers only, others get 404). Turn on when
        /// the scraper is on the network and the path is not routed from the internet.
        /// </summary>
        public bool AllowRemote { get; set; }
    }
}

/// <summary>
/// Exports ReviewBot's meter and activity source (<see cref="ReviewTracing.Name"/>) when, and only when, configured:
/// metrics and traces by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OpenTelemetry settings:
/// protocol, headers, export interval), metrics on a Prometheus scrape endpoint when
/// <c>ReviewBot:Telemetry:Prometheus:Enabled</c>. Neither set: no SDK is registered and nothing leaves the process.
/// </summary>
public static class TelemetryExport
{
    /// <summary>The standard setting (environment variable or configuration key) that switches OTLP export on.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void Add(WebApplicationBuilder builder)
    {
        var options = Options(builder.Configuration);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        if (!otlp && !options.Prometheus.Enabled)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] ?? "reviewbot",
                serviceVersion: typeof(TelemetryExport).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ReviewTracing.Name);
                if (options.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(ReviewTracing.Name)).UseOtlpExporter();
        }
    }

    /// <summary>Serves the Prometheus scrape path when it is on: to loopback callers, or to anyone with <c>AllowRemote</c>.</summary>
    public static void MapScrapeEndpoint(WebApplication app)
    {
        var prometheus = Options(app.Configuration).Prometheus;
        if (!prometheus.Enabled)
        {
            return;
        }

        var path = new PathString(prometheus.Path);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => context.Request.Path == path
                && (prometheus.AllowRemote || context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)),
            path: null,
            configureBranchedPipeline: null,
            optionsName: null);
    }

    private static TelemetryOptions Options(IConfiguration configuration)
        => configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
}
