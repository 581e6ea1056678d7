using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Azure;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>`AddReviewBotStorage` picks the store named by ReviewBot:Storage:Provider and yields to explicit registrations.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageRegistrationTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void Sqlite_is_the_default_and_opens_the_configured_file()
    {
        using var sp = Provider(new() { ["ReviewBot:Storage:SqlitePath"] = _dir.File("custom.db") });

        Assert.IsType<SqliteReviewStore>(sp.GetRequiredService<IAuditStore>());
        Assert.Same(sp.GetRequiredService<IAuditStore>(), sp.GetRequiredService<IReviewCoordinator>());
        var queue = Assert.IsType<SqliteWorkQueue>(sp.GetRequiredService<IWorkQueue>());
        Assert.Same(queue, sp.GetRequiredService<IDeliveryInbox>()); // the delivery key and its requests in one transaction
        Assert.Same(queue, sp.GetRequiredService<IReviewQueue>());
        Assert.Contains(sp.GetServices<IHostedService>(), s => s is QueueWorker);
        Assert.True(File.Exists(_dir.File("custom.db")));
    }

    [Fact]
    public async Task Azure_selects_tables_and_the_coalescing_storage_queue_drained_by_the_queue_worker()
    {
        using var sp = Provider(new()
        {
            ["ReviewBot:Storage:Provider"] = "azure",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["ReviewBot:Storage:TablePrefix"] = "reg" + Guid.NewGuid().ToString("N")[..8],
        });

        Assert.IsType<AzureTableReviewStore>(sp.GetRequiredService<IAuditStore>());
        var queue = Assert.IsType<CoalescingReviewQueue>(sp.GetRequiredService<IReviewQueue>());
        Assert.IsType<AzureStorageReviewQueue>(queue.Inner);
        Assert.IsType<AzureStorageWorkQueue>(sp.GetRequiredService<IWorkQueue>());
        Assert.IsType<QueueDeliveryInbox>(sp.GetRequiredService<IDeliveryInbox>());
        Assert.IsType<AzureTableEscalationStore>(sp.GetRequiredService<IEscalationStore>());
        Assert.NotNull(sp.GetRequiredService<EscalationSweeper>());
        var hosted = sp.GetServices<IHostedService>().ToList();
        Assert.Contains(hosted, s => s is EscalationSweepTimer);
        var worker = hosted.FindIndex(s => s is QueueWorker);
        Assert.True(worker > 0, "the tables are created by a hosted service started before the queue worker");

        // The host starts its services in order: the tables exist before the worker (or the web server) takes work.
        foreach (var service in hosted.Take(worker))
        {
            await service.StartAsync(CancellationToken.None);
        }

        Assert.True(await sp.GetRequiredService<IAuditStore>().TryRecordDeliveryAsync("github", "reg-1"));
    }

    [Fact]
    public void Under_the_Functions_host_the_azure_queue_is_left_to_the_queue_trigger()
    {
        using var sp = Provider(new()
        {
            ["ReviewBot:Storage:Provider"] = "azure",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071",
        });

        Assert.Null(sp.GetService<IWorkQueue>());
        Assert.DoesNotContain(sp.GetServices<IHostedService>(), s => s is QueueWorker);

        // The escalation-sweep timer function sweeps the Azure tables instead of a timer of this host.
        Assert.IsType<AzureTableEscalationStore>(sp.GetRequiredService<IEscalationStore>());
        Assert.NotNull(sp.GetRequiredService<EscalationSweeper>());
        Assert.DoesNotContain(sp.GetServices<IHostedService>(), s => s is EscalationSweepTimer);
    }

    [Fact]
    public void A_visibility_timeout_not_longer_than_the_lease_is_refused_at_start()
    {
        using var sp = Provider(new()
        {
            ["ReviewBot:Storage:SqlitePath"] = _dir.File("v.db"),
            ["ReviewBot:Storage:VisibilityTimeout"] = "00:01:00",
            ["ReviewBot:Worker:LeaseDuration"] = "00:05:00",
        });

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value);
        Assert.Contains("VisibilityTimeout must be longer than ReviewBot:Worker:LeaseDuration", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_without_any_storage_setting_fails_with_the_settings_to_set()
    {
        using var sp = Provider(new() { ["ReviewBot:Storage:Provider"] = "azure" });

        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IAuditStore>());
        Assert.Contains("ReviewBot:Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AccountName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_registration_made_earlier_wins()
    {
        var services = new ServiceCollection();
        var mine = SqliteReviewStore.Open(_dir.File("mine.db"));
        services.AddSingleton<IAuditStore>(mine);
        services.AddLogging();
        services.AddReviewBotStorage(new ConfigurationBuilder().Build());
        using var sp = services.BuildServiceProvider();

        Assert.Same(mine, sp.GetRequiredService<IAuditStore>());
        mine.Dispose();
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new ReviewBot.Core.Pipeline.ReviewEngine(ReviewBot.Core.Risk.NullRiskAnalyzer.Instance)); // the host registers it
        services.AddReviewBotStorage(configuration);
        return services.BuildServiceProvider();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
