using System.Text;
using Microsoft.AspNetCore.Http;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Intake;

namespace ReviewBot.GitHub.Webhooks;

/// <summary>
/// GitHub's part of the one webhook intake: <c>X-Hub-Signature-256</c> (HMAC-SHA256 of the body, checked as the body
/// streams in), the de-duplication key <c>X-GitHub-Delivery</c> (GitHub's id of the delivery, the same on
/// redelivery), and the mapping of Octokit.Webhooks events.
/// </summary>
public sealed class GitHubWebhookAdapter(GitHubOptions options, GitHubWebhookMapper mapper) : IWebhookAdapter
{
    private readonly byte[]? _key = string.IsNullOrEmpty(options.WebhookSecret) ? null : Encoding.UTF8.GetBytes(options.WebhookSecret);

    public Platform Platform => Platform.GitHub;

    public long MaxBodyBytes => options.MaxPayloadBytes;

    public string EventHeader => GitHubWebhookMapper.EventHeader;

    public string DeliveryKeyHeader => GitHubWebhookMapper.DeliveryHeader;

    public WebhookSecurity Security { get; } = new(
        [($"{GitHubOptions.SectionName}:WebhookSecret", options.WebhookSecret)],
        $"{GitHubOptions.SectionName}:AllowUnsignedWebhooks",
        options.AllowUnsignedWebhooks);

    public WebhookAuthentication Authenticate(IHeaderDictionary headers)
    {
        if (_key is null)
        {
            return WebhookAuthentication.Unauthenticated;
        }

        return WebhookSignature.Parse(headers[WebhookSignature.HeaderName].ToString(), out var offered) switch
        {
            SignatureCheck.Valid => WebhookAuthentication.VerifyBody(WebhookSignature.BodyVerifier(_key, offered)),
            SignatureCheck.Missing => WebhookAuthentication.Refused($"missing {WebhookSignature.HeaderName}"),
            _ => WebhookAuthentication.Refused($"invalid {WebhookSignature.HeaderName}"),
        };
    }

    public ValueTask<WebhookMapping> MapAsync(IHeaderDictionary headers, ReadOnlyMemory<byte> body, string deliveryKey, CancellationToken cancellationToken)
        => mapper.MapAsync(headers, body, cancellationToken);
}
