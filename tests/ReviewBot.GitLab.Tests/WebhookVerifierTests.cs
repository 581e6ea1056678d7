using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using ReviewBot.GitLab.Webhooks;

namespace ReviewBot.GitLab.Tests;

public sealed class WebhookVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);
    private static readonly string SigningSecret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"object_kind":"merge_request"}""");

    private static GitLabWebhookVerifier Verifier(string? token = null, string? signing = null, bool allowUnauthenticated = false)
        => new(new GitLabOptions { WebhookSecret = token, SigningSecret = signing, AllowUnauthenticatedWebhooks = allowUnauthenticated }, new ManualClock(Now));

    private static HeaderDictionary Signed(long timestamp, string? signature = null, string id = "msg_1")
        => new()
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = signature ?? GitLabWebhookVerifier.Sign(SigningSecret, id, timestamp, Body),
        };

    [Fact]
    public void Matching_token_is_accepted()
        => Assert.True(Verifier(token: "s3cret").Verify(new HeaderDictionary { ["X-Gitlab-Token"] = "s3cret" }, Body).Accepted);

    [Theory]
    [InlineData(null, "missing X-Gitlab-Token")]
    [InlineData("", "missing X-Gitlab-Token")]
    [InlineData("s3creT", "X-Gitlab-Token does not match")]
    [InlineData("s3cret ", "X-Gitlab-Token does not match")]
    public void Wrong_or_missing_token_is_refused(string? token, string reason)
    {
        var headers = new HeaderDictionary();
        if (token is not null)
        {
            headers["X-Gitlab-Token"] = token;
        }

        var result = Verifier(token: "s3cret").Verify(headers, Body);
        Assert.False(result.Accepted);
        Assert.Equal(reason, result.Failure);
    }

    [Fact]
    public void Signature_is_hmac_sha256_of_id_timestamp_body_under_the_decoded_key()
    {
        // Independent computation of the Standard Webhooks signature.
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("msg_1.1764165600." + Encoding.UTF8.GetString(Body))));

        Assert.Equal(expected, GitLabWebhookVerifier.Sign(SigningSecret, "msg_1", 1764165600, Body));
    }

    [Fact]
    public void Valid_signature_is_accepted_among_several()
    {
        var ts = Now.ToUnixTimeSeconds();
        var good = GitLabWebhookVerifier.Sign(SigningSecret, "msg_1", ts, Body);
        var headers = Signed(ts, "v1,AAAA " + "v2,whatever " + good);

        Assert.True(Verifier(signing: SigningSecret).Verify(headers, Body).Accepted);
    }

    [Fact]
    public void Tampered_body_is_refused()
    {
        var headers = Signed(Now.ToUnixTimeSeconds());
        var result = Verifier(signing: SigningSecret).Verify(headers, Encoding.UTF8.GetBytes("""{"object_kind":"merge_request "}"""));

        Assert.Equal("webhook-signature does not match", result.Failure);
    }

    [Fact]
    public void Signature_under_another_key_is_refused()
    {
        var other = "whsec_" + Convert.ToBase64String(new byte[32]);
        var ts = Now.ToUnixTimeSeconds();
        var headers = Signed(ts, GitLabWebhookVerifier.Sign(other, "msg_1", ts, Body));

        Assert.Equal("webhook-signature does not match", Verifier(signing: SigningSecret).Verify(headers, Body).Failure);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Stale_or_future_timestamps_are_refused(int offsetSeconds)
    {
        var headers = Signed(Now.ToUnixTimeSeconds() + offsetSeconds);
        var result = Verifier(signing: SigningSecret).Verify(headers, Body);

        Assert.Equal("webhook-timestamp is outside the accepted 5 minutes", result.Failure);
    }

    [Fact]
    public void Timestamps_within_five_minutes_are_accepted()
    {
        Assert.True(Verifier(signing: SigningSecret).Verify(Signed(Now.ToUnixTimeSeconds() - 299), Body).Accepted);
        Assert.True(Verifier(signing: SigningSecret).Verify(Signed(Now.ToUnixTimeSeconds() + 299), Body).Accepted);
    }

    [Fact]
    public void Missing_signature_headers_are_refused_when_a_signing_secret_is_configured()
    {
        var result = Verifier(signing: SigningSecret).Verify(new HeaderDictionary(), Body);

        Assert.Equal("missing webhook-id, webhook-timestamp or webhook-signature", result.Failure);
    }

    [Fact]
    public void Non_numeric_timestamp_is_refused()
    {
        var headers = Signed(Now.ToUnixTimeSeconds());
        headers["webhook-timestamp"] = "2026-11-26T14:00:00Z";

        Assert.Equal("webhook-timestamp is not a Unix time in seconds", Verifier(signing: SigningSecret).Verify(headers, Body).Failure);
    }

    [Fact]
    public void Both_secrets_configured_need_both()
    {
        var verifier = Verifier(token: "s3cret", signing: SigningSecret);
        var signedOnly = Signed(Now.ToUnixTimeSeconds());
        Assert.Equal("missing X-Gitlab-Token", verifier.Verify(signedOnly, Body).Failure);

        signedOnly["X-Gitlab-Token"] = "s3cret";
        Assert.True(verifier.Verify(signedOnly, Body).Accepted);
    }

    [Fact]
    public void Without_a_secret_nothing_is_verified_and_the_delivery_says_so()
    {
        // The intake's start-up validation refuses this unless AllowUnauthenticatedWebhooks is on (WebhookEndpointTests).
        Assert.True(Verifier(allowUnauthenticated: true).Authenticate(new HeaderDictionary()).IsUnauthenticated);
        Assert.True(Verifier(allowUnauthenticated: true).Verify(new HeaderDictionary(), Body).Accepted);
        Assert.False(Verifier(token: "s3cret").Authenticate(new HeaderDictionary { ["X-Gitlab-Token"] = "s3cret" }).IsUnauthenticated);
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("not-a-signing-token")]
    [InlineData("whsec_***")]
    public void Signing_secrets_that_are_not_whsec_tokens_are_rejected(string secret)
    {
        Assert.Null(GitLabWebhookVerifier.DecodeSigningKey(secret));
        Assert.Contains(new GitLabOptions { Token = "t", SigningSecret = secret }.Validate(), e => e.Contains("SigningSecret must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_never_print_their_secrets()
    {
        var text = new GitLabOptions { Token = "glpat-abc", WebhookSecret = "hook-xyz", SigningSecret = SigningSecret }.ToString();

        Assert.DoesNotContain("glpat-abc", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hook-xyz", text, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", text, StringComparison.Ordinal);
        Assert.Contains("Token = (set)", text, StringComparison.Ordinal);
    }
}
