using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Telemetry;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Storage.Azure;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store chosen by <c>ReviewBot:Storage:Provider</c> (<c>sqlite</c> default, <c>azure</c>) as
    /// <see cref="IAuditStore"/> and <see cref="IReviewCoordinator"/>, the queue behind <see cref="IDeliveryInbox"/>
    /// and <see cref="IReviewQueue"/>, and the review pipeline. With <c>sqlite</c> the queue is the durable
    /// <see cref="SqliteWorkQueue"/> in the same file, drained by this host's <see cref="QueueWorker"/>; with
    /// <c>azure</c> it is the Storage queue (coalesced per head), drained by the worker too unless the host runs as
    /// an Azure Functions custom handler (then the queue trigger invokes <c>/review-worker</c>). With <c>sqlite</c>
    /// each decision is also recorded for replay (<see cref="IEvaluationStore"/>; the Azure store has none). Both keep the
    /// escalation clocks (<see cref="IEscalationStore"/>: the SQLite file or Azure tables), swept by
    /// <see cref="EscalationSweepTimer"/>, or under Azure Functions by the timer trigger (<c>/escalation-sweep</c>).
    /// Earlier registrations win (TryAdd*).
    /// </summary>
    public static IServiceCollection AddReviewBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName));
        services.AddOptions<StorageOptions>()
            .Validate<IOptions<PipelineOptions>>(
                (storage, pipeline) => storage.VisibilityTimeout > pipeline.Value.LeaseDuration,
                "ReviewBot:Storage:VisibilityTimeout must be longer than ReviewBot:Worker:LeaseDuration (a crashed worker's item must come back after its lease ended)")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var drainHere = true;
        var inFunctions = !string.IsNullOrEmpty(configuration["FUNCTIONS_CUSTOMHANDLER_PORT"]);

        if (options.IsAzure)
        {
            services.TryAddSingleton(sp => new AzureStorageClients(sp.GetRequiredService<IOptions<StorageOptions>>().Value, configuration));
            services.TryAddSingleton(sp => new AzureTableReviewStore(
                sp.GetRequiredService<AzureStorageClients>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value));
            services.TryAddSingleton(sp => new AzureTableEscalationStore(sp.GetRequiredService<AzureStorageClients>()));
            services.TryAdd(ServiceDescriptor.Singleton<IEscalationStore>(sp => sp.GetRequiredService<AzureTableEscalationStore>()));

            // The tables are created at start-up, awaited: hosted services start in order, before the worker below
            // and before the web server takes deliveries.
            services.AddSingleton<IHostedService, AzureTablesCreation>();
            services.TryAdd(ServiceDescriptor.Singleton<IAuditStore>(sp => sp.GetRequiredService<AzureTableReviewStore>()));
            services.TryAdd(ServiceDescriptor.Singleton<IReviewCoordinator>(sp => sp.GetRequiredService<AzureTableReviewStore>()));
            services.TryAdd(ServiceDescriptor.Singleton<IReviewQueue>(sp => new CoalescingReviewQueue(
                new AzureStorageReviewQueue(sp.GetRequiredService<AzureStorageClients>().Queue()),
                sp.GetRequiredService<IReviewCoordinator>(),
                sp.GetRequiredService<ILogger<CoalescingReviewQueue>>())));

            // The de-duplication table and the queue are not one transaction: the inbox forgets the key when
            // queueing fails, so the platform's redelivery is accepted.
            services.TryAddSingleton<IDeliveryInbox, QueueDeliveryInbox>();
            services.TryAddSingleton<IQueueStatistics>(sp => new AzureQueueStatistics(sp.GetRequiredService<AzureStorageClients>(), sp.GetRequiredService<TimeProvider>()));
            drainHere = options.PollQueue ?? !inFunctions;
            if (drainHere)
            {
                services.TryAddSingleton<IWorkQueue, AzureStorageWorkQueue>();
            }
        }
        else
        {
            services.TryAddSingleton(sp => SqliteDatabase.Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveSqlitePath()));
            services.TryAddSingleton(sp => new SqliteReviewStore(
                sp.GetRequiredService<SqliteDatabase>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<StorageOptions>>().Value));
            services.TryAdd(ServiceDescriptor.Singleton<IAuditStore>(sp => sp.GetRequiredService<SqliteReviewStore>()));
            services.TryAdd(ServiceDescriptor.Singleton<IReviewCoordinator>(sp => sp.GetRequiredService<SqliteReviewStore>()));

            // What each audited decision decided on, and the contents it read, for `reviewbot audit replay`.
            services.TryAddSingleton<IEvaluationStore>(sp => new SqliteEvaluationStore(
                sp.GetRequiredService<SqliteDatabase>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<StorageOptions>>().Value));

            // One transaction: the delivery key and its review requests, in the same file.
            services.TryAddSingleton<SqliteWorkQueue>();
            services.TryAdd(ServiceDescriptor.Singleton<IWorkQueue>(sp => sp.GetRequiredService<SqliteWorkQueue>()));
            services.TryAdd(ServiceDescriptor.Singleton<IDeliveryInbox>(sp => sp.GetRequiredService<SqliteWorkQueue>()));
            services.TryAdd(ServiceDescriptor.Singleton<IReviewQueue>(sp => sp.GetRequiredService<SqliteWorkQueue>()));
            services.TryAddSingleton<IQueueStatistics>(sp => new SqliteQueueStatistics(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>()));

            // Escalation clocks, in the same file.
            services.TryAddSingleton<IEscalationStore>(sp => new SqliteEscalationStore(sp.GetRequiredService<SqliteDatabase>()));
        }

        // Escalation clocks are kept by each evaluation and fired by the sweep.
        services.TryAddSingleton<EscalationSweeper>();
        if (!inFunctions)
        {
            // Under Azure Functions the timer trigger (functions/escalation-sweep) sweeps instead.
            services.AddOptions<EscalationOptions>().Bind(configuration.GetSection(EscalationOptions.SectionName));
            services.AddSingleton<IHostedService, EscalationSweepTimer>();
        }

        services.AddReviewBotMetrics();
        services.TryAddSingleton<IReviewEvaluator, EngineReviewEvaluator>();
        services.TryAddSingleton<ReviewPipeline>();
        services.TryAddSingleton<PoisonRecorder>();
        if (drainHere)
        {
            // Shared with the webhook intake when this host has one; otherwise nothing counts and the worker never gives way.
            services.TryAddSingleton<IntakeLoad>();
            services.TryAddSingleton<QueueWorker>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<QueueWorker>());
        }

        return services;
    }
}

/// <summary>Creates the Azure tables when the host starts (idempotent), instead of blocking inside a service factory.</summary>
internal sealed class AzureTablesCreation(AzureTableReviewStore store, AzureTableEscalationStore escalations) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await escalations.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
