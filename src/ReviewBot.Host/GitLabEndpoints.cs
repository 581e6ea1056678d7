using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Ports;
using ReviewBot.GitLab;
using ReviewBot.GitLab.Webhooks;

namespace ReviewBot.Host;

/// <summary>The GitLab webhook endpoint: <c>POST /api/gitlab</c> (raw body in, status code out, work to the queue).</summary>
public static class GitLabEndpoints
{
    public const string Route = "/api/gitlab";

    /// <summary>
    /// Maps <c>POST /api/gitlab</c> when GitLab is configured (<c>services.AddGitLab(configuration)</c>). Throws when
    /// the queue or the audit store is missing, so a half-configured host does not start.
    /// </summary>
    public static IEndpointRouteBuilder MapGitLabWebhook(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<GitLabRegistration>() is null)
        {
            return app;
        }

        _ = app.ServiceProvider.GetService<IReviewQueue>()
            ?? throw new InvalidOperationException("GitLab webhooks need an IReviewQueue registration.");
        _ = app.ServiceProvider.GetService<IAuditStore>()
            ?? throw new InvalidOperationException("GitLab webhooks need an IAuditStore registration (delivery de-duplication).");

        app.MapPost(Route, (HttpContext context, GitLabWebhookHandler handler)
            => handler.HandleAsync(context.Request, context.RequestAborted));
        return app;
    }
}
