using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Details;
using ReviewBot.Pipeline.Replay;

namespace ReviewBot.Host.Tests;

/// <summary>
/// The details page over plain HTTP (no browser): who gets a 404 and what it says, what the page holds, how the
/// pipeline links it, and the host refusing to start with a base URL but no key.
/// </summary>
public sealed class DetailsPageHttpTests(RecordedDecisionHost host) : IClassFixture<RecordedDecisionHost>
{
    private static readonly HttpClient Http = new();

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri url)
    {
        using var response = await Http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Uri Unsigned(string path) => new(host.Address, path);

    [Fact]
    public async Task A_signed_link_opens_the_page_with_the_recorded_decision()
    {
        var (status, html) = await GetAsync(host.Link());

        Assert.Equal(HttpStatusCode.OK, status);
        var decision = host.Recorded.Decision!;
        Assert.Contains(WebUtility.HtmlEncode(decision.Title), html, StringComparison.Ordinal);
        var approval = Assert.Single(decision.Approvals);
        Assert.Contains($"{approval.Approved} of {approval.Required} approval(s)", html, StringComparison.Ordinal);
        Assert.NotEmpty(host.Recorded.Risk!.Findings);
        Assert.All(host.Recorded.Risk.Findings, f => Assert.Contains($"data-rule=\"{f.RuleId}\"", html, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Everything_from_the_change_and_the_rules_is_html_encoded_and_secrets_are_masked()
    {
        var (_, html) = await GetAsync(host.Link());

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>now</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>today</i>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;now&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;i&gt;today&lt;/i&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal); // the excerpt, from the recorded content
        Assert.DoesNotContain(RecordedDecisionHost.Token, html, StringComparison.Ordinal);
        Assert.Contains("ledger token [redacted]", html, StringComparison.Ordinal);
        Assert.DoesNotContain(RecordedDecisionHost.SigningKey, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_timeline_lists_every_evaluation_of_the_pull_request()
    {
        var (_, html) = await GetAsync(host.Link());

        Assert.Equal(2, host.Timeline.Count);
        Assert.Contains("head <code>1111111</code> · pull_request.opened", html, StringComparison.Ordinal);
        Assert.Contains("head <code>2222222</code> · pull_request_review.submitted", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_is_served_without_scripts_or_external_assets_and_keeps_its_link_from_other_sites()
    {
        using var response = await Http.GetAsync(host.Link());
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.StartsWith("default-src 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Without_a_signature_the_answer_is_404_with_nothing_rendered()
    {
        var (status, body) = await GetAsync(Unsigned($"/reviews/github/{RecordedDecisionHost.Repository}/{RecordedDecisionHost.Number}"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task A_tampered_signature_expiry_or_pull_request_is_404_with_nothing_rendered()
    {
        var link = host.Link().ToString();
        var signature = link[(link.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        var flipped = link[..^signature.Length] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        var expires = link[(link.IndexOf("expires=", StringComparison.Ordinal) + 8)..link.IndexOf('&', StringComparison.Ordinal)];
        var extended = link.Replace("expires=" + expires, "expires=" + (long.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) + 86_400), StringComparison.Ordinal);
        var otherNumber = link.Replace($"/{RecordedDecisionHost.Number}?", $"/{RecordedDecisionHost.Number + 1}?", StringComparison.Ordinal);
        var otherPlatform = link.Replace("/reviews/github/", "/reviews/gitlab/", StringComparison.Ordinal);

        foreach (var tampered in new[] { flipped, extended, otherNumber, otherPlatform, link + "&sig=" + signature, link.Replace("sig=", "sig=%%", StringComparison.Ordinal) })
        {
            var (status, body) = await GetAsync(new Uri(tampered));
            Assert.True(status == HttpStatusCode.NotFound, $"{tampered}: {status}");
            Assert.Equal("", body);
        }
    }

    [Fact]
    public async Task A_link_signed_with_a_key_no_longer_configured_is_404()
    {
        var (status, body) = await GetAsync(host.Link(Platform.GitHub, RecordedDecisionHost.Repository, RecordedDecisionHost.Number, key: "a-key-the-host-never-had-0123456789abcdef"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task A_link_signed_with_the_second_key_still_opens_so_keys_can_rotate()
    {
        var (status, _) = await GetAsync(host.Link(Platform.GitHub, RecordedDecisionHost.Repository, RecordedDecisionHost.Number, key: RecordedDecisionHost.RetiredKey));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task An_expired_link_is_404_and_says_to_re_run_the_check_for_a_fresh_link()
    {
        var (status, body) = await GetAsync(host.ExpiredLink());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("expired", body, StringComparison.Ordinal);
        Assert.Contains("Re-run the ReviewBot check", body, StringComparison.Ordinal);
        Assert.DoesNotContain(WebUtility.HtmlEncode(host.Recorded.Decision!.Title), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gitlab_project_in_nested_groups_keeps_its_groups_in_the_path()
    {
        var link = host.Link(Platform.GitLab, RecordedDecisionHost.GitLabProject, RecordedDecisionHost.GitLabNumber);
        var (status, html) = await GetAsync(link);

        Assert.Equal("/reviews/gitlab/acme/backend/api/7", link.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("acme/backend/api#7", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_link_to_a_pull_request_without_recorded_evaluations_is_404()
    {
        var (status, body) = await GetAsync(host.Link(Platform.GitHub, "acme/unknown", 1));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Each_evaluation_writes_a_fresh_signed_link_into_the_plan_and_it_opens_the_page()
    {
        Assert.Equal(2, host.Plans.Count);
        foreach (var plan in host.Plans)
        {
            var link = new Uri(plan.DetailsUrl!);
            Assert.Equal(RecordedDecisionHost.PublicBase, link.GetLeftPart(UriPartial.Authority));
            var (status, _) = await GetAsync(new Uri(host.Address, link.PathAndQuery));
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }

    [Fact]
    public async Task The_recorded_evaluation_behind_the_page_is_the_latest_decision()
    {
        var evaluation = await host.App.Services.GetRequiredService<IEvaluationStore>().GetAsync(host.Recorded.Id);

        Assert.NotNull(evaluation);
        Assert.Equal(RecordedDecisionHost.Head, evaluation.Snapshot.HeadSha);
        Assert.Contains(evaluation.Contents, c => c.Path == RecordedDecisionHost.ControllerPath);
    }
}

/// <summary>Settings of the details page: the host refuses to start unsafely, and stays dark when unconfigured.</summary>
public sealed class DetailsPageSettingsTests : IDisposable
{
    private readonly LoopbackHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void A_base_url_without_a_signing_key_stops_the_host_with_a_message_naming_the_setting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => _host.Build(new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:WebhookSecret"] = "details-host-webhook-secret",
            ["ReviewBot:Details:BaseUrl"] = "https://reviewbot.example.com",
        }));

        Assert.StartsWith("ReviewBot cannot start", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReviewBot:Details:Keys:0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_key_stops_the_host_and_the_key_is_never_in_the_message()
    {
        const string key = "too-short-key";
        var ex = Assert.Throws<InvalidOperationException>(() => _host.Build(new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:WebhookSecret"] = "details-host-webhook-secret",
            ["ReviewBot:Details:Keys:0"] = key,
        }));

        Assert.Contains($"ReviewBot:Details:Keys:0 is shorter than {DetailsOptions.MinimumKeyLength} characters", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_the_page_does_not_exist_and_no_link_is_made()
    {
        await using var app = _host.Build(new Dictionary<string, string?> { ["ReviewBot:GitHub:WebhookSecret"] = "details-host-webhook-secret" });
        await app.StartAsync();
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(new Uri(app.Urls.First()), "/reviews/github/acme/payments/12?expires=1&sig=x"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(app.Services.GetRequiredService<DetailsLinks>().Create(Platform.GitHub, "acme/payments", 12));
    }
}

/// <summary>docs/details-page.md lists exactly the details page's settings, with the defaults the code has.</summary>
public sealed class DetailsPageDocumentationTests
{
    [Fact]
    public void Every_details_setting_is_documented_with_its_default()
    {
        var lines = File.ReadAllLines(Path.Combine(TestSupport.TestPaths.RepoRoot, "docs", "details-page.md"));
        var start = Array.FindIndex(lines, l => l.Trim() == $"<!-- settings: {DetailsOptions.SectionName} -->");
        Assert.True(start >= 0, "docs/details-page.md has no settings table");
        var documented = lines.Skip(start + 3).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|'))
            .ToDictionary(c => c[1].Trim().Trim('`'), c => c[2].Trim().Trim('`'), StringComparer.Ordinal);

        var settable = typeof(DetailsOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order();
        Assert.Equal(settable, documented.Keys.Order());
        Assert.Equal(new DetailsOptions().Validity.ToString("c", System.Globalization.CultureInfo.InvariantCulture), documented[nameof(DetailsOptions.Validity)]);
    }
}
