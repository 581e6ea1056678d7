using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Pipeline.Rules;

/// <summary>
/// What the rules locator found for one change: the organisation's file (always applies), the repository's (adds to
/// it), the built-in default when neither exists and it is enabled, and the head's file when the change edits it.
/// </summary>
public sealed record LocatedRules
{
    /// <summary>The repository's rules file at the base commit (the first of the paths that exists).</summary>
    public RulesSource? Repository { get; init; }

    /// <summary>The organisation's rules file, when an organisation source is configured and has one.</summary>
    public RulesSource? Organisation { get; init; }

    /// <summary>The built-in policy, when neither has a file and it is enabled.</summary>
    public RulesSource? BuiltIn { get; init; }

    /// <summary>The repository's rules as the change leaves them; read only when the change touches a rules path.</summary>
    public RulesSource? Head { get; init; }

    /// <summary>The change deletes or renames away the repository's rules file (and adds none in its place).</summary>
    public bool HeadRemovesRules { get; init; }

    /// <summary>The rules file found (the repository's, else the organisation's), without the built-in default.</summary>
    public RulesSource? File => Repository ?? Organisation;

    /// <summary>
    /// The repository's layer of the gate: its own file, else the built-in policy when there is no file at all. The
    /// organisation's file (<see cref="Organisation"/>) always applies on top; the engine combines the two.
    /// </summary>
    public RulesSource? RepositoryLayer => Repository ?? BuiltIn;
}

/// <summary>
/// The one place that finds the rules of a change, on every platform and in the CLI, through one port
/// (<see cref="IRevisionFiles"/>): the repository's file at the BASE commit (so a change cannot loosen its own
/// gate), looked for at <see cref="DefaultPaths"/> in order; the organisation's file at its default branch; the
/// built-in default (rules/default.yml) when neither exists and it is enabled (the default, on every platform);
/// and the head's file only when the change touches a rules path, so its errors show before it merges.
/// </summary>
public static class RulesLocator
{
    /// <summary>Where a rules file is looked for, in order; the first that exists wins (docs: rules/README.md).</summary>
    public static IReadOnlyList<string> DefaultPaths => AgentChangeFacts.RulesFilePaths;

    /// <summary>The built-in policy as a rules source (the same on every platform).</summary>
    public static RulesSource BuiltInDefault { get; } = new() { Path = DefaultPolicy.Path, Revision = "built-in", Text = DefaultPolicy.Text, Origin = DefaultPolicy.Origin };

    public static async Task<LocatedRules> LocateAsync(PullRequestSnapshot snapshot, RulesLocation location, CancellationToken cancellationToken = default)
    {
        var paths = location.Paths is { Count: > 0 } configured ? configured : DefaultPaths;
        var repositoryTask = FirstAsync(location.Repository, paths, snapshot.BaseSha, "", "base", cancellationToken);
        var organisationTask = location.Organisation is { } org
            ? FirstAsync(org.Files, org.Paths ?? paths, org.Revision, org.Name, "organisation", cancellationToken)
            : Task.FromResult<RulesSource?>(null);
        var touched = snapshot.Files.Where(f => paths.Contains(f.Path, StringComparer.Ordinal)
            || (f.PreviousPath is { } previous && paths.Contains(previous, StringComparer.Ordinal))).ToList();
        var headTask = touched.Count > 0
            ? FirstAsync(location.Repository, paths, snapshot.HeadSha, "", "head", cancellationToken)
            : Task.FromResult<RulesSource?>(null);
        await Task.WhenAll(repositoryTask, organisationTask, headTask).ConfigureAwait(false);

        var repository = await repositoryTask.ConfigureAwait(false);
        var organisation = await organisationTask.ConfigureAwait(false);
        var head = await headTask.ConfigureAwait(false);
        return new LocatedRules
        {
            Repository = repository,
            Organisation = organisation,
            BuiltIn = repository is null && organisation is null && location.UseBuiltInDefault ? BuiltInDefault : null,
            Head = head,
            HeadRemovesRules = touched.Count > 0 && repository is not null && head is null,
        };
    }

    private static async Task<RulesSource?> FirstAsync(
        IRevisionFiles files, IReadOnlyList<string> paths, string revision, string sourceName, string origin, CancellationToken cancellationToken)
    {
        if (await files.ReadAsync(paths, revision, cancellationToken).ConfigureAwait(false) is not { } file)
        {
            return null;
        }

        var text = file.Text.Length > 0 && file.Text[0] == '\uFEFF' ? file.Text[1..] : file.Text;
        return new RulesSource { Path = sourceName.Length > 0 ? $"{sourceName}:{file.Path}" : file.Path, Revision = file.Revision, Text = text, Origin = origin };
    }
}
