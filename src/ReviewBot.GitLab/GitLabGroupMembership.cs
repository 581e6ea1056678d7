using System.Collections.Concurrent;
using ReviewBot.Core.Ports;
using ReviewBot.GitLab.Api;

namespace ReviewBot.GitLab;

/// <summary>
/// Resolves rules-file teams to GitLab usernames: active members of the group (inherited members
/// included, <c>/groups/:id/members/all</c>) with at least <see cref="GitLabOptions.MinimumAccessLevel"/>.
/// A group that does not exist (404) has no members; other API errors throw (evaluation fails closed).
/// Results are cached for the session (one evaluation).
/// </summary>
public sealed class GitLabGroupMembership(GitLabClient client, GitLabOptions options) : IGroupMembership
{
    private readonly ConcurrentDictionary<string, Task<IReadOnlyCollection<string>>> _cache = new(StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
    {
        var path = GitLabTeams.GroupPath(team);
        if (path is null)
        {
            return Task.FromResult<IReadOnlyCollection<string>>([]);
        }

        return _cache.GetOrAdd(path, p => LoadAsync(p, cancellationToken));
    }

    private async Task<IReadOnlyCollection<string>> LoadAsync(string path, CancellationToken ct)
    {
        PagedList<GlMember> members;
        try
        {
            members = await client.ListGroupMembersAsync(path, ct).ConfigureAwait(false);
        }
        catch (GitLabApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        return members.Items
            .Where(m => m.AccessLevel >= options.MinimumAccessLevel && (m.State is null or "active") && !string.IsNullOrEmpty(m.Username))
            .Select(m => m.Username!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
