using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Pipeline;
using ReviewBot.Pipeline.Telemetry;

namespace ReviewBot.Pipeline.Intake;

/// <summary>
/// The one webhook intake for every platform. In order, each step refusing before the next costs anything:
/// declared length over the cap (413) → header phase of authentication (401) → JSON content type (415) → event and
/// delivery-key headers present and bounded (400) → body budget (waits; 503 when the wait times out) → body streamed
/// through the signature check into pooled segments, capped while streaming (413, 408 when too slow) → signature
/// (401) → the platform's mapping (400 invalid, 200 ignored) → the inbox (202 queued, 200 duplicate, 503 when
/// nothing could be stored). Nothing a sender controls is answered 500. Each arrival is counted in <see cref="IntakeLoad"/>,
/// which the queue worker reads to give way while deliveries arrive fast.
/// </summary>
public sealed partial class WebhookIntake(IDeliveryInbox inbox, BodyBudget budget, IntakeLoad load, IOptions<IntakeOptions> options, ILoggerFactory loggers, ReviewBotMetrics metrics)
{
    /// <summary>Longest value accepted in the event and delivery-key headers.</summary>
    public const int MaxHeaderLength = 200;

    private const int RetryAfterSeconds = 5;

    private readonly TimeSpan _bodyTimeout = options.Value.BodyTimeout;

    /// <summary>The one start-up validation of a platform's webhook settings: problems that stop the host, none when valid.</summary>
    public IReadOnlyList<string> Validate(IWebhookAdapter adapter)
    {
        var errors = new List<string>();
        var security = adapter.Security;
        foreach (var (setting, value) in security.Secrets)
        {
            if (!string.IsNullOrEmpty(value) && string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{setting} is blank (only whitespace): set the secret the platform uses, or remove the setting.");
            }
        }

        if (security.HasNoSecret && !security.AllowUnauthenticated)
        {
            errors.Add($"{string.Join(" or ", security.Secrets.Select(s => s.Setting))} is not set "
                + $"(environment: {string.Join(" or ", security.Secrets.Select(s => s.Setting.Replace(":", "__", StringComparison.Ordinal)))}): "
                + $"the {adapter.Platform} webhook endpoint refuses to run without a secret (for local development only, set "
                + $"{security.AllowUnauthenticatedSetting}=true; or switch the platform off).");
        }

        if (adapter.MaxBodyBytes <= 0 || BodyBudget.ReservationFor(adapter.MaxBodyBytes) > budget.Capacity)
        {
            errors.Add($"the {adapter.Platform} body cap ({adapter.MaxBodyBytes} bytes) must be positive and fit "
                + $"{IntakeOptions.SectionName}:MaxBufferedBytes ({budget.Capacity} bytes; a body reserves whole 64 KiB segments and one more).");
        }

        return errors;
    }

    /// <summary>Says loudly at start when a platform's endpoint accepts unauthenticated deliveries.</summary>
    public void LogStart(IWebhookAdapter adapter, string route)
    {
        if (adapter.Security.HasNoSecret)
        {
            LogInsecureStart(Logger(adapter), adapter.Platform.Id, adapter.Security.AllowUnauthenticatedSetting, route);
        }
    }

    /// <summary>One delivery in its <c>reviewbot.delivery</c> span, counted by outcome.</summary>
    public async Task<WebhookAnswer> HandleAsync(IWebhookAdapter adapter, HttpRequest request, CancellationToken cancellationToken)
    {
        load.RecordDelivery();
        using var span = ReviewTracing.Source.StartActivity("reviewbot.delivery");
        var answer = await HandleDeliveryAsync(adapter, request, cancellationToken).ConfigureAwait(false);
        var outcome = metrics.RecordDelivery(adapter.Platform, answer);
        if (span is not null)
        {
            // Only what the intake decided: the platform, the outcome, and the event and key of an authenticated,
            // readable delivery (a refused one's headers are the sender's).
            span.SetTag("reviewbot.platform", adapter.Platform.Id);
            span.SetTag("reviewbot.outcome", outcome);
            span.SetTag("http.response.status_code", answer.StatusCode);
            if (answer.StatusCode < StatusCodes.Status300MultipleChoices)
            {
                span.SetTag("reviewbot.event", answer.Event);
                span.SetTag("reviewbot.delivery", answer.Delivery);
            }
        }

        return answer;
    }

