using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReviewBot.Host.Tests;

/// <summary>
/// The composed host on real Kestrel at a loopback port, over its own SQLite file (deleted on dispose), with the worker
/// off: each test adds the settings it is about.
/// </summary>
public sealed class LoopbackHost : IDisposable
{
    public string Database { get; } = Path.Combine(Path.GetTempPath(), $"reviewbot-host-{Guid.NewGuid():N}.db");

    /// <param name="services">Registrations that win over the host's defaults (e.g. a platform double).</param>
    public WebApplication Build(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null) => HostApp.Build([], builder =>
    {
        services?.Invoke(builder.Services);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReviewBot:Storage:SqlitePath"] = Database,
            ["ReviewBot:Worker:Enabled"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings);
    });

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Database + suffix);
        }
    }
}
