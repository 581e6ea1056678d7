using ReviewBot.Core.Decisions;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Code owners end to end (real host, fake GitHub over HTTP): <c>approvals: [{ codeowners: true }]</c> reads
/// .github/CODEOWNERS at the BASE commit, resolves the owning team through GitHub's API, and keeps the check pending
/// while a touched path lacks its owner's approval; the owner's approval passes it. The head's CODEOWNERS is never read.
/// </summary>
public sealed class EndToEndCodeOwnersTests
{
    private const string Head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"; // the head the saved payloads name

    [Fact]
    public async Task A_codeowners_path_without_its_owners_approval_stays_pending_and_passes_once_an_owner_approves()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            var pr = new FakePullRequest
            {
                Number = 2, Author = "dev", AuthorType = "User", HeadSha = Head, BaseSha = EndToEnd.BaseSha,
                HeadRef = "feature/invoice", BaseRef = "master", Title = "Round invoice totals", Body = "",
            };
            pr.AddFile("README.md").AddFile("src/Billing/Invoice.cs").AddCommit(Head, "Round invoice totals", "dev", "Dev");
            pr.AddReview(10, "lead", "APPROVED", Head, "2026-11-26T10:00:00Z");
            github.PullRequests[2] = pr;
            github.Blobs[$"{EndToEnd.BaseSha}:.github/reviewbot.yml"] = ApprovalRules.CodeOwners;
            github.Blobs[$"{EndToEnd.BaseSha}:.github/CODEOWNERS"] = "*  @lead\n/src/Billing/  @acme/billing\n";

            // The change's own CODEOWNERS would hand billing to its author: it must not count.
            github.Blobs[$"{Head}:.github/CODEOWNERS"] = "* @dev\n";
            github.Teams["acme/billing"] = ["bea"];
        });

        var before = await e2e.EvaluateOpenedAsync(1);
        e2e.GitHub.PullRequests[2].AddReview(11, "bea", "APPROVED", Head, "2026-11-26T11:00:00Z");
        var after = await e2e.EvaluateOpenedAsync(2);

        Assert.Equal(DecisionState.Pending, before.Decision!.State);
        var billing = Assert.Single(before.Decision.Approvals, a => a.From.Contains("src/Billing/Invoice.cs", StringComparison.Ordinal));
        Assert.Equal("code owners of src/Billing/Invoice.cs (@acme/billing)", billing.From);
        Assert.Equal(1, billing.Missing);
        Assert.Contains(before.Decision.Approvals, a => a.From == "code owners of README.md (@lead)" && a.Satisfied);

        Assert.Equal(DecisionState.Pass, after.Decision!.State);
        Assert.All(after.Decision.Approvals, a => Assert.True(a.Satisfied, a.From));
    }
}
