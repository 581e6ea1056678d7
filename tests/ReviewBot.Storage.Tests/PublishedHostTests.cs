using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReviewBot.Storage.Sqlite;

using ReviewBot.TestSupport;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// Starts the built `reviewbot serve` as its own process the way the Azure Functions host starts a custom handler
/// (FUNCTIONS_CUSTOMHANDLER_PORT and friends, readiness ping on /), then speaks the contract to it: forwarded webhook
/// requests with their raw body, wrapped queue invocations for review-worker and review-worker-poison.
/// Functions Core Tools cannot be installed here, so this is the contract test.
/// </summary>
public sealed class PublishedHostTests : IAsyncLifetime
{
    private const string Secret = "functions-contract-secret";
    private const string Token = "ghp_ContractTestTokenThatMustNeverBeLogged0001";

    private readonly TempDir _dir = new();
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private Process? _process;

    private string Db => _dir.File("reviewbot.db");

    public async Task InitializeAsync()
    {
        var configuration = typeof(PublishedHostTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "Configuration").Value!;
        var dll = Path.Combine(TestSupport.TestPaths.RepoRoot, "src", "ReviewBot.Cli", "bin", configuration, "net10.0", "reviewbot.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");

        var port = Loopback.FreePort();
        var closedPort = Loopback.FreePort(); // nothing listens: GitHub API calls fail fast
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString();
        start.Environment["FUNCTIONS_APP_ROOT_PATH"] = _dir.Path;
        start.Environment["ReviewBot__GitHub__WebhookSecret"] = Secret;
        start.Environment["ReviewBot__GitHub__Token"] = Token;
        start.Environment["ReviewBot__GitHub__ApiBaseUrl"] = $"http://127.0.0.1:{closedPort}/";
        start.Environment["ReviewBot__GitHub__RetryBaseDelay"] = "00:00:00.010";
        start.Environment["ReviewBot__Worker__MaxAttempts"] = "1";
        start.Environment["ReviewBot__Storage__SqlitePath"] = Db;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _http.BaseAddress = new Uri($"http://127.0.0.1:{port}");

        // The Functions host pings the handler until any HTTP answer arrives.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(_process.HasExited, "reviewbot serve exited: " + Output);
            try
            {
                using var ping = await _http.GetAsync("/");
                Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Forwarded_webhooks_reach_the_signature_check_with_the_raw_body()
    {
        var body = """{"zen":"Keep it logically awesome.","hook_id":7}"""u8.ToArray();

        using var unsigned = await Forward(body, signature: "sha256=" + new string('0', 64));
        using var signed = await Forward(body, signature: "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)));

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
    }

    [Fact]
    public async Task A_queue_invocation_that_cannot_reach_the_platform_fails_non_2xx_with_logs_and_no_secret()
    {
        var message = ReviewMessage.Serialize(Requests.For("d-contract-1"));
        using var response = await Invoke("review-worker", JsonSerializer.Serialize(message));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Object, reply.GetProperty("Outputs").ValueKind);
        var log = reply.GetProperty("Logs")[0].GetString()!;
        Assert.Contains("d-contract-1", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unable to resolve service", log, StringComparison.Ordinal); // the whole evaluation path is wired
        Assert.DoesNotContain(Token, reply.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_poison_invocation_is_recorded_in_the_sqlite_audit_log()
    {
        using var response = await Invoke("review-worker-poison", ReviewMessage.Serialize(Requests.For("d-contract-9", number: 9)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var store = SqliteReviewStore.Open(Db);
        var record = await store.GetAsync("poison.d-contract-9");
        Assert.NotNull(record);
        Assert.Equal(9, record.Number);
        Assert.Contains("poison", record.Error, StringComparison.Ordinal);
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private Task<HttpResponseMessage> Forward(byte[] body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", signature);
        AddFunctionsHeaders(request);
        return _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> Invoke(string function, string message)
    {
        var payload = new
        {
            Data = new Dictionary<string, object> { ["message"] = message },
            Metadata = new Dictionary<string, object> { ["DequeueCount"] = 1, ["Id"] = Guid.NewGuid().ToString() },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + function)
        {
            Content = JsonContent.Create(payload, options: new JsonSerializerOptions { PropertyNamingPolicy = null }),
        };
        AddFunctionsHeaders(request);
        return _http.SendAsync(request);
    }

    private static void AddFunctionsHeaders(HttpRequestMessage request)
    {
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.0");
        request.Headers.TryAddWithoutValidation("User-Agent", "Azure-Functions-Host/4.1040.300.0");
    }


    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
