using System.CommandLine;
using System.Text.Json;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Serialization;
using ReviewBot.Core.Snapshot;
using ReviewBot.Git;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot classify --repo DIR --range BASE..HEAD [--format text|json]</c>: authorship of every commit of a
/// local range and of the range as a whole (as a pull request of head into base), with the evidence.
/// </summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var repo = new Option<string>("--repo")
        {
            Description = "The git repository (work tree or bare); default: the current directory.",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".",
        };
        var range = new Option<string>("--range")
        {
            Description = "The change to classify, BASE..HEAD (as a pull request of HEAD into BASE), e.g. main..feature.",
            HelpName = "BASE..HEAD",
            Required = true,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var rules = LocalRules.RulesOption("Rules file whose 'agents:' section extends the built-in signals; default: the rules file found at the base ref as 'check' finds it (the built-in default adds no signals).");

        var command = new Command("classify", "Classify the authorship (human, ai-assisted, ai-authored, automation) of a local git range, commit by commit and overall, with evidence.")
        {
            repo,
            range,
            format,
            rules,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse,
            parse.GetValue(repo)!,
            parse.GetValue(range)!,
            parse.GetValue(format)!,
            parse.GetValue(rules),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string repoPath, string rangeText, string format, string? rulesFile, CancellationToken cancellationToken)
    {
        ClassifyReport report;
        try
        {
            var range = GitRange.Parse(rangeText);
            var repository = await GitRepository.OpenAsync(repoPath, cancellationToken).ConfigureAwait(false);
            var snapshot = await repository.LoadRangeAsync(range, null, cancellationToken).ConfigureAwait(false);
            var rules = rulesFile is null
                ? (await LocalRules.LocateAsync(repository, snapshot, null, cancellationToken).ConfigureAwait(false)).File
                : LocalRules.ReadFile(rulesFile);
            var extension = AgentCatalogExtension.Empty;
            if (rules is not null)
            {
                var parsed = RulesParser.Parse(rules.Text, rules.Path);
                if (!parsed.IsValid)
                {
                    var error = CliApp.Error(parse);
                    foreach (var problem in parsed.Errors)
                    {
                        await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
                    }

                    await error.WriteLineAsync($"reviewbot: the rules file {rules.Path} ({rules.Origin}) is not valid; fix it or pass --rules FILE").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                extension = parsed.Rules!.Agents;
            }

            var verdict = new AuthorshipClassifier(extension).Classify(snapshot);
            report = ClassifyReport.From(range, snapshot, verdict, rules);
        }
        catch (GitSourceException ex)
        {
            throw new UsageException(ex.Message);
        }

        var output = CliApp.Out(parse);
        if (format == "json")
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(report, ReviewBotJson.Options)).ConfigureAwait(false);
        }
        else
        {
            await output.WriteAsync(ClassifyTextRenderer.Render(report)).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}

/// <summary>The documented JSON output of <c>reviewbot classify --format json</c> (see docs/local-git.md).</summary>
public sealed record ClassifyReport
{
    /// <summary>The range as given, normalised to BASE..HEAD.</summary>
    public required string Range { get; init; }

    public required string Repository { get; init; }

    public required RefInfo Base { get; init; }

    public required RefInfo Head { get; init; }

    /// <summary>The commits of the range, oldest first.</summary>
    public required IReadOnlyList<CommitReport> Commits { get; init; }

    /// <summary>The verdict for the whole range.</summary>
    public required OverallAuthorship Authorship { get; init; }

    /// <summary>The rules file whose <c>agents:</c> section extended the signals; null when none.</summary>
    public RulesInfo? Rules { get; init; }

    public static ClassifyReport From(GitRange range, PullRequestSnapshot snapshot, AuthorshipVerdict verdict, RulesSource? rules = null)
    {
        var byCommit = verdict.Commits.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        return new ClassifyReport
        {
            Range = range.ToString(),
            Repository = snapshot.Repository,
            Base = new RefInfo(snapshot.BaseRef, snapshot.BaseSha),
            Head = new RefInfo(snapshot.HeadRef, snapshot.HeadSha),
            Commits = [.. snapshot.Commits.Select(commit => CommitReport.From(commit, byCommit.GetValueOrDefault(commit.Sha)))],
            Authorship = new OverallAuthorship
            {
                Kind = verdict.Kind,
                Agents = verdict.Agents,
                Initiator = verdict.Initiator,
                Confidence = verdict.Confidence,
                Reason = verdict.Reason,
                Evidence = verdict.Evidence,
            },
            Rules = rules is null ? null : new RulesInfo(rules.Path, rules.Origin, rules.Revision),
        };
    }
}

public sealed record RefInfo(string Ref, string Sha);

/// <summary>Where the rules came from: origin "base" (with the blob id as revision) or "file" (revision empty).</summary>
public sealed record RulesInfo(string Path, string Origin, string Revision);

public sealed record CommitReport
{
    public required string Sha { get; init; }
    public required string Subject { get; init; }

    /// <summary>"Name &lt;email&gt;" as recorded in git (unauthenticated).</summary>
    public required string Author { get; init; }

    public required string Committer { get; init; }
    public IReadOnlyList<string> Parents { get; init; } = [];
    public IReadOnlyList<Trailer> Trailers { get; init; } = [];
    public required AuthorshipKind Kind { get; init; }
    public IReadOnlyList<string> Agents { get; init; } = [];
    public string? Initiator { get; init; }
    public required Confidence Confidence { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    public static CommitReport From(Commit commit, CommitAuthorship? authorship) => new()
    {
        Sha = commit.Sha,
        Subject = commit.Subject,
        Author = Identity(commit.Author),
        Committer = Identity(commit.Committer),
        Parents = commit.Parents,
        Trailers = commit.Trailers,
        Kind = authorship?.Kind ?? AuthorshipKind.Human,
        Agents = authorship?.Agents ?? [],
        Initiator = authorship?.Initiator,
        Confidence = authorship?.Confidence ?? Confidence.Low,
        Evidence = authorship?.Evidence ?? [],
    };

    private static string Identity(Person person) => $"{person.Name} <{person.Email}>";
}

public sealed record OverallAuthorship
{
    public required AuthorshipKind Kind { get; init; }
    public IReadOnlyList<string> Agents { get; init; } = [];
    public string? Initiator { get; init; }
    public required Confidence Confidence { get; init; }
    public string Reason { get; init; } = "";
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];
}
