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

    public async Task InitializeAsync() => Server = await FakeGitLabServer.StartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
