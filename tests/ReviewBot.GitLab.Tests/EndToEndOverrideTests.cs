using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.Core.Decisions;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// Break-glass end to end on GitLab (real host, worker and engine; fake GitLab over HTTP): a <c>/reviewbot override</c>
/// note, delivered as a Note Hook and read back from GitLab's notes API, passes the status when an allowed person writes
/// it, is answered and changes nothing from anyone else, and ends with the next push (a new merge request version).
/// </summary>
public sealed class EndToEndOverrideTests : FakeGitLabTest
{
    private const string Secret = "e2e-override-secret";
    private const string Agent = "project_42_bot_9f1c";
    private const string NewHead = "c0ffee0000000000000000000000000000000003";

    /// <summary>GitLab's version of the current head was created then (the fake's second version).</summary>
    private static readonly DateTimeOffset HeadArrived = new(2026, 11, 20, 10, 5, 0, TimeSpan.Zero);

    private void Arrange()
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = OverrideRules.Text(Agent);
        Server.MergeRequest["author"] = new JsonObject { ["id"] = 950, ["username"] = Agent, ["name"] = "Acme Agent", ["bot"] = true };
        Server.MergeRequest["assignees"] = new JsonArray();
        Server.ApprovedBy.Clear();
    }

    private async Task<(string Status, AuditRecord Record)> NoteAsync(DeliveryRecorderDouble audit, string username, string note, DateTimeOffset at, int nth)
    {
        lock (Server)
        {
            Server.AddNote(username, note, at);
        }

        await using var host = await GitLabHost.StartAsync(Server.HostSettings(Secret), audit: audit, realWorker: true);
        Assert.Equal(HttpStatusCode.Accepted, await host.DeliverNoteHookAsync(Secret, $"note-{nth}", note));
        return await AuditedAsync(audit, nth);
    }

    private async Task<(string Status, AuditRecord Record)> AuditedAsync(DeliveryRecorderDouble audit, int nth)
    {
        for (var i = 0; i < 300; i++)
        {
            if (audit.Records.Count >= nth)
            {
                var record = audit.Records.ElementAt(nth - 1);
                Assert.True(record.Error is null, record.Error);
                lock (Server)
                {
                    return (Server.StatusesNamed("reviewbot").Last(s => s["sha"]!.GetValue<string>() == record.HeadSha)["status"]!.GetValue<string>(), record);
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no evaluation was audited within 15 s");
    }

    private string[] Replies()
    {
        lock (Server)
        {
            // Read as text: without the zero-width space that keeps @mentions in answers from pinging.
            return [.. Server.Notes.Select(n => n["body"]!.GetValue<string>()).Where(b => b.Contains("reviewbot:reply:", StringComparison.Ordinal))
                .Select(b => b.Replace("\u200B", "", StringComparison.Ordinal))];
        }
    }

    [Fact]
    public async Task An_override_note_from_a_release_manager_passes_the_status_and_is_answered_once()
    {
        Arrange();
        var audit = new DeliveryRecorderDouble();

        var (status, record) = await NoteAsync(audit, "rita", "/reviewbot override the outage needs this now", HeadArrived.AddHours(1), 1);

        Assert.Equal("success", status);
        Assert.Equal(DecisionState.Pass, record.Decision!.State);
        Assert.Equal("rita", record.Decision.Override!.By);
        Assert.Equal("the outage needs this now", record.Decision.Override.Reason);
        Assert.Equal([$"{OverrideRules.Rule}: 1 approval from group reviewers"], record.Decision.Override.Lifted);
        Assert.Contains("override by @rita recorded", Assert.Single(Replies()));
    }

    [Fact]
    public async Task An_override_note_from_someone_else_is_answered_and_changes_nothing()
    {
        Arrange();
        var audit = new DeliveryRecorderDouble();

        var (status, record) = await NoteAsync(audit, "zed", "/reviewbot override please", HeadArrived.AddHours(1), 1);

        Assert.Equal("pending", status);
        Assert.Null(record.Decision!.Override);
        Assert.Contains("refused: ", Assert.Single(Replies()));
    }

    [Fact]
    public async Task A_push_after_the_override_ends_it()
    {
        Arrange();
        var audit = new DeliveryRecorderDouble();
        var (overridden, _) = await NoteAsync(audit, "rita", "/reviewbot override hotfix", HeadArrived.AddHours(1), 1);
        lock (Server)
        {
            // A push: GitLab records a new version of the merge request for the new head.
            Server.MergeRequest["sha"] = NewHead;
            Server.MergeRequest["diff_refs"]!["head_sha"] = NewHead;
            Server.Versions.Add(FakeGitLabServer.Obj($$"""{ "id": 3, "head_commit_sha": "{{NewHead}}", "base_commit_sha": "{{FakeGitLabServer.BaseSha}}", "start_commit_sha": "{{FakeGitLabServer.BaseSha}}", "created_at": "2026-11-20T12:05:00.000Z", "state": "collected" }"""));
        }

        await using (var host = await GitLabHost.StartAsync(Server.HostSettings(Secret), audit: audit, realWorker: true))
        {
            Assert.Equal(HttpStatusCode.Accepted, await host.DeliverMergeRequestHookAsync(Secret, "push-2"));
            var (status, record) = await AuditedAsync(audit, 2);

            Assert.Equal("success", overridden);
            Assert.Equal(NewHead, record.HeadSha);
            Assert.Null(record.Decision!.Override);
            Assert.Equal("pending", status);
        }

        Assert.Single(Replies());
    }
}
