using System.Globalization;
using System.Text.Json.Nodes;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// <c>/reviewbot dismiss &lt;finding id&gt; &lt;reason&gt;</c> end to end on GitLab (real host, worker and engine; fake GitLab
/// over HTTP): the agent's merge request starts an OS process with a command of unknown origin (RB3002), so
/// <see cref="DismissRules"/> ask a reviewer (carol) and security (sam). Sam's note dismissing the finding, delivered as a
/// Note Hook and read back from the notes API, lifts security's approval and shows in the status's summary; the author,
/// someone who could approve nothing, a note without a reason and an unknown id are answered and change nothing; the
/// next push (a new merge request version) ends it.
/// </summary>
public sealed class EndToEndDismissTests : FakeGitLabCommandTest
{
    private const string Agent = "project_42_bot_9f1c";
    private const string NewHead = "c0ffee0000000000000000000000000000000003";
    private const string Tool = "src/Tool.cs";

    private void Arrange(string author = Agent)
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = DismissRules.Text(Agent);
        Server.Files[(FakeGitLabServer.BaseSha, Tool)] = DismissRules.ToolBefore;
        Server.Files[(FakeGitLabServer.HeadSha, Tool)] = DismissRules.ToolAfter;
        Server.Files[(NewHead, Tool)] = DismissRules.ToolAfter;
        Server.Diffs.Clear();
        Server.Diffs.Add(new JsonObject
        {
            ["old_path"] = Tool, ["new_path"] = Tool, ["a_mode"] = "100644", ["b_mode"] = "100644",
            ["diff"] = "@@ -3,5 +3,6 @@\n     void Run(string command)\n     {\n+        System.Diagnostics.Process.Start(command);\n     }\n }\n",
            ["new_file"] = false, ["renamed_file"] = false, ["deleted_file"] = false,
        });
        Server.MergeRequest["author"] = author == Agent
            ? new JsonObject { ["id"] = 950, ["username"] = Agent, ["name"] = "Acme Agent", ["bot"] = true }
            : new JsonObject { ["id"] = 503, ["username"] = author, ["name"] = author };
        Server.MergeRequest["assignees"] = new JsonArray();
        Server.ApprovedBy.Clear();
    }

    /// <summary>The merge request's first evaluation, and the id of its RB3002 finding.</summary>
    private async Task<(AuditRecord Record, string Id)> OpenedAsync(DeliveryRecorderDouble audit)
    {
        var (_, record) = await MergeRequestEventAsync(audit, 1);
        return (record, Assert.Single(record.Risk!.Findings, f => f.RuleId == "RB3002").Id);
    }

    [Fact]
    public async Task A_dismissal_note_from_security_lifts_securitys_approval_and_shows_who_and_why_in_the_status()
    {
        Arrange();
        var audit = new DeliveryRecorderDouble();
        var (opened, id) = await OpenedAsync(audit);

        var (status, record) = await NoteAsync(audit, "sam", $"/reviewbot dismiss {id} the command is our own constant", HeadArrived.AddHours(1), 2);

        Assert.Equal(["group reviewers", "group security"], opened.Decision!.Approvals.Select(a => a.From));
        Assert.Equal("pending", status);
        var dismissed = Assert.Single(record.Decision!.Dismissals);
        Assert.Equal((id, "sam", "the command is our own constant", FakeGitLabServer.HeadSha), (dismissed.Finding.Id, dismissed.By, dismissed.Reason, dismissed.HeadSha));
        Assert.Equal([$"{DismissRules.Risky}: 1 approval from group security"], record.Decision.LiftedByDismissals);
        Assert.Equal(["group reviewers"], record.Decision.Approvals.Select(a => a.From));
        Assert.Equal(id, Assert.Single(record.Risk!.Dismissed).Finding.Id);
        Assert.Contains("reviewed by @\u200Bsam: the command is our own constant", record.Decision.Summary);
        Assert.Contains($"finding {id} (RB3002 OS process started, src/Tool.cs:5) reviewed by @sam", Assert.Single(Replies()));
    }

    [Theory]
    [InlineData("sam", "sam", "/reviewbot dismiss {0} mine, fine", "@sam may not dismiss a finding: is the author of the pull request")]
    [InlineData(Agent, "zed", "/reviewbot dismiss {0} trust me", "@zed may not dismiss a finding: only someone who could approve this change may (group reviewers; group security)")]
    [InlineData(Agent, "sam", "/reviewbot dismiss {0}", "a dismissal needs a reason")]
    [InlineData(Agent, "sam", "/reviewbot dismiss RB3002-000000 checked", "unknown finding id 'RB3002-000000': the findings of head c0ffee0 are {0}")]
    public async Task A_dismissal_note_that_is_not_allowed_is_answered_and_changes_nothing(string author, string username, string note, string answer)
    {
        Arrange(author);
        var audit = new DeliveryRecorderDouble();
        var (opened, id) = await OpenedAsync(audit);

        var (status, record) = await NoteAsync(audit, username, string.Format(CultureInfo.InvariantCulture, note, id), HeadArrived.AddHours(1), 2);

        Assert.Equal("pending", status);
        Assert.Empty(record.Decision!.Dismissals);
        Assert.Equal(opened.Decision!.Approvals.Select(a => a.From), record.Decision.Approvals.Select(a => a.From));
        var reply = Assert.Single(Replies());
        Assert.Contains("refused: ", reply);
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, answer, id), reply.Replace("\\", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_push_after_the_dismissal_ends_it()
    {
        Arrange();
        var audit = new DeliveryRecorderDouble();
        var (_, id) = await OpenedAsync(audit);
        var (_, dismissed) = await NoteAsync(audit, "sam", $"/reviewbot dismiss {id} reviewed", HeadArrived.AddHours(1), 2);
        Push(NewHead, "2026-11-20T12:05:00.000Z");

        var (status, record) = await MergeRequestEventAsync(audit, 3);

        Assert.Single(dismissed.Decision!.Dismissals);
        Assert.Equal(NewHead, record.HeadSha);
        Assert.Equal("pending", status);
        Assert.Empty(record.Decision!.Dismissals);
        Assert.Contains(record.Risk!.Findings, f => f.Id == id);
        Assert.Contains("group security", record.Decision.Approvals.Select(a => a.From));
        Assert.Single(Replies());
    }
}
