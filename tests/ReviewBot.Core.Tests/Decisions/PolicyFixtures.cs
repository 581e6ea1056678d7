using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Decisions;

/// <summary>A condition for evaluator tests: answers from the context through a function, with a reason.</summary>
internal sealed record TestCondition(Func<ConditionContext, bool> Predicate, string Reason) : Condition
{
    public static TestCondition Always { get; } = new(_ => true, "test condition matched");
    public static TestCondition Never { get; } = new(_ => false, "test condition did not match");

    public override ConditionResult Evaluate(ConditionContext context) => new(Predicate(context), Reason);
}

/// <summary>In-memory snapshots, reviews, checks and rules for the pure evaluator and planner tests.</summary>
internal static class PolicyFixtures
{
    public const string Head = "ccccccccccccccccccccccccccccccccccccccc3";
    public const string OldHead = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static PullRequestSnapshot Pr(
        string author = "dev",
        IReadOnlyList<Review>? reviews = null,
        IReadOnlyList<CheckResult>? checks = null,
        IReadOnlyList<Commit>? commits = null,
        IReadOnlyList<ChangedFile>? files = null,
        IReadOnlyList<string>? labels = null,
        IReadOnlyList<string>? requested = null) => new()
    {
        Platform = Platform.GitHub,
        IdentityFacts = PlatformIdentityFacts.GitHub,
        Repository = "acme/widgets",
        Number = 7,
        Author = new Person { Login = author },
        BaseRef = "main",
        BaseSha = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
        HeadRef = "feature",
        HeadSha = Head,
        Reviews = reviews ?? [],
        Checks = checks ?? [],
        Commits = commits ?? [GitCommit(author)],
        Files = files ?? [],
        Labels = labels ?? [],
        RequestedReviewers = requested ?? [],
    };

    public static Commit GitCommit(string authorName, string? email = null, params Trailer[] trailers) => new()
    {
        Sha = "dddddddddddddddddddddddddddddddddddddd" + authorName.Length.ToString("00"),
        Author = new Person { Name = authorName, Email = email ?? $"{authorName}@example.com" },
        Committer = new Person { Name = authorName, Email = email ?? $"{authorName}@example.com" },
        Message = "change",
        Trailers = trailers,
    };

    /// <summary>A review submitted <paramref name="minute"/> minutes after a fixed time.</summary>
    public static Review ReviewBy(string login, ReviewState state, int minute, string? sha = Head) => new()
    {
        Reviewer = new Person { Login = login },
        State = state,
        CommitSha = sha,
        SubmittedAt = T0.AddMinutes(minute),
    };

    public static CheckResult Check(string name, CheckStatus status, CheckConclusion? conclusion = null, int? minute = null) => new()
    {
        Name = name,
        Status = status,
        Conclusion = conclusion,
        UpdatedAt = minute is { } m ? T0.AddMinutes(m) : null,
    };

    public static CheckResult Passed(string name) => Check(name, CheckStatus.Completed, CheckConclusion.Success);

    public static AuthorshipVerdict Human { get; } = new() { Kind = AuthorshipKind.Human, Confidence = Confidence.High, Reason = "no AI signal" };

    public static AuthorshipVerdict AiAuthored(string? initiator = null) => new()
    {
        Kind = AuthorshipKind.AiAuthored,
        Agents = ["copilot-coding-agent"],
        Initiator = initiator,
        Confidence = Confidence.High,
        Reason = "opened by copilot-swe-agent[bot]",
    };

    public static RulesFile Rules(PolicyDefaults? defaults = null, params PolicyRule[] rules) => new()
    {
        Path = ".github/reviewbot.yml",
        Groups = new Dictionary<string, GroupDefinition>(StringComparer.OrdinalIgnoreCase)
        {
            ["seniors"] = new() { Name = "seniors", Users = ["alice", "bob"], Teams = ["acme/senior-engineers"] },
            ["security"] = new() { Name = "security", Teams = ["acme/appsec"] },
        },
        Defaults = defaults ?? new PolicyDefaults(),
        Rules = rules,
    };

    public static PolicyRule NeedsSeniors(int count = 1, params string[] checks) => new()
    {
        Name = "AI changes need a senior",
        If = TestCondition.Always,
        Require = new Requirements { Approvals = [new ApprovalRequirement { Group = "seniors", Count = count }], Checks = [.. checks.Select(c => new CheckRequirement { Pattern = c })] },
    };

    public static Decision Evaluate(RulesFile rules, PullRequestSnapshot snapshot, AuthorshipVerdict? authorship = null, ResolvedMembership? membership = null)
        => new PolicyEvaluator().Evaluate(rules, snapshot, authorship ?? Human, RiskReport.Empty, membership);

    public static ResolvedMembership Teams(params (string Team, string[] Members)[] teams) => new()
    {
        Teams = teams.ToDictionary(
            t => t.Team,
            t => (IReadOnlySet<string>)new HashSet<string>(t.Members, StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase),
    };
}
