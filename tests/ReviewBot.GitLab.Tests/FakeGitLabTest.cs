using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Tests;

/// <summary>Base of tests that talk to a fresh <see cref="FakeGitLabServer"/> over HTTP.</summary>
public abstract class FakeGitLabTest : IAsyncLifetime
{
    protected FakeGitLabServer Server { get; private set; } = null!;

    protected HttpClient Http { get; } = new();

    /// <summary>Options that point at the fake, with fast retries.</summary>
    protected GitLabOptions Options => new() { BaseUrl = Server.BaseUri.ToString(), Token = FakeGitLabServer.Token, RetryBaseDelay = TimeSpan.FromMilliseconds(5) };

    /// <summary>A review of the fake's merge request !7.</summary>
    protected static ReviewRequest Request => new()
    {
        Platform = Platform.GitLab, Repository = FakeGitLabServer.ProjectPath, Number = 7, ProjectId = FakeGitLabServer.ProjectId,
        DeliveryId = "d", Event = "merge_request.open",
    };

    /// <summary>
    /// Starts the host with its real worker on the fake (auditing into <paramref name="audit"/>), delivers the merge request
    /// hook, waits for the <paramref name="nth"/> evaluation and stops the host: the ReviewBot status last posted and the record.
    /// </summary>
    protected async Task<(string Status, AuditRecord Record)> EvaluateInNewHostAsync(string secret, DeliveryRecorderDouble audit, int nth)
    {
        await using var host = await GitLabHost.StartAsync(Server.HostSettings(secret), audit: audit, realWorker: true);
        var record = await host.EvaluateAsync(secret, nth);
        lock (Server)
        {
            return (Server.StatusesNamed("reviewbot")[^1]["status"]!.GetValue<string>(), record);
        }
    }

    /// <summary>Someone with API access posts a commit status on the head through the fake's API (GitLab keeps it as an external status).</summary>
    protected async Task<System.Net.HttpStatusCode> PostExternalStatusAsync(string name, string state, string gitRef)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.BaseUri, $"api/v4/projects/{FakeGitLabServer.ProjectId}/statuses/{FakeGitLabServer.HeadSha}"))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { state, name, @ref = gitRef }),
        };
        request.Headers.Add("PRIVATE-TOKEN", FakeGitLabServer.Token);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    public async Task InitializeAsync() => Server = await FakeGitLabServer.StartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
