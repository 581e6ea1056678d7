using System.Net;
using ReviewBot.GitHub.Tests.Support;

namespace ReviewBot.GitHub.Tests;

public sealed class HostStartupTests
{
    [Fact]
    public async Task Without_a_webhook_secret_the_host_refuses_to_start_and_says_why()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningHost.StartAsync(new Dictionary<string, string?>()));

        Assert.Contains("ReviewBot cannot start", ex.Message);
        Assert.Contains("ReviewBot:GitHub:WebhookSecret", ex.Message);
        Assert.Contains("AllowUnsignedWebhooks", ex.Message);
    }

    [Fact]
    public async Task The_development_switch_accepts_unsigned_deliveries_and_says_so_loudly()
    {
        await using var host = await RunningHost.StartAsync(new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:AllowUnsignedWebhooks"] = "true",
            ["ReviewBot:Worker:Enabled"] = "false",
        });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        var response = await host.DeliverAsync(evt, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("INSECURE"));
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("without signature verification"));
    }

    [Fact]
    public async Task With_a_secret_configured_the_development_switch_does_not_disable_verification()
    {
        await using var host = await RunningHost.StartAsync(new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:WebhookSecret"] = "still-verified",
            ["ReviewBot:GitHub:AllowUnsignedWebhooks"] = "true",
            ["ReviewBot:Worker:Enabled"] = "false",
        });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        var response = await host.DeliverAsync(evt, body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GitHub_can_be_switched_off_so_other_platforms_run_without_its_secret()
    {
        await using var host = await RunningHost.StartAsync(new Dictionary<string, string?> { ["ReviewBot:GitHub:Enabled"] = "false" });

        var response = await host.DeliverAsync("ping", "{}"u8.ToArray());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/healthz")).StatusCode);
    }
}
