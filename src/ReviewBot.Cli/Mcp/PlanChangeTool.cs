using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ReviewBot.Cli.Commands;
using ReviewBot.Core.Snapshot;
using ReviewBot.Git;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Cli.Mcp;

/// <summary>
/// <c>plan_change</c>: what the rules will demand of a change before any pull request exists — the same check as
/// <c>reviewbot check</c> (<see cref="LocalCheck"/>), for a local git range or a unified diff, with the author the
/// caller declares. Advisory: nobody vouched for that identity; the gate on the pull request decides.
/// </summary>
[McpServerToolType]
internal sealed class PlanChangeTool(McpRepositories repositories)
{
    public const string Advisory =
        "advisory: planned with the identity the caller declared, which nobody verified, and without reviews or checks; the gate on the pull request decides";

    [McpServerTool(Name = "plan_change", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("What ReviewBot's rules will require of a change before a pull request exists: the approvals and checks required, what is blocked, authorship and risk findings. Give a repository with base/head refs, or a unified diff with the base contents of the files it touches; and the login the pull request will be opened by. Advisory.")]
    public Task<CallToolResult> PlanAsync(
        [Description("The login the pull request will be opened by, e.g. copilot-swe-agent[bot] or a person's login.")] string agent,
        [Description("A repository this server serves (its configured name); over stdio also a local path. With a diff: where the rules are read (at base).")] string? repository = null,
        [Description("The target ref (branch, tag or SHA) the change will merge into: the rules are read there. Default with a diff: HEAD.")] string? @base = null,
        [Description("The change's ref (default HEAD). Repository mode only.")] string? head = null,
        [Description("The change as a unified diff (git diff output), instead of a head ref.")] string? diff = null,
        [Description("With a diff: the base contents of every file the diff modifies, renames or deletes, by path (a rules file given here is used when no repository is named).")] Dictionary<string, string>? baseFiles = null,
        [Description("The pull request's planned title.")] string? title = null,
        [Description("The pull request's planned description.")] string? body = null,
        [Description("The planned head branch name.")] string? branch = null,
        CancellationToken cancellationToken = default)
        => ToolAnswer.RunAsync(async () =>
        {
            if (string.IsNullOrWhiteSpace(agent))
            {
                throw new UsageException("agent: give the login the pull request will be opened by (e.g. copilot-swe-agent[bot])");
            }

            var author = new Person { Login = agent.Trim(), IsBot = agent.Trim().EndsWith("[bot]", StringComparison.Ordinal) };
            var (snapshot, location) = diff is null
                ? await FromRepositoryAsync(repository, @base, head, title, body, branch, author, baseFiles, cancellationToken)
                : await FromDiffAsync(repository, @base, head, diff, baseFiles, title, body, branch, author, cancellationToken);

            // Planned as if the platform had vouched for the declared author: that is the question the caller asks.
            snapshot = snapshot with { IdentityFacts = new IdentityFacts { AuthorIsAccount = true, LoginsVerified = true } };
            var (outcome, _, notes) = await LocalCheck.RunAsync(snapshot, location, null, cancellationToken);
            return new PlanAnswer(Advisory, author.Login!, CheckReport.From(outcome, notes));
        });

    private async Task<(PullRequestSnapshot, RulesLocation)> FromRepositoryAsync(
        string? repository, string? baseRef, string? headRef, string? title, string? body, string? branch, Person author,
        Dictionary<string, string>? baseFiles, CancellationToken cancellationToken)
    {
        if (repository is null || baseRef is null)
        {
            throw new UsageException("give a repository and a base ref (and optionally head), or a diff with baseFiles");
        }

        if (baseFiles is not null)
        {
            throw new UsageException("baseFiles goes with a diff; in repository mode the contents are read from the repository");
        }

        var git = await GitRepository.OpenAsync(repositories.PathOf(repository), cancellationToken);
        var snapshot = await git.LoadRangeAsync(baseRef, headRef ?? "HEAD", new LocalRangeOptions
        {
            Title = title,
            Body = body,
            Author = author,
            HeadRefName = branch,
            RepositoryName = repository,
        }, cancellationToken);
        return (snapshot, LocalRules.Location(git, null));
    }

    private async Task<(PullRequestSnapshot, RulesLocation)> FromDiffAsync(
        string? repository, string? baseRef, string? headRef, string diff, Dictionary<string, string>? baseFiles,
        string? title, string? body, string? branch, Person author, CancellationToken cancellationToken)
    {
        if (headRef is not null)
        {
            throw new UsageException("head goes with repository mode; with a diff the head is the diff applied to baseFiles");
        }

        var change = UnifiedDiffChange.Parse(diff, baseFiles ?? []);
        string baseSha;
        RulesLocation location;
        if (repository is not null)
        {
            var git = await GitRepository.OpenAsync(repositories.PathOf(repository), cancellationToken);
            baseSha = await git.ResolveCommitAsync(baseRef ?? "HEAD", cancellationToken);
            location = LocalRules.Location(change.HeadFilesOver(git), null);
        }
        else
        {
            baseSha = UnifiedDiffChange.BaseRevision;
            location = LocalRules.Location(change.BothSides, null);
        }

        var snapshot = new PullRequestSnapshot
        {
            Platform = Platform.Local,
            Repository = repository ?? "(diff)",
            Title = title ?? "",
            Body = body ?? "",
            Author = author,
            BaseRef = baseRef ?? "HEAD",
            BaseSha = baseSha,
            HeadRef = branch ?? "(diff)",
            HeadSha = UnifiedDiffChange.HeadRevision,
            Files = change.Files,
            Contents = change.Contents,
        };
        return (snapshot, location);
    }
}

/// <summary>The answer of <c>plan_change</c>: the <c>reviewbot check --format json</c> report, marked advisory.</summary>
public sealed record PlanAnswer(string Advisory, string DeclaredAuthor, CheckReport Plan);
