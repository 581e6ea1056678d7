namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// How severity changes in test code (test paths and test projects): tests configure insecure settings on purpose
/// (a token handler that skips audience checks, a certificate callback for a local server, a blocking call in a
/// fixture) and do not ship, so findings there are low at most. Rules about the tests themselves, hidden payloads,
/// supply chain, secrets and suppressions keep their severity: test code runs in CI, next to its secrets.
/// </summary>
internal static class TestCodeSeverity
{
    private static readonly HashSet<string> KeptInTests =
        [RiskCategories.Tests, RiskCategories.Malicious, RiskCategories.SupplyChain, RiskCategories.Secrets, RiskCategories.Suppression];

    public static Severity? For(RuleDescriptor rule, Severity? severity, bool inTestCode)
        => inTestCode && !KeptInTests.Contains(rule.Category) && (severity ?? rule.Severity) > Severity.Low ? Severity.Low : severity;
}
