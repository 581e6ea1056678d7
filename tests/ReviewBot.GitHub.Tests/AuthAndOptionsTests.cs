using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.GitHub.Tests;

public sealed class AuthAndOptionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    [Fact]
    public void App_jwt_is_rs256_signed_with_iat_60s_back_and_exp_under_10_minutes()
    {
        using var rsa = RSA.Create(2048);
        using var key = GitHubAppJwt.LoadKey(rsa.ExportRSAPrivateKeyPem());

        var jwt = GitHubAppJwt.Create("4711", key, Now);

        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal(4711, payload.RootElement.GetProperty("iss").GetInt64());
        Assert.Equal(Now.AddSeconds(-60).ToUnixTimeSeconds(), payload.RootElement.GetProperty("iat").GetInt64());
        var exp = payload.RootElement.GetProperty("exp").GetInt64();
        Assert.True(exp > Now.ToUnixTimeSeconds() && exp <= Now.AddMinutes(10).ToUnixTimeSeconds());
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void A_client_id_is_used_as_a_string_issuer_and_pkcs8_keys_load()
    {
        using var rsa = RSA.Create(2048);
        using var key = GitHubAppJwt.LoadKey(rsa.ExportPkcs8PrivateKeyPem());

        var jwt = GitHubAppJwt.Create("Iv23liExample", key, Now);

        using var payload = JsonDocument.Parse(FromBase64Url(jwt.Split('.')[1]));
        Assert.Equal("Iv23liExample", payload.RootElement.GetProperty("iss").GetString());
    }

    [Fact]
    public void Environment_style_escaped_newlines_in_the_key_are_accepted()
    {
        using var rsa = RSA.Create(2048);
        var oneLine = rsa.ExportRSAPrivateKeyPem().ReplaceLineEndings("\\n");

        using var key = GitHubAppJwt.LoadKey(oneLine);

        Assert.Equal(2048, key.KeySize);
    }

    [Fact]
    public void A_bad_key_fails_without_echoing_it()
    {
        const string bad = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END RSA PRIVATE KEY-----";

        var ex = Assert.Throws<InvalidOperationException>(() => GitHubAppJwt.LoadKey(bad));

        Assert.DoesNotContain("c2VjcmV0", ex.Message);
        Assert.Contains("ReviewBot:GitHub:PrivateKey", ex.Message);
    }

    [Theory]
    [InlineData("https://api.github.com/", "https://api.github.com/graphql")]
    [InlineData("https://api.github.com", "https://api.github.com/graphql")]
    [InlineData("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql")]
    [InlineData("https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql")]
    public void GraphQL_endpoint_follows_the_api_base_url_including_enterprise_server(string api, string graphql)
        => Assert.Equal(new Uri(graphql), new GitHubOptions { ApiBaseUrl = api }.GraphQLUri);

    [Fact]
    public void Options_validation_names_every_problem_without_secret_values()
    {
        var options = new GitHubOptions { AppId = "1", ApiBaseUrl = "not a url", ReportAs = "email", CheckName = " ", Token = "ghp_secret_value" };

        var errors = options.Validate();

        // The webhook secret is the intake's start-up validation (ReviewBot.Host.Tests, WebhookIntakeTests).
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("PrivateKey", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("auto, check-run, status", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("ghp_secret_value", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_never_print_their_secrets()
    {
        var options = new GitHubOptions { WebhookSecret = "whsec-value", Token = "ghp-value", PrivateKey = "pem-value" };

        var text = options.ToString();

        Assert.DoesNotContain("whsec-value", text);
        Assert.DoesNotContain("ghp-value", text);
        Assert.DoesNotContain("pem-value", text);
    }
}
