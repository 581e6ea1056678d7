namespace ReviewBot.GitLab.Tests;

/// <summary>Base of tests that talk to a fresh <see cref="FakeGitLabServer"/> over HTTP.</summary>
public abstract class FakeGitLabTest : IAsyncLifetime
{
    protected FakeGitLabServer Server { get; private set; } = null!;

    protected HttpClient Http { get; } = new();

    public async Task InitializeAsync() => Server = await FakeGitLabServer.StartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
