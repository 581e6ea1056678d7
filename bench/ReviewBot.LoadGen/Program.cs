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
using ReviewBot.Host;
using ReviewBot.LoadGen;
using ReviewBot.Pipeline.Ports;

// reviewbot load generator. Usage:
//   dotnet run -c Release --project bench/ReviewBot.LoadGen -- [--duration 10] [--warmup 2] [--connections 32]
//        [--duplicate-every 50] [--published artifacts/functions/bin/reviewbot] [--cold-starts 5] [--skip-load] [--no-floor]
//        [--telemetry]
// The load runs twice in one process: first against a floor (a minimal endpoint that only reads the body, checks the
// HMAC and answers 202), then against the real host; the ratios of the two are the result. With --telemetry it runs a
// third time against a host exporting its telemetry (Prometheus on, OTLP/HTTP metrics and traces every second to a
// loopback sink): the ratios to the host without telemetry are its cost.
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
    var template = PayloadTemplate.Load(Path.Combine(root, "tests", "fixtures", "github", "pull_request.synchronize.json"));
    Console.WriteLine($"payload: the real pull_request.synchronize fixture, {template.Body(1).Length:N0} bytes, a fresh delivery id, pull request and head each time");

    Drive? floor = null;
    if (opts.Floor)
    {
        await using var floorApp = FloorEndpoint.Start(secret);
        await floorApp.StartAsync();
        Console.WriteLine($"floor: a minimal endpoint at {floorApp.Urls.First()} that only reads the body, checks the HMAC and answers 202");
        floor = await Drive.RunAsync(new Uri(floorApp.Urls.First()), FloorEndpoint.Route, opts with { DuplicateEvery = 0 }, secret, template);
        await floorApp.StopAsync();
        floor.Print("floor");
    }

    var load = await HostRunAsync(opts, work, "reviewbot", secret, template, []);
    if (floor is not null)
    {
        Console.WriteLine();
        Console.WriteLine($"ratio to the floor: throughput {load.AckedPerSecond / floor.AckedPerSecond:F2} (target >= 0.5, goal 0.7), "
            + $"p99 {load.P99 / floor.P99:F2}x the floor's (goal <= 2)");
    }

    if (opts.Telemetry)
    {
        // Alternating runs (off, on, off, on; the first "off" is the run above) so neither side gets the warmer process
        // or the quieter minute; the ratios compare the means.
        await using var sink = OtlpSink.Start();
        await sink.StartAsync();
        string[] exporting = ["--ReviewBot:Telemetry:Prometheus:Enabled", "true", "--OTEL_EXPORTER_OTLP_ENDPOINT", sink.Urls.First(),
            "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "--OTEL_METRIC_EXPORT_INTERVAL", "1000"];
        Console.WriteLine();
        Console.WriteLine($"telemetry on: Prometheus scrape endpoint on, OTLP/HTTP metrics (every second) and traces to a loopback sink at {sink.Urls.First()}");
        List<Drive> off = [load];
        List<Drive> on = [await HostRunAsync(opts, work, "reviewbot, telemetry on", secret, template, exporting)];
        off.Add(await HostRunAsync(opts, work, "reviewbot, telemetry off", secret, template, []));
        on.Add(await HostRunAsync(opts, work, "reviewbot, telemetry on", secret, template, exporting));
        Console.WriteLine($"  OTLP exports received {OtlpSink.Received}");
        Console.WriteLine();
        Console.WriteLine($"telemetry cost (mean of {on.Count} runs on / mean of {off.Count} off, this run): "
            + $"throughput {on.Average(d => d.AckedPerSecond) / off.Average(d => d.AckedPerSecond):F2}, "
            + $"p99 {on.Average(d => d.P99) / off.Average(d => d.P99):F2}x, "
            + $"CPU per webhook {on.Average(d => d.CpuMsPerAck) / off.Average(d => d.CpuMsPerAck):F2}x");
        await sink.StopAsync();
    }
}

