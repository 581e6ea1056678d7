using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Pipeline.Intake;

namespace ReviewBot.Host;

/// <summary>Maps one platform's webhook route onto the one intake: raw request in, <see cref="WebhookAnswer"/> out.</summary>
public static class WebhookEndpoints
{
    /// <summary>
    /// Runs the one start-up validation (with the platform's own <paramref name="settingProblems"/>): any problem stops
    /// the host. Then says loudly when the endpoint accepts unauthenticated deliveries, and maps <c>POST route</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapWebhook(this IEndpointRouteBuilder app, string route, IWebhookAdapter adapter, IReadOnlyList<string> settingProblems)
    {
        var intake = app.ServiceProvider.GetRequiredService<WebhookIntake>();
        var errors = settingProblems.Concat(intake.Validate(adapter)).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("ReviewBot cannot start: " + string.Join(" ", errors));
        }

        intake.LogStart(adapter, route);
        return app.MapPost(route, async context =>
        {
            var answer = await intake.HandleAsync(adapter, context.Request, context.RequestAborted);
            context.Response.StatusCode = answer.StatusCode;
            if (answer.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsJsonAsync(answer, WebhookAnswerJsonContext.Default.WebhookAnswer, cancellationToken: context.RequestAborted);
        });
    }
}
