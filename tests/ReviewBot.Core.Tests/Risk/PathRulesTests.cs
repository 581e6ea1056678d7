using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// Test and sample paths are told by their folders in lower case, as <see cref="string.ToLowerInvariant()"/> gives them:
/// a look-alike letter that only some case comparisons fold (the long s, the Kelvin sign) must neither make product
/// code a test nor the other way round.
/// </summary>
public sealed class PathRulesTests
{
    public static TheoryData<string> Paths() =>
    [
        "src/App/Program.cs", "tests/App.Tests/ProgramTests.cs", "Tests/x.cs", "TEST/x.cs", "src/App.UnitTests/A.cs",
        "src/App.IntegrationTests/A.cs", "spec/a.cs", "src/App.Specs/a.cs", "src/AppTests/a.cs", "src/a/FooTest.cs",
        "src/a/FooSpecs.cs", "samples/Demo/Program.cs", "src/Example/a.cs", "bench/App.Benchmarks/B.cs", "benchmarks",
        "a//tests/b.cs", "a/b/", "src/te\u017Fts/a.cs", "src/TE\u017FTS/a.cs", "src/App.Te\u017Fts/a.cs", "src/benchmar\u212A/a.cs",
        "src/\u0130test/a.cs", "src/App.TESTS/a.cs", "src/\U00010400/a.cs", "Samples", "x/SAMPLE/y.cs", "x.Examples/y.cs",
    ];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Test_and_sample_paths_are_told_by_their_lower_case_folders(string path)
    {
        Assert.Equal(ReferenceIsTestPath(path), PathRules.IsTestPath(path));
        Assert.Equal(ReferenceIsSamplePath(path), PathRules.IsSampleOrBenchmarkPath(path));
    }

    private static bool ReferenceIsTestPath(string path)
        => path.Split('/').Select(s => s.ToLowerInvariant()).Any(s => s is "test" or "tests" or "spec" or "specs"
                || new[] { ".tests", ".test", ".unittests", ".integrationtests", ".specs" }.Any(e => s.EndsWith(e, StringComparison.Ordinal)))
            || new[] { "Tests.cs", "Test.cs", "Specs.cs" }.Any(e => path.Split('/')[^1].EndsWith(e, StringComparison.Ordinal));

    private static bool ReferenceIsSamplePath(string path)
        => path.Split('/')[..^1].Select(s => s.ToLowerInvariant()).Any(s => s is "samples" or "sample" or "examples" or "example" or "benchmarks" or "benchmark"
            || new[] { ".samples", ".sample", ".examples", ".example", ".benchmarks", ".benchmark" }.Any(e => s.EndsWith(e, StringComparison.Ordinal)));
}
