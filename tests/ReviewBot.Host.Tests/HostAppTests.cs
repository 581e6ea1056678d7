using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Host.Tests;

/// <summary>The composed host on real Kestrel (loopback): embedded defaults, health, refusing to start unsafely.</summary>
public sealed class HostAppTests : IDisposable
{
    private readonly LoopbackHost _host = new();

    public void Dispose() => _host.Dispose();

    private WebApplication Build(IDictionary<string, string?> settings) => _host.Build(settings);

    [Fact]
    public async Task With_a_webhook_secret_the_host_serves_health_and_keeps_its_audit_in_a_sqlite_file()
    {
        await using var app = Build(new Dictionary<string, string?> { ["ReviewBot:GitHub:WebhookSecret"] = "host-test-secret" });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var health = await http.GetAsync("/healthz");
        var root = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);

        // The embedded default store is the SQLite file, not an in-memory stand-in: a delivery survives the host.
        var audit = app.Services.GetRequiredService<IAuditStore>();
        Assert.Equal("SqliteReviewStore", audit.GetType().Name);
        Assert.True(await audit.TryRecordDeliveryAsync("github", "host-test-delivery"));
        await app.StopAsync();
        Assert.True(File.Exists(_host.Database));
    }

    [Fact]
    public void Without_a_webhook_secret_the_host_refuses_to_start_and_names_the_setting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?>()));

        Assert.StartsWith("ReviewBot cannot start", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReviewBot__GitHub__WebhookSecret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_routes_are_404_not_500()
    {
        await using var app = Build(new Dictionary<string, string?> { ["ReviewBot:GitHub:WebhookSecret"] = "host-test-secret" });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var response = await http.PostAsync("/api/bitbucket", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await app.StopAsync();
    }
}
