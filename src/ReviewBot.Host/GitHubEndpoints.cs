using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using ReviewBot.Core.Ports;
using ReviewBot.GitHub;
using ReviewBot.GitHub.Webhooks;
using ReviewBot.Pipeline;

namespace ReviewBot.Host;

/// <summary>
/// <c>POST /api/github</c>: raw body (capped) → signature (before any parsing) → Octokit.Webhooks mapping → delivery
/// de-duplication → queue. Answers: 202 queued, 200 ignored or duplicate, 400 malformed, 401 bad or missing signature,
/// 413 too large, 415 not JSON. Never 500 for anything a sender controls.
/// </summary>
public static class GitHubEndpoints
{
    public const string Route = "/api/github";

    public static IEndpointConventionBuilder MapGitHubWebhook(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<GitHubOptions>>().Value;
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ReviewBot.GitHub.Webhook");
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("ReviewBot cannot start: " + string.Join(" ", errors));
        }

        if (options.Enabled && string.IsNullOrEmpty(options.WebhookSecret))
        {
            logger.LogCritical(
                "INSECURE: ReviewBot:GitHub:AllowUnsignedWebhooks is on and no webhook secret is set. {Route} accepts UNSIGNED "
                + "deliveries from anyone. Use this for local development only.", Route);
        }

        return app.MapPost(Route, HandleAsync);
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        IOptions<GitHubOptions> optionsAccessor,
        GitHubWebhookMapper mapper,
        IDeliveryInbox inbox,
        ILoggerFactory loggers)
    {
        var options = optionsAccessor.Value;
        var logger = loggers.CreateLogger("ReviewBot.GitHub.Webhook");
        var cancellationToken = context.RequestAborted;
        if (!options.Enabled)
        {
            return Results.NotFound();
        }

        var body = await WebhookBody.ReadAsync(context.Request, options.MaxPayloadBytes, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"payload larger than {options.MaxPayloadBytes} bytes");
        }

        var headers = context.Request.Headers;
        var delivery = headers[GitHubWebhookMapper.DeliveryHeader].ToString();
        if (!string.IsNullOrEmpty(options.WebhookSecret))
        {
            var check = WebhookSignature.Verify(options.WebhookSecret, body, headers[WebhookSignature.HeaderName].ToString());
            if (check != SignatureCheck.Valid)
            {
                logger.LogWarning("Rejected GitHub delivery {Delivery}: signature {Check}", Safe(delivery), check);
                return Problem(StatusCodes.Status401Unauthorized, check == SignatureCheck.Missing
                    ? $"missing {WebhookSignature.HeaderName}"
                    : $"invalid {WebhookSignature.HeaderName}");
            }
        }
        else
        {
            logger.LogWarning("INSECURE: accepting GitHub delivery {Delivery} without signature verification (AllowUnsignedWebhooks)", Safe(delivery));
        }

        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "set the webhook content type to application/json");
        }

        var mapping = await mapper.MapAsync(headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase), body, cancellationToken);
        switch (mapping.Disposition)
        {
            case WebhookDisposition.Invalid:
                logger.LogWarning("Rejected GitHub delivery {Delivery} ({Event}): {Reason}", Safe(delivery), Safe(mapping.Event), mapping.Reason);
                return Problem(StatusCodes.Status400BadRequest, mapping.Reason);
            case WebhookDisposition.Ignore:
                logger.LogInformation("Ignored GitHub delivery {Delivery} ({Event}): {Reason}", Safe(delivery), Safe(mapping.Event), mapping.Reason);
                return Results.Ok(new WebhookAnswer("ignored", mapping.Event, mapping.Reason, []));
        }

        try
        {
            if (await inbox.AcceptAsync("github", delivery, mapping.Requests, cancellationToken) == InboxOutcome.Duplicate)
            {
                logger.LogInformation("Duplicate GitHub delivery {Delivery} ({Event}) ignored", Safe(delivery), mapping.Event);
                return Results.Ok(new WebhookAnswer("duplicate", mapping.Event, "delivery already processed", []));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not queue GitHub delivery {Delivery} ({Event}); answering 503 so it is redelivered", Safe(delivery), mapping.Event);
            return Problem(StatusCodes.Status503ServiceUnavailable, "could not queue the delivery; retry later");
        }

        var keys = mapping.Requests.Select(ReviewBot.Pipeline.WorkKey.Of).ToArray();
        logger.LogInformation("Queued GitHub delivery {Delivery} ({Event}): {Requests}", Safe(delivery), mapping.Event, string.Join(", ", keys));
        return Results.Json(new WebhookAnswer("queued", mapping.Event, mapping.Reason, keys), statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Problem(int status, string detail)
        => Results.Json(new WebhookAnswer("rejected", null, detail, []), statusCode: status);

    /// <summary>Header values are attacker-controlled: bound and strip them before logging.</summary>
    private static string Safe(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "(none)";
        }

        var sb = new StringBuilder(Math.Min(value.Length, 64));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, 64)))
        {
            sb.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '?');
        }

        return sb.ToString();
    }

    /// <summary>The webhook's JSON answer: status ("queued", "ignored", "duplicate", "rejected"), event, reason, queued pull requests.</summary>
    public sealed record WebhookAnswer(string Status, string? Event, string Reason, IReadOnlyList<string> Requests);
}
