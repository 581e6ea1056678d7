using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB7005: the review gate itself changed: the ReviewBot rules file or CODEOWNERS.</summary>
public sealed class ReviewRulesChangedRule : IFileRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB7005", RiskCategories.SupplyChain, Severity.High, "Review rules changed",
        "The ReviewBot rules file (.github/reviewbot.yml, reviewbot.yml) or CODEOWNERS decides who must approve what. A change to it changes the gate for every later pull request (the current one is still judged by the base rules).");

    public bool NeedsContent(string path) => false;

    public void Inspect(FileChangeContext context)
    {
        var path = context.File.Path;
        if (IsGateFile(path) || (context.File.PreviousPath is { } old && IsGateFile(old)))
        {
            context.ReportFile(this, $"{path} {PathRules.StatusVerb(context.File.Status)}: the review gate itself changes");
        }
    }

    internal static bool IsGateFile(string path)
    {
        var name = PathRules.FileName(path);
        return name.Equals("CODEOWNERS", StringComparison.Ordinal)
            || (name.StartsWith("reviewbot.", StringComparison.OrdinalIgnoreCase) || name.StartsWith(".reviewbot.", StringComparison.OrdinalIgnoreCase))
                && (name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase));
    }
}
