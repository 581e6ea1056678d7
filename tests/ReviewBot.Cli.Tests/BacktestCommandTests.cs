using System.Text.Json;
using ReviewBot.Cli.Commands;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// `reviewbot backtest` over a real git history holding a GitHub squash commit, a GitHub merge commit, a direct
/// push, a GitLab squash commit, a change of the rules themselves and a change after it: the merged changes are
/// recognised, the old rules are read at each base, and only the changes the new rules gate differently are counted.
/// </summary>
public sealed class BacktestCommandTests : IDisposable
{
    private const string RulesPath = ".github/reviewbot.yml";

    private const string OneReview = """
        version: 1
        groups:
          anyone: { anyone: true }
        rules:
          - name: source changes need review
            if: { paths: ["src/**"] }
            require:
              approvals: [{ group: anyone, count: 1 }]
        """;

    private static readonly string TwoReviews = OneReview.Replace("count: 1", "count: 2", StringComparison.Ordinal);

    private readonly GitRepoBuilder _repo = GitRepoBuilder.Init();
    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-backtest-").FullName;

    public BacktestCommandTests()
    {
        _repo.Write("src/A.cs", "class A { }\n").Write("README.md", "# App\n").Write(RulesPath, OneReview);
        _repo.Commit("Initial");
        _repo.Write("src/A.cs", "class A { void Retry() { } }\n");
        _repo.Commit("Retry on 503 (#12)");
        _repo.CreateBranch("docs", checkout: true);
        _repo.Write("README.md", "# App\n\nHow to run it.\n");
        _repo.Commit("Explain how to run");
        _repo.Checkout("main");
        _repo.Merge("docs", "Merge pull request #13 from alice/docs\n\nUpdate the docs\n");
        _repo.Write("README.md", "# The app\n\nHow to run it.\n");
        _repo.Commit("Fix typo");
        _repo.Write("src/B.cs", "class B { }\n");
        _repo.Commit("Add B\n\nSee merge request acme/app!14\n");
        _repo.Write(RulesPath, TwoReviews);
        _repo.Commit("Require two reviews (#15)");
        _repo.Write("src/A.cs", "class A { void Retry() { } void Stop() { } }\n");
        _repo.Commit("Add Stop (#16)");
        File.WriteAllText(New, TwoReviews);
        File.WriteAllText(Old, OneReview);
    }

    private string New => Path.Combine(_dir, "new.yml");

    private string Old => Path.Combine(_dir, "old.yml");

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (int Code, string Stdout, string Stderr) Backtest(params string[] args)
        => InProcessCli.Run(["backtest", "--repo", _repo.Path, "--rules", New, .. args]);

