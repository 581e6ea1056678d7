using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.Core.Ports;
using ReviewBot.Host;
using ReviewBot.LoadGen;

// reviewbot load generator. Usage:
//   dotnet run -c Release --project bench/ReviewBot.LoadGen -- [--duration 10] [--warmup 2] [--connections 32]
//        [--duplicate-every 50] [--published artifacts/functions/bin/reviewbot] [--cold-starts 5] [--skip-load]
var opts = Args.Parse(args);
var root = FindRepoRoot();
var work = Directory.CreateTempSubdirectory("reviewbot-loadgen-").FullName;
Console.WriteLine($"reviewbot load generator — {Environment.ProcessorCount} cores, .NET {Environment.Version}");

if (!opts.SkipLoad)
{
    await LoadAsync(opts, root, work);
}

var published = opts.Published ?? Path.Combine(root, "artifacts", "functions", "bin", "reviewbot");
if (opts.ColdStarts > 0)
{
    if (File.Exists(published))
    {
        await ColdStartAsync(published, opts.ColdStarts, work);
    }
    else
    {
        Console.WriteLine($"cold start: skipped, {published} not found (run: bash scripts/publish-functions.sh)");
    }
}

try
{
    Directory.Delete(work, recursive: true);
}
catch (IOException)
{
}

return 0;

static async Task LoadAsync(Args opts, string root, string work)
{
    const string secret = "loadgen-webhook-secret";
    var platform = new RecordingPlatform();
    var db = Path.Combine(work, "reviewbot.db");
    var app = HostApp.Build(
        ["--urls", "http://127.0.0.1:0", "--ReviewBot:GitHub:WebhookSecret", secret, "--ReviewBot:Storage:SqlitePath", db],
        b =>
        {
            b.Logging.ClearProviders();
            b.Services.AddSingleton<IPlatformSessionFactory>(platform);
        });
    await app.StartAsync();
    var baseUri = new Uri(app.Urls.First());
    Console.WriteLine($"host: in-process Kestrel at {baseUri}, SQLite store {db}, in-process queue, recording platform");

    var template = PayloadTemplate.Load(Path.Combine(root, "tests", "fixtures", "github", "pull_request.synchronize.json"));
    using var http = new HttpClient(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = opts.Connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
    })
    { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };

    var next = 0L;
    var measuring = false;
    var stop = false;
    var acked = 0L;
    var duplicatesSent = 0L;
    var duplicatesAnswered = 0L;
    var failures = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
    var latencies = new List<long>[opts.Connections];
    var workers = new Task[opts.Connections];
    for (var w = 0; w < opts.Connections; w++)
    {
        var mine = latencies[w] = new List<long>(1 << 16);
        workers[w] = Task.Run(async () =>
        {
            while (!Volatile.Read(ref stop))
            {
                var i = Interlocked.Increment(ref next);
                var duplicate = opts.DuplicateEvery > 0 && i % opts.DuplicateEvery == 0 && i > opts.DuplicateEvery;
                var n = duplicate ? i - opts.DuplicateEvery + 1 : i; // replay an earlier delivery, byte for byte
                var body = template.Body(n);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.Add("X-GitHub-Event", "pull_request");
                request.Headers.Add("X-GitHub-Delivery", DeliveryId(n));
                request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var elapsed = Stopwatch.GetTimestamp() - started;
                var status = (int)response.StatusCode;
                if (duplicate)
                {
                    Interlocked.Increment(ref duplicatesSent);
                }

                if (status == 200)
                {
                    Interlocked.Increment(ref duplicatesAnswered);
                }
                else if (status == 202)
                {
                    Interlocked.Increment(ref acked);
                }
                else
                {
                    failures.AddOrUpdate(status, 1, (_, c) => c + 1);
                }

                if (Volatile.Read(ref measuring))
                {
                    mine.Add(elapsed);
                }
            }
        });
    }

    await Task.Delay(TimeSpan.FromSeconds(opts.Warmup));
    var ackedAtStart = Interlocked.Read(ref acked) + Interlocked.Read(ref duplicatesAnswered);
    Volatile.Write(ref measuring, true);
    var clock = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(opts.Duration));
    Volatile.Write(ref measuring, false);
    var measuredSeconds = clock.Elapsed.TotalSeconds;
    var ackedInWindow = Interlocked.Read(ref acked) + Interlocked.Read(ref duplicatesAnswered) - ackedAtStart;
    Volatile.Write(ref stop, true);
    await Task.WhenAll(workers);

    // Drain: every acknowledged delivery must be evaluated exactly once.
    var deliveries = Interlocked.Read(ref acked);
    var drain = Stopwatch.StartNew();
    while (platform.Applied.Count < deliveries && drain.Elapsed < TimeSpan.FromSeconds(120))
    {
        await Task.Delay(50);
    }

    var all = latencies.SelectMany(l => l).Order().ToArray();
    double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    double Pct(double p) => all.Length == 0 ? double.NaN : Ms(all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)]);
    var evaluated = platform.Applied.Count;
    var duplicateEvaluations = platform.Applied.Values.Sum(c => c - 1);
    var audit = await app.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { Limit = 0 });
    var auditRows = audit.Count;
    var auditErrors = audit.Where(r => r.Error is not null).ToList();

    Console.WriteLine();
    Console.WriteLine($"load: {opts.Connections} connections, {opts.Warmup}s warm-up, {measuredSeconds:F1}s measured");
    Console.WriteLine($"  acked webhooks/s     {ackedInWindow / measuredSeconds:F0}   (202 queued + 200 duplicate, in the measured window)");
    Console.WriteLine($"  ack latency p50      {Pct(0.50):F2} ms");
    Console.WriteLine($"  ack latency p99      {Pct(0.99):F2} ms");
    Console.WriteLine($"  ack latency max      {(all.Length == 0 ? double.NaN : Ms(all[^1])):F2} ms");
    Console.WriteLine($"  deliveries queued    {deliveries}   (unique pull requests, 202)");
    Console.WriteLine($"  duplicates replayed  {Interlocked.Read(ref duplicatesSent)}   answered 200 duplicate: {Interlocked.Read(ref duplicatesAnswered)}");
    Console.WriteLine($"  evaluations          {evaluated}   (drained in {drain.Elapsed.TotalSeconds:F1}s after the load stopped)");
    Console.WriteLine($"  lost                 {deliveries - evaluated}");
    Console.WriteLine($"  duplicate actions    {duplicateEvaluations}");
    Console.WriteLine($"  audit records        {auditRows}   (errors: {auditErrors.Count}{(auditErrors.Count > 0 ? ", first: " + auditErrors[0].Error : "")})");
    Console.WriteLine($"  other answers        {(failures.IsEmpty ? "none" : string.Join(", ", failures.Select(f => $"{f.Key}×{f.Value}")))}");

    await app.StopAsync();
    await app.DisposeAsync();
}

