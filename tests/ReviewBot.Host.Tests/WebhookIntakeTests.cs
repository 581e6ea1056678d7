using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.Pipeline.Intake;
using ReviewBot.TestSupport;

namespace ReviewBot.Host.Tests;

/// <summary>The one webhook intake behind both platforms' endpoints, on the composed host over real HTTP (Kestrel, loopback).</summary>
public sealed class WebhookIntakeTests : IDisposable
{
    private const string GitHubSecret = "intake-test-github-secret";
    private const string GitLabSecret = "intake-test-gitlab-secret";
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"reviewbot-intake-{Guid.NewGuid():N}.db");
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_db + suffix);
        }
    }

    private static Dictionary<string, string?> BothPlatforms(string? gitHubSecret = GitHubSecret, string? gitLabSecret = GitLabSecret) => new()
    {
        ["ReviewBot:GitHub:WebhookSecret"] = gitHubSecret,
        ["ReviewBot:GitLab:BaseUrl"] = "http://127.0.0.1:9",
        ["ReviewBot:GitLab:Token"] = "glpat-unused",
        ["ReviewBot:GitLab:WebhookSecret"] = gitLabSecret,
    };

    /// <summary>A started host and a client for it; disposing stops both.</summary>
    private sealed record Running(WebApplication App, HttpClient Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    private async Task<Running> StartAsync(IDictionary<string, string?> settings)
    {
        var app = HostApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(_logs);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReviewBot:Storage:SqlitePath"] = _db,
                ["ReviewBot:Worker:Enabled"] = "false",
            });
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync();
        return new Running(app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    private static byte[] GitHubPayload(int padding = 0)
    {
        var json = File.ReadAllText(Path.Combine(TestPaths.Fixtures, "github", "pull_request.synchronize.json"));
        return Encoding.UTF8.GetBytes(padding == 0 ? json : "{\"padding\":\"" + new string('p', padding) + "\"," + json.TrimStart()[1..]);
    }

    private static HttpRequestMessage GitHubDelivery(byte[] body, string? delivery = null, string? secret = GitHubSecret, bool chunked = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/github")
        {
            Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
        };
        request.Headers.TransferEncodingChunked = chunked;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        }

        return request;
    }

    private static HttpRequestMessage GitLabDelivery(string? token = GitLabSecret, string key = "gl-delivery-1")
    {
        var body = File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "gitlab", "woodpecker.HookPullRequestOpened.json"));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        request.Headers.Add("Idempotency-Key", key);
        if (token is not null)
        {
            request.Headers.Add("X-Gitlab-Token", token);
        }

        return request;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Both_platforms_answer_in_one_shape()
    {
        await using var host = await StartAsync(BothPlatforms());
        var (app, http) = host;

        using var github = await http.SendAsync(GitHubDelivery(GitHubPayload(), "gh-delivery-1"));
        using var gitlab = await http.SendAsync(GitLabDelivery());
        using var refused = await http.SendAsync(GitLabDelivery(token: "wrong"));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (github.StatusCode, gitlab.StatusCode));
        string[] shape = ["status", "event", "reason", "delivery", "requests"];
        foreach (var answer in new[] { await Json(github), await Json(gitlab), await Json(refused) })
        {
            Assert.Equal(shape, answer.EnumerateObject().Select(p => p.Name));
        }

        var gh = await Json(github);
        Assert.Equal(("queued", "pull_request.synchronize", "gh-delivery-1"), (gh.GetProperty("status").GetString(), gh.GetProperty("event").GetString(), gh.GetProperty("delivery").GetString()));
        var gl = await Json(gitlab);
        Assert.Equal(("queued", "merge_request.open", "gl-delivery-1"), (gl.GetProperty("status").GetString(), gl.GetProperty("event").GetString(), gl.GetProperty("delivery").GetString()));
        Assert.Equal(("rejected", "X-Gitlab-Token does not match"), ((await Json(refused)).GetProperty("status").GetString(), (await Json(refused)).GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData("ReviewBot:GitHub:WebhookSecret", " ")]
    [InlineData("ReviewBot:GitLab:WebhookSecret", " \t ")]
    public async Task A_secret_of_only_whitespace_stops_the_host(string setting, string value)
    {
        var settings = BothPlatforms();
        settings[setting] = value;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings));

        Assert.Contains($"{setting} is blank", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthenticated_mode_is_said_loudly_at_start_and_per_delivery_on_both_platforms()
    {
        var settings = BothPlatforms(gitHubSecret: null, gitLabSecret: null);
        settings["ReviewBot:GitHub:AllowUnsignedWebhooks"] = "true";
        settings["ReviewBot:GitLab:AllowUnauthenticatedWebhooks"] = "true";
        await using var host = await StartAsync(settings);
        var (app, http) = host;

        var startLines = _logs.Lines.Where(l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("INSECURE", StringComparison.Ordinal)).ToList();
        using var github = await http.SendAsync(GitHubDelivery(GitHubPayload(), "unsigned-gh", secret: null));
        using var gitlab = await http.SendAsync(GitLabDelivery(token: null, key: "unsigned-gl"));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (github.StatusCode, gitlab.StatusCode));
        Assert.Contains(startLines, l => l.Contains("ReviewBot:GitHub:AllowUnsignedWebhooks", StringComparison.Ordinal) && l.Contains("/api/github", StringComparison.Ordinal));
        Assert.Contains(startLines, l => l.Contains("ReviewBot:GitLab:AllowUnauthenticatedWebhooks", StringComparison.Ordinal) && l.Contains("/api/gitlab", StringComparison.Ordinal));
        var perDelivery = _logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("without signature verification", StringComparison.Ordinal)).ToList();
        Assert.Contains(perDelivery, l => l.Contains("github delivery unsigned-gh", StringComparison.Ordinal));
        Assert.Contains(perDelivery, l => l.Contains("gitlab delivery unsigned-gl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(201)]
    [InlineData(5000)]
    public async Task A_delivery_id_longer_than_the_cap_is_400_and_not_stored(int length)
    {
        await using var host = await StartAsync(BothPlatforms());
        var (app, http) = host;

        using var response = await http.SendAsync(GitHubDelivery(GitHubPayload(), new string('d', length)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"X-GitHub-Delivery header longer than {WebhookIntake.MaxHeaderLength} characters", (await Json(response)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Every_delivery_is_counted_once_under_its_outcome()
    {
        await using var host = await StartAsync(BothPlatforms());
        var (app, http) = host;

        // Only this host's instruments (other tests' hosts run in the same process): its meter factory is the scope.
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<(string Platform, string Outcome), long>();
        var factory = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "reviewbot.webhook.deliveries")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            var key = ((string)all.Single(t => t.Key == "reviewbot.platform").Value!, (string)all.Single(t => t.Key == "reviewbot.outcome").Value!);
            counted.AddOrUpdate(key, value, (_, sum) => sum + value);
        });
        listener.Start();

        (await http.SendAsync(GitHubDelivery(GitHubPayload(), "counted-1"))).Dispose();
        (await http.SendAsync(GitHubDelivery(GitHubPayload(), "counted-1"))).Dispose();
        (await http.SendAsync(GitHubDelivery(GitHubPayload(), "counted-2", secret: "wrong-secret"))).Dispose();
        using (var plain = GitHubDelivery(GitHubPayload(), "counted-3"))
        {
            plain.Content!.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            (await http.SendAsync(plain)).Dispose();
        }

        using (var unused = GitHubDelivery(GitHubPayload(), "counted-4"))
        {
            unused.Headers.Remove("X-GitHub-Event");
            unused.Headers.Add("X-GitHub-Event", "watch");
            (await http.SendAsync(unused)).Dispose();
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await RawHttp.PostHeadersOnlyAsync(new Uri(app.Urls.First()).Port, "/api/github",
            [("Content-Type", "application/json"), ("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "counted-5"), ("X-Hub-Signature-256", "sha256=" + new string('0', 64))],
            30L * 1024 * 1024, TimeSpan.FromSeconds(10)));
        (await http.SendAsync(GitLabDelivery(key: "counted-6"))).Dispose();

        var expected = new Dictionary<(string, string), long>
        {
            [("github", "accepted")] = 1,
            [("github", "duplicate")] = 1,
            [("github", "rejected_signature")] = 1,
            [("github", "bad_payload")] = 1,
            [("github", "ignored")] = 1,
            [("github", "too_large")] = 1,
            [("gitlab", "accepted")] = 1,
        };
        Assert.Equal(expected.OrderBy(e => e.Key), counted.OrderBy(e => e.Key));
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_before_a_byte_of_the_body_is_sent()
    {
        await using var host = await StartAsync(BothPlatforms());
        var (app, http) = host;
        var port = new Uri(app.Urls.First()).Port;

        // Headers only: the intake must answer without waiting for the 30 MB it was promised.
        var status = await RawHttp.PostHeadersOnlyAsync(port, "/api/github",
            [("Content-Type", "application/json"), ("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "over-cap"), ("X-Hub-Signature-256", "sha256=" + new string('0', 64))],
            30L * 1024 * 1024, TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_signed_body_over_many_read_segments_is_verified_while_streaming(bool chunked)
    {
        await using var host = await StartAsync(BothPlatforms());
        var (app, http) = host;
        var body = GitHubPayload(padding: 300_000);

        using var signed = await http.SendAsync(GitHubDelivery(body, chunked: chunked));
        var tampered = (byte[])body.Clone();
        tampered[150_000] = (byte)'q';
        using var altered = await http.SendAsync(Resign(GitHubDelivery(tampered, chunked: chunked), body));

        Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, altered.StatusCode);
        Assert.Equal("invalid X-Hub-Signature-256", (await Json(altered)).GetProperty("reason").GetString());
        var budget = app.Services.GetRequiredService<BodyBudget>();
        Assert.Equal(budget.Capacity, budget.Available);
    }

    /// <summary>The tampered body keeps the original body's signature.</summary>
    private static HttpRequestMessage Resign(HttpRequestMessage request, byte[] original)
    {
        request.Headers.Remove("X-Hub-Signature-256");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(GitHubSecret), original)));
        return request;
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_is_413_and_gives_its_budget_back()
    {
        var settings = BothPlatforms();
        settings["ReviewBot:GitHub:MaxPayloadBytes"] = "100000";
        await using var host = await StartAsync(settings);
        var (app, http) = host;

        using var response = await http.SendAsync(GitHubDelivery(GitHubPayload(padding: 200_000), chunked: true));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var budget = app.Services.GetRequiredService<BodyBudget>();
        Assert.Equal(budget.Capacity, budget.Available);
    }

    [Fact]
    public async Task A_platform_cap_above_the_shared_budget_stops_the_host()
    {
        var settings = BothPlatforms();
        settings["ReviewBot:Intake:MaxBufferedBytes"] = (8 * 1024 * 1024).ToString(CultureInfo.InvariantCulture);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings));

        Assert.Contains("ReviewBot:Intake:MaxBufferedBytes", ex.Message, StringComparison.Ordinal);
    }
}
