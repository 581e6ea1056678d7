using System.Text.Json.Nodes;
using ReviewBot.Core.Decisions;
using ReviewBot.TestSupport;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// Code owners end to end on GitLab (real host, worker and engine; fake GitLab over HTTP): <c>approvals: [{ codeowners: true }]</c>
/// reads CODEOWNERS at the BASE commit (GitLab's sections), resolves the owning group through GitLab's members API, and keeps
/// the status pending while a touched path lacks its owner's approval; the owner's approval passes it. The head's
/// CODEOWNERS is never read.
/// </summary>
public sealed class EndToEndCodeOwnersTests : FakeGitLabTest
{
    private const string Secret = "e2e-codeowners-secret";

    [Fact]
    public async Task A_codeowners_path_without_its_owners_approval_stays_pending_and_passes_once_an_owner_approves()
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = ApprovalRules.CodeOwners;
        Server.Files[(FakeGitLabServer.BaseSha, "CODEOWNERS")] = "* @zed\n\n[Payments]\n/src/Payments/ @acme/payments\n";

        // The change's own CODEOWNERS would hand everything to its author: it must not count.
        Server.Files[(FakeGitLabServer.HeadSha, "CODEOWNERS")] = "* @alice\n";
        Server.Groups["acme/payments"] = (78, [JsonNode.Parse("""{ "id": 13, "username": "carol", "name": "Carol", "state": "active", "access_level": 30 }""")!.AsObject()]);
        Server.ApprovedBy.Clear();
        Server.Approve("zed", 20, "2026-11-20T12:00:00.000Z");
        var audit = new DeliveryRecorderDouble();

        var (beforeStatus, before) = await EvaluateInNewHostAsync(Secret, audit, 1);
        Server.Approve("carol", 13, "2026-11-20T12:01:00.000Z");
        var (afterStatus, after) = await EvaluateInNewHostAsync(Secret, audit, 2);

        Assert.Equal("pending", beforeStatus);
        Assert.Equal(DecisionState.Pending, before.Decision!.State);
        var payments = Assert.Single(before.Decision.Approvals, a => a.From.Contains("[Payments]", StringComparison.Ordinal));
        Assert.Equal("code owners of src/Payments/Client.cs (@acme/payments in section [Payments])", payments.From);
        Assert.Equal(1, payments.Missing);
        Assert.Contains(before.Decision.Approvals, a => a.From == "code owners of src/Payments/Client.cs, src/New.cs, src/Old.cs (@zed)" && a.Satisfied);
        Assert.DoesNotContain(Server.Requests, r => r.Path.Contains("/repository/files/CODEOWNERS", StringComparison.Ordinal) && r.Query.Contains(FakeGitLabServer.HeadSha, StringComparison.Ordinal));

        Assert.Equal("success", afterStatus);
        Assert.Equal(DecisionState.Pass, after.Decision!.State);
        Assert.All(after.Decision.Approvals, a => Assert.True(a.Satisfied, a.From));
    }

    [Fact]
    public async Task A_codeowners_file_over_the_size_budget_is_not_read_and_keeps_the_status_pending_whoever_approves()
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = ApprovalRules.CodeOwners;
        var padding = new string('#', 99) + "\n";
        Server.Files[(FakeGitLabServer.BaseSha, "CODEOWNERS")] = "* @zed\n" + string.Concat(Enumerable.Repeat(padding, (ReviewBot.Core.Policy.CodeOwnersFile.MaxBytes / padding.Length) + 1));
        Server.ApprovedBy.Clear();
        Server.Approve("zed", 20, "2026-11-20T12:00:00.000Z");

        var (status, record) = await EvaluateInNewHostAsync(Secret, new DeliveryRecorderDouble(), 1);

        Assert.Equal("pending", status);
        var owners = Assert.Single(record.Decision!.Approvals);
        Assert.Equal((1, 0), (owners.Required, owners.Approved));
        Assert.StartsWith("code owners (CODEOWNERS is 3,145,8", owners.From, StringComparison.Ordinal);
        Assert.EndsWith("limit past which GitHub does not load a CODEOWNERS file; it is not read, so no owner can approve)", owners.From, StringComparison.Ordinal);
    }
}
