using System.Text.Json;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Snapshot;
using ReviewBot.Git;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// The pull request of a GitHub Actions event payload (<c>$GITHUB_EVENT_PATH</c> of a <c>pull_request</c>,
/// <c>pull_request_target</c> or <c>pull_request_review</c> event): what <c>reviewbot check --github-event</c> takes
/// from it, and how the decision goes back to the job (<c>$GITHUB_STEP_SUMMARY</c>, <c>$GITHUB_OUTPUT</c>).
/// </summary>
internal sealed record GitHubActionsRun(
    string Repository, long Number, string BaseSha, string HeadSha, string HeadRef, string Title, string Body, Person Author, IReadOnlyList<string> Labels)
{
    /// <summary>Said in an Actions run on the local range (without <c>--github-api</c>): what it cannot see, so the decision is stricter than the App's.</summary>
    public const string TokenNote =
        "GitHub Actions: reviews and check results are not read and teams are not resolved (GITHUB_TOKEN cannot read team membership): required approvals stay pending and team-based groups fail closed; the ReviewBot App counts them (README, \"GitHub Action\")";

    /// <summary>Said in an Actions run on the API (<c>--github-api</c>) for each team the token could not read.</summary>
    public static string UnreadableTeamNote(string why)
        => $"GitHub Actions: {why}, so it counts no one, and the check cannot pass while it is unread (its membership may decide which rules apply; fail closed); GITHUB_TOKEN cannot read team membership: give the Action's token input a GitHub App installation token with Members: read (docs/github-action.md)";

    /// <summary>The pull request on the GitHub API: <c>$GITHUB_API_URL</c> when set, else github.com's.</summary>
    public PullRequestUrl Target => new(Platform.GitHub, Repository, Number, $"https://github.com/{Repository}/pull/{Number}", "https://api.github.com/");

    /// <exception cref="UsageException">The file is missing, not JSON, or not a pull request event.</exception>
    public static GitHubActionsRun Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--github-event: no such file: {path}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--github-event: {path} is not JSON: {ex.Message}");
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("pull_request", out var pr) || pr.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"--github-event: {path} is not a pull request event (no pull_request object): run the Action on pull_request_target (or pull_request_review)");
            }

            var user = pr.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
            return new GitHubActionsRun(
                Repository: Text(document.RootElement, "repository", "full_name") ?? Text(pr, "base", "repo", "full_name") ?? "",
                Number: pr.TryGetProperty("number", out var n) && n.TryGetInt64(out var number) ? number : 0,
                BaseSha: Text(pr, "base", "sha") ?? throw Missing(path, "pull_request.base.sha"),
                HeadSha: Text(pr, "head", "sha") ?? throw Missing(path, "pull_request.head.sha"),
                HeadRef: Text(pr, "head", "ref") ?? "",
                Title: Text(pr, "title") ?? "",
                Body: Text(pr, "body") ?? "",
                Author: user.ValueKind == JsonValueKind.Object
                    ? new Person { Login = Text(user, "login"), Id = user.TryGetProperty("id", out var id) && id.TryGetInt64(out var i) ? i : null, IsBot = Text(user, "type") == "Bot" }
                    : Person.Unknown,
                Labels: pr.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array
                    ? [.. labels.EnumerateArray().Select(l => Text(l, "name")).OfType<string>()]
                    : []);
        }
    }

    /// <summary>How the local range is read: as this pull request (title, body, author, labels, branch, repository).</summary>
    public LocalRangeOptions RangeOptions => new()
    {
        Title = Title,
        Body = Body,
        Author = Author,
        Labels = Labels,
        HeadRefName = HeadRef,
        RepositoryName = Repository.Length > 0 ? Repository : null,
    };

    /// <summary>Appends the decision to the job summary (<c>$GITHUB_STEP_SUMMARY</c>, markdown).</summary>
    public static void WriteSummary(string path, string markdown) => File.AppendAllText(path, markdown.TrimEnd('\n') + "\n");

    /// <summary>Appends the step outputs (<c>$GITHUB_OUTPUT</c>): one <c>name=value</c> line each, values on one line.</summary>
    public static void WriteOutputs(string path, ReviewOutcome outcome)
    {
        var d = outcome.Decision;
        var lines = new (string Name, string Value)[]
        {
            ("state", DecisionRenderer.Name(d.State)),
            ("outcome", CheckReport.OutcomeName(outcome.Plan.Outcome)),
            ("title", d.Title),
            ("authorship", DecisionRenderer.Name(outcome.Authorship.Kind)),
            ("risk", DecisionRenderer.Name(outcome.Risk.Level)),
            ("labels", string.Join(",", d.Labels)),
        };
        File.AppendAllText(path, string.Concat(lines.Select(l => $"{l.Name}={OneLine(l.Value)}\n")));
    }

    private static string OneLine(string value) => value.ReplaceLineEndings(" ");

    private static UsageException Missing(string path, string field) => new($"--github-event: {path} has no {field}");

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
