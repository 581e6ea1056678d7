using Microsoft.Extensions.Options;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab;

/// <summary>
/// One <see cref="PlatformSession"/> per evaluation: a fresh <see cref="GitLabClient"/> (so its request
/// count is the evaluation's) shared by the snapshot source, the group membership and the enforcer.
/// Also locates the open merge requests whose head is the SHA of a branch pipeline.
/// </summary>
public sealed class GitLabSessionFactory(IHttpClientFactory httpClients, IOptions<GitLabOptions> options, TimeProvider time) : IPlatformSessionFactory, IPullRequestLocator
{
    public const string HttpClientName = "ReviewBot.GitLab";

    public Platform Platform => Platform.GitLab;

    public Task<PlatformSession> CreateAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Platform != Platform.GitLab)
        {
            throw new ArgumentException($"GitLab cannot serve a {request.Platform} request.", nameof(request));
        }

        var settings = options.Value;
        var client = NewClient();
        return Task.FromResult(new PlatformSession(
            new GitLabPullRequestSource(client, settings),
            new GitLabGroupMembership(client, settings),
            new GitLabEnforcer(client, settings, request),
            RulesLocation(client, request, settings)));
    }

    /// <summary>The project, and the policy project of its group (<see cref="GitLabOptions.PolicyProjects"/>, default branch) as the organisation source.</summary>
    public static RulesLocation RulesLocation(GitLabClient client, ReviewRequest request, GitLabOptions settings)
    {
        var policy = settings.PolicyProjectFor(request.Repository);
        return new RulesLocation
        {
            Repository = new GitLabRevisionFiles(client, GitLabClient.ProjectRef(request.ProjectId, request.Repository)),
            Organisation = policy is null
                ? null
                : new OrganisationRules { Name = policy, Files = new GitLabRevisionFiles(client, GitLabClient.ProjectRef(null, policy)), Revision = "HEAD" },
            Paths = settings.RulesPath is { Length: > 0 } path ? [path] : null,
            UseBuiltInDefault = settings.UseBuiltInDefault,
        };
    }

    /// <summary>Open merge requests of the project whose current head is the request's SHA.</summary>
    public async Task<IReadOnlyList<long>> FindOpenPullRequestsAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.HeadSha))
        {
            return [];
        }

        var project = GitLabClient.ProjectRef(request.ProjectId, request.Repository);
        var found = await NewClient().ListMergeRequestsOfCommitAsync(project, request.HeadSha, cancellationToken).ConfigureAwait(false);
        return found.Items
            .Where(mr => mr.State == "opened" && string.Equals(mr.Sha, request.HeadSha, StringComparison.OrdinalIgnoreCase))
            .Select(mr => mr.Iid)
            .Distinct()
            .ToList();
    }

    private GitLabClient NewClient() => new(httpClients.CreateClient(HttpClientName), options.Value, time);
}
