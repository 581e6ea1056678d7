using System.Text;
using ReviewBot.GitHub.Webhooks;

namespace ReviewBot.GitHub.Tests;

public sealed class WebhookSignatureTests
{
    // GitHub's published test vector (docs: "Validating webhook deliveries").
    private const string Secret = "It's a Secret to Everybody";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("Hello, World!");
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void Computes_githubs_published_test_vector()
        => Assert.Equal(Expected, WebhookSignature.Compute(Secret, Payload));

    [Fact]
    public void Accepts_the_published_signature_in_lower_and_upper_case_hex()
    {
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Verify(Secret, Payload, Expected));
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Verify(Secret, Payload, "sha256=" + Expected["sha256=".Length..].ToUpperInvariant()));
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureCheck.Malformed)]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureCheck.Malformed)]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureCheck.Malformed)]
    [InlineData("sha256=757107ea0eb2509fc2", SignatureCheck.Malformed)]
    [InlineData("sha256=857107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureCheck.Mismatch)]
    public void Rejects_missing_malformed_and_wrong_signatures(string? header, SignatureCheck expected)
        => Assert.Equal(expected, WebhookSignature.Verify(Secret, Payload, header));

    [Fact]
    public void A_different_secret_or_body_does_not_verify()
    {
        Assert.Equal(SignatureCheck.Mismatch, WebhookSignature.Verify("another secret", Payload, Expected));
        Assert.Equal(SignatureCheck.Mismatch, WebhookSignature.Verify(Secret, Encoding.UTF8.GetBytes("Hello, World?"), Expected));
    }
}
