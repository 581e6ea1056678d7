using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Pipeline.Replay;

/// <summary>
/// Records what one evaluation reads: the snapshot's contents go through a recording provider and the team
/// membership through a recording lookup; <see cref="Finish"/> turns them, with the outcome's rules, into a
/// <see cref="RecordedEvaluation"/> and the bytes behind its hashes.
/// </summary>
public sealed class EvaluationRecording
{
    private readonly PullRequestSnapshot _original;
    private readonly RecordingContents _contents;
    private readonly RecordingMembership _membership;

    public EvaluationRecording(PullRequestSnapshot snapshot, IGroupMembership membership)
    {
        _original = snapshot;
        _contents = new RecordingContents(snapshot.Contents);
        _membership = new RecordingMembership(membership);
        Snapshot = snapshot with { Contents = _contents };
    }

    /// <summary>The snapshot to evaluate: its contents are recorded as they are read.</summary>
    public PullRequestSnapshot Snapshot { get; }

    /// <summary>The membership to evaluate with: the teams it resolves are recorded.</summary>
    public IGroupMembership Membership => _membership;

    /// <summary>The evaluation as recorded, and the bytes (SHA-256 → bytes) of the contents and patches it references.</summary>
    public (RecordedEvaluation Evaluation, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Contents) Finish(string auditId, ReviewOutcome outcome)
    {
        var bytes = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        var contents = new List<RecordedContent>();
        foreach (var ((path, side), content) in _contents.Read.OrderBy(r => r.Key.Path, StringComparer.Ordinal).ThenBy(r => r.Key.Side))
        {
            var hash = Sha256(content.Span);
            bytes[hash] = content;
            contents.Add(new RecordedContent(path, side, hash, content.Length));
        }

        var patches = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in _original.Files.Where(f => f.Patch is not null))
        {
            var patch = Encoding.UTF8.GetBytes(file.Patch!);
            var hash = Sha256(patch);
            bytes[hash] = patch;
            patches[file.Path] = hash;
        }

        var evaluation = new RecordedEvaluation
        {
            AuditId = auditId,
            ReviewBotVersion = ReviewBotVersion.Current,
            Snapshot = _original with
            {
                Contents = NoFileContents.Instance,
                Files = [.. _original.Files.Select(f => f with { Patch = null })],

                // The CODEOWNERS read at the base (when the rules asked for code owners): a replay judges the same owners.
                CodeOwners = outcome.Snapshot.CodeOwners,
            },
            Patches = patches,
            Contents = contents,
            Teams = _membership.Resolved
                .OrderBy(t => t.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(t => t.Key, t => (IReadOnlyList<string>)[.. t.Value.Order(StringComparer.OrdinalIgnoreCase)], StringComparer.OrdinalIgnoreCase),
            Rules = outcome.Rules,
            OrganisationRules = outcome.OrganisationRules,
            HeadRules = outcome.HeadRules,
        };
        return (evaluation, bytes);
    }

    /// <summary>Lower-case hex SHA-256, the key of the content store.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Passes reads through and keeps the bytes of every file returned (the first read of a file wins).</summary>
    private sealed class RecordingContents(IFileContentProvider inner) : IFileContentProvider
    {
        public ConcurrentDictionary<FileRequest, ReadOnlyMemory<byte>> Read { get; } = new();

        public async Task<IReadOnlyList<FileContent>> GetAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken = default)
        {
            var result = await inner.GetAsync(files, cancellationToken).ConfigureAwait(false);
            foreach (var content in result)
            {
                Read.TryAdd(new FileRequest(content.Path, content.Side), content.Bytes);
            }

            return result;
        }
    }

    /// <summary>Passes lookups through and keeps each team's answer.</summary>
    private sealed class RecordingMembership(IGroupMembership inner) : IGroupMembership
    {
        public ConcurrentDictionary<string, IReadOnlyCollection<string>> Resolved { get; } = new(StringComparer.OrdinalIgnoreCase);

        public async Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
        {
            var members = await inner.GetMembersAsync(team, cancellationToken).ConfigureAwait(false);
            Resolved.TryAdd(team, members);
            return members;
        }
    }
}
