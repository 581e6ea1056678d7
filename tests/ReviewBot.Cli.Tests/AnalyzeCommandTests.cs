using System.Text.Json;
using ReviewBot.Cli;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary><c>reviewbot analyze</c> end to end on real git repositories the tests create.</summary>
public sealed class AnalyzeCommandTests
{
    private const string Service = """
        namespace Acme;

        public class Exporter
        {
            public void Export(string name)
            {
                System.Console.WriteLine(name);
            }
        }
        """;

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliRunner.Run(CliApp.BuildRoot(), args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static GitRepoBuilder RiskyFeature()
    {
        var repo = GitRepoBuilder.Init();
        repo.Write("src/Exporter.cs", Service);
        repo.Write("src/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n</Project>\n");
        repo.Commit("Initial");
        repo.CreateBranch("feature", checkout: true);
        repo.Write("src/Exporter.cs", Service.Replace(
            "System.Console.WriteLine(name);",
            "System.Console.WriteLine(name);\n        System.Diagnostics.Process.Start(\"sh\", \"-c \" + System.Console.ReadLine());"));
        repo.Write("src/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Left.Pad\" Version=\"1.0.0\" />\n  </ItemGroup>\n</Project>\n");
        repo.Write(".github/workflows/ci.yml", "on: push\n");
        repo.Commit("Export through the shell");
        return repo;
    }

    [Fact]
    public void Hostile_files_are_findings_not_a_crash()
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("src/Exporter.cs", Service);
        repo.Commit("Initial");
        repo.CreateBranch("feature", checkout: true);
        repo.Write("src/Deep.cs", "public class Deep { object M() => " + new string('(', 20_000) + "1" + new string(')', 20_000) + "; }\n");
        File.WriteAllBytes(Path.Combine(repo.Path, "src", "Wide.cs"), [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes(Service.Replace("System.Console.WriteLine(name);", "System.Diagnostics.Process.Start(\"sh\", \"-c \" + name);"))]);
        repo.Commit("Hostile");

        var (exit, stdout, stderr) = Run("analyze", "--repo", repo.Path, "--base", "main", "--head", "feature", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => (Rule: f.GetProperty("ruleId").GetString(), Path: f.GetProperty("path").GetString())).ToList();
        Assert.Contains(("RB9001", "src/Deep.cs"), findings);
        Assert.Contains(("RB3002", "src/Wide.cs"), findings); // UTF-16: git calls it binary, the analysis decodes it
    }

    [Fact]
    public void Json_output_has_the_documented_shape_and_the_findings()
    {
        using var repo = RiskyFeature();
        var (exit, stdout, stderr) = Run("analyze", "--repo", repo.Path, "--base", "main", "--head", "feature", "--format", "json");
        Assert.True(exit == 0, stderr);

        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("critical", root.GetProperty("level").GetString());
        Assert.True(root.GetProperty("score").GetDouble() > 0);
        Assert.False(root.TryGetProperty("timings", out _));

        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        var process = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "RB3002");
        Assert.Equal("injection", process.GetProperty("category").GetString());
        Assert.Equal("critical", process.GetProperty("severity").GetString());
        Assert.Equal("src/Exporter.cs", process.GetProperty("path").GetString());
        Assert.Equal(8, process.GetProperty("line").GetInt32());
        Assert.Equal(8, process.GetProperty("endLine").GetInt32());
        Assert.Equal("head", process.GetProperty("side").GetString());
        Assert.Contains("Process.Start", process.GetProperty("code").GetString());
        Assert.Contains("through a shell", process.GetProperty("message").GetString());
        Assert.Equal([78, 88], process.GetProperty("cwes").EnumerateArray().Select(c => c.GetInt32()));

        Assert.Contains(findings, f => f.GetProperty("ruleId").GetString() == "RB7001" && f.GetProperty("path").GetString() == "src/App.csproj");
        Assert.Contains(findings, f => f.GetProperty("ruleId").GetString() == "RB7004" && f.GetProperty("path").GetString() == ".github/workflows/ci.yml");

