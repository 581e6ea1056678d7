using ReviewBot.Core.Authorship;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>In-memory condition contexts for predicate tables (pure core: no I/O).</summary>
internal static class PolicyContexts
{
    public static PullRequestSnapshot Pr(params ChangedFile[] files) => new()
    {
        Platform = Platform.GitHub,
        IdentityFacts = PlatformIdentityFacts.GitHub,
        Repository = "acme/shop",
        Number = 7,
        Author = new Person { Login = "dev" },
        BaseRef = "main",
        BaseSha = "b000000",
        HeadRef = "feature/x",
        HeadSha = "h000000",
        Files = files,
    };

    public static ChangedFile File(string path, int additions = 1, int deletions = 0, string? previous = null)
        => new()
        {
            Path = path,
            PreviousPath = previous,
            Status = previous is null ? FileStatus.Modified : FileStatus.Renamed,
            Additions = additions,
            Deletions = deletions,
        };

    public static ConditionContext Context(
        PullRequestSnapshot? snapshot = null,
        AuthorshipKind kind = AuthorshipKind.Human,
        IReadOnlyList<string>? agents = null,
        RiskLevel risk = RiskLevel.None,
        IReadOnlyList<Finding>? findings = null,
        IReadOnlyDictionary<string, IReadOnlySet<string>>? groups = null)
        => new()
        {
            Snapshot = snapshot ?? Pr(File("src/a.cs")),
            Authorship = new AuthorshipVerdict { Kind = kind, Agents = agents ?? [], Confidence = Confidence.High },
            Risk = new RiskReport { Level = risk, Findings = findings ?? [] },
            GroupMembers = groups ?? new Dictionary<string, IReadOnlySet<string>>(),
        };

    public static Finding Finding(string ruleId, string category) => new()
    {
        RuleId = ruleId,
        Category = category,
        Severity = Severity.High,
        Title = "t",
        Message = "m",
        Path = "src/a.cs",
        StartLine = 3,
        EndLine = 3,
    };
}
