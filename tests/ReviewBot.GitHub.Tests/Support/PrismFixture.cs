using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests.Support;

/// <summary>
/// Prism (<c>@stoplight/prism-cli</c>) serving GitHub's official OpenAPI description (<c>@octokit/openapi</c>,
/// api.github.com.json) on 127.0.0.1, answering with the description's own examples. Started once per test class.
/// Prism validates every request and answers an invalid one with an error (422/400/404/406/415) plus
/// <c>sl-violations</c>; <see cref="PrismRecorder"/> turns both into test failures. <c>--errors</c> is deliberately
/// not passed: it additionally turns defects in GitHub's own response examples (e.g. the pull request example lacks
/// <c>requested_teams[].type</c>) into 500s, which would hide whether our requests are valid; <c>--dynamic</c>
/// responses are schema-valid but random (dates, enums) and Octokit cannot read them.
/// </summary>
public sealed class PrismFixture : IAsyncLifetime
{
    private Process? _process;
    private readonly ConcurrentQueue<string> _output = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static string Spec => Path.Combine(TestPaths.RepoRoot, "tools", "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");

    public static string Prism => Path.Combine(TestPaths.RepoRoot, "tools", "node_modules", ".bin", "prism");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Prism) || !File.Exists(Spec))
        {
            throw new InvalidOperationException("Prism or GitHub's OpenAPI description is missing: run `npm ci --prefix tools` (scripts/test.sh does).");
        }

        var port = Loopback.FreePort();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process
        {
            StartInfo = new ProcessStartInfo(Prism)
            {
                ArgumentList = { "mock", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), Spec },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            _output.Enqueue(e.Data);
            while (_output.Count > 200)
            {
                _output.TryDequeue(out _);
            }

            if (e.Data.Contains("Prism is listening", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        _process.OutputDataReceived += OnLine;
        _process.ErrorDataReceived += OnLine;
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("Prism exited: " + string.Join('\n', _output)));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var done = await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromMinutes(4)));
        if (done != listening.Task)
        {
            throw new TimeoutException("Prism did not start within 4 minutes: " + string.Join('\n', _output.TakeLast(20)));
        }

        await listening.Task;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

}

/// <summary>
/// Sits between the adapter and Prism: records every request and every request violation Prism reports (error answers
/// and <c>sl-violations</c> entries located in the request), and drops Prism's example <c>Link</c> headers (they point
/// at api.github.com).
/// </summary>
public sealed class PrismRecorder() : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>GraphQL requests, answered here rather than by Prism.</summary>
    public ConcurrentQueue<string> GraphQL { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var line = $"{request.Method} {request.RequestUri?.PathAndQuery}";
        if (request.RequestUri?.AbsolutePath.EndsWith("/graphql", StringComparison.Ordinal) == true)
        {
            // GitHub's OpenAPI description does not cover GraphQL, so Prism cannot check it: answer "nothing known".
            GraphQL.Enqueue(line);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("""{"data":{"repository":null}}""", System.Text.Encoding.UTF8, "application/json") };
        }

        var response = await base.SendAsync(request, cancellationToken);
        Requests.Enqueue($"{line} -> {(int)response.StatusCode}");
        if (response.Headers.TryGetValues("sl-violations", out var values))
        {
            foreach (var violation in JsonDocument.Parse(values.First()).RootElement.EnumerateArray())
            {
                var location = violation.GetProperty("location");
                if (location.GetArrayLength() == 0 || location[0].GetString() != "response")
                {
                    Violations.Enqueue($"{line}: {violation}");
                }
            }
        }

        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        if ((int)response.StatusCode >= 400 && body.Contains("stoplight.io/prism/errors", StringComparison.Ordinal)
            && !body.Contains("Response body property", StringComparison.Ordinal))
        {
            Violations.Enqueue($"{line}: {(int)response.StatusCode} {body}");
        }

        response.Headers.Remove("Link");
        return response;
    }
}
