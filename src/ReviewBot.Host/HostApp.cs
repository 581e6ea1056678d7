using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace ReviewBot.Host;

/// <summary>Builds the ReviewBot web host. `reviewbot serve` and the Azure Functions custom handler both use it.</summary>
public static class HostApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // Azure Functions custom handler: the Functions host tells us the loopback port to listen on.
        var functionsPort = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT");
        if (!string.IsNullOrEmpty(functionsPort))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{functionsPort}");
        }

        configure?.Invoke(builder);
        ReviewBot.GitLab.GitLabServiceCollectionExtensions.AddGitLab(builder.Services, builder.Configuration);

        var app = builder.Build();
        app.MapGet("/", () => Results.Ok(new { service = "reviewbot", status = "ok" }));
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        app.MapGitLabWebhook();
        return app;
    }
}
