using System.CommandLine;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.Git;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// The rules of a local change, found as on the platforms (<see cref="RulesLocator"/>: the repository's file at
/// the base commit, the organisation's file given by <c>--org-rules FILE</c>, the built-in default), or the file
/// <c>--rules FILE</c> names instead.
/// </summary>
internal static class LocalRules
{
    public static Option<string?> RulesOption(string description) => new("--rules") { Description = description, HelpName = "FILE" };

    public static Option<string?> OrgRulesOption() => new("--org-rules")
    {
        Description = "The organisation's rules file (on the platforms: the owner's .github repository or the group's policy project); it always applies, and the repository's file may only add to it.",
        HelpName = "FILE",
    };

    public static Task<LocatedRules> LocateAsync(GitRepository repository, PullRequestSnapshot snapshot, string? orgRulesFile, CancellationToken cancellationToken)
        => RulesLocator.LocateAsync(snapshot, Location(repository, orgRulesFile), cancellationToken);

    /// <summary>Where the rules of a local repository are found: its files, and the organisation's file when given.</summary>
    public static RulesLocation Location(IRevisionFiles repository, string? orgRulesFile) => new()
    {
        Repository = repository,
        Organisation = orgRulesFile is null ? null : new OrganisationRules
        {
            Name = "",
            Files = new LocalFiles(),
            Revision = "file",
            Paths = [Existing(orgRulesFile)],
        },
    };

    /// <summary>The rules file named by <c>--rules</c> (origin "file"); a missing file is a usage error.</summary>
    public static RulesSource ReadFile(string path)
        => new() { Path = path, Revision = "file", Text = File.ReadAllText(Existing(path)), Origin = "file" };

    private static string Existing(string path)
        => File.Exists(path) ? path : throw new UsageException($"rules file not found: {path}");

    /// <summary>Files of the local file system; there is one revision, the file as it is now.</summary>
    private sealed class LocalFiles : IRevisionFiles
    {
        public async Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
            => paths.FirstOrDefault(File.Exists) is { } path
                ? new RevisionFile(path, await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), revision)
                : null;
    }
}

/// <summary>Local runs have no platform to ask: teams have no members, groups are their listed users.</summary>
internal sealed class LocalMembership : IGroupMembership
{
    public static LocalMembership Instance { get; } = new();

    public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyCollection<string>>([]);
}
