using Microsoft.Extensions.Options;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;

namespace ReviewBot.GitLab;

/// <summary>
/// One <see cref="PlatformSession"/> per evaluation: a fresh <see cref="GitLabClient"/> (so its request
/// count is the evaluation's) shared by the snapshot source, the group membership and the enforcer.
/// </summary>
public sealed class GitLabSessionFactory(IHttpClientFactory httpClients, IOptions<GitLabOptions> options, TimeProvider time) : IPlatformSessionFactory
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
        var client = new GitLabClient(httpClients.CreateClient(HttpClientName), settings, time);
        return Task.FromResult(new PlatformSession(
            new GitLabPullRequestSource(client, settings),
            new GitLabGroupMembership(client, settings),
            new GitLabEnforcer(client, settings, request)));
    }
}
