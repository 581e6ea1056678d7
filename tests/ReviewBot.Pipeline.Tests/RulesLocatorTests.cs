using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Rules;
using ReviewBot.TestSupport;

namespace ReviewBot.Pipeline.Tests;

/// <summary>
/// The rules locator over the port alone (the platforms' and the CLI's real readers are held to the same table by
/// RulesLocationTableTests): which revision, which paths, which source gates, and when the head is read.
/// </summary>
public sealed class RulesLocatorTests
{
    private static readonly PullRequestSnapshot Snapshot = RequestSnapshots.For(new ReviewRequest
    {
        Platform = Platform.GitHub, Repository = "acme/api", Number = 1, DeliveryId = "d", Event = "pull_request.opened",
    });

    private static string Base => Snapshot.BaseSha;

    private static string Head => Snapshot.HeadSha;

    /// <summary>Files by (revision, path); records every read.</summary>
    private sealed class Files(Dictionary<(string Revision, string Path), string> files) : IRevisionFiles
    {
        public List<(string Revision, string Paths)> Reads { get; } = [];

        public Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
        {
            Reads.Add((revision, string.Join(",", paths)));
            var path = paths.FirstOrDefault(p => files.ContainsKey((revision, p)));
            return Task.FromResult(path is null ? null : new RevisionFile(path, files[(revision, path)], "blob-" + path));
        }
    }

    private static PullRequestSnapshot Touching(string path, FileStatus status = FileStatus.Modified, string? previous = null)
        => Snapshot with { Files = [new ChangedFile { Path = path, Status = status, PreviousPath = previous }] };

    [Fact]
    public async Task The_first_documented_path_at_the_base_commit_gates_and_the_head_is_not_read_when_untouched()
    {
        var repo = new Files(new()
        {
            [(Base, ".gitlab/reviewbot.yml")] = "\uFEFFversion: 1\n",
            [(Base, ".reviewbot.yml")] = "version: 1\n# later in the list\n",
            [(Head, ".gitlab/reviewbot.yml")] = "version: 1\n# loosened\n",
        });

        var located = await RulesLocator.LocateAsync(Snapshot, new RulesLocation { Repository = repo });

        Assert.Equal(new RulesSource { Path = ".gitlab/reviewbot.yml", Revision = "blob-.gitlab/reviewbot.yml", Text = "version: 1\n", Origin = "base" }, located.RepositoryLayer);
        Assert.Null(located.Head);
        Assert.Equal([(Base, string.Join(",", RulesLocator.DefaultPaths))], repo.Reads);
    }

    [Fact]
    public async Task A_change_touching_a_rules_path_has_its_head_rules_read_and_a_removal_is_reported()
    {
        var repo = new Files(new() { [(Base, ".github/reviewbot.yml")] = "version: 1\n", [(Head, ".github/reviewbot.yml")] = "rules: [\n" });
        var location = new RulesLocation { Repository = repo };

        var edited = await RulesLocator.LocateAsync(Touching(".github/reviewbot.yml"), location);
        var renamedAway = await RulesLocator.LocateAsync(
            Touching("docs/old-rules.yml", FileStatus.Renamed, ".github/reviewbot.yml"),
            new RulesLocation { Repository = new Files(new() { [(Base, ".github/reviewbot.yml")] = "version: 1\n" }) });

        Assert.Equal(("head", "rules: [\n"), (edited.Head!.Origin, edited.Head.Text));
        Assert.False(edited.HeadRemovesRules);
        Assert.Null(renamedAway.Head);
        Assert.True(renamedAway.HeadRemovesRules);
    }

    [Fact]
    public async Task The_organisation_file_is_found_beside_the_repository_s_and_the_built_in_default_only_when_neither_exists()
    {
        var org = new OrganisationRules { Name = "acme/.github", Files = new Files(new() { [("HEAD", ".reviewbot.yml")] = "version: 1\n# org\n" }), Revision = "HEAD" };
        var withRepo = new RulesLocation { Repository = new Files(new() { [(Base, ".github/reviewbot.yml")] = "version: 1\n" }), Organisation = org };
        var without = withRepo with { Repository = new Files([]) };

        var both = await RulesLocator.LocateAsync(Snapshot, withRepo);
        var orgOnly = await RulesLocator.LocateAsync(Snapshot, without);
        var none = await RulesLocator.LocateAsync(Snapshot, without with { Organisation = null });
        var off = await RulesLocator.LocateAsync(Snapshot, without with { Organisation = null, UseBuiltInDefault = false });

        Assert.Equal(("base", "acme/.github:.reviewbot.yml"), (both.RepositoryLayer!.Origin, both.Organisation!.Path));
        Assert.Equal(("organisation", "version: 1\n# org\n"), (orgOnly.Organisation!.Origin, orgOnly.Organisation.Text));
        Assert.Null(orgOnly.RepositoryLayer);
        Assert.Equal((DefaultPolicy.Path, "built-in", DefaultPolicy.Text), (none.RepositoryLayer!.Path, none.RepositoryLayer.Origin, none.RepositoryLayer.Text));
        Assert.Null(none.File);
        Assert.Null(off.RepositoryLayer);
    }

    [Fact]
    public async Task A_configured_path_is_the_only_one_read()
    {
        var repo = new Files(new() { [(Base, ".github/reviewbot.yml")] = "version: 1\n", [(Base, "policy/rules.yml")] = "version: 1\n# custom\n" });

        var located = await RulesLocator.LocateAsync(Snapshot, new RulesLocation { Repository = repo, Paths = ["policy/rules.yml"] });

        Assert.Equal("policy/rules.yml", located.RepositoryLayer!.Path);
        Assert.Equal([(Base, "policy/rules.yml")], repo.Reads);
    }
}
