namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// What is judged in test code (test paths and test projects). Tests configure insecure settings on purpose (a token
/// handler that skips audience checks, a certificate callback for a local server, a blocking call in a fixture, a
/// predictable id, an empty catch in a cleanup) and do not ship, so rules about the shipped program's behaviour report
/// nothing there: of 69 such findings in test code (all shown as low before), read on real changes, none was worth a
/// reviewer's attention (docs/risk-accuracy.md). Rules about the tests themselves, hidden payloads, supply chain,
/// secrets and suppressions are judged there at full severity: test code runs in CI, next to its secrets.
/// </summary>
internal static class TestCode
{
    private static readonly HashSet<string> JudgedCategories =
        [RiskCategories.Tests, RiskCategories.Malicious, RiskCategories.SupplyChain, RiskCategories.Secrets, RiskCategories.Suppression, RiskCategories.Analysis];

    /// <summary>True when <paramref name="rule"/>'s findings count in test code.</summary>
    public static bool Judges(RuleDescriptor rule) => JudgedCategories.Contains(rule.Category);
}
