using System.Text.Json;
using Octokit;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub;

/// <summary>
/// The platform facts approval integrity rests on, read from GitHub rather than from text the author controls:
/// who assigned the agent, the accounts behind commit authors and <c>Co-authored-by</c> emails and the body's edit
/// history (one GraphQL query), who pushed the head (repository activity), and patch ids of the heads older
/// approvals were given on (compare API, three-dot: each head against its merge base).
/// </summary>
internal sealed class GitHubApprovalFacts(GitHubApi api)
{
    /// <summary>GitHub caps a compare's file list at 300; a larger diff cannot be told apart reliably.</summary>
    private const int CompareFileLimit = 300;

    /// <summary>How many older approved heads get a patch id (the most recent ones).</summary>
    private const int OlderHeadLimit = 5;

    /// <summary>What the pull request's GraphQL history says.</summary>
    public sealed record History(
        IReadOnlyList<Dispatch> Dispatchers,
        IReadOnlyList<Person> EverAssigned,
        IReadOnlyList<string> EarlierBodies,
        IReadOnlyList<ResolvedIdentity> Identities);

    /// <summary>
    /// One GraphQL query: the assignment events (a human who assigned a bot — the Copilot assignment — dispatched it;
    /// a human the opening agent assigned is whom it works for; everyone ever assigned is kept), the body's edit
    /// history (every kept revision), and, for each of the first 100 commits, the accounts GitHub links to the git
    /// author and each <c>Co-authored-by</c> email through its users' verified emails.
    /// </summary>
    public async Task<History> HistoryAsync(string owner, string name, int number, string? author, CancellationToken cancellationToken)
    {
        const string account = "__typename login ... on User { databaseId } ... on Bot { databaseId }";
        const string query = "query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { pullRequest(number: $number) { "
            + $"timelineItems(first: 100, itemTypes: [ASSIGNED_EVENT]) {{ nodes {{ ... on AssignedEvent {{ id actor {{ {account} }} assignee {{ ... on User {{ {account} }} ... on Bot {{ {account} }} }} }} }} }} "
            + "userContentEdits(first: 100) { nodes { diff deletedAt } } "
            + "commits(first: 100) { nodes { commit { oid authors(first: 20) { nodes { email name user { login databaseId } } } } } } } } }";
        var data = await api.GraphQLAsync(query, new Dictionary<string, object?> { ["owner"] = owner, ["name"] = name, ["number"] = number }, cancellationToken);
        if (!data.TryGetProperty("repository", out var repo) || repo.ValueKind != JsonValueKind.Object
            || !repo.TryGetProperty("pullRequest", out var pr) || pr.ValueKind != JsonValueKind.Object)
        {
            return new History([], [], [], []);
        }

        var (dispatchers, assigned) = Assignments(pr, author);
        var bodies = Nodes(pr, "userContentEdits")
            .Select(n => n.TryGetProperty("diff", out var diff) && diff.ValueKind == JsonValueKind.String ? diff.GetString() : null)
            .OfType<string>()
            .ToList();
        return new History(dispatchers, assigned, bodies, CommitAuthors(pr));
    }

    private static (IReadOnlyList<Dispatch>, IReadOnlyList<Person>) Assignments(JsonElement pr, string? author)
    {
        var dispatchers = new List<Dispatch>();
        var assigned = new List<Person>();
        foreach (var e in Nodes(pr, "timelineItems"))
        {
            if (Account(e, "assignee") is not { } assignee)
            {
                continue;
            }

            var actor = Account(e, "actor");
            var id = e.TryGetProperty("id", out var nodeId) ? nodeId.GetString() : null;
            if (!assignee.IsBot)
            {
                assigned.Add(assignee);
            }

            if (assignee.IsBot && actor is { IsBot: false })
            {
                dispatchers.Add(new Dispatch { Person = actor, Fact = $"assigned {assignee.Login} (GitHub assignment event {id})" });
            }
            else if (!assignee.IsBot && actor is { IsBot: true } && string.Equals(actor.Login, author, StringComparison.OrdinalIgnoreCase))
            {
                dispatchers.Add(new Dispatch { Person = assignee, Fact = $"{actor.Login}, which opened the pull request, assigned them (GitHub assignment event {id})" });
            }
        }

        return (dispatchers, assigned);
    }

