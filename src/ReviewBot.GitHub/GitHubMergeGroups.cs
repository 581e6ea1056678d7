using System.Text.RegularExpressions;
using Octokit;
using ReviewBot.GitHub.Api;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub;

/// <summary>
/// The pull requests of a GitHub merge group. GitHub's merge queue gives every queued pull request a read-only branch
/// <c>gh-readonly-queue/&lt;base&gt;/pr-&lt;number&gt;-&lt;head sha&gt;</c> whose commit is the base plus every entry ahead of
/// it plus this pull request; a group's head ref is the branch of its last pull request. So the commits from the
/// group's base to its head (compare API) split at the commits those branches point to: each segment is one pull
/// request, at the head the queue took (named by GitHub in the branch, never read from commit text): one merge or
/// squash commit, or as many commits as the pull request has (rebase). Any other commit is unknown, and fails the
/// group closed.
/// </summary>
public sealed partial class GitHubMergeGroups(GitHubApi api)
{
    public const string QueuePrefix = "refs/heads/gh-readonly-queue/";

    /// <summary>The most commits the compare API lists without paging (GitHub: 250).</summary>
    public const int MaxCommits = 250;

    [GeneratedRegex("/pr-(?<number>[0-9]{1,18})-(?<sha>[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueEntry();

    /// <summary>The pull request number and queued head a merge queue ref names, or null when it is not one under <paramref name="baseRef"/>.</summary>
    public static MergeGroupEntry? ParseQueueRef(string queueRef, string baseRef)
    {
        var branch = baseRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? baseRef["refs/heads/".Length..] : baseRef;
        var prefix = QueuePrefix + branch;
        if (branch.Length == 0 || !queueRef.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var match = QueueEntry().Match(queueRef, prefix.Length);
        return match.Success && match.Index == prefix.Length && long.TryParse(match.Groups["number"].Value, out var number) && number > 0
            ? new MergeGroupEntry(number, match.Groups["sha"].Value.ToLowerInvariant())
            : null;
    }

    public async Task<MergeGroupContents> FindContentsAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var group = request.MergeGroup ?? throw new ArgumentException("not a merge group request", nameof(request));
        var head = request.HeadSha ?? throw new ArgumentException("a merge group request names its head", nameof(request));
        var (owner, name) = GitHubApi.Split(request.Repository);

        // Which commit ends which pull request's segment: the queue's branches under this base, and the group's own head ref.
        var ends = new Dictionary<string, MergeGroupEntry>(StringComparer.OrdinalIgnoreCase);
        var branch = group.BaseRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? group.BaseRef["refs/heads/".Length..] : group.BaseRef;
        var refs = await api.ApiConnection.GetAll<Reference>(new Uri($"repos/{owner}/{name}/git/matching-refs/heads/gh-readonly-queue/{branch}/", UriKind.Relative));
        foreach (var queueRef in refs)
        {
            if (queueRef.Object?.Sha is { Length: > 0 } sha && ParseQueueRef(queueRef.Ref, group.BaseRef) is { } entry)
            {
                ends[sha] = entry;
            }
        }

        if (ParseQueueRef(group.HeadRef, group.BaseRef) is { } last)
        {
            ends[head] = last;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var compare = await api.Client.Repository.Commit.Compare(owner, name, group.BaseSha, head);
        var unknown = new List<string>();
        var commits = compare.Commits ?? [];
        if (compare.TotalCommits > commits.Count)
        {
            unknown.Add($"{compare.TotalCommits - commits.Count} of the group's {compare.TotalCommits} commits are beyond the {MaxCommits} GitHub lists");
        }

        if (compare.Status is { Length: > 0 } status && status != "ahead")
        {
            unknown.Add($"the group's head {Short(head)} is {status} of its base {Short(group.BaseSha)}, not ahead");
        }

        var entries = new List<MergeGroupEntry>();
        var segment = new List<string>();
        foreach (var commit in commits)
        {
            segment.Add(commit.Sha);
            if (ends.TryGetValue(commit.Sha, out var entry))
            {
                if (segment.Count > 1)
                {
                    // More than the one merge or squash commit: a rebase brings exactly the pull request's commits.
                    var pull = await api.Client.PullRequest.Get(owner, name, checked((int)entry.Number));
                    if (pull.Commits != segment.Count)
                    {
                        unknown.AddRange(segment.SkipLast(1).Select(sha => $"{Stray(sha, branch)} (#{entry.Number} has {pull.Commits} commit(s), its part of the group {segment.Count})"));
                    }
                }

                if (!entries.Any(e => e.Number == entry.Number))
                {
                    entries.Add(entry);
                }

                segment.Clear();
            }
        }

        unknown.AddRange(segment.Select(sha => Stray(sha, branch)));
        return new MergeGroupContents(entries, unknown);
    }

    private static string Stray(string sha, string branch) => $"commit {Short(sha)} belongs to no merge queue branch of {branch}";

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