/// <summary>The real host on a SQLite file with the recording platform: drives the load, drains, prints, returns the load's figures.</summary>
static async Task<Drive> HostRunAsync(Args opts, string work, string name, string secret, PayloadTemplate template, string[] settings)
{
    var platform = new RecordingPlatform();
    var db = Path.Combine(work, $"reviewbot-{Guid.NewGuid():N}.db");
    var app = HostApp.Build(
        ["--urls", "http://127.0.0.1:0", "--ReviewBot:GitHub:WebhookSecret", secret, "--ReviewBot:Storage:SqlitePath", db, .. settings],
        b =>
        {
            b.Logging.ClearProviders();
            b.Services.AddSingleton<IPlatformSessionFactory>(platform);
        });
    await app.StartAsync();
    var baseUri = new Uri(app.Urls.First());
    var workerOn = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReviewBot.Pipeline.PipelineOptions>>().Value.Enabled;
    Console.WriteLine($"host: in-process Kestrel at {baseUri}, SQLite store {db}, inbox {app.Services.GetRequiredService<ReviewBot.Pipeline.IDeliveryInbox>().GetType().Name}, "
        + $"queue {app.Services.GetRequiredService<IReviewQueue>().GetType().Name}, worker {(workerOn ? "on" : "off (nothing is evaluated)")}, recording platform");

    var load = await Drive.RunAsync(baseUri, "/api/github", opts, secret, template);

    // Drain: every acknowledged delivery must be evaluated exactly once (with the worker off they stay queued).
    var deliveries = load.Queued;
    var drain = Stopwatch.StartNew();
    while (workerOn && platform.Applied.Count < deliveries && drain.Elapsed < TimeSpan.FromSeconds(120))
    {
        await Task.Delay(50);
    }

    var evaluated = platform.Applied.Count;
    var duplicateEvaluations = platform.Applied.Values.Sum(c => c - 1);
    var audit = await app.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { Limit = 0 });
    var auditErrors = audit.Where(r => r.Error is not null).ToList();

    load.Print(name);
    Console.WriteLine($"  deliveries queued    {deliveries}   (unique pull requests, 202)");
    Console.WriteLine($"  duplicates replayed  {load.DuplicatesSent}   answered 200 duplicate: {load.DuplicatesAnswered}");
    Console.WriteLine($"  evaluations          {evaluated}   (drained in {drain.Elapsed.TotalSeconds:F1}s after the load stopped)");
    Console.WriteLine(workerOn ? $"  lost                 {deliveries - evaluated}" : "  lost                 not checked (worker off)");
    Console.WriteLine($"  duplicate actions    {duplicateEvaluations}");
    Console.WriteLine($"  audit records        {audit.Count}   (errors: {auditErrors.Count}{(auditErrors.Count > 0 ? ", first: " + auditErrors[0].Error : "")})");
    await app.StopAsync();
    await app.DisposeAsync();
    return load;
}

static async Task ColdStartAsync(string executable, int runs, string work)
{
    Console.WriteLine();
    Console.WriteLine($"cold start: {executable} serve, as the Functions host starts it (FUNCTIONS_CUSTOMHANDLER_PORT), until GET /healthz answers 200");
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    var times = new List<double>();
    var cpus = new List<double>();
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
        var cpu = process.HasExited ? 0 : process.TotalProcessorTime.TotalMilliseconds;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Console.WriteLine(healthy ? $"  run {run + 1}: {ms:F0} ms wall, {cpu:F0} ms CPU" : $"  run {run + 1}: not healthy after {ms:F0} ms (exit {(process.HasExited ? process.ExitCode : -1)})");
        if (healthy)
        {
            times.Add(ms);
            cpus.Add(cpu);
        }
    }

    if (times.Count > 0)
    {
        times.Sort();
        cpus.Sort();
        Console.WriteLine($"  cold start median {times[times.Count / 2]:F0} ms, min {times[0]:F0} ms, max {times[^1]:F0} ms; CPU median {cpus[cpus.Count / 2]:F0} ms; load average {Drive.LoadAverageNow()}");
    }
}


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

internal sealed record Args(int Duration, int Warmup, int Connections, int DuplicateEvery, string? Published, int ColdStarts, bool SkipLoad, bool Floor, bool Telemetry)
{
    public static Args Parse(string[] args)
    {
        var a = new Args(10, 2, 32, 50, null, 5, false, true, false);
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
                "--no-floor" => a with { Floor = false },
                "--telemetry" => a with { Telemetry = true },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return a;
    }
}
