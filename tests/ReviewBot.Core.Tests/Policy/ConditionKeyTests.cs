using ReviewBot.Core.Policy;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>Every accepted condition key is read as itself: none falls through to another key's meaning (e.g. <c>not:</c>).</summary>
public sealed class ConditionKeyTests
{
    /// <summary>A valid value of each key and the condition type it must give; one row per key of <see cref="RulesKeys.Condition"/>.</summary>
    private static readonly Dictionary<string, (string Value, Type Condition)> Samples = new()
    {
        ["authorship"] = ("ai-authored", typeof(AuthorshipCondition)),
        ["agents"] = ("[claude-code]", typeof(AgentsCondition)),
        ["risk"] = ("\">= high\"", typeof(RiskCondition)),
        ["findings"] = ("[RB1001]", typeof(FindingsCondition)),
        ["paths"] = ("[\"src/**\"]", typeof(PathsCondition)),
        ["only_paths"] = ("[\"docs/**\"]", typeof(OnlyPathsCondition)),
        ["target_branch"] = ("[main]", typeof(TargetBranchCondition)),
        ["source_branch"] = ("[\"copilot/*\"]", typeof(SourceBranchCondition)),
        ["labels"] = ("[ai]", typeof(LabelsCondition)),
        ["author"] = ("[alice]", typeof(AuthorCondition)),
        ["changed_lines"] = ("\"> 500\"", typeof(ChangedLinesCondition)),
        ["files"] = ("\">= 20\"", typeof(FilesCondition)),
        ["draft"] = ("true", typeof(DraftCondition)),
        ["initiator"] = ("[alice]", typeof(InitiatorCondition)),
        ["initiator_groups"] = ("[juniors]", typeof(InitiatorGroupsCondition)),
        ["all"] = ("[{ draft: true }]", typeof(AllCondition)),
        ["any"] = ("[{ draft: true }]", typeof(AnyCondition)),
        ["not"] = ("{ draft: true }", typeof(NotCondition)),
    };

    [Fact]
    public void The_samples_cover_every_accepted_condition_key()
        => Assert.Equal(RulesKeys.Condition.Order(StringComparer.Ordinal), Samples.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Each_condition_key_gives_its_own_condition()
    {
        foreach (var (key, (value, type)) in Samples)
        {
            var parsed = RulesParser.Parse($"version: 1\ngroups:\n  juniors: {{ users: [jun] }}\nrules:\n  - name: r\n    if: {{ {key}: {value} }}\n    labels: [x]\n", "rules.yml");

            Assert.True(parsed.IsValid, $"{key}: {string.Join("; ", parsed.Errors)}");
            Assert.IsType(type, parsed.Rules!.Rules[0].If);
        }
    }
}
