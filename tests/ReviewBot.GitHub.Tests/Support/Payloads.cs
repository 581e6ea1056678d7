using System.Text.Json;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests.Support;

/// <summary>Real GitHub webhook payloads: tests/fixtures/github and @octokit/webhooks-examples (tools/node_modules).</summary>
public static class Payloads
{
    public static string FixturesDir => Path.Combine(TestPaths.Fixtures, "github");

    public static string ExamplesIndex => Path.Combine(TestPaths.RepoRoot, "tools", "node_modules", "@octokit", "webhooks-examples", "api.github.com", "index.json");

    /// <summary>Fixture file name "pull_request.opened.json" → (event "pull_request", body bytes).</summary>
    public static (string Event, byte[] Body) Fixture(string fileName)
        => (fileName.Split('.')[0], File.ReadAllBytes(Path.Combine(FixturesDir, fileName)));

    public static IEnumerable<string> FixtureNames()
        => Directory.EnumerateFiles(FixturesDir, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    /// <summary>Every example of every event in @octokit/webhooks-examples, as (event, index, raw JSON).</summary>
    public static IReadOnlyList<(string Event, int Index, byte[] Body)> Examples() => LazyExamples.Value;

    private static readonly Lazy<IReadOnlyList<(string Event, int Index, byte[] Body)>> LazyExamples = new(() => [.. LoadExamples()]);

    private static IEnumerable<(string Event, int Index, byte[] Body)> LoadExamples()
    {
        if (!File.Exists(ExamplesIndex))
        {
            throw new InvalidOperationException($"{ExamplesIndex} is missing: run `npm ci --prefix tools` (scripts/test.sh does).");
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(ExamplesIndex));
        foreach (var evt in doc.RootElement.EnumerateArray())
        {
            var name = evt.GetProperty("name").GetString()!;
            var i = 0;
            foreach (var example in evt.GetProperty("examples").EnumerateArray())
            {
                yield return (name, i++, JsonSerializer.SerializeToUtf8Bytes(example));
            }
        }
    }
}
