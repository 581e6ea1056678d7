using System.Reflection;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Authorship.Signals;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>docs/authorship.md documents every identity, signal and agent id the code knows.</summary>
public sealed class CatalogDocsTests
{
    private static readonly string Docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "authorship.md"));

    public static TheoryData<string> SignalIds()
    {
        IEnumerable<TextRule> rules =
        [
            .. SessionTrailerSignals.Rules, .. CommitMessageSignals.MessageRules, CommitMessageSignals.AiderAuthorName,
            CommitMessageSignals.AiderCommitterName, .. BranchPrefixSignals.Rules, .. PullRequestBodySignals.Rules,
            PullRequestBodySignals.TemplatePlaceholder, .. LabelSignals.LabelRules, .. LabelSignals.TitleRules,
        ];
        var ids = rules.Select(r => r.Signal).Concat(
            ["model-written.co-author-trailer", "assisted-by.trailer", "unknown-bot.identity", "org.trailer", "org.branch", "org.label"]);
        return [.. ids.Distinct()];
    }

    public static TheoryData<string> IdentityKeys() => [.. BuiltInIdentities.All.Select(i => i.Key).Distinct()];

    public static TheoryData<string> AgentIdConstants()
        => [.. typeof(AgentIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)];

    [Theory]
    [MemberData(nameof(SignalIds))]
    public void Every_text_signal_is_documented(string signal) => Assert.Contains($"`{signal}`", Docs);

    [Theory]
    [MemberData(nameof(IdentityKeys))]
    public void Every_identity_is_documented(string key) => Assert.Contains($"`{key}`", Docs);

    [Theory]
    [MemberData(nameof(AgentIdConstants))]
    public void Every_agent_id_is_documented(string agent) => Assert.Contains($"`{agent}`", Docs);

    [Fact]
    public void Identity_ids_and_keys_are_unique()
    {
        var ids = BuiltInIdentities.All.Where(i => i.GitHubId is not null).Select(i => i.GitHubId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(BuiltInIdentities.All.Count, BuiltInIdentities.All.Select(i => i.Key).Distinct().Count());
    }
}