    private async Task<WebhookAnswer> HandleDeliveryAsync(IWebhookAdapter adapter, HttpRequest request, CancellationToken cancellationToken)
    {
        var logger = Logger(adapter);
        var cap = adapter.MaxBodyBytes;
        if (request.ContentLength > cap)
        {
            return WebhookAnswer.Rejected(StatusCodes.Status413PayloadTooLarge, $"body larger than {cap} bytes");
        }

        var headers = request.Headers;
        var delivery = headers[adapter.DeliveryKeyHeader].ToString();
        var authentication = adapter.Authenticate(headers);
        using var verifier = authentication.BodyVerifier;
        if (authentication.Refusal is { } refusal)
        {
            LogRefused(logger, adapter.Platform.Id, Safe(delivery), refusal);
            return WebhookAnswer.Rejected(StatusCodes.Status401Unauthorized, refusal);
        }

        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return WebhookAnswer.Rejected(StatusCodes.Status415UnsupportedMediaType, "set the webhook's content type to application/json");
        }

        var evt = headers[adapter.EventHeader].ToString();
        if ((HeaderProblem(adapter.EventHeader, evt) ?? HeaderProblem(adapter.DeliveryKeyHeader, delivery)) is { } problem)
        {
            LogInvalid(logger, adapter.Platform.Id, Safe(delivery), Safe(evt), problem);
            return WebhookAnswer.Rejected(StatusCodes.Status400BadRequest, problem);
        }

        if (authentication.IsUnauthenticated)
        {
            LogInsecureDelivery(logger, adapter.Platform.Id, delivery);
        }

