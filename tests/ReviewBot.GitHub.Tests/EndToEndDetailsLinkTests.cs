using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.GitHub.Tests.Support;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Real host + real engine + fake GitHub: with a public base URL and a signing key, the check run's details URL is a
/// signed link to the host's details page, which opens (200) and shows the decision; without them nothing is linked.
/// </summary>
public sealed class EndToEndDetailsLinkTests
{
    private const string PublicBase = "https://reviewbot.example.com";

    [Fact]
    public async Task The_check_run_links_to_the_details_page_with_a_signed_link_that_opens_it()
    {
        await using var e2e = await EndToEnd.StartAsync(github => EndToEndEnforcementTests.Arrange(github), new Dictionary<string, string?>
        {
            ["ReviewBot:Details:BaseUrl"] = PublicBase,
            ["ReviewBot:Details:Keys:0"] = "e2e-details-signing-key-0123456789abcdef",
        });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");
        await e2e.Host.DeliverAsync(evt, body, "details-1", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));

        var run = Assert.Single(e2e.GitHub.CheckRuns);
        var link = new Uri((string?)run["details_url"] ?? throw new Xunit.Sdk.XunitException("the check run has no details_url"));
        Assert.Equal(PublicBase, link.GetLeftPart(UriPartial.Authority));
        Assert.Equal($"/reviews/github/{EndToEnd.Repo}/2", link.AbsolutePath);

        // The public base URL fronts this host: the same path and query, asked of the host itself.
        var page = await e2e.Host.Http.GetAsync(new Uri(e2e.Host.Address, link.PathAndQuery));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(record.Decision!.Title), html, StringComparison.Ordinal);
        Assert.Contains("no-referrer", page.Headers.GetValues("Referrer-Policy"));
    }

    [Fact]
    public async Task Without_a_base_url_the_check_run_links_nothing_and_the_page_does_not_exist()
    {
        await using var e2e = await EndToEnd.StartAsync(github => EndToEndEnforcementTests.Arrange(github));
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");
        await e2e.Host.DeliverAsync(evt, body, "details-2", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(1);

        Assert.Null(Assert.Single(e2e.GitHub.CheckRuns)["details_url"] as JsonValue);
        Assert.Equal(HttpStatusCode.NotFound, (await e2e.Host.Http.GetAsync(new Uri(e2e.Host.Address, $"/reviews/github/{EndToEnd.Repo}/2"))).StatusCode);
    }
}
