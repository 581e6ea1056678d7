using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.LoadGen;

/// <summary>
/// One load run: signed deliveries posted over N keep-alive connections for a warm-up and a measured window, each
/// with a fresh delivery id (every <c>DuplicateEvery</c>-th replays an earlier one byte for byte when set).
/// </summary>
internal sealed record Drive(
    int Connections,
    double MeasuredSeconds,
    double AckedPerSecond,
    double CpuMsPerAck,
    double P50,
    double P99,
    double Max,
    long Queued,
    long DuplicatesSent,
    long DuplicatesAnswered,
    IReadOnlyDictionary<int, int> OtherAnswers,
    string LoadAverage)
{
    public static async Task<Drive> RunAsync(Uri baseUri, string path, Args opts, string secret, PayloadTemplate template)
    {
        var key = Encoding.UTF8.GetBytes(secret);
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
        var failures = new ConcurrentDictionary<int, int>();
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
                    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    request.Headers.Add("X-GitHub-Event", "pull_request");
                    request.Headers.Add("X-GitHub-Delivery", $"00000000-0000-4000-8000-{n:D12}");
                    request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body)));
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
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(opts.Duration));
        Volatile.Write(ref measuring, false);
        var measuredSeconds = clock.Elapsed.TotalSeconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalMilliseconds;
        var ackedInWindow = Interlocked.Read(ref acked) + Interlocked.Read(ref duplicatesAnswered) - ackedAtStart;
        var load = LoadAverageNow();
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Pct(double p) => all.Length == 0 ? double.NaN : Ms(all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)]);
        return new Drive(opts.Connections, measuredSeconds, ackedInWindow / measuredSeconds, cpuMs / Math.Max(1, ackedInWindow),
            Pct(0.50), Pct(0.99), all.Length == 0 ? double.NaN : Ms(all[^1]),
            Interlocked.Read(ref acked), Interlocked.Read(ref duplicatesSent), Interlocked.Read(ref duplicatesAnswered),
            new Dictionary<int, int>(failures), load);
    }

    public void Print(string name)
    {
        Console.WriteLine();
        Console.WriteLine($"{name}: {Connections} connections, {MeasuredSeconds:F1}s measured");
        Console.WriteLine($"  acked webhooks/s     {AckedPerSecond:F0}   (202 queued + 200 duplicate, in the measured window)");
        Console.WriteLine($"  CPU per webhook      {CpuMsPerAck:F3} ms   (generator + server + worker, this process)");
        Console.WriteLine($"  machine load average {LoadAverage}");
        Console.WriteLine($"  ack latency p50      {P50:F2} ms");
        Console.WriteLine($"  ack latency p99      {P99:F2} ms");
        Console.WriteLine($"  ack latency max      {Max:F2} ms");
        Console.WriteLine($"  other answers        {(OtherAnswers.Count == 0 ? "none" : string.Join(", ", OtherAnswers.Select(f => $"{f.Key}×{f.Value}")))}");
    }

    public static string LoadAverageNow()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