        var (body, failure) = await ReadBodyAsync(request, cap, verifier, cancellationToken).ConfigureAwait(false);
        using (body)
        {
            if (failure is not null)
            {
                return failure with { Delivery = delivery };
            }

            if (verifier?.Finish() is { } mismatch)
            {
                LogRefused(logger, adapter.Platform.Id, delivery, mismatch);
                return WebhookAnswer.Rejected(StatusCodes.Status401Unauthorized, mismatch);
            }

            return await MapAndAcceptAsync(adapter, logger, headers, body!.ToMemory(), delivery, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<WebhookAnswer> MapAndAcceptAsync(
        IWebhookAdapter adapter, ILogger logger, IHeaderDictionary headers, ReadOnlyMemory<byte> body, string delivery, CancellationToken cancellationToken)
    {
        WebhookMapping mapping;
        try
        {
            mapping = await adapter.MapAsync(headers, body, delivery, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The payload is the sender's: whatever it does to a mapper is a bad request, not a server error.
            LogMappingFailed(logger, ex, adapter.Platform.Id, delivery);
            return WebhookAnswer.Rejected(StatusCodes.Status400BadRequest, $"payload could not be read ({ex.GetType().Name})", delivery: delivery);
        }

        switch (mapping.Disposition)
        {
            case WebhookDisposition.Invalid:
                LogInvalid(logger, adapter.Platform.Id, delivery, Safe(mapping.Event), mapping.Reason);
                return WebhookAnswer.Rejected(StatusCodes.Status400BadRequest, mapping.Reason, mapping.Event, delivery);
            case WebhookDisposition.Ignore:
                LogIgnored(logger, adapter.Platform.Id, delivery, Safe(mapping.Event), mapping.Reason);
                return new WebhookAnswer(StatusCodes.Status200OK, "ignored", mapping.Event, mapping.Reason, delivery, []);
        }

        InboxOutcome outcome;
        try
        {
            outcome = await inbox.AcceptAsync(adapter.Platform.Id, delivery, mapping.Requests, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNotStored(logger, ex, adapter.Platform.Id, delivery);
            return WebhookAnswer.Rejected(StatusCodes.Status503ServiceUnavailable, "could not store the delivery; retry later", mapping.Event, delivery)
                with { RetryAfterSeconds = RetryAfterSeconds };
        }

        if (outcome == InboxOutcome.Duplicate)
        {
            LogDuplicate(logger, adapter.Platform.Id, delivery, mapping.Event);
            return new WebhookAnswer(StatusCodes.Status200OK, "duplicate", mapping.Event, "delivery already received", delivery, []);
        }

        var keys = mapping.Requests.Select(Describe).ToArray();
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogQueued(logger, adapter.Platform.Id, delivery, mapping.Event, string.Join(", ", keys));
        }

        return new WebhookAnswer(StatusCodes.Status202Accepted, "queued", mapping.Event, mapping.Reason, delivery, keys);
    }

    /// <summary>
    /// Reserves the body's bytes from the shared budget, then reads the body through the verifier. Either the body or
    /// the answer that ends the delivery.
    /// </summary>
    private async Task<(WebhookBody? Body, WebhookAnswer? Failure)> ReadBodyAsync(
        HttpRequest request, long cap, IBodyVerifier? verifier, CancellationToken cancellationToken)
    {
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = cap + 1;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_bodyTimeout);
        BodyBudget.Reservation reservation;
        try
        {
            reservation = await budget.ReserveAsync(BodyBudget.ReservationFor(request.ContentLength ?? cap), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, WebhookAnswer.Rejected(StatusCodes.Status503ServiceUnavailable, "too many large deliveries at once; retry later")
                with { RetryAfterSeconds = RetryAfterSeconds });
        }

        using (reservation)
        {
            try
            {
                var body = await WebhookBody.ReadAsync(request.Body, cap, verifier, budget.Segments, deadline.Token).ConfigureAwait(false);
                return body is null
                    ? (null, WebhookAnswer.Rejected(StatusCodes.Status413PayloadTooLarge, $"body larger than {cap} bytes"))
                    : (body, null);
            }
            catch (BadHttpRequestException ex)
            {
                // Kestrel's own limits and framing errors: its status (413 over the size limit, 400 truncated, 408 too slow).
                return (null, WebhookAnswer.Rejected(ex.StatusCode, $"body could not be read: {ex.Message}"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, WebhookAnswer.Rejected(StatusCodes.Status408RequestTimeout, $"body not received within {_bodyTimeout.TotalSeconds:0} s"));
            }
            catch (IOException ex)
            {
                return (null, WebhookAnswer.Rejected(StatusCodes.Status400BadRequest, $"body could not be read ({ex.GetType().Name})"));
            }
        }
    }

    /// <summary>A queued request as the answer lists it: the pull request, or the repository and head it is looked up by.</summary>
    private static string Describe(ReviewBot.Pipeline.Ports.ReviewRequest request)
        => request.Number > 0 ? request.PullRequestKey : $"{request.PullRequestKey}@{request.HeadSha ?? "*"}";

    /// <summary>Why a header the intake relies on is unusable: missing, longer than <see cref="MaxHeaderLength"/>, or not printable ASCII.</summary>
    private static string? HeaderProblem(string name, string value)
    {
        if (value.Length == 0)
        {
            return $"missing {name} header";
        }

        if (value.Length > MaxHeaderLength)
        {
            return $"{name} header longer than {MaxHeaderLength} characters";
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return $"{name} header has characters other than printable ASCII";
            }
        }

        return null;
    }

    private ILogger Logger(IWebhookAdapter adapter) => loggers.CreateLogger("ReviewBot.Webhooks." + adapter.Platform.Id);

    /// <summary>Header values are the sender's until authenticated: bound and strip them before logging.</summary>
    private static string Safe(string value)
    {
        if (value.Length == 0)
        {
            return "(none)";
        }

        var sb = new StringBuilder(Math.Min(value.Length, 64));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, 64)))
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ' ' ? c : '?');
        }

        return sb.ToString();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "INSECURE: no {Platform} webhook secret is set and {Setting} is on: {Route} accepts UNAUTHENTICATED deliveries from anyone. Use this for local development only.")]
    private static partial void LogInsecureStart(ILogger logger, string platform, string setting, string route);

    [LoggerMessage(Level = LogLevel.Warning, Message = "INSECURE: accepting {Platform} delivery {Delivery} without signature verification (no webhook secret is set)")]
    private static partial void LogInsecureDelivery(ILogger logger, string platform, string delivery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Platform} delivery {Delivery}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string platform, string delivery, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Platform} delivery {Delivery} ({Event}): {Reason}")]
    private static partial void LogInvalid(ILogger logger, string platform, string delivery, string @event, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Platform} delivery {Delivery} could not be mapped; answered 400")]
    private static partial void LogMappingFailed(ILogger logger, Exception exception, string platform, string delivery);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored {Platform} delivery {Delivery} ({Event}): {Reason}")]
    private static partial void LogIgnored(ILogger logger, string platform, string delivery, string @event, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate {Platform} delivery {Delivery} ({Event}) ignored")]
    private static partial void LogDuplicate(ILogger logger, string platform, string delivery, string @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Platform} delivery {Delivery}; answered 503 so it is redelivered")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string platform, string delivery);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Platform} delivery {Delivery} ({Event}): {Requests}")]
    private static partial void LogQueued(ILogger logger, string platform, string delivery, string @event, string requests);
}
