using BenchmarkDotNet.Attributes;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Authorship.Bench;

/// <summary>
/// Authorship classification of pull requests of growing size: a mix of human commits, Claude-assisted
/// commits, Copilot coding agent commits and Dependabot commits, a body with a Codex task link and an
/// organisation extension, as a busy monorepo PR would have.
/// </summary>
[MemoryDiagnoser]
public class ClassifyBenchmarks
{
    private AuthorshipClassifier _classifier = null!;
    private PullRequestSnapshot _snapshot = null!;

    [Params(1, 50, 250)]
    public int Commits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _classifier = new AuthorshipClassifier(new AgentCatalogExtension
        {
            Logins = ["acme-agent[bot]"], Trailers = ["Acme-Agent"], BranchPrefixes = ["acme-agent/"], Labels = ["ai-generated"],
        });
        _snapshot = new PullRequestSnapshot
        {
            Platform = Platform.GitHub,
            IdentityFacts = new() { AuthorIsAccount = true, LoginsVerified = true, AccountIdsAreGitHubIds = true, CommitIdentitiesMatched = true },
            Repository = "contoso/widgets",
            Number = 1,
            Title = "Improve the parser",
            Body = string.Concat(Enumerable.Repeat("Some description of the change with links and lists.\n", 60))
                + "[Codex Task](https://chatgpt.com/codex/tasks/task_e_0123456789abcdef0123456789abcdef)",
            Author = new Person { Login = "ada", Id = 12345 },
            Labels = ["bug", "area/parser"],
            BaseRef = "main",
            BaseSha = new string('a', 40),
            HeadRef = "codex/improve-parser",
            HeadSha = new string('b', 40),
            Commits = [.. Enumerable.Range(0, Commits).Select(MakeCommit)],
        };
    }

    private static Commit MakeCommit(int i)
    {
        var human = new Person { Name = "Ada Lovelace", Email = "12345+ada@users.noreply.github.com" };
        var (author, trailers) = (i % 4) switch
        {
            0 => (human, new List<Trailer>()),
            1 => (human, [new Trailer("Co-Authored-By", "Claude Opus 4.6 <noreply@anthropic.com>")]),
            2 => (new Person { Name = "copilot-swe-agent[bot]", Email = "198982749+Copilot@users.noreply.github.com" },
                [new Trailer("Co-authored-by", "ada <12345+ada@users.noreply.github.com>")]),
            _ => (new Person { Name = "dependabot[bot]", Email = "49699333+dependabot[bot]@users.noreply.github.com" },
                [new Trailer("Signed-off-by", "dependabot[bot] <support@github.com>")]),
        };
        return new Commit
        {
            Sha = i.ToString("x40"),
            Author = author,
            Committer = author,
            Message = $"Change number {i}\n\nA paragraph explaining the change in a few words.\n\n" + string.Join("\n", trailers),
            Trailers = trailers,
        };
    }

    [Benchmark]
    public AuthorshipVerdict ClassifyPullRequest() => _classifier.Classify(_snapshot);
}
