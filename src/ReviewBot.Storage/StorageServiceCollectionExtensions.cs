using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Ports;
using ReviewBot.Storage.Azure;
using ReviewBot.Storage.Processing;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store chosen by <c>ReviewBot:Storage:Provider</c> (<c>sqlite</c> default, <c>azure</c>) as
    /// <see cref="IAuditStore"/> and <see cref="IReviewCoordinator"/>, replacing earlier defaults; with <c>azure</c>
    /// also the Storage queue as <see cref="IReviewQueue"/> (and its poller outside Azure Functions). An
    /// <see cref="IReviewQueue"/> registered before this call is wrapped so bursts per head are coalesced.
    /// Also registers <see cref="DurableReviewProcessor"/>, <see cref="PoisonRecorder"/> and the default evaluator.
    /// </summary>
    public static IServiceCollection AddReviewBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();

        if (options.IsAzure)
        {
            services.TryAddSingleton(sp => new AzureStorageClients(sp.GetRequiredService<IOptions<StorageOptions>>().Value, configuration));
            services.TryAddSingleton(sp =>
            {
                var store = new AzureTableReviewStore(
                    sp.GetRequiredService<AzureStorageClients>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value);
                store.EnsureCreatedAsync().GetAwaiter().GetResult();
                return store;
            });
            services.TryAdd(ServiceDescriptor.Singleton<IAuditStore>(sp => sp.GetRequiredService<AzureTableReviewStore>()));
            services.TryAdd(ServiceDescriptor.Singleton<IReviewCoordinator>(sp => sp.GetRequiredService<AzureTableReviewStore>()));
            services.TryAdd(ServiceDescriptor.Singleton<IReviewQueue>(sp => new CoalescingReviewQueue(
                new AzureStorageReviewQueue(sp.GetRequiredService<AzureStorageClients>().Queue()),
                sp.GetRequiredService<IReviewCoordinator>(),
                sp.GetRequiredService<ILogger<CoalescingReviewQueue>>())));

            var inFunctions = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT"));
            if (options.PollQueue ?? !inFunctions)
            {
                services.TryAddSingleton<AzureQueueReviewWorker>();
                services.AddSingleton<IHostedService, AzureQueueWorkerService>();
            }
        }
        else
        {
            services.TryAddSingleton(sp => new SqliteReviewStore(
                SqliteDatabase.Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveSqlitePath()),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<StorageOptions>>().Value));
            services.TryAdd(ServiceDescriptor.Singleton<IAuditStore>(sp => sp.GetRequiredService<SqliteReviewStore>()));
            services.TryAdd(ServiceDescriptor.Singleton<IReviewCoordinator>(sp => sp.GetRequiredService<SqliteReviewStore>()));
        }

        services.TryAddSingleton<IReviewEvaluator, EngineReviewEvaluator>();
        services.TryAddSingleton<DurableReviewProcessor>();
        services.TryAddSingleton<PoisonRecorder>();
        return services;
    }
}
