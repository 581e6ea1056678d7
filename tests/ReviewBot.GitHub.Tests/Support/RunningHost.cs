using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.GitHub.Webhooks;
using ReviewBot.Host;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests.Support;

/// <summary>The real ReviewBot host (HostApp) on Kestrel, 127.0.0.1, a free port; disposed by the test.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication app, Uri address, CapturingLoggerProvider logs)
    {
        App = app;
        Address = address;
        Logs = logs;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    private string? _database;

    public WebApplication App { get; }

    public Uri Address { get; }

    public CapturingLoggerProvider Logs { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<RunningHost> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var logs = new CapturingLoggerProvider();
        var database = Path.Combine(Path.GetTempPath(), $"reviewbot-test-{Guid.NewGuid():N}.db");
        var app = HostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ReviewBot:Storage:SqlitePath"] = database });
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHost(app, new Uri(address), logs) { _database = database };
    }

    /// <summary>Posts a delivery the way GitHub does: JSON body, event + delivery headers, HMAC signature when a secret is given.</summary>
    public Task<HttpResponseMessage> DeliverAsync(string evt, byte[] body, string? delivery = null, string? secret = null, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, GitHubEndpoints.Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", evt);
        request.Headers.Add("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        request.Headers.Add("User-Agent", "GitHub-Hookshot/test");
        var sig = signature ?? (secret is null ? null : WebhookSignature.Compute(secret, body));
        if (sig is not null)
        {
            request.Headers.Add(WebhookSignature.HeaderName, sig);
        }

        return Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        foreach (var file in _database is null ? [] : Directory.EnumerateFiles(Path.GetDirectoryName(_database)!, Path.GetFileName(_database) + "*"))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A connection pool may still hold the file for a moment; it is a temp file.
            }
        }
    }
}
