namespace ReviewBot.GitLab;

/// <summary>
/// How one rules file names teams on both platforms. A <c>teams:</c> entry may carry a platform prefix:
/// <c>gitlab:acme/backend/seniors</c> is a GitLab group full path, <c>github:acme/seniors</c> a GitHub team
/// (org/slug). An entry without a prefix is read by each platform its own way (a group full path here).
/// Entries for the other platform resolve to nobody on this one.
/// </summary>
public static class GitLabTeams
{
    public const string GitLabPrefix = "gitlab:";
    public const string GitHubPrefix = "github:";

    /// <summary>The GitLab group full path the entry names, or null when it names a GitHub team.</summary>
    public static string? GroupPath(string team)
    {
        var value = team.Trim();
        if (value.StartsWith(GitHubPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (value.StartsWith(GitLabPrefix, StringComparison.OrdinalIgnoreCase))
        {
            value = value[GitLabPrefix.Length..];
        }

        value = value.Trim().TrimStart('@').Trim('/');
        return value.Length == 0 ? null : value;
    }
}
