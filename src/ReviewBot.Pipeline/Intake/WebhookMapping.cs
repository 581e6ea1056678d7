using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Pipeline.Intake;

/// <summary>What an authenticated delivery means for the bot, on every platform.</summary>
public enum WebhookDisposition
{
    /// <summary>Requests to evaluate: hand them to the inbox and answer 202.</summary>
    Queue,

    /// <summary>A valid delivery the bot does not act on (other event, closed pull request, ping): answer 200.</summary>
    Ignore,

    /// <summary>The delivery is malformed (missing header, body that does not parse): answer 400.</summary>
    Invalid,
}

/// <summary>A platform adapter's reading of one authenticated delivery, and why.</summary>
/// <param name="Event">The platform's event, as the adapter names it (e.g. <c>pull_request.opened</c>, <c>merge_request.update.push</c>).</param>
public sealed record WebhookMapping(WebhookDisposition Disposition, string Event, string Reason, IReadOnlyList<ReviewRequest> Requests)
{
    public static WebhookMapping Queue(string evt, string reason, params IReadOnlyList<ReviewRequest> requests)
        => new(WebhookDisposition.Queue, evt, reason, requests);

    public static WebhookMapping Ignore(string evt, string reason) => new(WebhookDisposition.Ignore, evt, reason, []);

    public static WebhookMapping Invalid(string evt, string reason) => new(WebhookDisposition.Invalid, evt, reason, []);
}
