using System.Text;
using BenchmarkDotNet.Attributes;
using ReviewBot.Core.Policy;

namespace ReviewBot.Policy.Bench;

/// <summary>How long parsing takes for real files and how fast hostile ones are refused.</summary>
[MemoryDiagnoser]
public class RulesParserBenchmarks
{
    private readonly string defaultPolicy = DefaultPolicy.Text;
    private readonly string largeValid = LargeValid();
    private readonly string aliasBomb = AliasBomb();
    private readonly string deepNesting = "version: 1\nrules: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
    private readonly string tooLarge = "version: 1\nrules: []\n# " + new string('x', 1024 * 1024);

    [Benchmark(Baseline = true)]
    public RulesParseResult Default_policy() => RulesParser.Parse(defaultPolicy, "default.yml");

    /// <summary>About 250 KiB: 600 rules with conditions and approvals, just under the size limit.</summary>
    [Benchmark]
    public RulesParseResult Large_valid_file() => RulesParser.Parse(largeValid, "large.yml");

    [Benchmark]
    public RulesParseResult Alias_bomb_refused() => RulesParser.Parse(aliasBomb, "bomb.yml");

    [Benchmark]
    public RulesParseResult Nesting_10k_refused() => RulesParser.Parse(deepNesting, "deep.yml");

    [Benchmark]
    public RulesParseResult One_MiB_refused() => RulesParser.Parse(tooLarge, "huge.yml");

    private static string LargeValid()
    {
        var text = new StringBuilder("version: 1\ngroups:\n  seniors: { teams: [acme/seniors], users: [alice] }\nrules:\n");
        for (var i = 0; text.Length < 250 * 1024; i++)
        {
            text.Append($"  - name: rule {i}\n    if: {{ authorship: [ai-authored, ai-assisted], paths: [\"src/area{i}/**\", \"!src/area{i}/gen/**\"], risk: \">= medium\" }}\n");
            text.Append("    require:\n      approvals: [{ group: seniors, count: 1 }]\n      checks: [build, \"test-*\"]\n    labels: [ai]\n");
        }

        return text.ToString();
    }

    private static string AliasBomb()
    {
        var yaml = new StringBuilder("version: 1\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 0; i < 9; i++)
        {
            char prev = (char)('a' + i), next = (char)('b' + i);
            yaml.Append($"{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n");
        }

        return yaml.Append("rules: []\n").ToString();
    }
}

/// <summary>Glob matching cost per path (compiled once, non-backtracking).</summary>
[MemoryDiagnoser]
public class GlobBenchmarks
{
    private readonly PatternSet set = PatternSet.Parse("src/**/*.{cs,csproj}", "!src/**/obj/**", ".github/workflows/**");
    private readonly Glob pathological = Glob.Compile(string.Concat(Enumerable.Repeat("*a", 20)) + "b");
    private readonly string[] paths = Enumerable.Range(0, 1000).Select(i => $"src/Area{i % 37}/Sub{i % 11}/File{i}.cs").ToArray();
    private readonly string aaaa = new('a', 10_000);

    [Benchmark]
    public int Match_1000_paths() => paths.Count(set.IsMatch);

    [Benchmark]
    public bool Pathological_pattern_on_10k_chars() => pathological.IsMatch(aaaa);

    [Benchmark]
    public Glob Compile_glob() => Glob.Compile("src/**/test/{unit,integration}/*.[ch]s");
}
