using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace ReviewBot.Storage.Azure;

/// <summary>
/// Builds the queue and table clients from <see cref="StorageOptions"/>: a connection string (own setting, else the
/// function app's <c>AzureWebJobsStorage</c>), or service URIs / account name with <see cref="DefaultAzureCredential"/>
/// (managed identity in Azure).
/// </summary>
public sealed class AzureStorageClients
{
    private readonly StorageOptions _options;
    private readonly string? _connectionString;
    private readonly Lazy<DefaultAzureCredential> _credential = new(() => new DefaultAzureCredential());

    public AzureStorageClients(StorageOptions options, IConfiguration? configuration = null)
    {
        _options = options;
        _connectionString = !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? options.ConnectionString
            : configuration?["AzureWebJobsStorage"];
    }

    public QueueClient Queue(string? name = null)
    {
        var queueName = name ?? _options.QueueName;
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(_connectionString))
        {
            return new QueueClient(_connectionString, queueName, queueOptions);
        }

        var service = ServiceUri(_options.QueueServiceUri, "queue");
        return new QueueClient(new Uri(service, queueName), _credential.Value, queueOptions);
    }

    public QueueClient PoisonQueue() => Queue(_options.QueueName + "-poison");

    public TableClient Table(string suffix)
    {
        var tableName = _options.TablePrefix + suffix;
        if (!string.IsNullOrWhiteSpace(_connectionString))
        {
            return new TableClient(_connectionString, tableName);
        }

        return new TableClient(ServiceUri(_options.TableServiceUri, "table"), tableName, _credential.Value);
    }

    private Uri ServiceUri(string? explicitUri, string service)
    {
        if (!string.IsNullOrWhiteSpace(explicitUri))
        {
            return new Uri(explicitUri.EndsWith('/') ? explicitUri : explicitUri + "/");
        }

        if (!string.IsNullOrWhiteSpace(_options.AccountName))
        {
            return new Uri($"https://{_options.AccountName}.{service}.core.windows.net/");
        }

        throw new InvalidOperationException(
            $"ReviewBot:Storage:Provider is azure but no storage is configured: set ReviewBot:Storage:ConnectionString (or AzureWebJobsStorage), "
            + $"or ReviewBot:Storage:AccountName / ReviewBot:Storage:{(service == "queue" ? "QueueServiceUri" : "TableServiceUri")} for managed identity");
    }
}
