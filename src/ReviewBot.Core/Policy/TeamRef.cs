using System.Text.RegularExpressions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>
/// A team named in the rules file. One file serves GitHub and GitLab: <c>acme/seniors</c> is the GitHub team
/// <c>seniors</c> of org <c>acme</c> on GitHub and the group with full path <c>acme/seniors</c> on GitLab.
/// A <c>github:</c> or <c>gitlab:</c> prefix restricts an entry to one platform
/// (<c>gitlab:acme/platform/seniors</c> is a nested GitLab group and is ignored on GitHub).
/// </summary>
public sealed partial record TeamRef(Platform? Platform, string Path)
{
    /// <summary>True when this entry applies on <paramref name="platform"/> (Local applies everything).</summary>
    public bool AppliesTo(Platform platform) => Platform is null || platform == Snapshot.Platform.Local || Platform == platform;

    public override string ToString() => Platform switch
    {
        Snapshot.Platform.GitHub => "github:" + Path,
        Snapshot.Platform.GitLab => "gitlab:" + Path,
        _ => Path,
    };

    /// <summary>Parses "org/team", "github:org/team" or "gitlab:group/sub/team"; on failure says what is wrong.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TeamRef? team, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        team = null;
        Platform? platform = null;
        var path = text;
        if (text.StartsWith("github:", StringComparison.OrdinalIgnoreCase))
        {
            platform = Snapshot.Platform.GitHub;
            path = text["github:".Length..];
        }
        else if (text.StartsWith("gitlab:", StringComparison.OrdinalIgnoreCase))
        {
            platform = Snapshot.Platform.GitLab;
            path = text["gitlab:".Length..];
        }

        var segments = path.Split('/');
        if (segments.Length < 2 || !segments.All(s => Segment().IsMatch(s)))
        {
            error = $"team '{text}' must be 'org/team' (GitHub) or a group's full path 'group/subgroup' (GitLab), optionally prefixed 'github:' or 'gitlab:'";
            return false;
        }

        if (platform == Snapshot.Platform.GitHub && segments.Length != 2)
        {
            error = $"GitHub team '{text}' must be 'github:org/team' (exactly one '/')";
            return false;
        }

        team = new TeamRef(platform, path);
        error = null;
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex Segment();
}

public static class TeamRefExtensions
{
    /// <summary>The team paths of a group that apply on <paramref name="platform"/>, prefixes removed.</summary>
    public static IReadOnlyList<string> TeamsFor(this GroupDefinition group, Platform platform) => For(group.Teams, platform);

    /// <summary>The team paths of an inline approval that apply on <paramref name="platform"/>, prefixes removed.</summary>
    public static IReadOnlyList<string> TeamsFor(this ApprovalRequirement approval, Platform platform) => For(approval.Teams, platform);

    public static IReadOnlyList<string> For(IEnumerable<string> teams, Platform platform)
        => teams.Select(t => TeamRef.TryParse(t, out var team, out _) ? team : null)
            .Where(t => t is not null && t.AppliesTo(platform))
            .Select(t => t!.Path)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}
