using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Serialization;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Pipeline.Replay;

/// <summary>
/// What one evaluation decided on, kept with its audit record so the decision can be replayed offline: the snapshot
/// as a value (metadata, commits, changed files, reviews, checks — its file contents and patches only as SHA-256
/// hashes), the team memberships it resolved, the rules texts and where they came from, and the ReviewBot version.
/// The bytes behind the hashes live in a separate content-addressed store with its own retention
/// (<see cref="IEvaluationStore"/>): they can hold secrets and never appear in an audit export.
/// </summary>
public sealed record RecordedEvaluation
{
    /// <summary>The audit record this evaluation belongs to.</summary>
    public required string AuditId { get; init; }

    /// <summary>The ReviewBot version that decided (<see cref="ReviewBotVersion.Current"/>).</summary>
    public required string ReviewBotVersion { get; init; }

    /// <summary>The snapshot without contents (no provider) and without patch texts (see <see cref="Patches"/>).</summary>
    public required PullRequestSnapshot Snapshot { get; init; }

    /// <summary>Changed-file path → SHA-256 of its patch text, for the files that had one.</summary>
    public IReadOnlyDictionary<string, string> Patches { get; init; } = new Dictionary<string, string>();

    /// <summary>Every file the analysis read, by side, with the hash of the bytes it got.</summary>
    public IReadOnlyList<RecordedContent> Contents { get; init; } = [];

    /// <summary>Team or group → the member logins the platform answered, for each team the evaluation resolved.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Teams { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The repository's rules (or the built-in policy) that gated the change (text, path, revision, origin); null when there were none.</summary>
    public RulesSource? Rules { get; init; }

    /// <summary>The organisation's rules, when the change was gated by them too: a replay combines the two the same way.</summary>
    public RulesSource? OrganisationRules { get; init; }

    /// <summary>The rules as the change leaves them, when the evaluation read them.</summary>
    public RulesSource? HeadRules { get; init; }

    /// <summary>Every content hash the evaluation references (file contents and patches).</summary>
    public IEnumerable<string> ContentHashes => Contents.Select(c => c.Sha256).Concat(Patches.Values).Distinct(StringComparer.Ordinal);
}

/// <summary>One file the analysis read: its path and side, and the SHA-256 (lower-case hex) and length of its bytes.</summary>
public sealed record RecordedContent(string Path, Side Side, string Sha256, int Length);

/// <summary>
/// Keeps recorded evaluations and the content-addressed bytes they reference. Contents are kept for their own
/// retention and pruned when no evaluation within it references them; an evaluation outlives its contents (its
/// replay then fails and says why).
/// </summary>
public interface IEvaluationStore
{
    /// <summary>Stores the evaluation and the bytes behind its hashes (SHA-256 → bytes); idempotent per audit id.</summary>
    Task RecordAsync(RecordedEvaluation evaluation, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> contents, CancellationToken cancellationToken = default);

    /// <summary>The evaluation recorded with the audit record <paramref name="auditId"/>; null when none was.</summary>
    Task<RecordedEvaluation?> GetAsync(string auditId, CancellationToken cancellationToken = default);

    /// <summary>The bytes still held for <paramref name="hashes"/> (pruned ones are absent).</summary>
    Task<IReadOnlyDictionary<string, byte[]>> GetContentsAsync(IEnumerable<string> hashes, CancellationToken cancellationToken = default);
}

/// <summary>The version of this ReviewBot build, as recorded with each evaluation and shown by a replay.</summary>
public static class ReviewBotVersion
{
    public static string Current { get; } =
        typeof(ReviewBotVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ReviewBotVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}

/// <summary>
/// The stored form of a <see cref="RecordedEvaluation"/>: the public JSON shape, with the snapshot's live content
/// provider left out (contents are referenced by hash only).
/// </summary>
public static class RecordedEvaluationJson
{
    private static readonly JsonSerializerOptions Options = new(ReviewBotJson.Compact)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutContentProvider } },
    };

    public static string Serialize(RecordedEvaluation evaluation) => JsonSerializer.Serialize(evaluation, Options);

    public static RecordedEvaluation Deserialize(string json)
        => JsonSerializer.Deserialize<RecordedEvaluation>(json, Options) ?? throw new InvalidDataException("recorded evaluation holds JSON null");

    private static void LeaveOutContentProvider(JsonTypeInfo type)
    {
        if (type.Type == typeof(PullRequestSnapshot)
            && type.Properties.FirstOrDefault(p => p.AttributeProvider is PropertyInfo { Name: nameof(PullRequestSnapshot.Contents) }) is { } contents)
        {
            type.Properties.Remove(contents);
        }
    }
}
