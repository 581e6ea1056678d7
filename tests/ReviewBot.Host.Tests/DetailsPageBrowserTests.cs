using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReviewBot.Core.Decisions;

namespace ReviewBot.Host.Tests;

/// <summary>
/// Debian's <c>chromium</c> driven by Playwright (launched by path: Playwright's own browser download is not used).
/// Absent, every browser test fails with how to install it, never skips: the test command (<c>scripts/test.sh</c>) installs it.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Overrides where chromium is looked for (default: <c>chromium</c> on the PATH).</summary>
    public const string PathVariable = "REVIEWBOT_CHROMIUM";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: under the test output directory (gitignored with bin/).</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured
            ? configured
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(dir => Path.Combine(dir, "chromium"))
                .FirstOrDefault(File.Exists);
        if (executable is null || !File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"The details page's browser tests need Debian's chromium: `apt-get install -y chromium` (as scripts/test.sh does), or set {PathVariable} to a Chromium executable.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox"], // CI runs as root in a container, where chromium's sandbox cannot start
        });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// The details page in a real browser, against the real host on loopback with the recorded decision fixture: what it
/// shows matches the recorded decision; bad and expired links are 404; at 375 px nothing overflows sideways.
/// </summary>
public sealed class DetailsPageBrowserTests(RecordedDecisionHost host, Chromium chromium) : IClassFixture<RecordedDecisionHost>, IClassFixture<Chromium>
{
    private async Task<(IPage Page, IResponse Response)> OpenAsync(Uri url, int width, string screenshot)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
            JavaScriptEnabled = false, // the page needs none
        });
        var page = await context.NewPageAsync();
        var answered = page.WaitForResponseAsync(url.ToString());
        try
        {
            await page.GotoAsync(url.ToString());
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("ERR_HTTP_RESPONSE_CODE_FAILURE", StringComparison.Ordinal))
        {
            // Chromium shows its own error page for an error status with an empty body: the response is what counts.
        }

        var response = await answered;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.Screenshots, screenshot + ".png"), FullPage = true });
        return (page, response);
    }

    [Fact]
    public async Task The_requirement_counts_approvers_and_findings_shown_are_the_recorded_decisions()
    {
        var (page, response) = await OpenAsync(host.Link(), 1280, "details-desktop");
        var decision = host.Recorded.Decision!;

        Assert.Equal(200, response.Status);
        Assert.Equal(DecisionRenderer.Name(decision.State), await page.Locator("#state").InnerTextAsync());
        Assert.Contains(decision.Title, await page.Locator("#title").InnerTextAsync(), StringComparison.Ordinal);

        // Each requirement: its count, then each reviewer with whether they counted and why.
        var approvals = page.Locator("#decision h3:text-is('Approvals') + ul > li");
        Assert.Equal(decision.Approvals.Count, await approvals.CountAsync());
        for (var i = 0; i < decision.Approvals.Count; i++)
        {
            var requirement = decision.Approvals[i];
            var item = approvals.Nth(i);
            Assert.StartsWith(
                $"{requirement.Rule}: {requirement.Approved} of {requirement.Required} approval(s) from {requirement.From}",
                Regex.Replace(await item.InnerTextAsync(), @"^\W+", ""), StringComparison.Ordinal);
            var reviewers = item.Locator("ul > li");
            Assert.Equal(requirement.Reviewers.Count, await reviewers.CountAsync());
            for (var r = 0; r < requirement.Reviewers.Count; r++)
            {
                var standing = requirement.Reviewers[r];
                Assert.Contains($"{standing.Reviewer}: {DecisionRenderer.Name(standing.Verdict)}: {standing.Reason}", await reviewers.Nth(r).InnerTextAsync(), StringComparison.Ordinal);
            }
        }

        // The fixture has someone who counted and someone who did not, so both kinds are on the page.
        var verdicts = decision.Approvals.SelectMany(a => a.Reviewers).Select(r => r.Verdict).ToList();
        Assert.Contains(ReviewerVerdict.Counted, verdicts);
        Assert.Contains(verdicts, v => v != ReviewerVerdict.Counted);

        var findings = page.Locator("#findings .finding");
        Assert.Equal(host.Recorded.Risk!.Findings.Count, await findings.CountAsync());
        foreach (var finding in host.Recorded.Risk.Findings)
        {
            var shown = page.Locator($"#findings .finding[data-rule='{finding.RuleId}']").First;
            Assert.Contains($"{finding.Path}:{finding.StartLine}", await shown.InnerTextAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(host.Timeline.Count, await page.Locator("#timeline li").CountAsync());
    }

    [Fact]
    public async Task At_375px_nothing_overflows_sideways_and_the_counts_are_visible()
    {
        var (page, response) = await OpenAsync(host.Link(), 375, "details-375px");

        Assert.Equal(200, response.Status);
        var scrollWidth = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
        var clientWidth = await page.EvaluateAsync<int>("document.scrollingElement.clientWidth");
        Assert.True(scrollWidth <= clientWidth, $"the page is {scrollWidth}px wide in a {clientWidth}px viewport");

        var requirement = host.Recorded.Decision!.Approvals[0];
        var count = page.Locator("#decision li", new PageLocatorOptions { HasTextString = $"{requirement.Approved} of {requirement.Required} approval(s)" }).First;
        Assert.True(await count.IsVisibleAsync());
        var box = await count.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= clientWidth, $"the count spans {box.X}..{box.X + box.Width} of {clientWidth}px");

        // The long code line scrolls inside its own box, which is as wide as the page at most.
        var code = page.Locator("#findings pre").First;
        var codeBox = await code.BoundingBoxAsync();
        Assert.NotNull(codeBox);
        Assert.True(codeBox.X + codeBox.Width <= clientWidth);
        Assert.True(await code.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "the fixture's long line should need scrolling inside the code box");
    }

    [Fact]
    public async Task A_tampered_link_gets_404_with_nothing_rendered()
    {
        var link = host.Link().ToString();
        var tampered = link.Replace($"/{RecordedDecisionHost.Number}?", $"/{RecordedDecisionHost.Number + 1}?", StringComparison.Ordinal);

        var (page, response) = await OpenAsync(new Uri(tampered), 375, "details-tampered");

        Assert.Equal(404, response.Status);
        // The host sent no body (what is on screen is Chromium's own error page for an empty 404).
        Assert.Equal("0", (await response.AllHeadersAsync())["content-length"]);
        Assert.DoesNotContain(host.Recorded.Decision!.Title, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_link_gets_404_saying_to_re_run_the_check()
    {
        var (page, response) = await OpenAsync(host.ExpiredLink(), 375, "details-expired");

        Assert.Equal(404, response.Status);
        Assert.Contains("Re-run the ReviewBot check", await page.Locator("#expired").InnerTextAsync(), StringComparison.Ordinal);
    }
}
