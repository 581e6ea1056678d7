using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Pipeline;

public sealed class ReviewEngineTests
{
    private const string RulesText = """
        version: 1
        groups:
          seniors: { users: [alice], teams: [acme/senior-engineers] }
          unused: { teams: [acme/not-referenced] }
          security: { teams: [acme/appsec] }
        agents:
          emails: [agent@acme.example]
        risk:
          sensitive_paths: ["src/Auth/**"]
        rules:
          - name: AI changes need a senior
            if: { authorship: [ai-authored, ai-assisted] }
            require:
              approvals: [{ group: seniors, count: 1 }]
          - name: security authors label
            if: { author: { groups: [security] } }
            labels: [security-author]
        """;

    /// <summary>In-memory membership for the pure engine: records each lookup.</summary>
    private sealed class RecordingMembership(Dictionary<string, string[]> teams) : IGroupMembership
    {
        public List<string> Calls { get; } = [];

        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add(team);
            }

            return Task.FromResult<IReadOnlyCollection<string>>(teams.TryGetValue(team, out var members) ? members : []);
        }
    }

    /// <summary>A platform that could not read some team (an Actions token, an App without Members: read).</summary>
    private sealed class PartlyUnreadableMembership(Dictionary<string, string[]> teams, string unreadable) : IGroupMembership
    {
        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyCollection<string>>(teams.TryGetValue(team, out var members) ? members : []);

        public IReadOnlyList<string> Unreadable => [$"team {unreadable} could not be read (403: this token may not read team membership)"];
    }

    private sealed class FailingMembership : IGroupMembership
    {
        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
            => throw new HttpRequestException("team lookup failed");
    }

    private sealed class RecordingAnalyzer : IRiskAnalyzer
    {
        public RiskOptions? Options { get; private set; }

        public Task<RiskReport> AnalyzeAsync(PullRequestSnapshot snapshot, RiskOptions options, CancellationToken cancellationToken = default)
        {
            Options = options;
            return NullRiskAnalyzer.Instance.AnalyzeAsync(snapshot, options, cancellationToken);
        }
    }

    private static RulesSource Source(string text, string origin = "base") => new() { Path = ".github/reviewbot.yml", Revision = "abc", Text = text, Origin = origin };

    private static readonly Commit AgentCommit = GitCommit("Acme Agent", "agent@acme.example");

    private static readonly RecordingMembership NoTeams = new([]);

    [Fact]
    public async Task No_rules_anywhere_is_neutral_but_still_classified_and_measured()
    {
        var outcome = await new ReviewEngine(NullRiskAnalyzer.Instance).EvaluateAsync(Pr(commits: [AgentCommit]), null, NoTeams);

        Assert.True(outcome.Decision.NoRules);
        Assert.Equal(CheckOutcome.Neutral, outcome.Plan.Outcome);
        Assert.Null(outcome.Rules);
        Assert.NotNull(outcome.Authorship);
        Assert.Equal(RiskLevel.None, outcome.Risk.Level);
    }

    [Fact]
    public async Task Invalid_base_rules_fail_with_positioned_errors()
    {
        var text = "version: 1\nrules:\n  - name: x\n    requier: { checks: [build] }\n";

        var outcome = await new ReviewEngine(NullRiskAnalyzer.Instance).EvaluateAsync(Pr(), Source(text), NoTeams);

        Assert.Equal(DecisionState.Fail, outcome.Decision.State);
        Assert.Equal(CheckOutcome.Failure, outcome.Plan.Outcome);
        var error = Assert.Single(outcome.Decision.Errors, e => e.Message.Contains("requier", StringComparison.Ordinal));
        Assert.Equal((".github/reviewbot.yml", 4, 5), (error.File, error.Line, error.Column));
        Assert.StartsWith("Invalid rules:", outcome.Decision.Title);
    }

    [Fact]
    public async Task Uses_the_agents_extension_the_risk_options_and_only_referenced_teams_once()
    {
        var membership = new RecordingMembership(new() { ["acme/senior-engineers"] = ["carol"], ["acme/appsec"] = ["dev"] });
        var analyzer = new RecordingAnalyzer();
        var snapshot = Pr(author: "dev", commits: [AgentCommit], reviews: [ReviewBy("carol", ReviewState.Approved, 1)]);

        var outcome = await new ReviewEngine(analyzer).EvaluateAsync(snapshot, Source(RulesText), membership);

        Assert.Equal(AuthorshipKind.AiAuthored, outcome.Authorship.Kind);
        Assert.Equal(["src/Auth/**"], analyzer.Options!.SensitivePaths);
        Assert.Equal(["acme/appsec", "acme/senior-engineers"], membership.Calls.Order(StringComparer.Ordinal));
        Assert.Equal(DecisionState.Pass, outcome.Decision.State);
        Assert.Equal(ReviewerVerdict.Counted, Assert.Single(outcome.Decision.Approvals[0].Reviewers).Verdict);
        Assert.Equal(["security-author"], outcome.Decision.Labels);
        Assert.Equal(CheckOutcome.Success, outcome.Plan.Outcome);
        Assert.Equal("base", outcome.Rules!.Origin);
    }

    [Fact]
    public async Task A_team_that_could_not_be_read_keeps_a_passing_decision_pending()
    {
        // acme/appsec decides whether the author is a security author: read as empty, it could hide a stricter rule.
        var membership = new PartlyUnreadableMembership(new() { ["acme/senior-engineers"] = ["carol"] }, "acme/appsec");
        var snapshot = Pr(author: "dev", commits: [AgentCommit], reviews: [ReviewBy("carol", ReviewState.Approved, 1)]);

        var outcome = await new ReviewEngine(NullRiskAnalyzer.Instance).EvaluateAsync(snapshot, Source(RulesText), membership);

        Assert.Equal(DecisionState.Pending, outcome.Decision.State);
        Assert.Equal("Pending: team membership could not be read", outcome.Decision.Title);
        Assert.Contains(outcome.Decision.Notes, n => n.StartsWith("team acme/appsec could not be read", StringComparison.Ordinal));
        Assert.NotEqual(CheckOutcome.Success, outcome.Plan.Outcome);
    }

    [Fact]
    public async Task Errors_in_the_rules_a_change_proposes_fail_before_merge()
    {
        var head = Source(RulesText.Replace("count: 1", "count: many", StringComparison.Ordinal), "head");
        var snapshot = Pr(commits: [GitCommit("dev")]);

        var outcome = await new ReviewEngine(NullRiskAnalyzer.Instance).EvaluateAsync(snapshot, Source(RulesText), NoTeams, head);

        Assert.Equal(DecisionState.Fail, outcome.Decision.State);
        Assert.Empty(outcome.Decision.Errors);
        var error = Assert.Single(outcome.Decision.HeadRulesErrors);
        Assert.Equal(14, error.Line);
        Assert.Contains(outcome.Plan.Annotations, a => a.RuleId == "rules" && a.StartLine == 14);
    }

    [Fact]
    public async Task A_change_adding_an_invalid_rules_file_is_not_neutral()
    {
        var outcome = await new ReviewEngine(NullRiskAnalyzer.Instance).EvaluateAsync(Pr(), null, NoTeams, Source("version: 2\n", "head"));

        Assert.False(outcome.Decision.NoRules);
        Assert.Equal(CheckOutcome.Failure, outcome.Plan.Outcome);
    }

    [Fact]
    public async Task A_failing_membership_lookup_throws_so_the_caller_reports_an_error()
    {
        var engine = new ReviewEngine(NullRiskAnalyzer.Instance);

        await Assert.ThrowsAsync<HttpRequestException>(() => engine.EvaluateAsync(Pr(), Source(RulesText), new FailingMembership()));
    }
}