    private static Person? Account(JsonElement parent, string property)
    {
        if (!parent.TryGetProperty(property, out var node) || node.ValueKind != JsonValueKind.Object
            || !node.TryGetProperty("login", out var login) || login.GetString() is not { Length: > 0 } name)
        {
            return null;
        }

        var type = node.TryGetProperty("__typename", out var t) ? t.GetString() : null;
        return new Person
        {
            Login = name,
            Id = node.TryGetProperty("databaseId", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt64() : null,
            IsBot = type == "Bot" || name.EndsWith("[bot]", StringComparison.Ordinal),
        };
    }

    private static IReadOnlyList<ResolvedIdentity> CommitAuthors(JsonElement pr)
    {
        var identities = new Dictionary<string, ResolvedIdentity>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in Nodes(pr, "commits"))
        {
            if (!node.TryGetProperty("commit", out var commit) || commit.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var author in Nodes(commit, "authors"))
            {
                if (author.TryGetProperty("email", out var email) && email.GetString() is { Length: > 0 } address)
                {
                    var account = Account(author, "user");
                    if (!identities.TryGetValue(address, out var known) || (known.Account is null && account is not null))
                    {
                        identities[address] = new ResolvedIdentity { Email = address, Account = account };
                    }
                }
            }
        }

        return [.. identities.Values];
    }

    /// <summary>The newest push to the head branch whose result is the current head (repository activity); null when GitHub cannot say.</summary>
    public async Task<Push?> LastPushAsync(string owner, string name, string headRef, string headSha)
    {
        IReadOnlyList<GitHubActivity> activities;
        try
        {
            activities = await api.ApiConnection.Get<List<GitHubActivity>>(
                new Uri($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/activity", UriKind.Relative),
                new Dictionary<string, string> { ["ref"] = "refs/heads/" + headRef, ["per_page"] = "10" });
        }
        catch (NotFoundException)
        {
            return null; // older GitHub Enterprise Server, or a fork the installation cannot see
        }

        var push = activities.FirstOrDefault(a => a.ActivityType is "push" or "force_push" or "branch_creation"
            && string.Equals(a.After, headSha, StringComparison.OrdinalIgnoreCase) && a.Actor is not null);
        return push is null ? null : new Push
        {
            Pusher = GitHubPullRequestSource.ToPerson(push.Actor),
            Head = push.After,
            At = push.Timestamp,
            Source = $"GitHub {push.ActivityType.Replace('_', ' ')} activity",
        };
    }

    /// <summary>Patch ids of the head and of up to five older approved heads, each diffed against its merge base with the target branch.</summary>
    public async Task<IReadOnlyDictionary<string, string>> PatchIdsAsync(string owner, string name, string baseRef, string headSha, IEnumerable<string> olderHeads)
    {
        var older = olderHeads.Where(s => !string.Equals(s, headSha, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).Take(OlderHeadLimit).ToList();
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (older.Count == 0)
        {
            return ids;
        }

        foreach (var sha in older.Prepend(headSha))
        {
            if (await PatchIdAsync(owner, name, baseRef, sha) is { } id)
            {
                ids[sha] = id;
            }
        }

        return ids;
    }

    private async Task<string?> PatchIdAsync(string owner, string name, string baseRef, string sha)
    {
        CompareResult compare;
        try
        {
            compare = await api.Client.Repository.Commit.Compare(owner, name, baseRef, sha);
        }
        catch (NotFoundException)
        {
            return null; // the old head is gone (garbage-collected) or shares no history with the base
        }

        var files = compare.Files ?? [];
        if (files.Count >= CompareFileLimit)
        {
            return null;
        }

        return PatchId.Of(files.Select(f => new PatchFile(f.Filename, string.IsNullOrEmpty(f.PreviousFileName) ? null : f.PreviousFileName, f.Status, f.Patch, f.Sha)));
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement parent, string connection)
        => parent.TryGetProperty(connection, out var c) && c.ValueKind == JsonValueKind.Object
            && c.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array
                ? nodes.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Object)
                : [];
}

/// <summary>One entry of GitHub's repository activity list (<c>GET /repos/{owner}/{repo}/activity</c>).</summary>
public sealed class GitHubActivity
{
    public long Id { get; set; }

    public string Before { get; set; } = "";

    public string After { get; set; } = "";

    public string Ref { get; set; } = "";

    public DateTimeOffset Timestamp { get; set; }

    public string ActivityType { get; set; } = "";

    public User? Actor { get; set; }
}
