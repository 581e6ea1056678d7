using Octokit;
using ReviewBot.Core.Ports;
using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub;

/// <summary>
/// Team members through <c>GET /orgs/{org}/teams/{team_slug}/members</c>, cached for the evaluation. Team names are
/// "org/team" (or "@org/team"); a bare "team" means a team of the repository owner. A team that does not exist, or that
/// the token may not read (404, or 403 that is not a rate limit: e.g. an Actions <c>GITHUB_TOKEN</c>, which cannot read
/// team membership), has no members: its approvals never count (fail closed), and <see cref="Unreadable"/> says why.
/// </summary>
public sealed class GitHubGroupMembership(GitHubApi api, string repository) : IGroupMembership
{
    private readonly Dictionary<string, IReadOnlyCollection<string>> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _unreadable = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
    {
        var (org, slug) = Parse(team, repository);
        var key = org + "/" + slug;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            IReadOnlyCollection<string> members;
            try
            {
                var users = await api.ApiConnection.GetAll<User>(
                    new Uri($"orgs/{Uri.EscapeDataString(org)}/teams/{Uri.EscapeDataString(slug)}/members", UriKind.Relative),
                    new ApiOptions { PageSize = 100 });
                members = users.Select(u => u.Login).ToHashSet(StringComparer.OrdinalIgnoreCase);
            }
            catch (NotFoundException)
            {
                members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _unreadable.Add($"team {key} could not be read (404: it does not exist, or this token may not see it)");
            }
            catch (ForbiddenException ex) when (ex is not (RateLimitExceededException or SecondaryRateLimitExceededException or AbuseException))
            {
                members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _unreadable.Add($"team {key} could not be read (403: this token may not read team membership)");
            }

            _cache[key] = members;
            return members;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The teams asked for so far that had no readable member list, each with why (counted as having no members).</summary>
    public IReadOnlyList<string> Unreadable
    {
        get
        {
            _gate.Wait();
            try
            {
                return [.. _unreadable];
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>"org/team", "@org/team" or "team" (owner's team) → (org, slug).</summary>
    public static (string Org, string Slug) Parse(string team, string repository)
    {
        var name = team.TrimStart('@');
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? (name[..slash], name[(slash + 1)..]) : (GitHubApi.Split(repository).Owner, name);
    }
}
