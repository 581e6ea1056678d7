using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.Storage;
using ReviewBot.Storage.Processing;

namespace ReviewBot.Host;

/// <summary>
/// The Azure Functions custom-handler side of the host. HTTP triggers (github-webhook, gitlab-webhook) are
/// forwarded unchanged to their own paths (/api/github, /api/gitlab) and need nothing here. Queue triggers arrive
/// wrapped: the Functions host POSTs <c>{ "Data": { "message": … }, "Metadata": { "DequeueCount": …, … } }</c> to
/// <c>/&lt;function name&gt;</c> and expects <c>{ "Outputs": {}, "Logs": [], "ReturnValue": null }</c> back; any
/// non-2xx fails the invocation, so the host retries and, after maxDequeueCount, moves the message to the poison queue.
/// </summary>
public static class FunctionsEndpoints
{
    /// <summary>Name of the queue-trigger binding in functions/review-worker/function.json.</summary>
    public const string MessageBinding = "message";

    // The custom-handler payload uses PascalCase member names, unlike ReviewBot's public JSON.
    private static readonly JsonSerializerOptions Pascal = new() { PropertyNamingPolicy = null };

    public static IEndpointRouteBuilder MapFunctionsInvocations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/review-worker", ReviewWorkerAsync);
        app.MapPost("/review-worker-poison", ReviewWorkerPoisonAsync);
        return app;
    }

    private static async Task<IResult> ReviewWorkerAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var services = http.HttpContext.RequestServices;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("ReviewBot.Functions");
        var invocation = await ReadInvocationAsync(http, cancellationToken).ConfigureAwait(false);
        if (invocation.Error is not null)
        {
            return Reply(StatusCodes.Status400BadRequest, invocation.Error);
        }

        Core.Ports.ReviewRequest request;
        try
        {
            request = ReviewMessage.Deserialize(invocation.Message);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return Reply(StatusCodes.Status400BadRequest, "unreadable review message: " + ex.Message);
        }

        try
        {
            var result = await services.GetRequiredService<DurableReviewProcessor>().ProcessAsync(request, cancellationToken).ConfigureAwait(false);
            return Reply(StatusCodes.Status200OK, $"{request.PullRequestKey} delivery {request.DeliveryId} (attempt {invocation.DequeueCount}): {result.Status}, {result.Passes} pass(es): {result.Reason}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(ex, "review-worker invocation failed for {Key}", request.PullRequestKey);
            return Reply(StatusCodes.Status500InternalServerError,
                $"{request.PullRequestKey} delivery {request.DeliveryId} (attempt {invocation.DequeueCount}) failed: {SecretRedactor.Redact(ex.GetType().Name + ": " + ex.Message)}");
        }
    }

    private static async Task<IResult> ReviewWorkerPoisonAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var invocation = await ReadInvocationAsync(http, cancellationToken).ConfigureAwait(false);
        if (invocation.Error is not null)
        {
            return Reply(StatusCodes.Status400BadRequest, invocation.Error);
        }

        var raw = invocation.Message.ValueKind == JsonValueKind.String ? invocation.Message.GetString()! : invocation.Message.GetRawText();
        var record = await http.HttpContext.RequestServices.GetRequiredService<PoisonRecorder>()
            .RecordAsync(raw, invocation.DequeueCount, "the review-worker function failed on every attempt", invocation.MessageId, cancellationToken)
            .ConfigureAwait(false);
        return Reply(StatusCodes.Status200OK, $"poison message recorded in the audit log as {record.Id}");
    }

    private sealed record Invocation(JsonElement Message, long DequeueCount, string? MessageId, string? Error);

    private static async Task<Invocation> ReadInvocationAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(http.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return new Invocation(default, 0, null, "the invocation body is not JSON: " + ex.Message);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !TryGet(doc.RootElement, "Data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return new Invocation(default, 0, null, "the invocation has no Data object");
            }

            JsonElement message;
            if (!TryGet(data, MessageBinding, out message))
            {
                var members = data.EnumerateObject().ToList();
                if (members.Count != 1)
                {
                    return new Invocation(default, 0, null, $"Data has no '{MessageBinding}' binding");
                }

                message = members[0].Value;
            }

            long dequeueCount = 1;
            string? id = null;
            if (TryGet(doc.RootElement, "Metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
            {
                if (TryGet(metadata, "DequeueCount", out var count))
                {
                    dequeueCount = count.ValueKind == JsonValueKind.Number ? count.GetInt64()
                        : long.TryParse(count.ToString(), out var parsed) ? parsed : 1;
                }

                if (TryGet(metadata, "Id", out var idElement))
                {
                    id = idElement.ToString();
                }
            }

            return new Invocation(message.Clone(), dequeueCount, id, null);
        }
    }

    private static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static IResult Reply(int status, string log)
        => Results.Json(new { Outputs = new Dictionary<string, object>(), Logs = new[] { log }, ReturnValue = (object?)null }, Pascal, statusCode: status);
}
