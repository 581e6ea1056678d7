using System.Text.Json;
using ReviewBot.Core.Serialization;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Storage;

/// <summary>The stored form of an audit record: compact JSON of the redacted record (same shape as `audit export`).</summary>
public static class AuditJson
{
    /// <summary>Masks secrets in the free-text parts (error, actions) before anything is written.</summary>
    public static AuditRecord Sanitize(AuditRecord record) => record with
    {
        Error = SecretRedactor.Redact(record.Error),
        Actions = SecretRedactor.Redact(record.Actions),
    };

    public static string Serialize(AuditRecord record) => JsonSerializer.Serialize(record, ReviewBotJson.Compact);

    public static AuditRecord Deserialize(string json)
        => JsonSerializer.Deserialize<AuditRecord>(json, ReviewBotJson.Compact)
           ?? throw new InvalidDataException("audit row holds JSON null");

    /// <summary>The decision state as stored in the indexed column ("pass", "pending", "fail", "error", or "none"); a merge group's record has its group's state.</summary>
    public static string StateOf(AuditRecord record)
        => record.Error is not null ? "error"
            : record.MergeGroup is { } group ? ReviewBotJson.Name(group.State)
            : record.Decision is null ? "none"
            : JsonSerializer.Serialize(record.Decision.State, ReviewBotJson.Compact).Trim('"');
}
