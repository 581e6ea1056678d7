using System.Text;
using Microsoft.Data.Sqlite;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// Recorded evaluations and their content-addressed bytes in a real SQLite file: the snapshot comes back as the
/// value it was, contents are stored once, and pruning drops only what no evaluation within the retention references.
/// </summary>
public sealed class SqliteEvaluationStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(T0);

    private static (RecordedEvaluation, Dictionary<string, ReadOnlyMemory<byte>>) Evaluation(string id, params string[] files)
    {
        var bytes = files.ToDictionary(f => EvaluationRecording.Sha256(Encoding.UTF8.GetBytes(f)), f => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(f));
        return (new RecordedEvaluation
        {
            AuditId = id,
            ReviewBotVersion = "1.2.3",
            Snapshot = new PullRequestSnapshot
            {
                Platform = Platform.GitLab,
                Repository = "group/project",
                Number = 5,
                Author = new Person { Login = "dev", Id = 42 },
                BaseRef = "main",
                BaseSha = "b",
                HeadRef = "topic",
                HeadSha = "H",
                Files = [new ChangedFile { Path = "a.cs", Status = FileStatus.Renamed, PreviousPath = "old.cs" }],
                Checks = [new CheckResult { Name = "build", Status = CheckStatus.Completed, Conclusion = CheckConclusion.Success }],
                PatchIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["h"] = "p1" },
            },
            Contents = [.. files.Select((f, i) => new RecordedContent($"f{i}.cs", Side.Head, EvaluationRecording.Sha256(Encoding.UTF8.GetBytes(f)), f.Length))],
            Teams = new Dictionary<string, IReadOnlyList<string>> { ["group/seniors"] = ["bob"] },
            Rules = new RulesSource { Path = ".gitlab/reviewbot.yml", Revision = "b", Text = "version: 1\n", Origin = "base" },
        }, bytes);
    }

    [Fact]
    public async Task An_evaluation_comes_back_as_recorded_and_its_contents_by_hash()
    {
        using var database = SqliteDatabase.Open(_dir.File("e.db"));
        var store = new SqliteEvaluationStore(database, _clock, new StorageOptions());
        var (evaluation, bytes) = Evaluation("e1", "class A {}", "class B {}");

        await store.RecordAsync(evaluation, bytes);
        await store.RecordAsync(evaluation with { ReviewBotVersion = "later" }, bytes); // a redelivered pass: the first recording stands

        var back = (await store.GetAsync("e1"))!;
        Assert.Equal(RecordedEvaluationJson.Serialize(evaluation), RecordedEvaluationJson.Serialize(back));
        Assert.Equal(Platform.GitLab, back.Snapshot.Platform);
        Assert.Equal(FileStatus.Renamed, Assert.Single(back.Snapshot.Files).Status);
        Assert.Equal(["bob"], back.Teams["group/seniors"]);
        var contents = await store.GetContentsAsync(back.ContentHashes);
        Assert.Equal("class B {}", Encoding.UTF8.GetString(contents[back.Contents[1].Sha256]));
        Assert.Null(await store.GetAsync("unknown"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RecordAsync(Evaluation("e2", "x").Item1, new Dictionary<string, ReadOnlyMemory<byte>>()));
    }

    [Fact]
    public async Task Pruning_deletes_only_contents_no_evaluation_within_the_retention_references()
    {
        using var database = SqliteDatabase.Open(_dir.File("p.db"));
        var store = new SqliteEvaluationStore(database, _clock, new StorageOptions { ContentRetention = TimeSpan.FromDays(30) });
        var (old, oldBytes) = Evaluation("old", "shared", "only-old");
        await store.RecordAsync(old, oldBytes);
        _clock.Advance(TimeSpan.FromDays(20));
        var (recent, recentBytes) = Evaluation("recent", "shared", "only-recent");
        await store.RecordAsync(recent, recentBytes);

        _clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal(1, await store.PruneAsync());

        var held = await store.GetContentsAsync(old.ContentHashes.Concat(recent.ContentHashes));
        Assert.Equal(["only-recent", "shared"], held.Values.Select(b => Encoding.UTF8.GetString(b)).Order());
        Assert.NotNull(await store.GetAsync("old")); // the evaluation stays; its replay says the contents are gone

        _clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(2, await store.PruneAsync());
        Assert.Empty(await store.GetContentsAsync(recent.ContentHashes));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
