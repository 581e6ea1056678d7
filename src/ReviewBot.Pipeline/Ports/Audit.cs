using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;

namespace ReviewBot.Pipeline.Ports;

/// <summary>One recorded decision. Never holds a secret.</summary>
public sealed record AuditRecord
{
    public required string Id { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string Platform { get; init; }
    public required string Repository { get; init; }
    public required long Number { get; init; }
    public required string HeadSha { get; init; }
    public string? DeliveryId { get; init; }
    public string? Event { get; init; }

    /// <summary>Rules file path@revision the decision used.</summary>
    public string? RulesRevision { get; init; }

    public AuthorshipVerdict? Authorship { get; init; }
    public RiskReport? Risk { get; init; }
    public Decision? Decision { get; init; }
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Set when the evaluation failed (poison messages, platform errors).</summary>
    public string? Error { get; init; }

    /// <summary>Set on the record of a merge group's evaluation (then <see cref="Number"/> is 0 and <see cref="HeadSha"/> is the group's head).</summary>
    public MergeGroupAudit? MergeGroup { get; init; }
}

public sealed record AuditQuery
{
    public string? Repository { get; init; }
    public long? Number { get; init; }
    public DateTimeOffset? Since { get; init; }
    public int Limit { get; init; } = 100;
}

/// <summary>De-duplication, per-PR ordering and the audit trail.</summary>
public interface IAuditStore
{
    /// <summary>Records a delivery id; false when it was already seen (the caller then does nothing).</summary>
    Task<bool> TryRecordDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Un-records a delivery id whose request could not be queued, so that the platform's redelivery is accepted
    /// instead of being dropped as a duplicate. No-op when the id is unknown.
    /// </summary>
    Task ForgetDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default);

    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default);

    Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default);
}
