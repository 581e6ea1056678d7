using System.Text.Json.Nodes;
using ReviewBot.Core.Decisions;
using ReviewBot.TestSupport;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// Break-glass end to end on GitLab (real host, worker and engine; fake GitLab over HTTP): a <c>/reviewbot override</c>
/// note, delivered as a Note Hook and read back from GitLab's notes API, passes the status when an allowed person writes
/// it, is answered and changes nothing from anyone else, and ends with the next push (a new merge request version).
/// </summary>
public sealed class EndToEndOverrideTests : FakeGitLabCommandTest
{
    private const string Agent = "project_42_bot_9f1c";
    private const string NewHead = "c0ffee0000000000000000000000000000000003";

    private void Arrange()
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = OverrideRules.Text(Agent);
        Server.MergeRequest["author"] = new JsonObject { ["id"] = 950, ["username"] = Agent, ["name"] = "Acme Agent", ["bot"] = true };
        Server.MergeRequest["assignees"] = new JsonArray();
        Server.ApprovedBy.Clear();
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
        Push(NewHead, "2026-11-20T12:05:00.000Z");

        var (status, record) = await MergeRequestEventAsync(audit, 2);

        Assert.Equal("success", overridden);
        Assert.Equal(NewHead, record.HeadSha);
        Assert.Null(record.Decision!.Override);
        Assert.Equal("pending", status);
        Assert.Single(Replies());
    }
}
