using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.Storage;
using ReviewBot.Pipeline;

namespace ReviewBot.Host;

/// <summary>
/// The Azure Functions custom-handler side of the host, mapped only when the host runs as a custom handler
/// (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set; never under <c>reviewbot serve</c>). HTTP triggers (github-webhook,
/// gitlab-webhook) are forwarded unchanged to their own paths (/api/github, /api/gitlab) and need nothing here. Queue
/// triggers arrive wrapped: the Functions host POSTs <c>{ "Data": { "message": … }, "Metadata": { "DequeueCount": …, … } }</c>
/// to <c>/&lt;function name&gt;</c> from loopback and expects <c>{ "Outputs": {}, "Logs": [], "ReturnValue": null }</c> back;
/// any non-2xx fails the invocation, so the host retries and, after maxDequeueCount, moves the message to the poison
/// queue. Anything else (another address, another shape) is refused before it reaches the pipeline.
/// </summary>
public static class FunctionsEndpoints
{
    /// <summary>Set by the Functions host for its custom handler (the loopback port to listen on); read from configuration (environment).</summary>
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Name of the queue-trigger binding in functions/review-worker/function.json.</summary>
    public const string MessageBinding = "message";

    /// <summary>Longest wait inside one invocation before it fails for a retry: half of host.json's functionTimeout (10 min).</summary>
    private static readonly TimeSpan MaxInvocationWait = TimeSpan.FromMinutes(5);

    // The custom-handler payload uses PascalCase member names, unlike ReviewBot's public JSON.
    private static readonly JsonSerializerOptions Pascal = new() { PropertyNamingPolicy = null };

    public static IEndpointRouteBuilder MapFunctionsInvocations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/review-worker", ReviewWorkerAsync).AddEndpointFilter(FromFunctionsHostOnly);
        app.MapPost("/review-worker-poison", ReviewWorkerPoisonAsync).AddEndpointFilter(FromFunctionsHostOnly);
        app.MapPost("/escalation-sweep", EscalationSweepAsync).AddEndpointFilter(FromFunctionsHostOnly);
        return app;
    }

    /// <summary>The Functions host calls its custom handler over loopback; nobody else may invoke a queue function.</summary>
    private static async ValueTask<object?> FromFunctionsHostOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var remote = context.HttpContext.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            return Reply(StatusCodes.Status403Forbidden, "queue functions are invoked by the Functions host over loopback only");
        }

        return await next(context).ConfigureAwait(false);
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

        Pipeline.Ports.ReviewRequest request;
        try
        {
            request = ReviewMessage.Deserialize(invocation.Message);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return Reply(StatusCodes.Status400BadRequest, "unreadable review message: " + ex.Message);
        }

        var attempt = (int)Math.Clamp(invocation.DequeueCount, 1, int.MaxValue);
        var result = await services.GetRequiredService<ReviewPipeline>().ProcessAsync(request, attempt, cancellationToken).ConfigureAwait(false);
        var summary = $"{request.PullRequestKey} delivery {request.DeliveryId} (attempt {attempt}): {result.Status}, {result.Passes} pass(es): {SecretRedactor.Redact(result.Reason)}";
        if (result.IsFinished)
        {
            return Reply(StatusCodes.Status200OK, summary);
        }

        if (result is { Status: ReviewStatus.RetryLater, RetryAfter: { } asked })
        {
            // The trigger retries after its own visibility timeout; waiting first keeps the platform's Retry-After
            // (up to half the function timeout of host.json, so the invocation itself does not time out).
            var delay = asked < MaxInvocationWait ? asked : MaxInvocationWait;
            log.LogWarning("review-worker: {Summary}; failing the invocation after {Delay}", summary, delay);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        return Reply(StatusCodes.Status500InternalServerError, summary);
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

    /// <summary>
    /// The timer trigger of functions/escalation-sweep: one sweep of the escalation clocks in the configured store (SQLite
    /// file or Azure tables; the timer payload carries nothing the sweep needs).
    /// </summary>
    private static async Task<IResult> EscalationSweepAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var fired = await http.HttpContext.RequestServices.GetRequiredService<EscalationSweeper>().SweepAsync(cancellationToken).ConfigureAwait(false);
        return Reply(StatusCodes.Status200OK, $"escalation-sweep: {fired.Count} escalation(s) fired");
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

            // The invocation contract always carries Metadata (DequeueCount, Id, InsertionTime, …).
            if (!TryGet(doc.RootElement, "Metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
            {
                return new Invocation(default, 0, null, "the invocation has no Metadata object");
            }

            long dequeueCount = 1;
            if (TryGet(metadata, "DequeueCount", out var count))
            {
                dequeueCount = count.ValueKind == JsonValueKind.Number ? count.GetInt64()
                    : long.TryParse(count.ToString(), out var parsed) ? parsed : 1;
            }

            var id = TryGet(metadata, "Id", out var idElement) ? idElement.ToString() : null;

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
