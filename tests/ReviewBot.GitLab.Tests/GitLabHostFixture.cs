using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.Host;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Tests;

/// <summary>The real ReviewBot host (<see cref="HostApp"/>) on Kestrel at 127.0.0.1, with GitLab settings and test doubles for queue and dedup store.</summary>
public sealed class GitLabHost : IAsyncDisposable
{
    private GitLabHost(WebApplication app, Uri baseUri, HttpClient client)
    {
        App = app;
        BaseUri = baseUri;
        Http = client;
    }

    public WebApplication App { get; }
    public Uri BaseUri { get; }
    public HttpClient Http { get; }
    public RecordingQueue Queue => (RecordingQueue)App.Services.GetRequiredService<IReviewQueue>();
    public DeliveryRecorderDouble Audit => (DeliveryRecorderDouble)App.Services.GetRequiredService<IAuditStore>();

    /// <param name="audit">The audit store; default a recording test double.</param>
    /// <param name="realWorker">Keep the host's own queue, worker and engine (end-to-end) instead of the recording queue.</param>
    public static async Task<GitLabHost> StartAsync(IDictionary<string, string?> settings, TimeProvider? time = null, Action<IServiceCollection>? services = null, IAuditStore? audit = null, bool realWorker = false)
    {
        var app = HostApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            // These tests exercise the GitLab endpoint alone.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReviewBot:GitHub:Enabled"] = "false",
                ["ReviewBot:Storage:SqlitePath"] = Path.Combine(Path.GetTempPath(), $"reviewbot-gitlab-{Guid.NewGuid():N}.db"),
            });
            builder.Configuration.AddInMemoryCollection(settings);
            if (!realWorker)
            {
                // The endpoint's hand-off observed through doubles: de-duplication in the recorder, requests in the queue.
                builder.Services.AddSingleton<IReviewQueue, RecordingQueue>();
                builder.Services.AddSingleton<ReviewBot.Pipeline.IDeliveryInbox, ReviewBot.Pipeline.QueueDeliveryInbox>();
            }

            builder.Services.AddSingleton(audit ?? new DeliveryRecorderDouble());
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

            services?.Invoke(builder.Services);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new GitLabHost(app, address, new HttpClient { BaseAddress = address });
    }

    /// <summary>Delivers the saved merge request hook, pointed at the fake's project, merge request !7 and its head commit.</summary>
    public async Task<System.Net.HttpStatusCode> DeliverMergeRequestHookAsync(string secret, string idempotencyKey)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Fixtures.GitLab("woodpecker.HookPullRequestUpdated.json"))!;
        node["project"]!["path_with_namespace"] = FakeGitLabServer.ProjectPath;
        node["project"]!["id"] = FakeGitLabServer.ProjectId;
        node["object_attributes"]!["iid"] = 7;
        node["object_attributes"]!["last_commit"]!["id"] = FakeGitLabServer.HeadSha; // GitLab refuses a status on a commit it does not have
        using var delivery = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab") { Content = new StringContent(node.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        delivery.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        delivery.Headers.Add("X-Gitlab-Token", secret);
        delivery.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await Http.SendAsync(delivery);
        return response.StatusCode;
    }

    /// <summary>
    /// Delivers the merge request hook and waits until the worker has audited the <paramref name="nth"/> evaluation, which
    /// must have succeeded; the host's audit store is the <see cref="DeliveryRecorderDouble"/>.
    /// </summary>
    public async Task<AuditRecord> EvaluateAsync(string secret, int nth)
    {
        Xunit.Assert.Equal(System.Net.HttpStatusCode.Accepted, await DeliverMergeRequestHookAsync(secret, $"evaluation-{nth}"));
        // A deadline, not a delay: a loaded machine (the first evaluation warms Roslyn up) may need far longer than usual.
        for (var i = 0; i < 1200; i++)
        {
            if (Audit.Records.Count >= nth)
            {
                var record = Audit.Records.ElementAt(nth - 1);
                Xunit.Assert.True(record.Error is null, record.Error);
                return record;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"evaluation {nth} was not audited within 60 s");
    }

    /// <summary>Delivers the saved note hook as a new note on merge request !7 of the fake's project, with <paramref name="note"/> as its text.</summary>
    public async Task<System.Net.HttpStatusCode> DeliverNoteHookAsync(string secret, string idempotencyKey, string note)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Fixtures.GitLab("go-gitlab.note_merge_request.json"))!;
        node["project"]!["path_with_namespace"] = FakeGitLabServer.ProjectPath;
        node["project"]!["id"] = FakeGitLabServer.ProjectId;
        node["merge_request"]!["iid"] = 7;
        node["object_attributes"]!["note"] = note;
        using var delivery = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab") { Content = new StringContent(node.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        delivery.Headers.Add("X-Gitlab-Event", "Note Hook");
        delivery.Headers.Add("X-Gitlab-Token", secret);
        delivery.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await Http.SendAsync(delivery);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
