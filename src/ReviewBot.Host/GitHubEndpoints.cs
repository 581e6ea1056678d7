using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewBot.GitHub;
using ReviewBot.GitHub.Webhooks;

namespace ReviewBot.Host;

/// <summary><c>POST /api/github</c>: GitHub's adapter on the one webhook intake (see <see cref="WebhookEndpoints"/>).</summary>
public static class GitHubEndpoints
{
    public const string Route = "/api/github";

    /// <summary>Maps the route unless GitHub is switched off (<c>ReviewBot:GitHub:Enabled=false</c>: 404).</summary>
    public static IEndpointRouteBuilder MapGitHubWebhook(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<GitHubOptions>>().Value;
        if (options.Enabled)
        {
            app.MapWebhook(Route, app.ServiceProvider.GetRequiredService<GitHubWebhookAdapter>(), options.Validate());
        }

        return app;
    }
}
