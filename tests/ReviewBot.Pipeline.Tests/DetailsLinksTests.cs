using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Details;
using ReviewBot.TestSupport;

namespace ReviewBot.Pipeline.Tests;

/// <summary>Signed details links: their shape and validity, key rotation, and what a verifier tells apart.</summary>
public sealed class DetailsLinksTests
{
    private const string Key = "details-links-test-key-0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 15, 30, 0, TimeSpan.Zero);

    private static DetailsOptions Options(params string[] keys) => new() { BaseUrl = "https://bot.example.com/", Keys = [.. keys] };

    private static (string Expires, string Signature) Query(string link)
    {
        var query = new Uri(link).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return (query["expires"], query["sig"]);
    }

    [Fact]
    public void A_link_names_the_pull_request_and_expires_at_the_first_midnight_after_the_validity()
    {
        var link = new DetailsLinks(Options(Key), new ManualClock(Now)).Create(Platform.GitHub, "acme/api", 12)!;

        Assert.StartsWith("https://bot.example.com/reviews/github/acme/api/12?expires=", link, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2027, 1, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Query(link).Expires);
    }

    [Fact]
    public void Links_made_the_same_day_are_the_same_so_an_unchanged_decision_posts_an_unchanged_status()
    {
        var clock = new ManualClock(Now);
        var links = new DetailsLinks(Options(Key), clock);
        var first = links.Create(Platform.GitLab, "acme/backend/api", 7);
        clock.Advance(TimeSpan.FromHours(8));

        Assert.Equal(first, links.Create(Platform.GitLab, "acme/backend/api", 7));
        Assert.StartsWith("https://bot.example.com/reviews/gitlab/acme/backend/api/7?", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_base_url_or_a_key_nothing_is_linked()
    {
        Assert.Null(new DetailsLinks(new DetailsOptions { Keys = [Key] }, TimeProvider.System).Create(Platform.GitHub, "acme/api", 12));
        Assert.Null(new DetailsLinks(new DetailsOptions { BaseUrl = "https://bot.example.com" }, TimeProvider.System).Create(Platform.GitHub, "acme/api", 12));
    }

    [Fact]
    public void A_link_verifies_until_it_expires_and_is_then_expired_not_invalid()
    {
        var clock = new ManualClock(Now);
        var links = new DetailsLinks(Options(Key), clock);
        var (expires, signature) = Query(links.Create(Platform.GitHub, "acme/api", 12)!);

        Assert.Equal(DetailsLinkCheck.Valid, links.Verify("github", "acme/api", 12, expires, signature));
        Assert.Equal(DetailsLinkCheck.Valid, links.Verify("github", "ACME/Api", 12, expires, signature)); // GitHub names are case-insensitive
        clock.Advance(TimeSpan.FromDays(32));
        Assert.Equal(DetailsLinkCheck.Expired, links.Verify("github", "acme/api", 12, expires, signature));
    }

    [Fact]
    public void A_signature_for_anything_else_or_under_an_unknown_key_is_invalid_even_when_expired()
    {
        var clock = new ManualClock(Now);
        var (expires, signature) = Query(new DetailsLinks(Options(Key), clock).Create(Platform.GitHub, "acme/api", 12)!);
        var verifier = new DetailsLinks(Options(Key), clock);

        Assert.Equal(DetailsLinkCheck.Invalid, verifier.Verify("github", "acme/api", 13, expires, signature));
        Assert.Equal(DetailsLinkCheck.Invalid, verifier.Verify("gitlab", "acme/api", 12, expires, signature));
        Assert.Equal(DetailsLinkCheck.Invalid, verifier.Verify("github", "acme/web", 12, expires, signature));
        Assert.Equal(DetailsLinkCheck.Invalid, verifier.Verify("github", "acme/api", 12, "1", signature));
        Assert.Equal(DetailsLinkCheck.Invalid, verifier.Verify("github", "acme/api", 12, expires, null));
        Assert.Equal(DetailsLinkCheck.Invalid, verifier.Verify("github", "acme/api", 12, expires, "not base64url!"));
        Assert.Equal(DetailsLinkCheck.Invalid, new DetailsLinks(Options("another-key-0123456789abcdef-0123456789"), clock).Verify("github", "acme/api", 12, expires, signature));
    }

    [Fact]
    public void Links_are_signed_with_the_first_key_and_accepted_under_any()
    {
        var clock = new ManualClock(Now);
        const string newKey = "details-links-new-key-0123456789abcdef";
        var (oldExpires, oldSignature) = Query(new DetailsLinks(Options(Key), clock).Create(Platform.GitHub, "acme/api", 12)!);
        var rotated = new DetailsLinks(Options(newKey, Key), clock);
        var (expires, signature) = Query(rotated.Create(Platform.GitHub, "acme/api", 12)!);

        Assert.Equal(DetailsLinkCheck.Valid, rotated.Verify("github", "acme/api", 12, oldExpires, oldSignature));
        Assert.Equal(DetailsLinkCheck.Valid, new DetailsLinks(Options(newKey), clock).Verify("github", "acme/api", 12, expires, signature));
        Assert.Equal(DetailsLinkCheck.Invalid, new DetailsLinks(Options(Key), clock).Verify("github", "acme/api", 12, expires, signature));
    }

    [Fact]
    public void Settings_that_cannot_work_are_named_without_echoing_keys()
    {
        var problems = new DetailsOptions { BaseUrl = "bot.example.com", Keys = ["k3y-secret"], Validity = TimeSpan.Zero }.Validate();

        Assert.Contains(problems, p => p.Contains("BaseUrl must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Keys:0 is shorter than 32 characters", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Validity must be positive", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("k3y-secret", StringComparison.Ordinal));
        Assert.Empty(Options(Key).Validate());
        Assert.Empty(new DetailsOptions().Validate());
    }
}
