namespace ReviewBot.Core.Snapshot;

/// <summary>A platform account or a git identity. Any part may be unknown.</summary>
public sealed record Person
{
    /// <summary>Platform login (GitHub login, GitLab username); null for a bare git identity.</summary>
    public string? Login { get; init; }

    /// <summary>Display or git name.</summary>
    public string? Name { get; init; }

    public string? Email { get; init; }

    /// <summary>Numeric platform id when known (GitHub user id, GitLab user id).</summary>
    public long? Id { get; init; }

    /// <summary>The platform says this account is a bot / service account (GitHub type "Bot", GitLab bot user).</summary>
    public bool IsBot { get; init; }

    public static Person Unknown { get; } = new();

    /// <summary>Best short label for humans: login, else name, else email.</summary>
    public string Display => Login ?? Name ?? Email ?? "(unknown)";

    public override string ToString() => Display;
}
