using System.Reflection;
using System.Text.Json;
using ReviewBot.GitHub.Webhooks;
using ReviewBot.Host;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests;

/// <summary>docs/github.md and docs/github-app-manifest.json agree with the code.</summary>
public sealed class DocumentationTests
{
    private static string Doc => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "github.md"));

    /// <summary>Setting names in the table that follows the marker line.</summary>
    private static HashSet<string> DocumentedSettings(string section)
    {
        var lines = Doc.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == $"<!-- settings: {section} -->");
        Assert.True(start >= 0, $"docs/github.md has no settings table for {section}");
        return lines.Skip(start + 3)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|')[1].Trim().Trim('`'))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static HashSet<string> Settable(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_github_setting_is_documented_and_every_documented_one_exists()
        => Assert.Equal(Settable(typeof(GitHubOptions)).Order(), DocumentedSettings(GitHubOptions.SectionName).Order());

    [Fact]
    public void Documented_defaults_match_the_code()
    {
        var defaults = new GitHubOptions();
        Assert.Contains($"| `CheckName` | `{defaults.CheckName}` |", Doc, StringComparison.Ordinal);
        Assert.Null(defaults.RulesPath);
        Assert.Contains("| `RulesPath` | — |", Doc, StringComparison.Ordinal);
        Assert.Contains($"| `UseBuiltInDefault` | `{defaults.UseBuiltInDefault.ToString().ToLowerInvariant()}` |", Doc, StringComparison.Ordinal);
        Assert.Contains($"| `OrgRulesRepository` | `{defaults.OrgRulesRepository}` |", Doc, StringComparison.Ordinal);
        Assert.Contains($"| `MaxPayloadBytes` | `{defaults.MaxPayloadBytes}` |", Doc, StringComparison.Ordinal);
        Assert.Contains($"| `ApiBaseUrl` | `{defaults.ApiBaseUrl}` |", Doc, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_manifest_asks_for_the_documented_permissions_and_the_events_the_bot_handles()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "github-app-manifest.json")));
        var permissions = manifest.RootElement.GetProperty("default_permissions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        var events = manifest.RootElement.GetProperty("default_events").EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Equal(
            new Dictionary<string, string?> { ["checks"] = "write", ["pull_requests"] = "write", ["contents"] = "read", ["members"] = "read", ["statuses"] = "read", ["merge_queues"] = "read", ["metadata"] = "read" },
            permissions);
        Assert.Equal(GitHubWebhookMapper.SubscribedEvents.Order(), events.Order());
        Assert.All(events, e => Assert.Contains($"| `{e}` |", Doc, StringComparison.Ordinal));
        Assert.Contains("| Merge queues | read |", Doc, StringComparison.Ordinal);
        Assert.EndsWith(GitHubEndpoints.Route, manifest.RootElement.GetProperty("hook_attributes").GetProperty("url").GetString(), StringComparison.Ordinal);
    }
}
