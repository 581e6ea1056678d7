namespace ReviewBot.Core.Snapshot;

/// <summary>A git trailer (<c>Key: value</c>) from the last paragraph of a commit message.</summary>
public sealed record Trailer(string Key, string Value)
{
    public override string ToString() => $"{Key}: {Value}";
}

public sealed record Commit
{
    public required string Sha { get; init; }
    public required Person Author { get; init; }
    public required Person Committer { get; init; }
    public required string Message { get; init; }
    public IReadOnlyList<Trailer> Trailers { get; init; } = [];
    public IReadOnlyList<string> Parents { get; init; } = [];
    public DateTimeOffset? AuthoredAt { get; init; }

    /// <summary>Committer date, when known (differs from the author date after rebases and cherry-picks).</summary>
    public DateTimeOffset? CommittedAt { get; init; }

    /// <summary>True/false when the platform verified the signature; null when unknown (local git).</summary>
    public bool? SignatureVerified { get; init; }

    /// <summary>Who signed, when the platform says (e.g. "copilot-swe-agent[bot]").</summary>
    public string? Signer { get; init; }

    public string Subject => Message.Split('\n', 2)[0].TrimEnd('\r');

    public string ShortSha => Sha.Length > 7 ? Sha[..7] : Sha;

    public bool IsMerge => Parents.Count > 1;
}
