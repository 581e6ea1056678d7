using Microsoft.AspNetCore.Http;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Pipeline.Intake;

/// <summary>
/// What one platform supplies to the <see cref="WebhookIntake"/>: how a delivery is authenticated (from its headers,
/// then over its body as it streams in), which header carries its de-duplication key, and how an authenticated
/// delivery maps to review requests. Reading, capping, answering, de-duplicating and logging are the intake's.
/// </summary>
public interface IWebhookAdapter
{
    /// <summary>The platform: its id is the inbox's key space (<c>github</c>, <c>gitlab</c>) and the logs'.</summary>
    Platform Platform { get; }

    /// <summary>Largest body accepted, in bytes (413 above).</summary>
    long MaxBodyBytes { get; }

    /// <summary>The header naming the event (its value is capped in length by the intake).</summary>
    string EventHeader { get; }

    /// <summary>
    /// The header that carries the de-duplication key: signed, or issued by the platform and authenticated with the
    /// delivery. Its value is required, printable ASCII and at most <see cref="WebhookIntake.MaxHeaderLength"/> long.
    /// </summary>
    string DeliveryKeyHeader { get; }

    /// <summary>The secrets and the development switch the one start-up validation checks.</summary>
    WebhookSecurity Security { get; }

    /// <summary>
    /// The header phase of authentication: refuses (401) what the headers already condemn — a missing or malformed
    /// signature, a wrong token, a stale timestamp — before a byte of the body is read.
    /// </summary>
    WebhookAuthentication Authenticate(IHeaderDictionary headers);

    /// <summary>Maps an authenticated delivery (its key checked, its body complete) to what the bot should do.</summary>
    ValueTask<WebhookMapping> MapAsync(IHeaderDictionary headers, ReadOnlyMemory<byte> body, string deliveryKey, CancellationToken cancellationToken);
}

/// <summary>A platform's webhook secrets as configured, for the one start-up validation.</summary>
/// <param name="Secrets">Each secret's setting name and value (null or empty: not set).</param>
/// <param name="AllowUnauthenticatedSetting">The development switch's setting name.</param>
/// <param name="AllowUnauthenticated">Its value.</param>
public sealed record WebhookSecurity(IReadOnlyList<(string Setting, string? Value)> Secrets, string AllowUnauthenticatedSetting, bool AllowUnauthenticated)
{
    /// <summary>True when no secret is set (the development switch then decides whether the endpoint runs).</summary>
    public bool HasNoSecret => Secrets.All(s => string.IsNullOrEmpty(s.Value));
}

/// <summary>The outcome of a delivery's header phase of authentication.</summary>
public sealed class WebhookAuthentication
{
    private WebhookAuthentication(string? refusal, IBodyVerifier? bodyVerifier, bool unauthenticated)
    {
        Refusal = refusal;
        BodyVerifier = bodyVerifier;
        IsUnauthenticated = unauthenticated;
    }

    /// <summary>Why the delivery is refused (401); null when it may proceed.</summary>
    public string? Refusal { get; }

    /// <summary>The check the body must pass as it streams in; null when the headers sufficed.</summary>
    public IBodyVerifier? BodyVerifier { get; }

    /// <summary>True when nothing was verified (no secret, development switch on): logged loudly per delivery.</summary>
    public bool IsUnauthenticated { get; }

    /// <summary>The headers authenticate the delivery (a matching token); the body needs no check.</summary>
    public static WebhookAuthentication Authenticated { get; } = new(null, null, false);

    /// <summary>No secret is configured and the development switch is on.</summary>
    public static WebhookAuthentication Unauthenticated { get; } = new(null, null, true);

    public static WebhookAuthentication Refused(string reason) => new(reason, null, false);

    public static WebhookAuthentication VerifyBody(IBodyVerifier verifier) => new(null, verifier, false);
}

/// <summary>A check computed over the body while it streams in (no copy of the body is needed for it).</summary>
public interface IBodyVerifier : IDisposable
{
    void Append(ReadOnlySpan<byte> chunk);

    /// <summary>Null when the body is authentic, else why not (answered 401).</summary>
    string? Finish();
}
