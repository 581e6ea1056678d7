namespace ReviewBot.Storage;

/// <summary>
/// Settings under <c>ReviewBot:Storage</c>. <see cref="Provider"/> <c>sqlite</c> (embedded default: one file
/// holding the durable queue, the de-duplication and ordering state and the audit log) or <c>azure</c> (Storage queue + Table storage, for the Azure Functions deployment).
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "ReviewBot:Storage";

    /// <summary><c>sqlite</c> (default) or <c>azure</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>SQLite file; default <c>reviewbot.db</c> in the current directory.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>Azure Storage connection string. Falls back to the <c>AzureWebJobsStorage</c> setting of the function app.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Storage account name for identity-based access (DefaultAzureCredential) when no connection string is set.</summary>
    public string? AccountName { get; set; }

    /// <summary>Queue endpoint for identity-based access, e.g. https://acct.queue.core.windows.net (overrides AccountName).</summary>
    public string? QueueServiceUri { get; set; }

    /// <summary>Table endpoint for identity-based access, e.g. https://acct.table.core.windows.net (overrides AccountName).</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>Queue the webhook endpoints write to and the <c>review-worker</c> function reads.</summary>
    public string QueueName { get; set; } = "reviewbot-reviews";

    /// <summary>Prefix of the three tables (…Deliveries, …PullRequests, …Audit).</summary>
    public string TablePrefix { get; set; } = "reviewbot";

    /// <summary>How long a queued evaluation folds later deliveries for the same head (guards against a lost message).</summary>
    public TimeSpan QueuedFoldWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a leased work item (SQLite queue) or received message (Azure queue poller) stays invisible to other
    /// workers; a crashed worker's item comes back after it. Keep it above <c>ReviewBot:Worker:LeaseDuration</c>.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether this host polls the Azure queue itself. Default: yes, unless it runs as an Azure Functions custom
    /// handler (FUNCTIONS_CUSTOMHANDLER_PORT set), where the queue trigger delivers messages.
    /// </summary>
    public bool? PollQueue { get; set; }

    /// <summary>
    /// How long the file contents an evaluation read are kept for its replay (SQLite store). Contents no evaluation
    /// recorded within this time references are pruned; the recorded evaluations and the audit log stay.
    /// </summary>
    public TimeSpan ContentRetention { get; set; } = TimeSpan.FromDays(30);

    public bool IsAzure => string.Equals(Provider, "azure", StringComparison.OrdinalIgnoreCase);

    public string ResolveSqlitePath()
        => Path.GetFullPath(string.IsNullOrWhiteSpace(SqlitePath) ? "reviewbot.db" : SqlitePath);
}
