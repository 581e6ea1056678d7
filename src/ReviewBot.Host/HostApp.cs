using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ReviewBot.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Details;
using ReviewBot.Core.Risk;
using ReviewBot.GitHub;

namespace ReviewBot.Host;

/// <summary>Builds the ReviewBot web host. `reviewbot serve` and the Azure Functions custom handler both use it.</summary>
public static class HostApp
{
    /// <param name="configure">Runs first: registrations made here win over the defaults (all defaults use TryAdd*).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // Azure Functions custom handler: the Functions host tells us the loopback port to listen on.
        var functionsPort = builder.Configuration[FunctionsEndpoints.PortSetting];
        if (!string.IsNullOrEmpty(functionsPort))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{functionsPort}");
        }

        // Kestrel reads at most this far ahead of a request's body per connection (default 1 MB in the socket transport
        // and 1 MB again in the server): webhook bodies waiting for the intake's body budget then cost 64 KiB each, not
        // megabytes (docs/deployment.md, "Webhook intake").
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBufferSize = 64 * 1024);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(
            sockets => sockets.MaxReadBufferSize = 64 * 1024);

        configure?.Invoke(builder);

        // ---- storage: durable audit/dedup store and queue (e.g. AddReviewBotStorage) go here, before the defaults ----
        ReviewBot.Storage.StorageServiceCollectionExtensions.AddReviewBotStorage(builder.Services, builder.Configuration);

        // ---- platforms: one line each ----
        builder.Services.AddReviewBotGitHub(builder.Configuration);
        ReviewBot.GitLab.GitLabServiceCollectionExtensions.AddGitLab(builder.Services, builder.Configuration);

        AddReviewBotWorker(builder.Services, builder);
        ReviewBot.Pipeline.Intake.IntakeServiceCollectionExtensions.AddWebhookIntake(builder.Services, builder.Configuration);
        TelemetryExport.Add(builder);

        var app = builder.Build();
        TelemetryExport.MapScrapeEndpoint(app);
        app.MapGet("/", () => Results.Ok(new { service = "reviewbot", status = "ok" }));
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));

        // ---- webhook endpoints: one line each ----
        app.MapGitHubWebhook();
        app.MapGitLabWebhook();
        app.MapDetailsPage();

        // ---- Azure Functions custom handler only: wrapped queue-trigger invocations from the Functions host ----
        if (!string.IsNullOrEmpty(functionsPort))
        {
            app.MapFunctionsInvocations();
        }

        return app;
    }

    /// <summary>
    /// The engine, and how long shutdown waits: the queue worker drains in-flight evaluations for
    /// <c>ReviewBot:Worker:DrainTimeout</c>, so the host waits a little longer than that before it gives up.
    /// </summary>
    public static IServiceCollection AddReviewBotWorker(IServiceCollection services, WebApplicationBuilder builder)
    {
        var pipeline = builder.Configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>() ?? new PipelineOptions();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = pipeline.DrainTimeout + TimeSpan.FromSeconds(5));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRiskAnalyzer>(sp => new RoslynRiskAnalyzer(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ReviewEngine>();
        services.TryAddSingleton(builder.Configuration.GetSection(DetailsOptions.SectionName).Get<DetailsOptions>() ?? new DetailsOptions());
        services.TryAddSingleton<DetailsLinks>();
        WebhookOverrideAnnouncer.Register(services, builder.Configuration);
        return services;
    }
}
