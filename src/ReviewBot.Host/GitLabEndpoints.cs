using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.GitLab;
using ReviewBot.GitLab.Webhooks;

namespace ReviewBot.Host;

/// <summary><c>POST /api/gitlab</c>: GitLab's adapter on the one webhook intake (see <see cref="WebhookEndpoints"/>).</summary>
public static class GitLabEndpoints
{
    public const string Route = "/api/gitlab";

    /// <summary>
    /// Maps the route when GitLab is configured (<c>services.AddGitLab(configuration)</c>); its other settings are
    /// validated by the options (resolving the adapter throws when they are invalid).
    /// </summary>
    public static IEndpointRouteBuilder MapGitLabWebhook(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<GitLabRegistration>() is not null)
        {
            app.MapWebhook(Route, app.ServiceProvider.GetRequiredService<GitLabWebhookAdapter>(), []);
        }

        return app;
    }
}
