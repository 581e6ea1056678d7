using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ReviewBot.TestSupport;
using Xunit.Abstractions;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// `reviewbot serve` as its own process, attacked by large posts: 20 at once with 24 MB bodies and wrong signatures,
/// 20 with the same bodies chunked, and 20 declaring more than the cap, all at the same time. The host's resident
/// memory (the kernel's peak, VmHWM, reset after warm-up) must stay within 100 MB of the idle host, every answer a
/// 4xx. Before the one intake, 20 unsigned 24 MB posts took the host from 206 MB to 1.5 GB.
/// </summary>
public sealed class IntakeMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "memory-test-webhook-secret";
    private const int BodyBytes = 24 * 1024 * 1024;
    private const long AllowedGrowthBytes = 100L * 1024 * 1024;

    private readonly string _db = Path.Combine(Path.GetTempPath(), $"reviewbot-memory-{Guid.NewGuid():N}.db");
    private readonly StringBuilder _log = new();
    private Process _host = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = Loopback.FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reviewbot.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{_port}");
        start.Environment["ReviewBot__GitHub__WebhookSecret"] = Secret;
        start.Environment["ReviewBot__Storage__SqlitePath"] = _db;
        start.Environment["ReviewBot__Worker__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Error";
        _host = Process.Start(start)!;
        _host.OutputDataReceived += (_, e) => Append(e.Data);
        _host.ErrorDataReceived += (_, e) => Append(e.Data);
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(_host.HasExited, "reviewbot serve exited: " + _log);
            try
            {
                using var health = await http.GetAsync($"http://127.0.0.1:{_port}/healthz");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (!_host.HasExited)
        {
            _host.Kill(entireProcessTree: true);
            await _host.WaitForExitAsync();
        }

        _host.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_db + suffix);
        }
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    [Fact]
    public async Task Sixty_large_posts_at_once_leave_the_host_within_100_MB_of_idle_and_get_no_5xx()
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{_port}"),
            Timeout = TimeSpan.FromMinutes(3),
        };

        // Warm up every path once (JIT, pools, SQLite), then take the idle footprint and reset the kernel's peak.
        var small = Encoding.UTF8.GetBytes("{\"zen\":\"warm up\"}");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, small, chunked: i % 2 == 0));
        }

        await Task.Delay(500);
        var idle = Memory("VmRSS");
        File.WriteAllText($"/proc/{_host.Id}/clear_refs", "5");
        Assert.InRange(Memory("VmHWM"), 0, idle + (4 * 1024 * 1024));

        var body = new byte[BodyBytes];
        Array.Fill(body, (byte)'x');
        body[0] = (byte)'{';
        var clock = Stopwatch.StartNew();
        var posts = Enumerable.Range(0, 20).Select(_ => PostAsync(http, body, chunked: false))
            .Concat(Enumerable.Range(0, 20).Select(_ => PostAsync(http, body, chunked: true)))
            .Concat(Enumerable.Range(0, 20).Select(_ => DeclareOverCapAsync()))
            .ToArray();
        var answers = await Task.WhenAll(posts);
        var peak = Memory("VmHWM");
        output.WriteLine($"idle {idle / 1048576.0:F0} MB, peak {peak / 1048576.0:F0} MB (+{(peak - idle) / 1048576.0:F0} MB) over {clock.Elapsed.TotalSeconds:F1} s; "
            + string.Join(", ", answers.GroupBy(a => (int)a).Select(g => $"{g.Key}×{g.Count()}")));

        Assert.All(answers.Take(40), a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.All(answers.Skip(40), a => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, a));
        Assert.True(peak - idle <= AllowedGrowthBytes, $"peak resident memory {peak / 1048576} MB is more than 100 MB above idle {idle / 1048576} MB");
        Assert.False(_host.HasExited);
    }

    /// <summary>A delivery signed with the wrong secret: the whole body must be read before the signature can fail.</summary>
    private static async Task<HttpStatusCode> PostAsync(HttpClient http, byte[] body, bool chunked)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github")
        {
            Content = chunked ? new StreamContent(new MemoryStream(body, writable: false)) : new ByteArrayContent(body),
        };
        request.Headers.TransferEncodingChunked = chunked;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Headers declaring 30 MB (over GitHub's 25 MB cap), then silence: the answer must not wait for the body.</summary>
    private Task<HttpStatusCode> DeclareOverCapAsync()
        => RawHttp.PostHeadersOnlyAsync(_port, "/api/github", OverCapHeaders(), 30L * 1024 * 1024, TimeSpan.FromSeconds(60));

    private static (string, string)[] OverCapHeaders() =>
    [
        ("Content-Type", "application/json"),
        ("X-GitHub-Event", "pull_request"),
        ("X-GitHub-Delivery", Guid.NewGuid().ToString()),
        ("X-Hub-Signature-256", "sha256=" + new string('0', 64)),
    ];

    /// <summary>A memory figure of the host process from /proc (kB there), in bytes.</summary>
    private long Memory(string field)
    {
        var line = File.ReadLines($"/proc/{_host.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
