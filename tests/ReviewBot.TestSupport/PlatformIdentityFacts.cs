using ReviewBot.Core.Snapshot;

namespace ReviewBot.TestSupport;

/// <summary>
/// The identity facts the GitHub and GitLab adapters state on their snapshots, for tests that build snapshots in memory
/// (the pure core's tests cannot reference the adapters). The adapters' own tests check these are what they state.
/// </summary>
public static class PlatformIdentityFacts
{
    public static IdentityFacts GitHub { get; } = new()
    {
        AuthorIsAccount = true,
        LoginsVerified = true,
        AccountIdsAreGitHubIds = true,
        CommitIdentitiesMatched = true,
    };

    public static IdentityFacts GitLab { get; } = new() { AuthorIsAccount = true, CommitIdentitiesMatched = true };

    /// <summary>The facts of <paramref name="platform"/>'s adapter; a local range states none.</summary>
    public static IdentityFacts For(Platform platform)
        => platform == Platform.GitHub ? GitHub : platform == Platform.GitLab ? GitLab : IdentityFacts.None;
}