    [Fact]
    public void Counts_the_merged_changes_the_new_rules_gate_differently_against_the_rules_at_each_base()
    {
        var (code, stdout, stderr) = Backtest("--format", "json");

        Assert.True(code == ExitCodes.NotMet, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("repository", root.GetProperty("source").GetString());
        Assert.Equal("the rules at each change's base", root.GetProperty("against").GetString());
        var counts = root.GetProperty("counts");
        Assert.Equal(5, counts.GetProperty("changes").GetInt32()); // #12, #13, #14, #15, #16; the direct push is no pull request
        Assert.Equal(1, counts.GetProperty("merges").GetInt32());
        Assert.Equal(4, counts.GetProperty("squashes").GetInt32());
        Assert.Equal(5, root.GetProperty("changes").GetInt32());

        // #12 and #14 needed one review under the rules of their base and two now; #16's base already asked for two;
        // the docs merge (#13) and the rules change (#15) touch no source.
        Assert.Equal(2, root.GetProperty("gatedDifferently").GetInt32());
        var differences = root.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal([14L, 12L], differences.Select(d => d.GetProperty("change").GetProperty("number").GetInt64()));
        var first = differences[0];
        Assert.Equal("squash", first.GetProperty("change").GetProperty("kind").GetString());
        Assert.Equal("Add B", first.GetProperty("change").GetProperty("title").GetString());
        Assert.Equal(RulesPath, first.GetProperty("rulesBefore").GetProperty("path").GetString());
        Assert.Equal("base", first.GetProperty("rulesBefore").GetProperty("origin").GetString());
        Assert.Equal("pending", first.GetProperty("before").GetProperty("state").GetString());
        Assert.StartsWith("approvals source changes need review: 0/1 from group anyone", Assert.Single(first.GetProperty("onlyBefore").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.StartsWith("approvals source changes need review: 0/2 from group anyone", Assert.Single(first.GetProperty("onlyAfter").EnumerateArray()).GetString(), StringComparison.Ordinal);

        var byRule = Assert.Single(root.GetProperty("byRule").EnumerateArray());
        Assert.Equal("source changes need review", byRule.GetProperty("rule").GetString());
        Assert.Equal(2, byRule.GetProperty("changes").GetInt32());
        Assert.Equal(2, byRule.GetProperty("examples").GetArrayLength());
        Assert.Empty(root.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public void Against_an_old_file_compares_every_change_with_it()
    {
        var (code, stdout, stderr) = Backtest("--against", Old);

        Assert.True(code == ExitCodes.NotMet, stderr);
        Assert.Contains("Gated differently: 3 of 5 (60%)", stdout, StringComparison.Ordinal);
        Assert.Contains($"Rules: {New} against {Old}", stdout, StringComparison.Ordinal);
        Assert.Contains("  source changes need review: 3 change(s)", stdout, StringComparison.Ordinal);
        Assert.Contains("#16 ", stdout, StringComparison.Ordinal);
        Assert.Contains("      - before: approvals source changes need review: 0/1 from group anyone", stdout, StringComparison.Ordinal);
        Assert.Contains("      + after:  approvals source changes need review: 0/2 from group anyone", stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr); // no progress bar into a writer that is not a terminal
    }

    [Fact]
    public void Last_and_since_narrow_the_history_and_nothing_differing_exits_0()
    {
        var (last, lastOut, lastErr) = Backtest("--last", "2", "--format", "json");
        Assert.True(last == ExitCodes.Success, lastErr);
        using (var json = JsonDocument.Parse(lastOut))
        {
            Assert.Equal(2, json.RootElement.GetProperty("counts").GetProperty("changes").GetInt32());
            Assert.Equal(0, json.RootElement.GetProperty("gatedDifferently").GetInt32());
        }

        // Each commit is a minute after the previous one from GitRepoBuilder.Epoch: #15 at +6 min, #16 at +7.
        var since = GitRepoBuilder.Epoch.AddMinutes(6.5).ToString("O");
        var (code, stdout, stderr) = Backtest("--since", since, "--against", Old, "--format", "json");
        Assert.True(code == ExitCodes.NotMet, stderr);
        using var narrowed = JsonDocument.Parse(stdout);
        var only = Assert.Single(narrowed.RootElement.GetProperty("differences").EnumerateArray());
        Assert.Equal(16, only.GetProperty("change").GetProperty("number").GetInt64());
    }

    [Theory]
    [InlineData("--since", "2026-01-01", "--last", "3", "exclude each other")]
    [InlineData("--since", "yesterday-ish", null, null, "is not a date")]
    [InlineData("--last", "0", null, null, "at least 1")]
    public void Bad_ranges_are_usage_errors(string flag, string value, string? flag2, string? value2, string message)
    {
        List<string> args = [flag, value];
        if (flag2 is not null)
        {
            args.AddRange([flag2, value2!]);
        }

        var (code, _, stderr) = Backtest([.. args]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "p1", "p2" }, "Merge pull request #42 from alice/fix\n\nFix the retry\n", "merge", 42L, "Fix the retry")]
    [InlineData(new[] { "p1", "p2" }, "Merge branch 'fix' into 'main'\n\nFix the retry\n\nSee merge request acme/app!7\n", "merge", 7L, "Fix the retry")]
    [InlineData(new[] { "p1", "p2" }, "Merge branch 'release'\n", "merge", null, "Merge branch 'release'")]
    [InlineData(new[] { "p1" }, "Fix the retry (#42)\n\n* wip\n", "squash", 42L, "Fix the retry")]
    [InlineData(new[] { "p1" }, "Fix the retry\n\nSee merge request group/sub/app!9\n", "squash", 9L, "Fix the retry")]
    [InlineData(new[] { "p1" }, "Fix the retry (see #42 for why)\n", null, null, null)]
    [InlineData(new string[0], "Initial (#1)\n", null, null, null)]
    public void Merged_changes_are_recognised_from_the_first_parent_history(string[] parents, string message, string? kind, long? number, string? title)
    {
        var change = MergedChange.Recognise(new Commit { Sha = "c0ffee", Parents = parents, Message = message, Author = Person.Unknown, Committer = Person.Unknown });

        Assert.Equal(kind, change?.Kind);
        Assert.Equal(number, change?.Number);
        Assert.Equal(title, change?.Title);
        if (change is not null)
        {
            Assert.Equal("p1", change.Base);
        }
    }
}
