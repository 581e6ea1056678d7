using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ReviewBot.TestSupport;

/// <summary>
/// The built CLI running <c>reviewbot serve</c> as a separate process on 127.0.0.1, for tests that must kill it for
/// real: <see cref="Kill"/> is SIGKILL (no shutdown code runs), <see cref="TerminateAsync"/> is SIGTERM.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>src/ReviewBot.Cli/bin/&lt;configuration of this test build&gt;/net10.0/reviewbot.dll.</summary>
    public static string CliDll
    {
        get
        {
            var configuration = typeof(ServeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;
            var dll = Path.Combine(TestPaths.RepoRoot, "src", "ReviewBot.Cli", "bin", configuration, "net10.0", "reviewbot.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is not built (reference src/ReviewBot.Cli from the test project)");
        }
    }

    /// <summary>Starts <c>dotnet reviewbot.dll serve</c> on a free loopback port and waits until <c>/healthz</c> answers.</summary>
    public static async Task<ServeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var port = Loopback.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliDll);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var serve = new ServeProcess(Process.Start(start)!, address);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (serve.HasExited)
            {
                throw new InvalidOperationException($"reviewbot serve exited with {serve.ExitCode}: {serve.Output}");
            }

            try
            {
                using var ping = await http.GetAsync("/healthz");
                if (ping.IsSuccessStatusCode)
                {
                    return serve;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                serve.Kill();
                throw new TimeoutException("reviewbot serve did not answer /healthz: " + serve.Output);
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM (what a service manager or container runtime sends), then waits for the exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
