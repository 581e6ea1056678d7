// Webhook acknowledgement load generator: starts the real ReviewBot host on Kestrel (127.0.0.1, free port, SQLite
// delivery store in a temp file, evaluation worker off so only the acknowledgement path is measured), then posts signed
// copies of a real pull_request payload (distinct delivery ids) with N concurrent clients and reports latency
// percentiles and throughput. Usage: dotnet run -c Release --project bench/ReviewBot.GitHub.Bench -- [requests=5000] [concurrency=16]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.GitHub.Webhooks;
using ReviewBot.Host;

var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
const string secret = "bench-webhook-secret";

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root is not null && !File.Exists(Path.Combine(root.FullName, "ReviewBot.sln")))
{
    root = root.Parent;
}

var body = File.ReadAllBytes(Path.Combine(root?.FullName ?? throw new InvalidOperationException("ReviewBot.sln not found"), "tests", "fixtures", "github", "pull_request.opened.json"));
var signature = WebhookSignature.Compute(secret, body);
var database = Path.Combine(Path.GetTempPath(), $"reviewbot-bench-{Guid.NewGuid():N}.db");

var app = HostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ReviewBot:GitHub:WebhookSecret"] = secret,
        ["ReviewBot:GitLab:Enabled"] = "false",
        ["ReviewBot:Worker:Enabled"] = "false",
        ["ReviewBot:Storage:SqlitePath"] = database,
    });
    builder.Logging.ClearProviders();
});
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(address) };

async Task<(double Ms, int Status)> PostAsync(int i)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github") { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.Add("X-GitHub-Event", "pull_request");
    request.Headers.Add("X-GitHub-Delivery", $"bench-{i}");
    request.Headers.Add(WebhookSignature.HeaderName, signature);
    var start = Stopwatch.GetTimestamp();
    using var response = await http.SendAsync(request);
    return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, (int)response.StatusCode);
}

// Warm-up (JIT, connection pool, SQLite).
for (var i = 0; i < 200; i++)
{
    await PostAsync(-1 - i);
}

var results = new (double Ms, int Status)[requests];
var next = -1;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < requests)
    {
        results[i] = await PostAsync(i);
    }
}));
clock.Stop();

var sorted = results.Select(r => r.Ms).Order().ToArray();
double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
Console.WriteLine($"webhook acknowledgement, {requests} signed pull_request deliveries ({body.Length} bytes), {concurrency} concurrent clients, {Environment.ProcessorCount} cores");
Console.WriteLine($"status: {string.Join(", ", results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"))}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput: {requests / clock.Elapsed.TotalSeconds:0} req/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency ms: p50 {Percentile(50):0.00}  p95 {Percentile(95):0.00}  p99 {Percentile(99):0.00}  max {sorted[^1]:0.00}"));

await app.StopAsync();
await app.DisposeAsync();
foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), Path.GetFileName(database) + "*"))
{
    File.Delete(file);
}
