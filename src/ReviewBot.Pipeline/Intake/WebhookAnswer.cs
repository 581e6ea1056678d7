using System.Text.Json.Serialization;

namespace ReviewBot.Pipeline.Intake;

/// <summary>
/// The one answer of every webhook endpoint. JSON: <c>status</c> (queued, duplicate, ignored, rejected), <c>event</c>,
/// <c>reason</c>, <c>delivery</c> (the de-duplication key, once known) and <c>requests</c> (the pull requests queued).
/// </summary>
public sealed record WebhookAnswer(
    [property: JsonIgnore] int StatusCode,
    string Status,
    string? Event,
    string Reason,
    string? Delivery,
    IReadOnlyList<string> Requests)
{
    /// <summary>Seconds after which a 503 may be retried (sent as <c>Retry-After</c>); null otherwise.</summary>
    [JsonIgnore]
    public int? RetryAfterSeconds { get; init; }

    public static WebhookAnswer Rejected(int statusCode, string reason, string? evt = null, string? delivery = null)
        => new(statusCode, "rejected", evt, reason, delivery, []);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WebhookAnswer))]
public sealed partial class WebhookAnswerJsonContext : JsonSerializerContext;