static async Task ColdStartAsync(string executable, int runs, string work)
{
    Console.WriteLine();
    Console.WriteLine($"cold start: {executable} serve, as the Functions host starts it (FUNCTIONS_CUSTOMHANDLER_PORT), until GET /healthz answers 200");
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    var times = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(executable, "serve")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["ReviewBot__GitHub__WebhookSecret"] = "cold-start-secret";
        start.Environment["ReviewBot__GitLab__Enabled"] = "false";
        start.Environment["ReviewBot__Storage__SqlitePath"] = Path.Combine(work, $"cold-{run}.db");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var healthy = false;
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    healthy = true;
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(2);
        }

        var ms = clock.Elapsed.TotalMilliseconds;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Console.WriteLine(healthy ? $"  run {run + 1}: {ms:F0} ms" : $"  run {run + 1}: not healthy after {ms:F0} ms (exit {(process.HasExited ? process.ExitCode : -1)})");
        if (healthy)
        {
            times.Add(ms);
        }
    }

    if (times.Count > 0)
    {
        times.Sort();
        Console.WriteLine($"  cold start median {times[times.Count / 2]:F0} ms, min {times[0]:F0} ms, max {times[^1]:F0} ms");
    }
}

static string DeliveryId(long n) => $"00000000-0000-4000-8000-{n:D12}";

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ReviewBot.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

/// <summary>A real pull_request.synchronize payload with the pull request number and head SHA made unique per delivery.</summary>
internal sealed class PayloadTemplate(string json)
{
    private const string NumberToken = "987654321987";
    private const string ShaToken = "feedfacefeedfacefeedfacefeedfacefeedface";

    public static PayloadTemplate Load(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["number"] = long.Parse(NumberToken, CultureInfo.InvariantCulture);
        node["pull_request"]!["number"] = long.Parse(NumberToken, CultureInfo.InvariantCulture);
        node["pull_request"]!["head"]!["sha"] = ShaToken;
        node["after"] = ShaToken;
        return new PayloadTemplate(node.ToJsonString());
    }

    public byte[] Body(long n)
        => Encoding.UTF8.GetBytes(json
            .Replace(NumberToken, (100_000_000_000 + n).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(ShaToken, n.ToString("x40", CultureInfo.InvariantCulture), StringComparison.Ordinal));
}

internal sealed record Args(int Duration, int Warmup, int Connections, int DuplicateEvery, string? Published, int ColdStarts, bool SkipLoad)
{
    public static Args Parse(string[] args)
    {
        var a = new Args(10, 2, 32, 50, null, 5, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            a = args[i] switch
            {
                "--duration" => a with { Duration = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => a with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--connections" => a with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--duplicate-every" => a with { DuplicateEvery = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--published" => a with { Published = Next() },
                "--cold-starts" => a with { ColdStarts = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--skip-load" => a with { SkipLoad = true },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return a;
    }
}
