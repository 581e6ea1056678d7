using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline;

namespace ReviewBot.GitLab.Webhooks;

/// <summary>The JSON answer of <c>POST /api/gitlab</c>: <c>status</c> is queued, duplicate, ignored or rejected.</summary>
public sealed record GitLabWebhookResponse(string Status, string Reason, string? DeliveryId = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GitLabWebhookResponse))]
public sealed partial class GitLabWebhookResponseJsonContext : JsonSerializerContext;

/// <summary>
/// <c>POST /api/gitlab</c>: raw body → authenticate (401) → parse and map (400 / 200 ignored) →
/// de-duplicate on the delivery id (200 duplicate) → enqueue (202). Storage or queue trouble answers 503 so
/// GitLab retries; nothing answers 500.
/// </summary>
public sealed partial class GitLabWebhookHandler(
    GitLabOptions options,
    GitLabWebhookVerifier verifier,
    IDeliveryInbox inbox,
    TimeProvider time,
    ILogger<GitLabWebhookHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await HandleCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Answer(StatusCodes.Status400BadRequest, "rejected", "request aborted");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailure(logger, ex.GetType().Name);
            return Answer(StatusCodes.Status503ServiceUnavailable, "rejected", "could not record or queue the delivery; retry later");
        }
    }

    private async Task<IResult> HandleCoreAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return Answer(StatusCodes.Status413PayloadTooLarge, "rejected", $"body larger than {options.MaxBodyBytes} bytes");
        }

        var body = await ReadBodyAsync(request, options.MaxBodyBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            return Answer(StatusCodes.Status413PayloadTooLarge, "rejected", $"body larger than {options.MaxBodyBytes} bytes");
        }

        var verification = verifier.Verify(request.Headers, body);
        if (!verification.Accepted)
        {
            LogRefused(logger, verification.Failure!);
            return Answer(StatusCodes.Status401Unauthorized, "rejected", verification.Failure!);
        }

        var deliveryId = DeliveryId(request.Headers, body);
        var eventName = request.Headers["X-Gitlab-Event"].ToString();
        var mapping = GitLabWebhookMapper.Map(eventName, body, deliveryId, time.GetUtcNow());
        switch (mapping.Disposition)
        {
            case WebhookDisposition.Malformed:
                LogMalformed(logger, deliveryId, mapping.Reason);
                return Answer(StatusCodes.Status400BadRequest, "rejected", mapping.Reason, deliveryId);
            case WebhookDisposition.Ignore:
                return Answer(StatusCodes.Status200OK, "ignored", mapping.Reason, deliveryId);
        }

        if (await inbox.AcceptAsync("gitlab", deliveryId, [mapping.Request!], ct).ConfigureAwait(false) == InboxOutcome.Duplicate)
        {
            LogDuplicate(logger, deliveryId);
            return Answer(StatusCodes.Status200OK, "duplicate", "delivery already received", deliveryId);
        }

        LogQueued(logger, mapping.Reason, deliveryId);
        return Answer(StatusCodes.Status202Accepted, "queued", mapping.Reason, deliveryId);
    }

    /// <summary><c>Idempotency-Key</c> (stable across retries), else <c>webhook-id</c>, else <c>X-Gitlab-Event-UUID</c>, else a hash of the body.</summary>
    public static string DeliveryId(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        foreach (var name in (string[])["Idempotency-Key", "webhook-id", "X-Gitlab-Event-UUID"])
        {
            var value = headers[name].ToString().Trim();
            if (value.Length is > 0 and <= 200)
            {
                return value;
            }
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult Answer(int status, string what, string reason, string? deliveryId = null)
        => Results.Json(new GitLabWebhookResponse(what, reason, deliveryId), GitLabWebhookResponseJsonContext.Default.GitLabWebhookResponse, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitLab webhook refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitLab webhook {DeliveryId} malformed: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitLab webhook {DeliveryId} is a duplicate")]
    private static partial void LogDuplicate(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitLab webhook {DeliveryId} queued: {Reason}")]
    private static partial void LogQueued(ILogger logger, string reason, string deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "GitLab webhook could not be recorded or queued ({Error})")]
    private static partial void LogFailure(ILogger logger, string error);
}