        var metrics = root.GetProperty("metrics");
        Assert.Equal(3, metrics.GetProperty("files").GetInt32());
        Assert.True(metrics.GetProperty("linesAdded").GetInt32() >= 5);
        Assert.NotEmpty(root.GetProperty("explanation").EnumerateArray());
        Assert.Equal(0, root.GetProperty("notes").GetArrayLength());
    }

    [Fact]
    public void Text_output_with_timings()
    {
        using var repo = RiskyFeature();
        var (exit, stdout, _) = Run("analyze", "--repo", repo.Path, "--base", "main", "--head", "feature", "--timings");
        Assert.Equal(0, exit);
        Assert.StartsWith("Risk of main..feature", stdout);
        Assert.Contains("CRITICAL", stdout);
        Assert.Contains("[critical] RB3002 injection: src/Exporter.cs:8", stdout);
        Assert.Contains("Timings: load ", stdout);
    }

    [Fact]
    public void Json_timings_when_asked()
    {
        using var repo = RiskyFeature();
        var (exit, stdout, _) = Run("analyze", "--repo", repo.Path, "--base", "main", "--head", "feature", "--format", "json", "--timings");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var timings = json.RootElement.GetProperty("timings");
        Assert.True(timings.GetProperty("totalMs").GetInt64() >= timings.GetProperty("analysisMs").GetInt64());
    }

    [Fact]
    public void A_harmless_change_is_level_none()
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("src/Exporter.cs", Service);
        repo.Commit("Initial");
        repo.CreateBranch("feature", checkout: true);
        repo.Write("src/Exporter.cs", Service.Replace("WriteLine(name)", "WriteLine(name.Trim())"));
        repo.Commit("Trim");
        var (exit, stdout, _) = Run("analyze", "--repo", repo.Path, "--base", "main", "--format", "json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("none", json.RootElement.GetProperty("level").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public void The_base_rules_file_risk_section_is_applied()
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("src/Exporter.cs", Service);
        repo.Write(".github/reviewbot.yml", "version: 1\nrisk:\n  disabled: [RB3002]\n  severities: { RB7004: low }\nrules: []\n");
        repo.Commit("Initial");
        repo.CreateBranch("feature", checkout: true);
        repo.Write("src/Exporter.cs", Service.Replace("System.Console.WriteLine(name);", "System.Diagnostics.Process.Start(\"sh\", \"-c \" + name);"));
        repo.Write(".github/workflows/ci.yml", "on: push\n");
        repo.Commit("Shell out");
        var (exit, stdout, stderr) = Run("analyze", "--repo", repo.Path, "--base", "main", "--format", "json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(".github/reviewbot.yml", json.RootElement.GetProperty("rules").GetString());
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.DoesNotContain(findings, f => f.GetProperty("ruleId").GetString() == "RB3002");
        Assert.Equal("low", Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "RB7004").GetProperty("severity").GetString());
    }

    [Fact]
    public void Risk_ignore_applies_from_the_base_rules_file_only()
    {
        const string Ignore = "version: 1\nrisk:\n  ignore:\n    - { rule: RB3002, paths: [\"tools/\"], reason: build helpers shell out by design }\nrules: []\n";
        var shellOut = Service.Replace("System.Console.WriteLine(name);", "System.Diagnostics.Process.Start(\"sh\", \"-c \" + name);");

        // In base: the finding under tools/ is set aside and the explanation says why; the one under src/ stays.
        using (var json = AnalyzeChange(new() { ["tools/Exporter.cs"] = Service, ["src/Exporter.cs"] = Service, [".github/reviewbot.yml"] = Ignore },
            new() { ["tools/Exporter.cs"] = shellOut, ["src/Exporter.cs"] = shellOut }))
        {
            var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "RB3002");
            Assert.Equal("src/Exporter.cs", finding.GetProperty("path").GetString());
            Assert.Contains(json.RootElement.GetProperty("explanation").EnumerateArray(),
                e => e.GetString()!.Contains("risk.ignore: 1 RB3002 finding(s) in tools/ not counted (reason: build helpers shell out by design)", StringComparison.Ordinal));
        }

        // Added by the change itself: not applied.
        using (var json = AnalyzeChange(new() { ["tools/Exporter.cs"] = Service }, new() { ["tools/Exporter.cs"] = shellOut, [".github/reviewbot.yml"] = Ignore }))
        {
            Assert.Contains(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "RB3002");
        }
    }

    /// <summary>Commits <paramref name="baseFiles"/> on main and <paramref name="headFiles"/> on a feature branch, and analyses the feature as JSON.</summary>
    private static JsonDocument AnalyzeChange(Dictionary<string, string> baseFiles, Dictionary<string, string> headFiles)
    {
        using var repo = GitRepoBuilder.Init();
        foreach (var (path, text) in baseFiles)
        {
            repo.Write(path, text);
        }

        repo.Commit("Initial");
        repo.CreateBranch("feature", checkout: true);
        foreach (var (path, text) in headFiles)
        {
            repo.Write(path, text);
        }

        repo.Commit("Change");
        var (exit, stdout, stderr) = Run("analyze", "--repo", repo.Path, "--base", "main", "--format", "json");
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout);
    }

    [Fact]
    public void A_broken_rules_file_in_base_is_exit_2()
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("src/Exporter.cs", Service);
        repo.Write(".github/reviewbot.yml", "version: 1\nrisk:\n  disabledd: [RB3002]\n");
        repo.Commit("Initial");
        repo.CreateBranch("feature", checkout: true);
        repo.Write("src/Exporter.cs", Service + "\n");
        repo.Commit("Touch");
        var (exit, stdout, stderr) = Run("analyze", "--repo", repo.Path, "--base", "main");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(".github/reviewbot.yml", stderr);
    }

    [Fact]
    public void Unknown_ref_is_exit_2()
    {
        using var repo = RiskyFeature();
        var (exit, stdout, stderr) = Run("analyze", "--repo", repo.Path, "--base", "no-such-branch");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("reviewbot: unknown revision 'no-such-branch'", stderr);
    }

    [Fact]
    public void Base_is_required()
    {
        var (exit, _, stderr) = Run("analyze", "--repo", ".");
        Assert.Equal(2, exit);
        Assert.Contains("--base", stderr);
    }
}
