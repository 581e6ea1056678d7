using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Issue 13's telemetry "done when": the built CLI runs <c>reviewbot serve</c> as a separate process on a real SQLite
/// file against the fake GitHub over HTTP, with the Prometheus scrape endpoint on and OTLP/HTTP export to a real
/// receiver on loopback. After one signed delivery is evaluated and enforced, the test reads what was exported: the
/// scraped metrics (one delivery accepted, one evaluation, its API requests, the queue back to empty) and the OTLP
/// posts (the same meter, the delivery and evaluation spans with their phases, and no secret).
/// </summary>
public sealed class TelemetryEndToEndTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Repo = "Codertocat/Hello-World";
    private const string Head = "0000000100000000cccccccccccccccccccccccc";
    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-telemetry-").FullName;
    private readonly string _pem = ServeCrashTests.RsaPem();
    private readonly OtlpReceiver _otlp = new();
    private FakeGitHub _github = null!;
    private ServeCrashHarness _serve = null!;

    private string Db => Path.Combine(_dir, "reviewbot.db");

    public async Task InitializeAsync()
    {
        await _otlp.StartAsync();
        _github = await FakeGitHub.StartAsync();
        _github.Teams["Codertocat/seniors"] = ["bob"];
        _github.Blobs[$"{EndToEnd.BaseSha}:.github/reviewbot.yml"] = EndToEndEnforcementTests.Rules;
        var pr = new FakePullRequest
        {
            Number = 1,
            Author = "copilot-swe-agent[bot]",
            AuthorType = "Bot",
            HeadSha = Head,
            BaseSha = EndToEnd.BaseSha,
            HeadRef = "copilot/change-1",
            BaseRef = "master",
            Title = "Change 1",
            Body = "Copilot made this change as asked.",
        };
        pr.AddFile("docs/change-1.md", status: "added").AddCommit(Head, "Change 1", "copilot-swe-agent[bot]", "Copilot");
        _github.PullRequests[1] = pr;
        _serve = new ServeCrashHarness(Db, Environment, ServeCrashTests.Signed);
    }

    [Fact]
    public async Task After_an_end_to_end_evaluation_the_exported_metrics_and_spans_say_what_happened()
    {
        await _serve.StartAsync();
        Assert.Empty(await _serve.DeliverAsync([("telemetry-1", Delivery())]));
        await _serve.WaitUntilSettledAsync(
            () => _github.CheckRuns.Any(r => (string?)r["head_sha"] == Head && (string?)r["status"] == "completed"),
            () => "no completed check run yet");

        // The Prometheus scrape, over HTTP from loopback. Gauges are sampled when collected: scrape until the queue
        // depth shows the item gone (a collection just before the evaluation ended may still be served for a moment).
        using var http = new HttpClient { BaseAddress = _serve.Serve.Address };
        string scrape;
        PrometheusText metrics;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        do
        {
            await Task.Delay(200);
            scrape = await http.GetStringAsync("/metrics");
            metrics = PrometheusText.Parse(scrape);
        }
        while (metrics.Sum("reviewbot_queue_depth") != 0 && DateTime.UtcNow < deadline);

        output.WriteLine(scrape);

        Assert.Equal(1, metrics.Value("reviewbot_webhook_deliveries_total", ("reviewbot_platform", "github"), ("reviewbot_outcome", "accepted")));
        Assert.Equal(1, metrics.Sum("reviewbot_webhook_deliveries_total"));
        Assert.Equal(1, metrics.Value("reviewbot_evaluation_duration_seconds_count", ("reviewbot_platform", "github"), ("reviewbot_status", "completed")));
        Assert.Equal(1, metrics.Sum("reviewbot_evaluation_api_requests_count"));
        var apiRequests = metrics.Sum("reviewbot_evaluation_api_requests_sum");
        Assert.True(apiRequests > 0, scrape);
        Assert.True(apiRequests <= _github.Requests.Count, $"{apiRequests} requests counted, the fake saw {_github.Requests.Count}");
        Assert.Equal(0, metrics.Value("reviewbot_queue_depth"));
        Assert.Equal(0, metrics.Value("reviewbot_queue_oldest_age_seconds"));
        Assert.Equal(0, metrics.Value("reviewbot_queue_poisoned"));
        Assert.Equal(0, metrics.Sum("reviewbot_retries_total"));
        Assert.Equal(0, metrics.Sum("reviewbot_poison_messages_total"));

        // The OTLP/HTTP posts: the meter's instruments and the spans (protobuf: names are UTF-8 in the bytes).
        await _otlp.WaitForAsync("/v1/metrics", "reviewbot.evaluation.api_requests");
        await _otlp.WaitForAsync("/v1/traces", "reviewbot.enforce");
        var traces = _otlp.Text("/v1/traces");
        foreach (var span in new[] { "reviewbot.delivery", "reviewbot.evaluation", "reviewbot.load", "reviewbot.classify", "reviewbot.analyze", "reviewbot.evaluate", "reviewbot.enforce" })
        {
            Assert.Contains(span, traces, StringComparison.Ordinal);
        }

        var exported = _otlp.Text("/v1/metrics") + traces + scrape;
        Assert.DoesNotContain(EndToEnd.Secret, exported, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.InstallationToken, exported, StringComparison.Ordinal);
        Assert.DoesNotContain("Copilot made this change", exported, StringComparison.Ordinal);
    }

    private byte[] Delivery()
    {
        var body = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Payloads.FixturesDir, "pull_request.synchronize.json")))!.AsObject();
        body["action"] = "opened";
        body["number"] = 1;
        body["pull_request"]!["number"] = 1;
        body["pull_request"]!["head"]!["sha"] = Head;
        body["after"] = Head;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["ReviewBot__GitHub__WebhookSecret"] = EndToEnd.Secret,
        ["ReviewBot__GitHub__AppId"] = "4711",
        ["ReviewBot__GitHub__PrivateKey"] = _pem,
        ["ReviewBot__GitHub__ApiBaseUrl"] = _github.Address.ToString(),
        ["ReviewBot__GitHub__GraphQLUrl"] = new Uri(_github.Address, "graphql").ToString(),
        ["ReviewBot__GitHub__Comment"] = "true",
        ["ReviewBot__Storage__SqlitePath"] = Db,
        ["ReviewBot__Telemetry__Prometheus__Enabled"] = "true",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _otlp.Address.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _github.DisposeAsync();
        await _otlp.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A real OTLP/HTTP endpoint on loopback: answers 200 to every export and keeps the bodies by path.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _posts = new();
        private WebApplication? _app;

        public Uri Address { get; private set; } = null!;

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            var port = Loopback.FreePort();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            _app = builder.Build();
            _app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                _posts.Enqueue((context.Request.Path.Value!, body.ToArray()));
                return Results.Ok();
            });
            await _app.StartAsync();
            Address = new Uri($"http://127.0.0.1:{port}");
        }

        /// <summary>The bodies posted to <paramref name="path"/>, as Latin-1 text (protobuf strings are readable in it).</summary>
        public string Text(string path) => string.Concat(_posts.Where(p => p.Path == path).Select(p => Encoding.Latin1.GetString(p.Body)));

        public async Task WaitForAsync(string path, string text)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!Text(path).Contains(text, StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no OTLP post to {path} carried {text}; posts: {string.Join(", ", _posts.Select(p => p.Path))}");
                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}

/// <summary>The samples of a Prometheus text exposition: name, labels, value.</summary>
internal sealed class PrometheusText(IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> samples)
{
    public static PrometheusText Parse(string text)
    {
        var samples = new List<(string, IReadOnlyDictionary<string, string>, double)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            if (brace >= 0)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                foreach (var pair in line[(brace + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    labels[pair[..eq]] = pair[(eq + 1)..].Trim('"');
                }

                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            samples.Add((name, labels, double.Parse(rest.Split(' ')[0], CultureInfo.InvariantCulture)));
        }

        return new PrometheusText(samples);
    }

    /// <summary>The one sample of <paramref name="name"/> with these labels (fails when there is none or several).</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
        => Assert.Single(samples, s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Value;

    /// <summary>The sum over every sample of <paramref name="name"/> (0 when there is none).</summary>
    public double Sum(string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);
}
