using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub;

/// <summary>
/// Authenticated GitHub sessions (source, team membership, enforcer) for one evaluation each, and the resolution of
/// head-SHA / installation events to the open pull requests they concern, and merge groups (their pull requests, their check).
/// </summary>
public sealed class GitHubSessionFactory(
    IOptions<GitHubOptions> options,
    GitHubCredentialsProvider credentials,
    GitHubTransport transport,
    TimeProvider time,
    ILoggerFactory loggers) : IPlatformSessionFactory, IPullRequestLocator, IMergeGroupPlatform
{
    private readonly ILogger _logger = loggers.CreateLogger("ReviewBot.GitHub");

    public Platform Platform => Platform.GitHub;

    /// <summary>Check runs in App mode (GitHub lets only Apps create them), commit statuses in token mode; or as configured.</summary>
    public bool UsesCheckRuns => options.Value.ReportAs switch
    {
        "check-run" => true,
        "status" => false,
        _ => credentials.IsAppMode,
    };

    public async Task<PlatformSession> CreateAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var api = await ApiAsync(request, cancellationToken);
        return new PlatformSession(
            new GitHubPullRequestSource(api, _logger),
            new GitHubGroupMembership(api, request.Repository),
            new GitHubEnforcer(api, UsesCheckRuns, _logger),
            RulesLocation(api, request.Repository, options.Value));
    }

    /// <summary>The repository, and the owner's rules repository (<see cref="GitHubOptions.OrgRulesRepository"/>, default branch) as the organisation source.</summary>
    public static RulesLocation RulesLocation(GitHubApi api, string repository, GitHubOptions settings)
    {
        var (owner, name) = GitHubApi.Split(repository);
        var org = settings.OrgRulesRepository;
        return new RulesLocation
        {
            Repository = new GitHubRevisionFiles(api, repository),
            Organisation = string.IsNullOrWhiteSpace(org) || string.Equals(org, name, StringComparison.OrdinalIgnoreCase)
                ? null
                : new OrganisationRules { Name = $"{owner}/{org}", Files = new GitHubRevisionFiles(api, $"{owner}/{org}"), Revision = "HEAD" },
            Paths = settings.RulesPath is { Length: > 0 } path ? [path] : null,
            UseBuiltInDefault = settings.UseBuiltInDefault,
        };
    }

    public async Task<IReadOnlyList<long>> FindOpenPullRequestsAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var api = await ApiAsync(request, cancellationToken);
        var (owner, name) = GitHubApi.Split(request.Repository);
        if (string.IsNullOrEmpty(request.HeadSha))
        {
            var open = await api.Client.PullRequest.GetAllForRepository(owner, name, new PullRequestRequest { State = ItemStateFilter.Open }, new ApiOptions { PageSize = 100, PageCount = 1 });
            return [.. open.Select(p => (long)p.Number)];
        }

        var pulls = await api.Client.Repository.Commit.PullRequests(owner, name, request.HeadSha, new ApiOptions { PageSize = 100, PageCount = 1 });
        return [.. pulls.Where(p => p.State.StringValue == "open" && p.Head?.Sha == request.HeadSha).Select(p => (long)p.Number)];
    }

    public async Task<MergeGroupContents> FindContentsAsync(ReviewRequest group, CancellationToken cancellationToken = default)
        => await new GitHubMergeGroups(await ApiAsync(group, cancellationToken)).FindContentsAsync(group, cancellationToken);

    public async Task<string> ReportAsync(ReviewRequest group, MergeGroupVerdict verdict, string? detailsUrl, CancellationToken cancellationToken = default)
    {
        var api = await ApiAsync(group, cancellationToken);
        return await new GitHubEnforcer(api, UsesCheckRuns, _logger).ReportMergeGroupAsync(group.Repository, group.HeadSha!, verdict, detailsUrl);
    }

    private async Task<GitHubApi> ApiAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        var creds = await credentials.GetAsync(request.Repository, request.InstallationId, cancellationToken);
        return new GitHubApi(transport.Invoker, options.Value, creds, time, _logger);
    }
}
