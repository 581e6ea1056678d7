using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Risk.Hostile;

/// <summary>
/// The built-in policy (rules/default.yml) over an AI-authored change that uses each evasion, with the one human
/// approval that passes an ordinary AI-authored change: the evasion must not pass, since its risk still gates.
/// </summary>
public sealed class BuiltInPolicyTests
{
    private static readonly RulesSource BuiltIn = new() { Path = DefaultPolicy.Path, Revision = "built-in", Text = DefaultPolicy.Text, Origin = "built-in" };

    private sealed class NoTeams : IGroupMembership
    {
        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyCollection<string>>([]);
    }

    /// <summary>The change as the agent's pull request, approved once by a human on its head.</summary>
    private static PullRequestSnapshot AiAuthoredAndApprovedOnce(PullRequestSnapshot change) => change with
    {
        Platform = Platform.GitHub,
        IdentityFacts = PlatformIdentityFacts.GitHub,
        Author = new Person { Login = "Copilot" },
        Commits =
        [
            new Commit
            {
                Sha = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1",
                Author = new Person { Name = "copilot-swe-agent[bot]", Email = "198982749+Copilot@users.noreply.github.com" },
                Committer = new Person { Name = "copilot-swe-agent[bot]", Email = "198982749+Copilot@users.noreply.github.com" },
                Message = "Export through the shell",
            },
        ],
        Reviews = [new Review { Reviewer = new Person { Login = "dana" }, State = ReviewState.Approved, CommitSha = change.HeadSha, SubmittedAt = DateTimeOffset.UnixEpoch }],
    };

    private static async Task<ReviewOutcome> Check(PullRequestSnapshot change)
        => await new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System)).EvaluateAsync(AiAuthoredAndApprovedOnce(change), BuiltIn, new NoTeams());

    [Fact]
    public async Task An_ordinary_ai_authored_change_with_one_approval_passes()
    {
        var outcome = await Check(RiskTestKit.Snapshot(new TestFile("src/Exporter.cs", null, "namespace Acme.App;\n\npublic class Exporter\n{\n    public int Count(string input) => input.Length;\n}\n")));

        Assert.Equal(ReviewBot.Core.Authorship.AuthorshipKind.AiAuthored, outcome.Authorship.Kind);
        Assert.Equal(DecisionState.Pass, outcome.Decision.State);
    }

    /// <summary>Evasions of rules that gate under the built-in policy (high and above; a medium finding passes with one approval, evaded or not).</summary>
    public static IEnumerable<object[]> Gating => EvasionTests.All
        .Where(e => RiskRuleCatalog.Find(e.Rule)!.Severity >= Severity.High)
        .Select(e => new object[] { e.Name });

    [Theory]
    [MemberData(nameof(Gating))]
    public async Task An_ai_authored_change_using_an_evasion_does_not_pass(string name)
    {
        var evasion = EvasionTests.All.Single(e => e.Name == name);
        var change = RiskTestKit.Snapshot(evasion.Files, evasion.Raw);
        if (evasion.BinaryPaths is { } binary)
        {
            change = change with { Files = change.Files.Select(f => binary.Contains(f.Path) ? f with { IsBinary = true } : f).ToList() };
        }

        var outcome = await Check(change);

        Assert.Equal(ReviewBot.Core.Authorship.AuthorshipKind.AiAuthored, outcome.Authorship.Kind);
        Assert.True(outcome.Decision.State != DecisionState.Pass, $"{name}: {outcome.Decision.Title} (risk {outcome.Risk.Level})");
    }
}
