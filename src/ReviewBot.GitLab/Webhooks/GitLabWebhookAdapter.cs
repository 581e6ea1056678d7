using Microsoft.AspNetCore.Http;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Intake;

namespace ReviewBot.GitLab.Webhooks;

/// <summary>
/// GitLab's part of the one webhook intake: the secret token and/or the signing token (<see cref="GitLabWebhookVerifier"/>),
/// the de-duplication key, and the mapping of merge request, note and pipeline events.
/// <para>
/// The key is the signed <c>webhook-id</c> when a signing token is configured (an unsigned header could be changed on a
/// replayed delivery). In token-only mode it is <c>Idempotency-Key</c> (GitLab 17.4+): the one id GitLab keeps across
/// retries and "Resend Request"; it comes from whoever holds the token, like everything else in that mode.
/// <c>X-Gitlab-Event-UUID</c> is not used: recursive webhooks share it.
/// </para>
/// </summary>
public sealed class GitLabWebhookAdapter(GitLabOptions options, GitLabWebhookVerifier verifier, TimeProvider time) : IWebhookAdapter
{
    public const string EventHeaderName = "X-Gitlab-Event";

    public Platform Platform => Platform.GitLab;

    public long MaxBodyBytes => options.MaxBodyBytes;

    public string EventHeader => EventHeaderName;

    public string DeliveryKeyHeader => verifier.IsSigned ? "webhook-id" : "Idempotency-Key";

    public WebhookSecurity Security { get; } = new(
        [($"{GitLabOptions.SectionName}:WebhookSecret", options.WebhookSecret), ($"{GitLabOptions.SectionName}:SigningSecret", options.SigningSecret)],
        $"{GitLabOptions.SectionName}:AllowUnauthenticatedWebhooks",
        options.AllowUnauthenticatedWebhooks);

    public WebhookAuthentication Authenticate(IHeaderDictionary headers) => verifier.Authenticate(headers);

    public ValueTask<WebhookMapping> MapAsync(IHeaderDictionary headers, ReadOnlyMemory<byte> body, string deliveryKey, CancellationToken cancellationToken)
        => ValueTask.FromResult(GitLabWebhookMapper.Map(headers[EventHeaderName].ToString(), body.Span, deliveryKey, time.GetUtcNow()));
}
