using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ReviewBot.TestSupport;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// Real Azurite (npm package in tools/) on loopback with free ports and in-memory persistence, started once per
/// test collection and stopped on dispose. Runs `npm ci --prefix tools` first when the binary is missing.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // Azurite's published development account (well-known, not a secret).
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};"
        + $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{DevAccount};TableEndpoint=http://127.0.0.1:{TablePort}/{DevAccount};";

    /// <summary>
    /// Azure store options on this Azurite with fresh table and queue names (alphanumeric tables, lowercase queues), so
    /// tests sharing the one Azurite stay apart.
    /// </summary>
    public StorageOptions FreshOptions()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return new StorageOptions { Provider = "azure", ConnectionString = ConnectionString, TablePrefix = "t" + id, QueueName = "reviews-" + id };
    }

    public async Task InitializeAsync()
    {
        var bin = Path.Combine(TestPaths.RepoRoot, "tools", "node_modules", ".bin", "azurite");
        if (!File.Exists(bin))
        {
            await RunAsync("npm", $"ci --prefix \"{Path.Combine(TestPaths.RepoRoot, "tools")}\" --no-audit --no-fund --loglevel=error");
        }

        QueuePort = Loopback.FreePort();
        TablePort = Loopback.FreePort();
        var blobPort = Loopback.FreePort();
        var start = new ProcessStartInfo(bin)
        {
            ArgumentList =
            {
                "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
                "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("azurite did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await Listening(QueuePort) && await Listening(TablePort)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"azurite did not listen on {QueuePort}/{TablePort} (exited: {_process.HasExited})");
            }

            await Task.Delay(100);
        }
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


    private static async Task<bool> Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false }) ?? throw new InvalidOperationException(file + " did not start");
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {args} exited with {p.ExitCode}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
